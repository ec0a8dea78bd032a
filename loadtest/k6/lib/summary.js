// handleSummary for every script: the whole summary as JSON into SUMMARY_FILE (the runner reads
// it), and one line per threshold on stdout (the runner keeps it in the run's log).
export function handleSummary(d) {
  const lines = [];
  for (const [name, m] of Object.entries(d.metrics)) {
    for (const [expr, t] of Object.entries(m.thresholds || {})) {
      if (/>=0$/.test(expr)) continue; // reporting-only thresholds
      lines.push(`${t.ok ? 'ok  ' : 'MISS'} ${name}: ${expr}`);
    }
  }
  const out = { stdout: `${lines.join('\n')}\n` };
  if (__ENV.SUMMARY_FILE) out[__ENV.SUMMARY_FILE] = JSON.stringify(d);
  return out;
}

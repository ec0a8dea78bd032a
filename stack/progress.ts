/**
 * Progress of slow steps, on stderr: what is being done, how far along it is, how long it took.
 * A failed step says which step failed, why, and where its log is.
 */
export class StepError extends Error {
  constructor(readonly step: string, readonly reason: string, readonly logFile?: string) {
    super(`${step} failed: ${reason}${logFile ? `\n  log: ${logFile}` : ''}`);
  }
}

const isTty = process.stderr.isTTY === true;

export function say(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

function fmt(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

export interface StepHandle {
  /** Reports how far along the step is, e.g. "412/1630 packages". */
  progress(detail: string): void;
}

export const timings: Array<{ step: string; ms: number }> = [];

/**
 * Runs one step: prints its start, a progress line at most every 10 s (or live on a terminal),
 * and its duration; turns any failure into a StepError naming the step and its log.
 */
export async function step<T>(name: string, fn: (h: StepHandle) => Promise<T>, logFile?: string): Promise<T> {
  const t0 = Date.now();
  say(`▶ ${name}${logFile ? ` (log: ${logFile})` : ''}`);
  let detail = '';
  let lastPrinted = 0;
  const ticker = setInterval(() => {
    if (isTty) process.stderr.write(`\r  … ${fmt(Date.now() - t0)} ${detail}\x1b[K`);
    else if (Date.now() - lastPrinted >= 10_000) {
      lastPrinted = Date.now();
      say(`  … ${name}: ${fmt(Date.now() - t0)} ${detail}`);
    }
  }, isTty ? 500 : 1000);
  ticker.unref();
  try {
    const result = await fn({ progress: (d) => (detail = d) });
    const ms = Date.now() - t0;
    timings.push({ step: name, ms });
    if (isTty) process.stderr.write('\r\x1b[K');
    say(`✔ ${name} (${fmt(ms)})`);
    return result;
  } catch (err) {
    if (isTty) process.stderr.write('\r\x1b[K');
    const e = err instanceof StepError ? err : new StepError(name, err instanceof Error ? err.message : String(err), logFile);
    say(`✖ ${e.step} failed after ${fmt(Date.now() - t0)}: ${e.reason}${e.logFile ? `\n  log: ${e.logFile}` : ''}`);
    throw e;
  } finally {
    clearInterval(ticker);
  }
}

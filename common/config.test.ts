import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { documentedSettings } from './config';

describe('configuration is documented', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const m of readme.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| (`[^`]*`|\(unset\)) \|/gm)) rows.set(m[1], m[2]);

  it('the README table lists every environment variable the code reads, with its default', () => {
    for (const s of documentedSettings()) {
      assert.ok(rows.has(s.name), `README lacks ${s.name}`);
      assert.equal(rows.get(s.name), s.default === '' ? '(unset)' : `\`${s.default}\``, `default of ${s.name}`);
    }
  });

  it('the README table lists no variable the code does not read', () => {
    const known = new Set(documentedSettings().map((s) => s.name));
    for (const name of rows.keys()) assert.ok(known.has(name), `README documents ${name}, which common/config.ts does not read`);
  });
});

describe('a setting that switches something off', () => {
  const zipkinUrl = (env: Record<string, string>): string => execFileSync(process.execPath,
    ['-e', "process.stdout.write(JSON.stringify(require('./config').config.tracingZipkinUrl))"],
    { cwd: __dirname, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });

  it('TRACING_ZIPKIN_URL set to empty records no spans (the chart sets it so without a Zipkin); unset, spans go to the local Zipkin', () => {
    assert.equal(JSON.parse(zipkinUrl({ TRACING_ZIPKIN_URL: '' })), '');
    assert.equal(JSON.parse(zipkinUrl({ ZIPKIN_PORT: '9555' })), 'http://127.0.0.1:9555/api/v2/spans');
  });
});

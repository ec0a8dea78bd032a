/**
 * Development SMTP sink: accepts every email on SMTP_PORT (no auth, no TLS) and keeps it, in
 * memory and appended to a JSON-lines file in the cache, so a restart loses nothing of the last day
 * (stack/smtpSinkStore.ts).
 * GET /messages on SMTP_SINK_HTTP_PORT lists them as docs/API.md ("Emails") gives:
 * [{"from", "to": [...], "subject", "text", "receivedAt"}]; `?to=address` filters by recipient.
 *
 * Two reserved test domains (RFC 2606's .invalid) get a real SMTP refusal at RCPT TO, so that
 * tests can see how the notification subscriber treats them:
 * - `…@tempfail.invalid`: 451 4.3.0, a transient failure (retried);
 * - `…@unavailable.invalid`: 550 5.1.1, a permanent one (never retried).
 *
 * And a refusal mode for every recipient, for tests of an SMTP server that refuses all mail and
 * then recovers: `PUT /refusal` with `{"mode": "tempfail"}` (451 to every RCPT TO), `"reject"`
 * (550), or `"none"` (the default: accept); `GET /refusal` says which is on.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { config } from '../common/config';
import { createLogger } from '../common/logger';
import { paths } from './paths';
import { MessageStore, type SunkMessage } from './smtpSinkStore';
import { keepIdleConnectionsOpen } from '../common/httpKeepAlive';

const log = createLogger('smtp-sink');
const store = path.join(paths.data('smtp-sink'), 'messages.jsonl');
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** The messages of the last day from the file (rewritten without the older ones). */
function load(): MessageStore {
  let text: string;
  try {
    text = fs.readFileSync(store, 'utf8');
  } catch {
    return new MessageStore();
  }
  const { store: kept, dropped } = MessageStore.fromLines(text, Date.now());
  if (dropped > 0) {
    fs.writeFileSync(store, kept.list().map((m) => `${JSON.stringify(m)}\n`).join(''));
    log.info('older messages dropped from the file', { dropped, kept: kept.list().length });
  }
  return kept;
}

fs.mkdirSync(path.dirname(store), { recursive: true });
const messages = load();

export const REFUSAL_MODES = ['none', 'tempfail', 'reject'] as const;
export type RefusalMode = (typeof REFUSAL_MODES)[number];
let refusalMode: RefusalMode = 'none';

const TEMPFAIL = { responseCode: 451, message: '4.3.0 Temporary failure: try again later' };
const REJECT = { responseCode: 550, message: '5.1.1 Mailbox unavailable' };

/** The SMTP refusal of a recipient (the refusal mode, or one of the test domains), or undefined (accepted). */
function refusalFor(address: string): { responseCode: number; message: string } | undefined {
  if (refusalMode === 'tempfail') return TEMPFAIL;
  if (refusalMode === 'reject') return REJECT;
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  if (domain === 'tempfail.invalid') return TEMPFAIL;
  if (domain === 'unavailable.invalid') return REJECT;
  return undefined;
}

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  size: MAX_MESSAGE_BYTES,
  banner: 'todo-actors development SMTP sink',
  onRcptTo(address, _session, callback) {
    const refusal = refusalFor(address.address);
    if (!refusal) return callback();
    log.info('recipient refused on purpose (test domain)', { to: address.address, code: refusal.responseCode });
    callback(Object.assign(new Error(refusal.message), { responseCode: refusal.responseCode }));
  },
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const m: SunkMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          receivedAt: new Date().toISOString(),
        };
        messages.add(m);
        fs.appendFileSync(store, `${JSON.stringify(m)}\n`);
        log.info('email received', { to: m.to, subject: m.subject });
        callback();
      })
      .catch((err: Error) => callback(err));
  },
});
smtp.on('error', (err) => log.error('smtp error', { err: String(err) }));
smtp.listen(config.smtpPort, '127.0.0.1', () => log.info('smtp sink listening', { port: config.smtpPort }));

const api = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET' && url.pathname === '/healthz') return send(200, { status: 'ok' });
  if (url.pathname === '/refusal' && req.method === 'GET') return send(200, { mode: refusalMode });
  if (url.pathname === '/refusal' && req.method === 'PUT') {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      let mode: unknown;
      try {
        mode = (JSON.parse(body) as { mode?: unknown }).mode;
      } catch {
        /* answered below */
      }
      if (!(REFUSAL_MODES as readonly unknown[]).includes(mode)) {
        return send(400, { error: { code: 'invalid_input', message: `mode must be one of ${REFUSAL_MODES.join(', ')}`, details: [{ field: 'mode', message: 'unknown mode' }] } });
      }
      refusalMode = mode as RefusalMode;
      log.info('refusal mode set', { mode: refusalMode });
      send(200, { mode: refusalMode });
    });
    return;
  }
  if (req.method === 'GET' && url.pathname === '/messages') {
    return send(200, messages.list(url.searchParams.get('to') || undefined));
  }
  send(404, { error: { code: 'not_found', message: 'GET /messages lists the emails', details: [] } });
});
keepIdleConnectionsOpen(api).listen(config.smtpSinkHttpPort, '127.0.0.1', () => log.info('smtp sink api listening', { port: config.smtpSinkHttpPort }));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    smtp.close(() => undefined);
    api.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}

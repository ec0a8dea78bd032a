/**
 * Development SMTP sink: accepts every email on SMTP_PORT (no auth, no TLS) and keeps it, in
 * memory and appended to a JSON-lines file in the cache, so a restart loses nothing.
 * GET /messages on SMTP_SINK_HTTP_PORT lists them as CONTRACT.md §2 gives:
 * [{"from", "to": [...], "subject", "text", "receivedAt"}]; `?to=address` filters by recipient.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { config } from '../common/config';
import { createLogger } from '../common/logger';
import { paths } from './paths';

export interface SunkMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

const log = createLogger('smtp-sink');
const store = path.join(paths.data('smtp-sink'), 'messages.jsonl');
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

function load(): SunkMessage[] {
  try {
    return fs.readFileSync(store, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SunkMessage);
  } catch {
    return [];
  }
}

const messages = load();
fs.mkdirSync(path.dirname(store), { recursive: true });

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  size: MAX_MESSAGE_BYTES,
  banner: 'todo-actors development SMTP sink',
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
        messages.push(m);
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
  if (req.method === 'GET' && url.pathname === '/messages') {
    const to = url.searchParams.get('to')?.toLowerCase();
    return send(200, to ? messages.filter((m) => m.to.some((t) => t.toLowerCase() === to)) : messages);
  }
  send(404, { error: { code: 'not_found', message: 'GET /messages lists the emails', details: [] } });
});
api.listen(config.smtpSinkHttpPort, '127.0.0.1', () => log.info('smtp sink api listening', { port: config.smtpSinkHttpPort }));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    smtp.close(() => undefined);
    api.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}

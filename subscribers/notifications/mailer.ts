/** The SMTP side: a nodemailer transport turned into the SendFn the delivery policy calls. */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { SMTP_TLS_MODES } from '../../common/config';
import type { SendFn } from './deliveryPolicy';

export interface SmtpSettings {
  host: string;
  port: number;
  from: string;
  /** none: plain SMTP (the local sink); starttls: upgrade required; tls: implicit TLS. */
  tls?: (typeof SMTP_TLS_MODES)[number];
  user?: string;
  password?: string;
  /** SMTP connections kept open; sends beyond that many wait in the transport's queue. */
  connections: number;
}

/**
 * Timeouts are short and explicit (nodemailer's socket default is 10 minutes) so that one send
 * always ends well inside the claim lease of notificationStore: a claim older than the lease can
 * then only belong to a process that died.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 } as const;

export interface SmtpSender {
  send: SendFn;
  close: () => void;
}

/** nodemailer's connection options: the local sink offers neither TLS nor auth; a production relay both. */
export function smtpTransportOptions(s: SmtpSettings): SMTPTransport.Options {
  const tls = s.tls ?? 'none';
  return {
    host: s.host,
    port: s.port,
    secure: tls === 'tls',
    ignoreTLS: tls === 'none',
    requireTLS: tls === 'starttls',
    ...(s.user ? { auth: { user: s.user, pass: s.password ?? '' } } : {}),
    ...SMTP_TIMEOUTS,
  };
}

export function createSmtpSender(s: SmtpSettings): SmtpSender {
  // A pool of connections, each reused for up to 1,000 messages: one TCP and SMTP handshake per
  // connection instead of per email, and `connections` emails on their way at once.
  const transport = nodemailer.createTransport({ ...smtpTransportOptions(s), pool: true, maxConnections: s.connections, maxMessages: 1000 });
  return {
    send: async (mail) => {
      // An explicit envelope: the SMTP recipients are exactly this one address, whatever the headers say.
      const info = await transport.sendMail({ from: s.from, to: mail.to, subject: mail.subject, text: mail.text, envelope: { from: s.from, to: [mail.to] } });
      if (info.rejected.length > 0 || info.accepted.length === 0) {
        throw Object.assign(new Error(`recipient rejected: ${String(info.response ?? '')}`), { code: 'EENVELOPE' });
      }
      return { acceptedAt: new Date() };
    },
    close: () => transport.close(),
  };
}

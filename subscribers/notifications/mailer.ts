/** The SMTP side: a nodemailer transport turned into the SendFn the delivery policy calls. */
import nodemailer from 'nodemailer';
import type { SendFn } from './deliveryPolicy';

export interface SmtpSettings {
  host: string;
  port: number;
  from: string;
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

export function createSmtpSender(s: SmtpSettings): SmtpSender {
  // No auth and no TLS: the local sink offers neither; a production relay would add them here.
  // A pool of connections, each reused for up to 1,000 messages: one TCP and SMTP handshake per
  // connection instead of per email, and `connections` emails on their way at once.
  const transport = nodemailer.createTransport({
    host: s.host, port: s.port, secure: false, ignoreTLS: true, pool: true, maxConnections: s.connections, maxMessages: 1000, ...SMTP_TIMEOUTS,
  });
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

/** Health checks of the stack's processes. Each resolves true when the process serves its purpose. */
import net from 'node:net';
import { Client } from 'pg';
import type { KafkaConfig } from 'kafkajs';
import { createKafka } from '../common/kafka';
import { createLogger } from '../common/logger';

const quietLog = createLogger('stack-health');

export type HealthCheck =
  | { kind: 'http'; url: string }
  | { kind: 'tcp'; port: number }
  | { kind: 'postgres'; port: number }
  | { kind: 'kafka'; brokers: string[]; security: Pick<KafkaConfig, 'ssl' | 'sasl'> };

export function describe(h: HealthCheck): string {
  switch (h.kind) {
    case 'http': return h.url;
    case 'tcp': return `tcp 127.0.0.1:${h.port}`;
    case 'postgres': return `postgres 127.0.0.1:${h.port}`;
    case 'kafka': return `kafka ${h.brokers.join(',')}`;
  }
}

function tcpOpen(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export async function portInUse(port: number): Promise<boolean> {
  return tcpOpen(port, 500);
}

export async function check(h: HealthCheck): Promise<boolean> {
  try {
    switch (h.kind) {
      case 'tcp':
        return await tcpOpen(h.port);
      case 'http': {
        const res = await fetch(h.url, { signal: AbortSignal.timeout(2000) });
        return res.status >= 200 && res.status < 300;
      }
      case 'postgres': {
        if (!(await tcpOpen(h.port))) return false;
        const c = new Client({ host: '127.0.0.1', port: h.port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2000 });
        await c.connect();
        try {
          await c.query('SELECT 1');
        } finally {
          await c.end();
        }
        return true;
      }
      case 'kafka': {
        const port = Number(h.brokers[0].split(':')[1]);
        if (!(await tcpOpen(port))) return false;
        const admin = createKafka('stack-health', quietLog, { security: h.security, quiet: true, retry: { retries: 0 }, connectionTimeout: 2000 }).admin();
        await admin.connect();
        try {
          const cluster = await admin.describeCluster();
          return cluster.brokers.length > 0 && cluster.controller !== null;
        } finally {
          await admin.disconnect();
        }
      }
    }
  } catch {
    return false;
  }
}

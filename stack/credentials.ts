/**
 * The local stack's credentials, made once per data directory (random, 32 bytes each) and kept in
 * TODO_CACHE_DIR/data/credentials.json (mode 0600) next to the data they protect: per service,
 * Dapr's app token and API token (common/daprAccess.ts) and its Kafka user's password; Kafka's
 * admin (a super user of the local broker only: the stack makes the ACLs with it, and tests act as
 * the operator with it). The stack hands them to the processes as environment variables; tests
 * read them here (stack/testSupport.ts), so nobody sets them by hand.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { paths } from './paths';

export const SERVICES = ['gateway', 'actors', 'subscribers'] as const;
export type Service = (typeof SERVICES)[number];

export interface ServiceCredentials {
  /** APP_API_TOKEN: what the service's daprd sends the app. */
  appToken: string;
  /** DAPR_API_TOKEN: what the app sends its daprd. */
  daprToken: string;
  /** KAFKA_SASL_PASSWORD of its Kafka user (named by its app id: common/kafkaAcls.ts). */
  kafkaPassword: string;
}

export type StackCredentials = Record<Service, ServiceCredentials> & { kafkaAdmin: { username: string; password: string } };

const secret = () => randomBytes(32).toString('base64url');

function fresh(): StackCredentials {
  const services = Object.fromEntries(SERVICES.map((s) => [s, { appToken: secret(), daprToken: secret(), kafkaPassword: secret() }]));
  return { ...services, kafkaAdmin: { username: 'todo-admin', password: secret() } } as StackCredentials;
}

function isComplete(c: unknown): c is StackCredentials {
  return typeof c === 'object' && c !== null
    && SERVICES.every((s) => ['appToken', 'daprToken', 'kafkaPassword'].every((k) => typeof ((c as StackCredentials)[s] as unknown as Record<string, unknown>)?.[k] === 'string'))
    && typeof (c as StackCredentials).kafkaAdmin?.password === 'string';
}

let cached: StackCredentials | undefined;

export function credentialsFile(): string {
  return paths.data('credentials.json');
}

/** The stack's credentials, made on first use. */
export function stackCredentials(): StackCredentials {
  if (cached) return cached;
  const file = credentialsFile();
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (isComplete(c)) return (cached = c);
  } catch {
    /* not made yet */
  }
  const c = fresh();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(c, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
  return (cached = c);
}

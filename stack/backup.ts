/**
 * `npm run backup [-- FILE]` and `npm run restore -- FILE` for the local stack: PostgreSQL's own
 * tools (pg_dump's custom format, pg_restore). A restore never loses data silently: it reads the
 * events Kafka still holds from the dump's recovery point on, and reports every one the restored
 * database does not have (its tasks and users) as lost, in its summary and in FILE.lost.json.
 *
 * After the restore, before the services start again:
 * - reminder_schedule rows that should be covered by their user's alarm in Dapr (active) or
 *   deleted (cancelled) are marked unsynced, so the actor host's reconciler registers each user's
 *   alarm again at the earliest active reminder (actors/userAlarms.ts; an alarm left in Dapr from
 *   before only fires early and finds nothing due) and deletes the cancelled ones; done tasks have
 *   no active rows, so nothing is registered for them;
 * - a reminder whose `reminder.due` Kafka holds from after the recovery point is marked fired, so
 *   the reconciler does not fire it a second time;
 * - the outbox's seq is moved past every position Kafka has seen, so new events never reuse a
 *   position that devices and the gateway already know (the stream's order, gateway/stream/README.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { capture } from './capture';
import { asSuperuser, sqlIdent } from './postgresAdmin';
import { config } from '../common/config';
import { createKafka } from '../common/kafka';
import { createLogger } from '../common/logger';
import { SEQ_HEADER, TOPICS } from '../common/events/envelope';
import { postgresBinDir } from './install/postgres';
import { paths } from './paths';
import { isAlive, stopProcess } from './processes';
import { say, StepError } from './progress';
import { up } from './stack';
import { readState } from './stackState';

export interface KafkaEvent {
  eventId: string;
  type: string;
  userId: string;
  taskId: string | null;
  seq: number | undefined;
  time: string;
  /** reminder.due: the reminder's schedule name parts. */
  reminder?: { reminderId: string; occurrence: number };
}

export interface LostReport {
  recoveryPoint: string;
  scannedEvents: number;
  lostEvents: number;
  lostByType: Record<string, number>;
  lostTasks: string[];
  users: string[];
  /** reminder.due events after the recovery point: their reminders are marked fired, not fired again. */
  firedAfterRecoveryPoint: number;
  maxSeq: number;
}

/** Which of the events Kafka holds (from the recovery point on) the restored database lacks. Pure. */
export function lostReport(recoveryPoint: string, events: KafkaEvent[], known: Set<string>): LostReport {
  const lost = events.filter((e) => !known.has(e.eventId));
  const byType: Record<string, number> = {};
  for (const e of lost) byType[e.type] = (byType[e.type] ?? 0) + 1;
  return {
    recoveryPoint, scannedEvents: events.length, lostEvents: lost.length, lostByType: byType,
    lostTasks: [...new Set(lost.filter((e) => e.taskId).map((e) => `${e.userId}/${e.taskId}`))].sort(),
    users: [...new Set(lost.map((e) => e.userId))].sort(),
    firedAfterRecoveryPoint: lost.filter((e) => e.type === 'reminder.due').length,
    maxSeq: Math.max(0, ...events.map((e) => e.seq ?? 0)),
  };
}

function pgBin(tool: 'pg_dump' | 'pg_restore'): string {
  const dir = postgresBinDir();
  if (!dir) throw new StepError(tool, 'no PostgreSQL binaries found (npm run stack -- up installs them)');
  return path.join(dir, tool);
}

function pgPort(): number {
  const s = readState();
  const pg = s?.processes.find((p) => p.name === 'postgres');
  if (!s || !pg || !isAlive(pg)) throw new StepError('reaching PostgreSQL', 'the local stack does not run PostgreSQL: npm run stack -- up');
  return s.pgPort;
}

/**
 * Runs pg_dump or pg_restore and answers its output. Asynchronous on purpose: a dump of a large
 * database takes seconds, and an event loop blocked that long cannot retire the HTTP keep-alive
 * sockets the servers close meanwhile, so the caller's next request would go out on a closed one.
 */
async function run(cmd: string, args: string[]): Promise<string> {
  const r = await capture(cmd, args, { cwd: process.cwd(), env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new StepError(`${path.basename(cmd)} ${args.filter((a) => !a.startsWith('-')).slice(-1)[0] ?? ''}`, `exited with ${r.status}: ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return r.stdout;
}

/** The instant pg_dump's snapshot was taken, from the archive's header ("Archive created at …"). */
export function archiveCreatedAt(listing: string): string {
  const m = /^;\s+Archive created at (.+)$/m.exec(listing);
  if (!m) throw new Error('not a pg_dump custom-format archive (no "Archive created at" in its listing)');
  const d = new Date(m[1].trim().replace(/ ([A-Z]{3,4})$/, (_, z: string) => (z === 'UTC' ? 'Z' : ` ${z}`)).replace(' ', 'T'));
  if (Number.isNaN(d.getTime())) throw new Error(`cannot read the archive's time ${JSON.stringify(m[1])}`);
  return d.toISOString();
}

export async function backup(file?: string): Promise<{ file: string; recoveryPoint: string; bytes: number }> {
  const port = pgPort();
  const out = path.resolve(file ?? path.join(config.cacheDir, 'backups', `todo-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.dump`));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await run(pgBin('pg_dump'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', config.pgDatabase, '-Fc', '-f', out]);
  const recoveryPoint = archiveCreatedAt(await run(pgBin('pg_restore'), ['-l', out]));
  return { file: out, recoveryPoint, bytes: fs.statSync(out).size };
}

/** Every event Kafka holds from `since` on, on the topics events are published to. */
async function eventsSince(since: Date): Promise<KafkaEvent[]> {
  const log = createLogger('restore');
  const kafka = createKafka('todo-restore', log);
  const admin = kafka.admin();
  await admin.connect();
  const out: KafkaEvent[] = [];
  try {
    for (const topic of [TOPICS.taskEvents, TOPICS.reminders]) {
      const from = await admin.fetchTopicOffsetsByTimestamp(topic, since.getTime());
      const ends = await admin.fetchTopicOffsets(topic);
      // The first offset at or after `since` per partition; -1 (nothing that recent) means none to read.
      const startOf = (partition: number, high: string) => {
        const o = Number(from.find((f) => f.partition === partition)?.offset ?? -1);
        return o < 0 ? Number(high) : o;
      };
      const todo = ends.filter((e) => Number(e.high) > startOf(e.partition, e.high));
      if (todo.length === 0) continue;
      const groupId = `todo-restore-${process.pid}-${Date.now()}`;
      const consumer = kafka.consumer({ groupId });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const remaining = new Map(todo.map((e) => [e.partition, Number(e.high)]));
      let done!: () => void;
      const finished = new Promise<void>((resolve) => { done = resolve; });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          if (Number(message.timestamp) >= since.getTime()) {
            try {
              const e = JSON.parse(String(message.value)) as { eventId: string; type: string; userId: string; taskId?: string; time: string; data?: { reminderId?: string; occurrence?: number } };
              const seq = message.headers?.[SEQ_HEADER];
              out.push({
                eventId: e.eventId, type: e.type, userId: e.userId, taskId: e.taskId ?? null, time: e.time, seq: seq === undefined ? undefined : Number(String(seq)),
                reminder: e.type === 'reminder.due' && e.data?.reminderId ? { reminderId: e.data.reminderId, occurrence: Number(e.data.occurrence) } : undefined,
              });
            } catch {
              /* not one of our events */
            }
          }
          if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
          if (remaining.size === 0) done();
        },
      });
      // Applied on the next fetch (kafkajs: seek after run).
      for (const e of todo) consumer.seek({ topic, partition: e.partition, offset: String(startOf(e.partition, e.high)) });
      const timer = setTimeout(() => done(), 120_000);
      await finished;
      clearTimeout(timer);
      if (remaining.size) log.warn('restore: Kafka did not deliver every event up to its end offsets within 2 min; the lost-data report may be short', { topic });
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  } finally {
    await admin.disconnect();
  }
  return out;
}

export interface RestoreSummary extends LostReport {
  file: string;
  tasks: number;
  activeReminders: number;
  lostFile: string;
}

/**
 * Replaces the stack's database by the dump: stops the services (they hold connections), drops
 * and recreates the database, restores, reconciles reminders and the outbox's seq with what Kafka
 * saw after the recovery point, starts the services again, and reports what was lost.
 */
export async function restore(file: string): Promise<RestoreSummary> {
  const dump = path.resolve(file);
  if (!fs.existsSync(dump)) throw new StepError('restore', `no such file: ${dump}`);
  const recoveryPoint = archiveCreatedAt(await run(pgBin('pg_restore'), ['-l', dump]));
  const port = pgPort();
  const apps = (readState()?.processes ?? []).filter((p) => p.group === 'app' && isAlive(p));
  await Promise.all(apps.map((p) => stopProcess(p, 'SIGTERM', 15_000)));
  await asSuperuser(port, 'postgres', async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${sqlIdent(config.pgDatabase)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${sqlIdent(config.pgDatabase)} OWNER ${sqlIdent(config.pgUser)}`);
  });
  await run(pgBin('pg_restore'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', config.pgDatabase, '--exit-on-error', '--single-transaction', dump]);

  const events = await eventsSince(new Date(Date.parse(recoveryPoint) - 60_000)); // a minute before: producers' clocks and batching
  const summary = await asSuperuser(port, config.pgDatabase, async (c) => {
    const ids = events.map((e) => e.eventId);
    const known = new Set((await c.query<{ id: string }>(
      'SELECT event_id::text AS id FROM outbox WHERE event_id = ANY($1::uuid[]) UNION SELECT event_id::text FROM audit_log WHERE event_id = ANY($1::uuid[])', [ids])).rows.map((r) => r.id));
    const report = lostReport(recoveryPoint, events, known);
    await c.query('BEGIN');
    for (const e of events.filter((x) => x.type === 'reminder.due' && x.reminder && !known.has(x.eventId))) {
      await c.query(
        "UPDATE reminder_schedule SET state = 'fired', synced = true WHERE user_id = $1 AND task_id = $2 AND reminder_id = $3 AND occurrence = $4 AND state = 'active'",
        [e.userId, e.taskId, e.reminder!.reminderId, e.reminder!.occurrence],
      );
    }
    await c.query("UPDATE reminder_schedule SET synced = false, changed_at = date_trunc('milliseconds', now()) WHERE state IN ('active', 'cancelled')");
    await c.query("SELECT setval(pg_get_serial_sequence('outbox', 'seq'), GREATEST((SELECT coalesce(max(seq), 0) FROM outbox), $1::bigint, 1))", [report.maxSeq]);
    await c.query('COMMIT');
    const tasks = Number((await c.query('SELECT count(*) AS n FROM tasks')).rows[0].n);
    const activeReminders = Number((await c.query("SELECT count(*) AS n FROM reminder_schedule WHERE state = 'active'")).rows[0].n);
    const lostFile = `${dump}.lost.json`;
    fs.writeFileSync(lostFile, `${JSON.stringify({ recoveryPoint, lostByType: report.lostByType, tasks: report.lostTasks, users: report.users,
      events: events.filter((e) => !known.has(e.eventId)) }, null, 2)}\n`);
    return { ...report, file: dump, tasks, activeReminders, lostFile };
  });
  await up();
  return summary;
}

export function printRestoreSummary(s: RestoreSummary): void {
  say(`restored ${s.file}`);
  say(`recovery point: ${s.recoveryPoint} (the moment pg_dump took its snapshot): ${s.tasks} tasks, ${s.activeReminders} active reminders (re-registered in Dapr by the actor host)`);
  if (s.lostEvents === 0) {
    say(`nothing lost: Kafka holds ${s.scannedEvents} events from around the recovery point on, and the restored database has every one of them`);
  } else {
    say(`LOST: ${s.lostEvents} events written after the recovery point are not in the restored database (${Object.entries(s.lostByType).map(([t, n]) => `${n} ${t}`).join(', ')}),`);
    say(`      about ${s.lostTasks.length} tasks of ${s.users.length} users; ${s.firedAfterRecoveryPoint} reminders that fired after it are marked fired, not fired again`);
    say(`      the list: ${s.lostFile}`);
  }
}

export function printBackup(b: { file: string; recoveryPoint: string; bytes: number }): void {
  say(`backup ${b.file} (${(b.bytes / 1024).toFixed(0)} KiB, pg_dump custom format)`);
  say(`recovery point: ${b.recoveryPoint}: a restore of this file brings back what was committed before it; later writes would be lost (and reported)`);
  say(`restore: npm run restore -- ${b.file}`);
}

export const backupDir = () => path.join(paths.cache, 'backups');

/**
 * What a chaos scenario found: the load's ledger set against PostgreSQL (tasks, outbox, reminder
 * schedule), the audit trail, the SMTP sink and what each device received. `observe` reads the
 * stores; `judge` is the pure verdict, unit-tested in checks.test.ts.
 */
import type { Pool } from 'pg';
import { config } from '../../common/config';
import type { LoadResult, Write } from './load';
import { retryable } from './load';

/** A reminder this late after the fault healed (or after its time, if later) counts as late. */
export const LATE_AFTER_HEAL_MS = 10_000;
/** A completion or deletion acknowledged at least this long before a reminder's time must stop its email (closer, it races the firing). */
export const RACE_MARGIN_MS = 1000;

export interface StoredTask { user_id: string; id: string; title: string; status: string; occurrence: number }
export interface StoredEvent { event_id: string; user_id: string; type: string; task_id: string | null; event_time?: Date; fired_at?: Date | null }
export interface Email { to: string[]; subject: string; receivedAt: string }

export interface Observed {
  load: LoadResult;
  faultAt: number;
  /** When the fault healed; for a fault never healed, when it was injected (lateness and recovery count from there). */
  healedAt: number;
  /** The end of the window of "requests during the fault": the healing, or the load's end for a fault never healed. */
  faultEndsAt?: number;
  tasks: StoredTask[];
  outbox: StoredEvent[];
  audit: StoredEvent[];
  emails: Email[];
  collateral: string[];
}

export interface Verdict {
  ackedWrites: number;
  lost: number;
  doubled: number;
  auditMissing: number;
  deviceMissing: number;
  remindersExpected: number;
  neverFired: number;
  firedTwice: number;
  emailsForDone: number;
  /** Reminders that fired (their reminder.due's firedAt) more than 10 s after their time or the healing, whichever is later. */
  lateAfterHeal: number;
  maxLateAfterHealS: number;
  /** The same for the emails (the SMTP sink's receipt): a figure, with the notification pipeline's own delay in it. */
  emailsLateAfterHeal: number;
  maxEmailLateAfterHealS: number;
  /** Creates acknowledged after their reminder's time (a retry ran past it): the rule (actors/taskRules.ts) fires them at once, late; counted, and expected to fire. */
  acceptedPastTime: number;
  requestsDuringFault: number;
  errorRateDuringFault: number;
  fiveXxDuringFault: number;
  noAnswerDuringFault: number;
  /** From the fault's healing (or its injection, when it is never healed) to the end of the last failed request; 0 when none failed after it. */
  recoverS: number;
  collateralExits: string[];
  /** Details for the report, at most a few of each. */
  examples: Record<string, string[]>;
}

/** The numbers whose goal is zero. */
export const ZERO_GOALS = ['lost', 'doubled', 'auditMissing', 'deviceMissing', 'neverFired', 'firedTwice', 'emailsForDone', 'lateAfterHeal'] as const;

const isCreate = (w: Write) => w.op.startsWith('create');

export function judge(o: Observed): Verdict {
  const ex: Record<string, string[]> = {};
  const note = (k: string, s: string) => {
    const list = (ex[k] ??= []);
    if (list.length < 5) list.push(s);
  };
  const tasksById = new Map(o.tasks.map((t) => [`${t.user_id}/${t.id}`, t]));
  const writes = o.load.writes;
  const acked = writes.filter((w) => w.acked);

  let lost = 0;
  // A created task that the load then tried to delete (acknowledged or not: a delete may commit unanswered) may be gone.
  const deleteTried = new Set(writes.filter((w) => w.op === 'deleteDoomed').map((w) => `${w.user}/${w.taskId}`));
  for (const w of acked) {
    const t = tasksById.get(`${w.user}/${w.taskId}`);
    const ok = isCreate(w) ? !!t || deleteTried.has(`${w.user}/${w.taskId}`) : w.op === 'deleteDoomed' ? !t : t?.status === 'completed';
    if (!ok) {
      lost++;
      note('lost', `${w.op} ${w.title} (${w.taskId})`);
    }
  }

  // Applied twice: a create (one title, one Idempotency-Key) stored as more than one task, or an event of a write recorded twice.
  let doubled = 0;
  const byTitle = new Map<string, number>();
  for (const t of o.tasks) if (t.occurrence === 1) byTitle.set(`${t.user_id}/${t.title}`, (byTitle.get(`${t.user_id}/${t.title}`) ?? 0) + 1);
  for (const w of writes.filter(isCreate)) {
    const n = byTitle.get(`${w.user}/${w.title}`) ?? 0;
    if (n > 1) {
      doubled += n - 1;
      note('doubled', `${n} tasks titled ${w.title}`);
    }
  }
  const perTaskType = new Map<string, number>();
  for (const e of o.audit) {
    if (!['task.created', 'task.completed', 'task.deleted'].includes(e.type)) continue;
    const k = `${e.user_id}/${e.task_id}/${e.type}`;
    perTaskType.set(k, (perTaskType.get(k) ?? 0) + 1);
  }
  for (const [k, n] of perTaskType) if (n > 1) {
    doubled += n - 1;
    note('doubled', `${n}× ${k}`);
  }

  // Events missing from the audit: every outbox event, and every acknowledged write's own event.
  const audited = new Set(o.audit.map((e) => e.event_id));
  const missing = new Set<string>();
  for (const e of o.outbox) if (!audited.has(e.event_id)) {
    missing.add(e.event_id);
    note('auditMissing', `${e.type} ${e.task_id}`);
  }
  const auditedKinds = new Set(o.audit.map((e) => `${e.user_id}/${e.task_id}/${e.type}`));
  const outboxKinds = new Set(o.outbox.map((e) => `${e.user_id}/${e.task_id}/${e.type}`)); // counted above, by event id
  const eventOf = (w: Write) => (isCreate(w) ? 'task.created' : w.op === 'deleteDoomed' ? 'task.deleted' : 'task.completed');
  for (const w of acked) {
    const k = `${w.user}/${w.taskId}/${eventOf(w)}`;
    if (!auditedKinds.has(k) && !outboxKinds.has(k)) {
      missing.add(k);
      note('auditMissing', `no ${eventOf(w)} for ${w.title}`);
    }
  }

  // Events missing from a device: every audited event of its user from its first connection on.
  let deviceMissing = 0;
  for (const d of o.load.devices) {
    for (const e of o.audit) {
      if (e.user_id !== d.user || !e.event_time || e.event_time.getTime() < d.firstConnectedAt) continue;
      if (!d.received.has(e.event_id)) {
        deviceMissing++;
        note('deviceMissing', `device ${d.user}#${d.index} lacks ${e.type} ${e.task_id}`);
      }
    }
  }

  // Reminders: each expected one fired once (one reminder.due, one email), none for a task done before its time.
  const dueByTask = new Map<string, number>();
  const firedAt = new Map<string, number>();
  for (const e of o.audit) if (e.type === 'reminder.due') {
    const k = `${e.user_id}/${e.task_id}`;
    dueByTask.set(k, (dueByTask.get(k) ?? 0) + 1);
    const t = (e.fired_at ?? e.event_time)?.getTime();
    if (t !== undefined) firedAt.set(k, Math.min(t, firedAt.get(k) ?? Infinity));
  }
  const emailsBySubject = new Map<string, Email[]>();
  for (const m of o.emails) for (const to of m.to) {
    const k = `${to.toLowerCase()}/${m.subject}`;
    emailsBySubject.set(k, [...(emailsBySubject.get(k) ?? []), m]);
  }
  const emailOf = new Map(o.load.users.map((u) => [u.id, u.email.toLowerCase()]));
  const finishes = new Map<string, Write>();
  for (const w of writes) if (w.op === 'deleteDoomed' || w.op === 'completeDoomed') finishes.set(`${w.user}/${w.taskId}`, w);
  let remindersExpected = 0, neverFired = 0, firedTwice = 0, emailsForDone = 0, lateAfterHeal = 0, acceptedPastTime = 0, maxLate = 0, emailsLate = 0, maxEmailLate = 0;
  for (const w of acked.filter((x) => x.reminderAt !== undefined)) {
    const mails = emailsBySubject.get(`${emailOf.get(w.user)}/Reminder: ${w.title}`) ?? [];
    const fin = finishes.get(`${w.user}/${w.taskId}`);
    if (fin) {
      if (fin.acked && fin.ackedAt! < w.reminderAt! - RACE_MARGIN_MS && mails.length > 0) {
        emailsForDone += mails.length;
        note('emailsForDone', `${fin.op} ${w.title}, then ${mails.length} email(s)`);
      }
      continue; // done (or being done) before its time: not expected to fire
    }
    if (w.ackedAt! > w.reminderAt!) {
      acceptedPastTime++;
      note('acceptedPastTime', `${w.title}: acknowledged ${w.ackedAt! - w.reminderAt!} ms after its reminder's time`);
    }
    remindersExpected++;
    const dues = dueByTask.get(`${w.user}/${w.taskId}`) ?? 0;
    if (dues === 0 || mails.length === 0) {
      neverFired++;
      note('neverFired', `${w.title} (${dues} reminder.due, ${mails.length} emails)`);
      continue;
    }
    if (dues > 1 || mails.length > 1) {
      firedTwice++;
      note('firedTwice', `${w.title} (${dues} reminder.due, ${mails.length} emails)`);
    }
    const from = Math.max(w.reminderAt!, o.healedAt, w.ackedAt!);
    const late = firedAt.get(`${w.user}/${w.taskId}`)! - from;
    maxLate = Math.max(maxLate, late);
    if (late > LATE_AFTER_HEAL_MS) {
      lateAfterHeal++;
      note('lateAfterHeal', `${w.title}: fired ${(late / 1000).toFixed(1)} s late`);
    }
    const mailLate = Math.min(...mails.map((m) => Date.parse(m.receivedAt))) - from;
    maxEmailLate = Math.max(maxEmailLate, mailLate);
    if (mailLate > LATE_AFTER_HEAL_MS) emailsLate++;
  }

  const during = o.load.attempts.filter((a) => a.startedAt >= o.faultAt && a.startedAt <= (o.faultEndsAt ?? o.healedAt));
  const failed = (s: number) => retryable(s);
  const afterFault = o.load.attempts.filter((a) => a.startedAt >= o.faultAt && failed(a.status));
  const lastFailure = afterFault.reduce((m, a) => Math.max(m, a.endedAt), 0);
  return {
    ackedWrites: acked.length, lost, doubled, auditMissing: missing.size, deviceMissing, remindersExpected, neverFired, firedTwice,
    emailsForDone, lateAfterHeal, maxLateAfterHealS: Math.max(0, maxLate) / 1000, emailsLateAfterHeal: emailsLate, maxEmailLateAfterHealS: Math.max(0, maxEmailLate) / 1000, acceptedPastTime,
    requestsDuringFault: during.length,
    errorRateDuringFault: during.length ? during.filter((a) => failed(a.status)).length / during.length : 0,
    fiveXxDuringFault: during.filter((a) => a.status >= 500).length,
    noAnswerDuringFault: during.filter((a) => a.status === 0).length,
    recoverS: lastFailure > o.healedAt ? (lastFailure - o.healedAt) / 1000 : 0,
    collateralExits: o.collateral,
    examples: ex,
  };
}

/** True while something the load did may still be on its way (events not audited yet, reminders not due or not emailed yet). */
export function stillSettling(v: Verdict, o: Observed, now: number): boolean {
  const lastReminder = Math.max(0, ...o.load.writes.filter((w) => w.acked && w.reminderAt).map((w) => w.reminderAt!));
  return now < lastReminder + 3000 || v.auditMissing > 0 || v.deviceMissing > 0 || v.neverFired > 0;
}

export async function observe(pool: Pool, load: LoadResult, faultAt: number, healedAt: number, collateral: string[], faultEndsAt?: number): Promise<Observed> {
  const users = load.users.map((u) => u.id);
  const tasks = (await pool.query<StoredTask>('SELECT user_id, id, title, status, occurrence FROM tasks WHERE user_id = ANY($1)', [users])).rows;
  const outbox = (await pool.query<StoredEvent>(
    "SELECT event_id, user_id, payload->>'type' AS type, payload->>'taskId' AS task_id FROM outbox WHERE user_id = ANY($1)", [users])).rows;
  const audit = (await pool.query<StoredEvent>(
    "SELECT event_id, user_id, type, task_id, event_time, (event->'data'->>'firedAt')::timestamptz AS fired_at FROM audit_log WHERE user_id = ANY($1)", [users])).rows;
  const emails: Email[] = [];
  for (const u of load.users) {
    const res = await fetch(`http://127.0.0.1:${config.smtpSinkHttpPort}/messages?to=${encodeURIComponent(u.email)}`, { signal: AbortSignal.timeout(10_000) });
    emails.push(...((await res.json()) as Email[]));
  }
  return { load, faultAt, healedAt, faultEndsAt, tasks, outbox, audit, emails, collateral };
}

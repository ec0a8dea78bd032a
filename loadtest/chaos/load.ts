/**
 * The steady mixed load of a chaos scenario: a few users, each with one sequential writer and two
 * WebSocket devices, at a paced rate, for a bounded time and a bounded number of operations,
 * against the gateway on loopback only. Every write carries what a careful client sends (an
 * Idempotency-Key on creates) and is retried on a 5xx or a broken connection, as a client would;
 * the ledger records what was acknowledged, so the checks can ask the stores what became of it.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { config } from '../../common/config';
import { signDevToken } from '../../gateway/auth';

/** One HTTP attempt, for the error rate: when it started and ended, and its status (0: no answer). */
export interface Attempt {
  op: OpKind;
  startedAt: number;
  endedAt: number;
  status: number;
}

export type OpKind = 'create' | 'createReminder' | 'createDoomed' | 'createRecurring' | 'completeRecurring' | 'completeDoomed' | 'deleteDoomed' | 'list';

/** A write the load tried, and what the client was finally told. */
export interface Write {
  user: string;
  op: OpKind;
  /** Unique per write: the created task's title, or the target's title for a complete or delete. */
  title: string;
  taskId?: string;
  /** The reminder's `at` for creates with one. */
  reminderAt?: number;
  /** True once the client got its 2xx (or, for a retried delete, the 404 saying it was done). */
  acked: boolean;
  ackedAt?: number;
  startedAt: number;
  /** For a recurring completion: the next occurrence the answer named. */
  nextId?: string;
}

export interface DeviceRecord {
  user: string;
  index: number;
  firstConnectedAt: number;
  received: Set<string>;
  reconnects: number;
  /** stream.resync frames: the server could not replay (reason → count). */
  resyncs: Record<string, number>;
}

export interface LoadOptions {
  users: number;
  /** Operations per second per user (each user's writer is sequential; a slow answer slows it). */
  ratePerUser: number;
  /** How long the load runs, from start. */
  durationMs: number;
  /** At most this many operations per user, whatever the duration. */
  maxOpsPerUser: number;
  /** A reminder's `at` is this far ahead of its create, uniformly in [min, max]. */
  reminderLeadMs: [number, number];
  /** Doomed tasks (completed or deleted before their reminder): their reminder this far ahead. */
  doomedLeadMs: number;
  /** A client gives up retrying one write after this long. */
  retryForMs: number;
  label: string;
}

export const DEFAULT_LOAD: LoadOptions = {
  users: 6, ratePerUser: 2, durationMs: 60_000, maxOpsPerUser: 400, reminderLeadMs: [12_000, 40_000], doomedLeadMs: 45_000,
  retryForMs: 45_000, label: 'chaos',
};

export interface LoadResult {
  startedAt: number;
  endedAt: number;
  users: { id: string; email: string }[];
  writes: Write[];
  attempts: Attempt[];
  devices: DeviceRecord[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const base = () => `http://127.0.0.1:${config.gatewayPort}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the gateway's JSON, read by field where used
interface Answer { status: number; body: any }

async function http(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  try {
    const res = await fetch(`${base()}${path}`, {
      method, signal: AbortSignal.timeout(15_000),
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep the text */
    }
    return { status: res.status, body: parsed };
  } catch {
    return { status: 0, body: undefined };
  }
}

/** Whether a client retries this answer: no answer, a 5xx, or a 429. */
export const retryable = (status: number): boolean => status === 0 || status >= 500 || status === 429;

/** One user's devices: each reconnects after a drop, asking for what it missed (?after= its last event, else ?since= its first connect). */
class Devices {
  readonly records: DeviceRecord[];
  private readonly sockets: (WebSocket | undefined)[] = [];
  private readonly lastEventId: (string | undefined)[] = [];
  private stopped = false;

  constructor(private readonly user: string, private readonly token: string, count: number) {
    this.records = Array.from({ length: count }, (_, index) => ({ user, index, firstConnectedAt: 0, received: new Set<string>(), reconnects: 0, resyncs: {} }));
  }

  /** Connects every device; resolves once each is open (the first time). */
  async open(): Promise<void> {
    await Promise.all(this.records.map((r) => new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`device ${r.index} of ${this.user} did not connect`)), 20_000);
      this.connect(r.index, () => {
        clearTimeout(t);
        resolve();
      });
    })));
  }

  private connect(i: number, onOpen?: () => void): void {
    if (this.stopped) return;
    const r = this.records[i];
    const q = new URLSearchParams();
    if (r.firstConnectedAt) {
      if (this.lastEventId[i]) q.set('after', this.lastEventId[i]!);
      else q.set('since', new Date(r.firstConnectedAt).toISOString());
    }
    // The token as a Bearer header: the stream refuses a JWT in the URL.
    const ws = new WebSocket(`ws://127.0.0.1:${config.gatewayPort}/v1/stream?${q}`, { headers: { authorization: `Bearer ${this.token}` } });
    this.sockets[i] = ws;
    ws.on('open', () => {
      if (!r.firstConnectedAt) r.firstConnectedAt = Date.now();
      onOpen?.();
    });
    ws.on('message', (raw) => {
      let m: { type?: string; eventId?: string; reason?: string };
      try {
        m = JSON.parse(String(raw));
      } catch {
        return;
      }
      if (m.type === 'stream.resync') r.resyncs[m.reason ?? '?'] = (r.resyncs[m.reason ?? '?'] ?? 0) + 1;
      if (typeof m.eventId === 'string') {
        r.received.add(m.eventId);
        this.lastEventId[i] = m.eventId;
      }
    });
    ws.on('error', () => undefined); // 'close' follows
    ws.on('close', () => {
      if (this.stopped) return;
      setTimeout(() => {
        if (this.stopped) return;
        r.reconnects++;
        this.connect(i);
      }, 500);
    });
  }

  close(): void {
    this.stopped = true;
    for (const ws of this.sockets) ws?.terminate();
  }
}

/** A running load: `stop()` ends the writers (after their current write) and, later, `closeDevices()` the sockets. */
export class ChaosLoad {
  readonly result: LoadResult;
  private readonly devices: Devices[] = [];
  private writers: Promise<void>[] = [];
  private stopping = false;
  private seq = 0;

  constructor(private readonly opts: LoadOptions) {
    this.result = { startedAt: 0, endedAt: 0, users: [], writes: [], attempts: [], devices: [] };
  }

  async start(): Promise<void> {
    const run = randomUUID().slice(0, 8);
    for (let u = 0; u < this.opts.users; u++) {
      const id = `${this.opts.label}-${run}-u${u}`;
      this.result.users.push({ id, email: `${id}@example.com` });
    }
    const tokens = await Promise.all(this.result.users.map((u) => signDevToken(u.id, u.email, 3 * 3600)));
    for (const [k, u] of this.result.users.entries()) {
      const d = new Devices(u.id, tokens[k], 2);
      this.devices.push(d);
      this.result.devices.push(...d.records);
    }
    await Promise.all(this.devices.map((d) => d.open()));
    this.result.startedAt = Date.now();
    this.writers = this.result.users.map((u, k) => this.writer(u.id, tokens[k]));
  }

  /** Waits for the writers to finish their bounded run (duration or operation count). */
  async finished(): Promise<void> {
    await Promise.all(this.writers);
    this.result.endedAt = Date.now();
  }

  /** Ends the writers early (each after its current write and its retries). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.finished();
  }

  closeDevices(): void {
    for (const d of this.devices) d.close();
  }

  private record(op: OpKind, startedAt: number, status: number): void {
    this.result.attempts.push({ op, startedAt, endedAt: Date.now(), status });
  }

  /** Sends one request, retrying as a client would; the last answer. */
  private async withRetries(op: OpKind, send: () => Promise<Answer>, done: (a: Answer, attempt: number) => boolean = (a) => !retryable(a.status)): Promise<Answer> {
    const giveUpAt = Date.now() + this.opts.retryForMs;
    for (let attempt = 1; ; attempt++) {
      const t0 = Date.now();
      const a = await send();
      this.record(op, t0, a.status);
      if (done(a, attempt) || Date.now() > giveUpAt) return a;
      await sleep(Math.min(2000, 250 * attempt));
    }
  }

  private title(user: string, what: string): string {
    return `${what} ${user} #${++this.seq}`;
  }

  private async create(user: string, token: string, op: OpKind, body: Record<string, unknown>, reminderAt?: number): Promise<Write> {
    const w: Write = { user, op, title: String(body.title), reminderAt, acked: false, startedAt: Date.now() };
    this.result.writes.push(w);
    const key = randomUUID();
    const a = await this.withRetries(op, () => http('POST', '/v1/tasks', token, body, { 'idempotency-key': key }));
    if (a.status === 201 || a.status === 200) {
      w.acked = true;
      w.ackedAt = Date.now();
      w.taskId = a.body.id;
    }
    return w;
  }

  /** complete or delete of a task this load created: a retry after an answer that was lost may find it done (404 for a delete). */
  private async finish(user: string, token: string, op: OpKind, target: Write): Promise<void> {
    const w: Write = { user, op, title: target.title, taskId: target.taskId, acked: false, startedAt: Date.now() };
    this.result.writes.push(w);
    const del = op === 'deleteDoomed';
    const path = `/v1/tasks/${encodeURIComponent(target.taskId!)}${del ? '' : '/complete'}`;
    let tries = 0;
    const a = await this.withRetries(op, () => { tries++; return http(del ? 'DELETE' : 'POST', path, token); });
    if (a.status === 200 || a.status === 204 || (del && a.status === 404 && tries > 1)) {
      w.acked = true;
      w.ackedAt = Date.now();
      if (!del && a.body?.next) w.nextId = a.body.next.id;
    }
  }

  private async writer(user: string, token: string): Promise<void> {
    const { durationMs, ratePerUser, maxOpsPerUser, reminderLeadMs: [lo, hi], doomedLeadMs } = this.opts;
    const endAt = this.result.startedAt + durationMs;
    const interval = 1000 / ratePerUser;
    const openRecurring: Write[] = [];
    const doomed: Write[] = [];
    // Spread the users' first operations over one interval, so the load is steady, not in waves.
    await sleep(Math.random() * interval);
    for (let n = 0; n < maxOpsPerUser && !this.stopping && Date.now() < endAt; n++) {
      const t0 = Date.now();
      const roll = Math.random();
      if (doomed.length && roll < 0.1) {
        const target = doomed.shift()!;
        await this.finish(user, token, Math.random() < 0.5 ? 'deleteDoomed' : 'completeDoomed', target);
      } else if (openRecurring.length && roll < 0.2) {
        const target = openRecurring.shift()!;
        await this.finish(user, token, 'completeRecurring', target);
        const done = this.result.writes[this.result.writes.length - 1];
        if (done.acked && done.nextId) openRecurring.push({ ...target, taskId: done.nextId });
      } else if (roll < 0.4) {
        await this.create(user, token, 'create', { title: this.title(user, 'plain') });
      } else if (roll < 0.6) {
        const at = Date.now() + lo + Math.random() * (hi - lo);
        await this.create(user, token, 'createReminder', { title: this.title(user, 'remind'), reminders: [{ id: 'r', at: new Date(at).toISOString() }] }, at);
      } else if (roll < 0.68) {
        const at = Date.now() + doomedLeadMs;
        const w = await this.create(user, token, 'createDoomed', { title: this.title(user, 'doomed'), reminders: [{ id: 'r', at: new Date(at).toISOString() }] }, at);
        if (w.acked) doomed.push(w);
      } else if (roll < 0.76) {
        const w = await this.create(user, token, 'createRecurring', {
          title: this.title(user, 'daily'), due: new Date(Date.now() + 6 * 3600_000).toISOString(), recurrence: { rule: 'FREQ=DAILY' }, reminders: [{ id: 'b', before: 'PT15M' }],
        });
        if (w.acked) openRecurring.push(w);
      } else {
        const t1 = Date.now();
        const a = await http('GET', '/v1/tasks?limit=20', token);
        this.record('list', t1, a.status);
      }
      const wait = interval - (Date.now() - t0);
      if (wait > 0) await sleep(wait);
    }
  }
}

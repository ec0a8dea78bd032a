/**
 * The page's copy of the user's tasks, kept current from three sources that can arrive in any
 * order: REST snapshots, chat and button answers, and stream events. Each task carries a version;
 * a copy older than the one held is ignored, and a deleted task stays deleted (a snapshot or a
 * late event from before its deletion cannot bring it back). Pure: no DOM, no network.
 */
import type { Priority, StreamEvent, Task } from './types.mjs';

export interface Filter {
  status: 'open' | 'completed' | 'all';
  tag: string;
  priority: Priority | '';
  q: string;
}

export const NO_FILTER: Filter = { status: 'open', tag: '', priority: '', q: '' };
const RANK: Record<Priority, number> = { urgent: 4, high: 3, medium: 2, low: 1, none: 0 };

export class TaskStore {
  readonly tasks = new Map<string, Task>();
  /** Deleted task ids, with the version they had when deleted. */
  readonly deleted = new Map<string, number>();

  /** Takes a copy of a task unless it is older than the one held or the task was deleted; true when it changed the store. */
  upsert(task: Task): boolean {
    const gone = this.deleted.get(task.id);
    if (gone !== undefined && task.version <= gone) return false;
    const held = this.tasks.get(task.id);
    if (held && held.version >= task.version) return false;
    this.deleted.delete(task.id);
    this.tasks.set(task.id, task);
    return true;
  }

  remove(id: string, version = Number.MAX_SAFE_INTEGER): boolean {
    this.deleted.set(id, Math.max(version, this.deleted.get(id) ?? 0));
    return this.tasks.delete(id);
  }

  /** The user erased their data (DELETE /v1/me, on this or another device): every held task goes. */
  eraseAll(): boolean {
    const had = this.tasks.size > 0;
    for (const id of [...this.tasks.keys()]) this.remove(id);
    return had;
  }

  /** Applies one stream event; true when the store changed. */
  apply(event: StreamEvent): boolean {
    if (event.type === 'task.deleted') return this.remove(event.taskId, event.data.taskVersion);
    if (event.type === 'user.erased') return this.eraseAll();
    if (event.type.startsWith('task.') || event.type === 'reminder.due') return event.data.task ? this.upsert(event.data.task) : false;
    return false;
  }

  /**
   * Replaces everything with a REST snapshot, then applies the events that arrived while it was
   * fetched (they may be newer than the snapshot). Tasks absent from the snapshot are dropped.
   */
  resync(snapshot: Task[], arrivedMeanwhile: StreamEvent[]): void {
    this.tasks.clear();
    for (const t of snapshot) {
      const gone = this.deleted.get(t.id);
      if (gone === undefined || t.version > gone) this.tasks.set(t.id, t);
    }
    for (const e of arrivedMeanwhile) this.apply(e);
  }

  /** Every tag of the held tasks, sorted. */
  tags(): string[] {
    return [...new Set([...this.tasks.values()].flatMap((t) => t.tags))].sort((a, b) => a.localeCompare(b));
  }

  /** The tasks the filter lets through: soonest due first (undated last), then higher priority, then oldest. */
  view(filter: Filter): Task[] {
    return [...this.tasks.values()].filter((t) => matches(t, filter)).sort(compareTasks);
  }
}

export function matches(t: Task, f: Filter): boolean {
  if (f.status !== 'all' && t.status !== f.status) return false;
  if (f.tag && !t.tags.includes(f.tag)) return false;
  if (f.priority && t.priority !== f.priority) return false;
  const q = f.q.trim().toLowerCase();
  if (q) {
    const hay = [t.title, t.description, ...t.tags].join('\n').toLowerCase();
    if (!q.split(/\s+/).every((word) => hay.includes(word))) return false;
  }
  return true;
}

export function compareTasks(a: Task, b: Task): number {
  const da = a.due ? Date.parse(a.due) : Infinity;
  const db = b.due ? Date.parse(b.due) : Infinity;
  if (da !== db) return da < db ? -1 : 1;
  if (RANK[a.priority] !== RANK[b.priority]) return RANK[b.priority] - RANK[a.priority];
  return a.createdAt.localeCompare(b.createdAt);
}

/** Remembers the last N ids seen, e.g. reminders already notified (delivery is at least once). */
export class SeenIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max = 1000) {}

  /** True the first time an id is seen. */
  first(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}

/** Delay before reconnect attempt n (1, 2, …): 0.5 s doubling to at most 10 s, with up to 50 % jitter from `random`. */
export function reconnectDelay(attempt: number, random: number): number {
  const base = Math.min(10_000, 500 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.5 + random / 2));
}

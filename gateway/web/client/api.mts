/** The REST calls the page makes, with the tab's token and the browser's zone. */
import type { ChatReply, Task } from './types.mjs';

export class ApiFailure extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** A random id for Idempotency-Key (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function randomId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export class Api {
  constructor(private readonly token: string, readonly zone: string, private readonly onUnauthorized: (why: string) => void) {}

  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${this.token}`, 'x-timezone': this.zone, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiFailure(0, 'the gateway cannot be reached');
    }
    if (res.status === 204) return undefined as T;
    const json = (await res.json().catch(() => undefined)) as { error?: { message?: string; details?: Array<{ field: string; message: string }> } } | undefined;
    if (!res.ok) {
      const e = json?.error;
      const message = e?.message ? `${e.message}${e.details?.length ? `: ${e.details.map((d) => `${d.field} ${d.message}`).join('; ')}` : ''}` : `HTTP ${res.status}`;
      if (res.status === 401) this.onUnauthorized(message);
      throw new ApiFailure(res.status, message);
    }
    return json as T;
  }

  /** Every task of the user, all pages. */
  async allTasks(): Promise<Task[]> {
    const out: Task[] = [];
    let cursor: string | null = null;
    do {
      const q = new URLSearchParams({ limit: '500', sort: 'due' });
      if (cursor) q.set('cursor', cursor);
      const page: { items: Task[]; nextCursor: string | null } = await this.call('GET', `/v1/tasks?${q}`);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  chat(message: string): Promise<ChatReply> {
    return this.call('POST', '/v1/chat', { message }, { 'idempotency-key': randomId() });
  }

  complete(id: string): Promise<{ task: Task; next: Task | null }> {
    return this.call('POST', `/v1/tasks/${encodeURIComponent(id)}/complete`);
  }

  reopen(id: string): Promise<Task> {
    return this.call('POST', `/v1/tasks/${encodeURIComponent(id)}/reopen`);
  }

  remove(id: string): Promise<void> {
    return this.call('DELETE', `/v1/tasks/${encodeURIComponent(id)}`);
  }

  /** A single-use ticket for the device stream (valid 60 s): the token itself never goes into a URL. */
  async streamTicket(): Promise<string> {
    const r: { ticket: string } = await this.call('POST', '/v1/stream/ticket');
    return r.ticket;
  }
}

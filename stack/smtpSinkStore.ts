/**
 * The development SMTP sink's messages (stack/smtpSink.ts): every one in arrival order, and the
 * same by recipient, so that a poll for one address (`GET /messages?to=`, which a reminder storm's
 * load driver sends for 100 users every second) reads that address's own list. Filtering every
 * message kept took the sink's one thread 5.4 ms per poll at 57,000 messages (0.001 ms indexed),
 * half of every second of a storm in which it took no mail: the storm measured the sink's backlog
 * as the emails' lateness.
 * Messages older than KEEP_MS are dropped when the file is read at start (it grew with every run).
 */
export interface SunkMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

/** How long a message is kept across restarts of the sink. */
export const KEEP_MS = 24 * 3600_000;

export class MessageStore {
  private readonly all: SunkMessage[] = [];
  private readonly byRecipient = new Map<string, SunkMessage[]>();

  add(m: SunkMessage): void {
    this.all.push(m);
    for (const to of new Set(m.to.map((a) => a.toLowerCase()))) {
      const list = this.byRecipient.get(to);
      if (list) list.push(m);
      else this.byRecipient.set(to, [m]);
    }
  }

  /** Every message, or those to one address (any case), oldest first. */
  list(to?: string): SunkMessage[] {
    return to === undefined ? this.all : (this.byRecipient.get(to.toLowerCase()) ?? []);
  }

  /**
   * A store of the file's JSON lines received in the last KEEP_MS before `now`; `dropped` says
   * how many older ones (or unreadable lines) were left out, so the caller can rewrite the file.
   */
  static fromLines(text: string, now: number, keepMs = KEEP_MS): { store: MessageStore; dropped: number } {
    const store = new MessageStore();
    let dropped = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const m = JSON.parse(line) as SunkMessage;
        if (now - Date.parse(m.receivedAt) <= keepMs) store.add(m);
        else dropped++;
      } catch {
        dropped++;
      }
    }
    return { store, dropped };
  }
}

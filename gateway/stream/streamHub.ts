/**
 * The sockets of each user connected to this gateway process. An event goes to every socket of
 * its user and to no one else. Sending never blocks: a socket whose unsent backlog is over the
 * limit is a slow client and is dropped (it can reconnect and ask for what it missed).
 */
import type { WebSocket } from 'ws';

export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** WebSocket close code for a client that does not keep up (4000–4999 are the application's). */
export const CLOSE_TOO_SLOW = 4008;

export class StreamHub {
  private readonly sockets = new Map<string, Set<WebSocket>>();

  add(userId: string, ws: WebSocket): void {
    let set = this.sockets.get(userId);
    if (!set) {
      set = new Set();
      this.sockets.set(userId, set);
    }
    set.add(ws);
  }

  remove(userId: string, ws: WebSocket): void {
    const set = this.sockets.get(userId);
    if (!set) return;
    set.delete(ws);
    if (set.size === 0) this.sockets.delete(userId);
  }

  /** Sends one event (already JSON) to every socket of its user; returns how many got it. */
  publish(userId: string, json: string): number {
    const set = this.sockets.get(userId);
    if (!set) return 0;
    let sent = 0;
    for (const ws of set) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.close(CLOSE_TOO_SLOW, 'too slow: reconnect and ask for what you missed');
        ws.terminate();
        this.remove(userId, ws);
        continue;
      }
      ws.send(json);
      sent++;
    }
    return sent;
  }

  get connections(): number {
    let n = 0;
    for (const s of this.sockets.values()) n += s.size;
    return n;
  }
}

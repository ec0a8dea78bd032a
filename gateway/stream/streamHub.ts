/**
 * The sockets of each user connected to this gateway process. An event goes to every socket of
 * its user and to no one else. Sending never blocks: a socket whose unsent backlog is over the
 * limit is a slow client and is dropped (it can reconnect and ask for what it missed).
 *
 * A socket that asked for a replay holds its live events back until the replay is sent, then gets
 * both merged (replayPlan.ts). The hub also remembers, per user, the position of the last event it
 * passed on, so a replay can stop exactly where this process's live stream took over.
 */
import type { WebSocket } from 'ws';
import { isDuplicateLive, planReplay, type StreamEvent } from './replayPlan';

export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** WebSocket close code for a client that does not keep up (4000–4999 are the application's). */
export const CLOSE_TOO_SLOW = 4008;
/** Close code of a socket whose token expired: the device reconnects with a fresh token. */
export const CLOSE_TOKEN_EXPIRED = 4001;
/** Close code of a socket over STREAM_MAX_SOCKETS_PER_USER: the user has too many devices connected. */
export const CLOSE_TOO_MANY_SOCKETS = 4029;
/** Users whose last live position is remembered (least recently active forgotten first). */
export const TRACKED_USERS = 100_000;

export type ResyncReason = 'unknown_event' | 'too_many' | 'audit_behind' | 'audit_unavailable';

/** Control frames: the stream's own messages, told apart from events by a type starting with "stream.". */
export type ControlFrame =
  | { type: 'stream.replayed'; count: number; lastEventId: string | null }
  | { type: 'stream.resync'; reason: ResyncReason; message: string };

export type ReplayOutcome =
  | { status: 'ok'; anchorSeq?: string; items: StreamEvent[] }
  | { status: ResyncReason; message: string };

export class DeviceSocket {
  /** Live events held back while the replay is fetched; undefined once live. */
  held: StreamEvent[] | undefined;
  heldBytes = 0;
  /** After a replay: live events at or before anchorSeq, or sent by the replay, are duplicates. */
  anchorSeq: bigint | undefined;
  replayedIds: Set<string> | undefined;
  maxReplayedSeq: bigint | undefined;

  constructor(readonly userId: string, readonly ws: WebSocket, replaying: boolean) {
    if (replaying) this.held = [];
  }
}

export class StreamHub {
  private readonly sockets = new Map<string, Set<DeviceSocket>>();
  private readonly lastSeq = new Map<string, string>();

  add(userId: string, ws: WebSocket, replaying = false): DeviceSocket {
    const socket = new DeviceSocket(userId, ws, replaying);
    let set = this.sockets.get(userId);
    if (!set) {
      set = new Set();
      this.sockets.set(userId, set);
    }
    set.add(socket);
    return socket;
  }

  /** How many sockets this user has open on this process. */
  count(userId: string): number {
    return this.sockets.get(userId)?.size ?? 0;
  }

  remove(socket: DeviceSocket): void {
    const set = this.sockets.get(socket.userId);
    if (!set) return;
    set.delete(socket);
    if (set.size === 0) this.sockets.delete(socket.userId);
  }

  /** The position of the last event of this user that this process passed on, if it remembers one. */
  lastPosition(userId: string): string | undefined {
    return this.lastSeq.get(userId);
  }

  /** Sends one live event to every socket of its user (or holds it for those mid-replay); returns how many got it. */
  publish(userId: string, event: StreamEvent): number {
    if (event.seq !== null) {
      this.lastSeq.delete(userId);
      this.lastSeq.set(userId, event.seq);
      if (this.lastSeq.size > TRACKED_USERS) this.lastSeq.delete(this.lastSeq.keys().next().value as string);
    }
    const set = this.sockets.get(userId);
    if (!set) return 0;
    let sent = 0;
    for (const s of set) {
      if (s.held) {
        s.held.push(event);
        s.heldBytes += event.json.length;
        if (s.heldBytes > MAX_BUFFERED_BYTES) this.dropSlow(s);
        continue;
      }
      if (s.replayedIds || s.anchorSeq !== undefined) {
        if (isDuplicateLive(event, s.anchorSeq, s.replayedIds)) continue;
        // task-updates keeps the user's order: past the last replayed position, no replayed copy can follow.
        if (event.seq !== null && (s.maxReplayedSeq === undefined || BigInt(event.seq) > s.maxReplayedSeq)) s.replayedIds = undefined;
      }
      if (this.send(s, event.json)) sent++;
    }
    return sent;
  }

  /** Ends a socket's replay: sends what it missed and what arrived meanwhile (or a resync), then it is live. */
  finishReplay(socket: DeviceSocket, outcome: ReplayOutcome): void {
    const held = socket.held ?? [];
    socket.held = undefined;
    socket.heldBytes = 0;
    if (socket.ws.readyState !== socket.ws.OPEN) return;
    if (outcome.status !== 'ok') {
      this.sendControl(socket, { type: 'stream.resync', reason: outcome.status, message: outcome.message });
      for (const e of held) this.send(socket, e.json);
      return;
    }
    const anchor = outcome.anchorSeq === undefined ? undefined : BigInt(outcome.anchorSeq);
    const plan = planReplay(outcome.items, held, anchor);
    for (const e of plan.events) this.send(socket, e.json);
    socket.anchorSeq = anchor;
    socket.replayedIds = plan.replayedIds.size ? plan.replayedIds : undefined;
    socket.maxReplayedSeq = plan.maxReplayedSeq;
    const last = plan.events[plan.events.length - 1];
    this.sendControl(socket, { type: 'stream.replayed', count: plan.events.length, lastEventId: last?.eventId ?? null });
  }

  private sendControl(socket: DeviceSocket, frame: ControlFrame): void {
    this.send(socket, JSON.stringify(frame));
  }

  /** Sends unless the socket is closed or too slow (then it is dropped); true when sent. */
  private send(socket: DeviceSocket, json: string): boolean {
    const ws = socket.ws;
    if (ws.readyState !== ws.OPEN) return false;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.dropSlow(socket);
      return false;
    }
    ws.send(json);
    return true;
  }

  private dropSlow(socket: DeviceSocket): void {
    socket.held = undefined;
    socket.ws.close(CLOSE_TOO_SLOW, 'too slow: reconnect and ask for what you missed');
    socket.ws.terminate();
    this.remove(socket);
  }

  get connections(): number {
    let n = 0;
    for (const s of this.sockets.values()) n += s.size;
    return n;
  }
}

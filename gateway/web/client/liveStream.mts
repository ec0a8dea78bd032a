/**
 * The page's device stream: a WebSocket on /v1/stream opened with a fresh single-use ticket each
 * time, reconnected after any drop with `?after=<the last eventId seen>` so the gateway replays
 * what was missed (gateway/stream/README.md), with growing pauses between attempts.
 */
import { reconnectDelay } from './taskStore.mjs';
import type { ControlFrame, StreamEvent } from './types.mjs';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveHandlers {
  ticket(): Promise<string>;
  event(e: StreamEvent): void;
  /** The server cannot say what was missed: reload through REST. */
  resync(reason: string): void;
  /** A socket is open: `replaying` when it asked for what it missed. */
  connected(info: { first: boolean; replaying: boolean }): void;
  state(s: ConnectionState, detail: string): void;
  /** The ticket was refused for good (the token expired): stop trying. */
  unauthorized(): boolean;
}

export class LiveStream {
  lastEventId: string | undefined;
  private attempt = 0;
  private ws: WebSocket | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private everConnected = false;

  constructor(private readonly h: LiveHandlers) {}

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000, 'signed out');
    this.h.state('offline', 'signed out');
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.h.state(this.everConnected ? 'reconnecting' : 'connecting', this.everConnected ? 'reconnecting…' : 'connecting…');
    let ticket: string;
    try {
      ticket = await this.h.ticket();
    } catch {
      if (this.h.unauthorized()) return this.h.state('offline', 'signed out: the token is no longer valid');
      return this.retry();
    }
    if (this.stopped) return;
    const params = new URLSearchParams({ ticket });
    const replaying = this.lastEventId !== undefined;
    if (this.lastEventId) params.set('after', this.lastEventId);
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/stream?${params}`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      const first = !this.everConnected;
      this.everConnected = true;
      this.h.state('live', 'live');
      this.h.connected({ first, replaying });
    };
    ws.onmessage = (m: MessageEvent) => {
      let frame: StreamEvent | ControlFrame;
      try {
        frame = JSON.parse(String(m.data)) as StreamEvent | ControlFrame;
      } catch {
        return;
      }
      if (typeof frame.type !== 'string') return;
      if (frame.type.startsWith('stream.')) {
        if (frame.type === 'stream.resync') this.h.resync((frame as { reason: string }).reason);
        return;
      }
      const e = frame as StreamEvent;
      if (typeof e.eventId === 'string') this.lastEventId = e.eventId;
      this.h.event(e);
    };
    ws.onclose = () => {
      if (this.ws === ws && !this.stopped) this.retry();
    };
  }

  private retry(): void {
    this.attempt++;
    const ms = reconnectDelay(this.attempt, Math.random());
    this.h.state('reconnecting', `connection lost; retrying in ${Math.ceil(ms / 1000)} s (attempt ${this.attempt})`);
    this.timer = setTimeout(() => void this.connect(), ms);
  }
}

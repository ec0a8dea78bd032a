/**
 * GET /v1/stream: a WebSocket of every event of the caller's tasks (the event JSON of docs/API.md), to every
 * connected device of that user. The caller is a Bearer header's token or a single-use ?ticket= from
 * POST /v1/stream/ticket (browsers cannot set headers on a WebSocket; a JWT is never accepted in the
 * URL). Bad or missing credentials are refused before the upgrade, with 401; a
 * malformed replay request (?after=, ?since=, Last-Event-ID) with 400. A device that asks for a
 * replay gets what it missed from the audit store first, then the live events
 * (gateway/stream/README.md). The server pings every HEARTBEAT_MS; a socket that missed a pong is
 * closed. Per user: at most STREAM_MAX_SOCKETS_PER_USER sockets (the next is closed with 4029),
 * STREAM_UPGRADES_PER_MINUTE connects (then 429); a socket is closed with 4001 when its token expires.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../common/logger';
import type { FieldError } from '../../common/validation';
import { callerFrom, tokenFrom, TokenRefused, verifyToken, type Caller } from '../auth';
import { ApiError } from '../errors';
import { CLOSE_TOKEN_EXPIRED, CLOSE_TOO_MANY_SOCKETS, type StreamHub } from './streamHub';
import { config } from '../../common/config';
import { TokenBuckets } from '../middleware/rateLimit';
import { redeemTicket, TICKET_REFUSALS, tickets } from './ticket';
import { parseReplayRequest } from './replayRequest';
import type { FetchReplay } from './replay';
import { replayInto } from './replay';

export const STREAM_PATH = '/v1/stream';
export const HEARTBEAT_MS = 15_000;

const REFUSALS: Record<number, { code: string; reason: string }> = {
  400: { code: 'invalid_input', reason: 'Bad Request' },
  401: { code: 'unauthenticated', reason: 'Unauthorized' },
  429: { code: 'rate_limited', reason: 'Too Many Requests' },
};

function refuse(socket: Duplex, status: 400 | 401 | 429, message: string, details: FieldError[] = [], headers = ''): void {
  const r = REFUSALS[status];
  const body = JSON.stringify({ error: { code: r.code, message, details } });
  socket.end(`HTTP/1.1 ${status} ${r.reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${headers}connection: close\r\n\r\n${body}`);
}

/** The caller of an upgrade: a Bearer header's token, else a ?ticket= (checked, then spent). */
async function authenticate(req: http.IncomingMessage, url: URL): Promise<{ caller: Caller; tokenExpMs?: number } | { refused: string }> {
  const token = tokenFrom(req);
  if (token) {
    const zone = req.headers['x-timezone'];
    const payload = await verifyToken(token);
    return { caller: callerFrom(payload, typeof zone === 'string' ? zone : undefined), tokenExpMs: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined };
  }
  const ticket = url.searchParams.get('ticket');
  if (ticket) {
    const t = tickets();
    const r = redeemTicket(ticket, t.key, Date.now(), t.redeemed);
    return r.ok ? { caller: r.caller, tokenExpMs: r.tokenExp } : { refused: TICKET_REFUSALS[r.reason] };
  }
  if (url.searchParams.has('token')) return { refused: 'a token in the URL is not accepted: send it as a Bearer header, or get a ?ticket= from POST /v1/stream/ticket' };
  return { refused: 'a Bearer token or a ?ticket= from POST /v1/stream/ticket is required' };
}

/** setTimeout's longest delay (about 24.8 days); a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Closes the socket with CLOSE_TOKEN_EXPIRED at `expMs` (epoch ms), however far away that is. */
function closeAtExpiry(ws: WebSocket, expMs: number): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expMs - Date.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(() => ws.close(CLOSE_TOKEN_EXPIRED, 'the token has expired: reconnect with a fresh one'), Math.max(0, left));
    timer.unref();
  };
  arm();
  ws.on('close', () => clearTimeout(timer));
}

export interface StreamLimits {
  maxSocketsPerUser: number;
  upgradesPerMinute: number;
}

export function attachStream(server: http.Server, hub: StreamHub, fetchReplay: FetchReplay, log: Logger,
  limits: StreamLimits = { maxSocketsPerUser: config.streamMaxSocketsPerUser, upgradesPerMinute: config.streamUpgradesPerMinute }): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const alive = new WeakMap<WebSocket, boolean>();
  // Each connect costs a replay from the audit store: a user's connects are rate-limited, per process.
  const upgrades = new TokenBuckets(limits.upgradesPerMinute / 60, limits.upgradesPerMinute);

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== STREAM_PATH) return refuse(socket, 400, `WebSocket only at ${STREAM_PATH}`);
    const lastEventId = req.headers['last-event-id'];
    const { request, errors } = parseReplayRequest(url.searchParams, typeof lastEventId === 'string' ? lastEventId : undefined);
    authenticate(req, url)
      .then((auth) => {
        if ('refused' in auth) return refuse(socket, 401, auth.refused);
        if (errors.length) return refuse(socket, 400, 'the replay request is invalid', errors);
        const caller = auth.caller;
        const wait = limits.upgradesPerMinute > 0 ? upgrades.take(caller.userId) : 0;
        if (wait > 0) {
          const retryAfter = Math.ceil(wait);
          log.warn('stream upgrade rate-limited', { userId: caller.userId });
          return refuse(socket, 429, `too many stream connections; at most ${limits.upgradesPerMinute} a minute, retry in ${retryAfter} s`, [], `retry-after: ${retryAfter}\r\n`);
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          if (hub.count(caller.userId) >= limits.maxSocketsPerUser) {
            log.warn('stream socket over the per-user cap', { userId: caller.userId, max: limits.maxSocketsPerUser });
            ws.close(CLOSE_TOO_MANY_SOCKETS, `too many sockets: at most ${limits.maxSocketsPerUser} per user`);
            return;
          }
          // A socket lives no longer than its token (exp is required: auth.ts; a ticket carries its token's).
          if (auth.tokenExpMs !== undefined) closeAtExpiry(ws, auth.tokenExpMs);
          alive.set(ws, true);
          // Registered before anything is fetched: live events from here on are held for the replay.
          const device = hub.add(caller.userId, ws, request !== undefined);
          ws.on('pong', () => alive.set(ws, true));
          ws.on('close', () => hub.remove(device));
          ws.on('error', () => hub.remove(device));
          ws.on('message', () => undefined); // devices only listen
          log.debug('stream connected', { userId: caller.userId, replay: request });
          if (request) void replayInto(hub, device, request, fetchReplay, log);
        });
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 400) return refuse(socket, 400, err.message, err.details);
        refuse(socket, 401, err instanceof TokenRefused || err instanceof ApiError ? err.message : 'the token is not valid');
      });
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      wss.close();
    },
  };
}

/**
 * GET /v1/stream: a WebSocket of every event of the caller's tasks (the event JSON of docs/API.md), to every
 * connected device of that user. The caller is a Bearer header's token or a single-use ?ticket= from
 * POST /v1/stream/ticket (browsers cannot set headers on a WebSocket; a JWT is never accepted in the
 * URL). Bad or missing credentials are refused before the upgrade, with 401; a
 * malformed replay request (?after=, ?since=, Last-Event-ID) with 400. A device that asks for a
 * replay gets what it missed from the audit store first, then the live events
 * (gateway/stream/README.md). The server pings every HEARTBEAT_MS; a socket that missed a pong is
 * closed.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../common/logger';
import type { FieldError } from '../../common/validation';
import { callerFrom, tokenFrom, TokenRefused, verifyToken, type Caller } from '../auth';
import { ApiError } from '../errors';
import { redeemTicket, TICKET_REFUSALS, tickets } from './ticket';
import type { StreamHub } from './streamHub';
import { parseReplayRequest } from './replayRequest';
import type { FetchReplay } from './replay';
import { replayInto } from './replay';

export const STREAM_PATH = '/v1/stream';
export const HEARTBEAT_MS = 15_000;

function refuse(socket: Duplex, status: number, message: string, details: FieldError[] = []): void {
  const body = JSON.stringify({ error: { code: status === 401 ? 'unauthenticated' : 'invalid_input', message, details } });
  socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** The caller of an upgrade: a Bearer header's token, else a ?ticket= (checked, then spent). */
async function authenticate(req: http.IncomingMessage, url: URL): Promise<{ caller: Caller } | { refused: string }> {
  const token = tokenFrom(req);
  if (token) {
    const zone = req.headers['x-timezone'];
    return { caller: callerFrom(await verifyToken(token), typeof zone === 'string' ? zone : undefined) };
  }
  const ticket = url.searchParams.get('ticket');
  if (ticket) {
    const t = tickets();
    const r = redeemTicket(ticket, t.key, Date.now(), t.redeemed);
    return r.ok ? { caller: r.caller } : { refused: TICKET_REFUSALS[r.reason] };
  }
  if (url.searchParams.has('token')) return { refused: 'a token in the URL is not accepted: send it as a Bearer header, or get a ?ticket= from POST /v1/stream/ticket' };
  return { refused: 'a Bearer token or a ?ticket= from POST /v1/stream/ticket is required' };
}

export function attachStream(server: http.Server, hub: StreamHub, fetchReplay: FetchReplay, log: Logger): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const alive = new WeakMap<WebSocket, boolean>();

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
        wss.handleUpgrade(req, socket, head, (ws) => {
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

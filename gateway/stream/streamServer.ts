/**
 * GET /v1/stream: a WebSocket of every event of the caller's tasks (the event JSON of docs/API.md), to every
 * connected device of that user. The token comes as a Bearer header or ?token= (browsers cannot
 * set headers on a WebSocket). Bad or missing tokens are refused before the upgrade, with 401; a
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
import { callerFrom, tokenFrom, verifyToken } from '../auth';
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

export function attachStream(server: http.Server, hub: StreamHub, fetchReplay: FetchReplay, log: Logger): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const alive = new WeakMap<WebSocket, boolean>();

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== STREAM_PATH) return refuse(socket, 400, `WebSocket only at ${STREAM_PATH}`);
    const token = tokenFrom(req) ?? url.searchParams.get('token') ?? undefined;
    if (!token) return refuse(socket, 401, 'a Bearer token or ?token= is required');
    const lastEventId = req.headers['last-event-id'];
    const { request, errors } = parseReplayRequest(url.searchParams, typeof lastEventId === 'string' ? lastEventId : undefined);
    verifyToken(token)
      .then((payload) => {
        if (errors.length) return refuse(socket, 400, 'the replay request is invalid', errors);
        const caller = callerFrom(payload, typeof req.headers['x-timezone'] === 'string' ? req.headers['x-timezone'] : undefined);
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
      .catch(() => refuse(socket, 401, 'the token is not valid'));
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

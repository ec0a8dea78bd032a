/**
 * How long the services' HTTP servers keep an idle keep-alive connection open
 * (HTTP_KEEPALIVE_TIMEOUT_MS): longer than the clients that keep one for reuse, so that the
 * client, not the server, closes it. Node closes an idle connection after 5 s by default, while
 * daprd keeps its idle connections to the app for 90 s (its app channel clones Go's
 * http.DefaultTransport), Prometheus its scrape connections as long, and a load balancer
 * typically 60 s. A client that sends on a connection at the moment the server closes it reads
 * "connection reset by peer", and daprd does not retry a PUT: an actor call failed that way with
 * a 500 (an erasure in the peer bench, the gateway's 503 to the user).
 */
import type { Server } from 'node:http';
import { config } from './config';

/** The idle timeout of daprd's connections to its app (Go's http.DefaultTransport IdleConnTimeout). */
export const DAPRD_APP_CHANNEL_IDLE_MS = 90_000;

/** Sets the server's idle keep-alive timeout (HTTP_KEEPALIVE_TIMEOUT_MS); answers the server. */
export function keepIdleConnectionsOpen<S extends Server>(server: S, ms = config.httpKeepAliveTimeoutMs): S {
  server.keepAliveTimeout = ms;
  return server;
}

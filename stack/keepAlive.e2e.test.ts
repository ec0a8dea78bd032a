/**
 * Every HTTP port of the services keeps an idle connection open longer than daprd, Prometheus or a
 * load balancer keep theirs (common/httpKeepAlive.ts): with Node's default of 5 s, a call that
 * daprd sent on a connection the actor host was closing failed with "connection reset by peer".
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { config } from '../common/config';
import { DAPRD_APP_CHANNEL_IDLE_MS } from '../common/httpKeepAlive';

/** The `timeout=` a port's answer announces in its Keep-Alive header, in seconds (undefined: none). */
function keepAliveSeconds(port: number, path: string): Promise<number | undefined> {
  const agent = new http.Agent({ keepAlive: true });
  return new Promise<number | undefined>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        agent.destroy();
        const m = /timeout=(\d+)/.exec(String(res.headers['keep-alive'] ?? ''));
        resolve(m ? Number(m[1]) : undefined);
      });
    }).on('error', reject);
  });
}

describe('idle HTTP connections on the services\' ports', () => {
  const ports: Array<[string, number, string]> = [
    ['the gateway', config.gatewayPort, '/healthz'],
    ["the actor host's app port (daprd's calls)", config.actorsPort, '/healthz'],
    ["the subscribers' app port (daprd's calls)", config.subscribersPort, '/healthz'],
    ["the gateway's metrics port (Prometheus)", config.gatewayMetricsPort, '/metrics'],
    ["the actor host's metrics port", config.actorsMetricsPort, '/metrics'],
    ["the subscribers' metrics port", config.subscribersMetricsPort, '/metrics'],
  ];
  for (const [what, port, path] of ports) {
    it(`stay open on ${what} longer than daprd keeps its own`, async () => {
      const s = await keepAliveSeconds(port, path);
      assert.ok(s !== undefined && s * 1000 > DAPRD_APP_CHANNEL_IDLE_MS, `Keep-Alive timeout=${s} s on port ${port}`);
    });
  }
});

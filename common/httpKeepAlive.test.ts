import assert from 'node:assert/strict';
import http from 'node:http';
import { config } from './config';
import { DAPRD_APP_CHANNEL_IDLE_MS, keepIdleConnectionsOpen } from './httpKeepAlive';

describe('the idle keep-alive timeout of the services\' HTTP servers', () => {
  it('outlasts the idle connections daprd keeps to its app, by default', () => {
    assert.ok(config.httpKeepAliveTimeoutMs > DAPRD_APP_CHANNEL_IDLE_MS, `${config.httpKeepAliveTimeoutMs} ms`);
  });

  it('is what a server is given, and what it tells its clients in Keep-Alive', async () => {
    const server = keepIdleConnectionsOpen(http.createServer((_req, res) => res.end('ok')), 95_000);
    assert.equal(server.keepAliveTimeout, 95_000);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const agent = new http.Agent({ keepAlive: true });
      const header = await new Promise<string | undefined>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(String(res.headers['keep-alive'])));
        }).on('error', reject);
      });
      agent.destroy();
      assert.equal(header, 'timeout=95');
    } finally {
      server.close();
    }
  });
});

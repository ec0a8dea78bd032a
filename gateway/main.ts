/** The gateway (Dapr app id todo-gateway): the REST API in front of the users' actors. */
import { config } from '../common/config';
import { createLogger } from '../common/logger';
import { initMetrics } from '../common/metrics';
import { createApp } from './app';

const log = createLogger('todo-gateway');
initMetrics('todo-gateway');
const server = createApp(log).listen(config.gatewayPort, config.bindHost, () => log.info('gateway listening', { port: config.gatewayPort }));
server.on('error', (err) => {
  log.error('gateway failed to listen', { err: String(err) });
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info('shutting down', { signal });
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}

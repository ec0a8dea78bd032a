/** The gateway (Dapr app id todo-gateway): the REST API in front of the users' actors, and the device stream. */
import './tracing'; // first: it instruments node:http as it loads
import { config } from '../common/config';
import { consumerPolicies, createKafka, untilKafkaAnswers } from '../common/kafka';
import { createLogger } from '../common/logger';
import { refuseUnsafeSettings } from '../common/startupChecks';
import { stopTracing } from '../common/tracing';
import { initMetrics } from '../common/metrics';
import { createApp, gatewayNotReady } from './app';
import { requireAccessTokens } from '../common/daprAccess';
import { startOpsServer } from '../common/opsServer';
import { StreamHub } from './stream/streamHub';
import { fetchReplayThroughDapr } from './stream/replay';
import { attachStream } from './stream/streamServer';
import { SyncConsumer, syncGroupId } from './stream/syncConsumer';
import { keepIdleConnectionsOpen } from '../common/httpKeepAlive';

const log = createLogger('todo-gateway');
refuseUnsafeSettings(log);
requireAccessTokens('todo-gateway', false); // daprd never calls the gateway: it has no app channel
initMetrics('todo-gateway');
consumerPolicies(); // an invalid CONSUMER_RETRY_POLICIES stops the start here, with the reason

const hub = new StreamHub();
// One consumer group per gateway process: every process must see every event for its own sockets.
const sync = new SyncConsumer(createKafka('todo-gateway', log), syncGroupId(), hub, log);

const streamNotReady = () => (sync.running ? undefined : 'the device stream has not joined Kafka yet');
const ops = startOpsServer('todo-gateway', config.gatewayMetricsPort, () => gatewayNotReady(streamNotReady), log);
const server = keepIdleConnectionsOpen(createApp(log, streamNotReady)
  .listen(config.gatewayPort, config.bindHost, () => log.info('gateway listening', { port: config.gatewayPort })));
server.on('error', (err) => {
  log.error('gateway failed to listen', { err: String(err) });
  process.exit(1);
});
const stream = attachStream(server, hub, fetchReplayThroughDapr, log);

void untilKafkaAnswers(
  async () => {
    await sync.start();
    log.info('device stream consuming', { group: sync.groupId });
  },
  (err, attempt) => log.warn('kafka not reachable yet for the device stream', { attempt, err: String(err) }),
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info('shutting down', { signal });
    setTimeout(() => process.exit(0), 10_000).unref(); // the chart's grace period is 45 s
    stream.close();
    ops.close();
    // Exit only once the device stream's consumer has left its group: a member that vanishes
    // without leaving holds the group until its session times out (30 s), and a gateway restarted
    // on the same host and port (same group) is not ready until then.
    const left = sync.stop().then(() => log.info('device stream left its consumer group'));
    const closed = new Promise<void>((r) => server.close(() => r())).then(() => log.info('http server closed'));
    void Promise.all([left, closed]).then(() => stopTracing()).then(() => process.exit(0));
  });
}

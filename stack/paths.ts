/** Where the local stack keeps things: everything outside the work tree, under TODO_CACHE_DIR. */
import path from 'node:path';
import { config } from '../common/config';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export const DAPR_VERSION = '1.18.2';
export const KAFKA_VERSION = '4.1.1';

export const paths = {
  cache: config.cacheDir,
  daprDir: path.join(config.cacheDir, `dapr-${DAPR_VERSION}`),
  daprBin: (name: 'daprd' | 'placement' | 'scheduler' | 'sentry') => path.join(config.cacheDir, `dapr-${DAPR_VERSION}`, 'bin', name),
  goModCache: path.join(config.cacheDir, 'go', 'mod'),
  goBuildCache: path.join(config.cacheDir, 'go', 'build'),
  kafkaLibs: path.join(config.cacheDir, `kafka-${KAFKA_VERSION}`, 'libs'),
  mavenRepo: path.join(config.cacheDir, 'm2'),
  data: (name: string) => path.join(config.cacheDir, 'data', name),
  logs: path.join(config.cacheDir, 'logs'),
  log: (name: string) => path.join(config.cacheDir, 'logs', `${name}.log`),
  installLog: (name: string) => path.join(config.cacheDir, 'logs', `install-${name}.log`),
  stateFile: path.join(config.cacheDir, 'run', 'stack.json'),
  components: path.join(REPO_ROOT, 'components'),
};

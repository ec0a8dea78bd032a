/** Every check `npm run deploy:check` runs, in order. Add one line per new kind of artifact. */
import type { DeployCheck } from './check';

export const checks: DeployCheck[] = [];

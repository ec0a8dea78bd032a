/** Every check `npm run deploy:check` runs, in order. Add one line per new kind of artifact. */
import type { DeployCheck } from './check';
import { alertRulesCheck } from './alertRulesCheck';
import { dashboardCheck } from './dashboardCheck';

export const checks: DeployCheck[] = [
  alertRulesCheck,
  dashboardCheck,
];

/** Every check `npm run deploy:check` runs, in order. Add one line per new kind of artifact. */
import type { DeployCheck } from './check';
import { actionlint } from './actionlint';
import { alertRulesCheck } from './alertRulesCheck';
import { dashboardCheck } from './dashboardCheck';
import { helmLint } from './helmLint';
import { helmTemplate } from './helmTemplate';
import { imageContents } from './imageContents';
import { securityPosture } from './securityPosture';
import { terraformFmt } from './terraformFmt';
import { tflint } from './tflint';

export const checks: DeployCheck[] = [
  imageContents,
  helmLint,
  helmTemplate,
  securityPosture,
  terraformFmt,
  tflint,
  alertRulesCheck,
  dashboardCheck,
  actionlint,
];

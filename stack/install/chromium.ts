/**
 * Chromium for the browser tests (gateway/web/*.e2e.test.ts): Debian's `chromium` package, driven
 * headless by playwright-core. Nothing is downloaded but the Debian package.
 */
import fs from 'node:fs';
import { paths } from '../paths';
import { step, StepError } from '../progress';
import { aptInstall } from './apt';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function installChromium(): Promise<string> {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const name = "installing Chromium from Debian's packages (apt-get), for the browser tests";
  const log = paths.installLog('chromium');
  await step(name, async (h) => {
    await aptInstall(name, ['chromium'], log, h, 'install Debian\'s chromium package yourself (sudo apt-get install -y chromium)');
    if (!fs.existsSync(CHROMIUM_PATH)) throw new StepError(name, `apt-get finished but ${CHROMIUM_PATH} is missing`, log);
  }, log);
  return CHROMIUM_PATH;
}

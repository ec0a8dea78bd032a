/** What every service checks before it opens a port or a connection: the settings it must refuse. */
import { unsafeSettings } from './config';
import type { Logger } from './logger';

/** Logs each unsafe setting (common/config.ts: unsafeSettings) and exits 1 if there is any. */
export function refuseUnsafeSettings(log: Logger): void {
  const problems = unsafeSettings();
  if (problems.length === 0) return;
  for (const p of problems) log.error(`refusing to start: ${p}`, { reason: 'unsafe configuration' });
  process.exit(1);
}

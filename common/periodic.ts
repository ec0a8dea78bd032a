/** Runs a background pass every `intervalMs` (the next one starts after the previous one ended), logging failures. */
import type { Logger } from './logger';

export interface Periodic {
  stop(): void;
}

export function every(intervalMs: number, what: string, log: Logger, pass: () => Promise<void>): Periodic {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      await pass();
    } catch (err) {
      log.warn(`${what} failed`, { err: String(err) });
    } finally {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    }
  };
  timer = setTimeout(tick, intervalMs);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

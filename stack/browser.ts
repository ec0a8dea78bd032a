/**
 * Headless Chromium for the browser tests (gateway/web/*.e2e.test.ts): Debian's `chromium`
 * (installed by stack/install/chromium.ts), driven by playwright-core, with a fresh profile per
 * launch and Chromium's own background traffic (updates, sync, QUIC, field trials) switched off,
 * so the only requests are the page's own, to the loopback gateway. Screenshots go under the
 * cache's test-output folder, outside the work tree.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { config } from '../common/config';
import { installChromium } from './install/chromium';

export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions', '--no-default-browser-check',
  '--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication',
];

export interface Browser {
  context: BrowserContext;
  profileDir: string;
  close(): Promise<void>;
}

/** A fresh Chromium profile (its own --user-data-dir), closed and removed by close(). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await installChromium();
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-actors-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1100, height: 900 }, timezoneId: 'Europe/Berlin', locale: 'en-GB',
  });
  return {
    context,
    profileDir,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** A new folder for this run's screenshots: $TODO_CACHE_DIR/test-output/<name>/<time>. */
export function testOutputDir(name: string): string {
  const dir = path.join(config.cacheDir, 'test-output', name, new Date().toISOString().replace(/[:.]/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

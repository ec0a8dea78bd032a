/**
 * The web page in headless Chromium on the real stack (gateway/web/README.md): sign-in, chat,
 * the task list, live updates across pages of one user and none for another, a reconnect after
 * the gateway restarts, and a reminder's notification. Every wait is for a condition on the page,
 * with generous timeouts; screenshots of the main states go under the cache's test-output folder
 * (printed at the start).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { config } from '../../common/config';
import { actorMethodPath, type CreateTaskRequest } from '../../common/actorApi';
import { launchBrowser, testOutputDir, type Browser } from '../../stack/browser';
import { isAlive, stopProcess } from '../../stack/processes';
import { up } from '../../stack/stack';
import { readState } from '../../stack/stackState';
import { api, eventually, gatewayUrl, sidecarHeaders, tokenFor, uniqueUser } from '../../stack/testSupport';

const WAIT = 45_000;

describe('the web page in a real browser', function () {
  this.timeout(240_000);
  let browser: Browser;
  let shots: string;
  /** Every URL any page requested, WebSockets included: the page must reach nothing but its own gateway. */
  const requested: string[] = [];
  const problems: string[] = [];

  before(async function () {
    this.timeout(900_000); // a first run installs Chromium from Debian's packages
    browser = await launchBrowser();
    shots = testOutputDir('web');
    process.stdout.write(`      screenshots: ${shots}\n`);
    browser.context.on('request', (r) => requested.push(r.url()));
    browser.context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
    await browser.context.grantPermissions(['notifications'], { origin: gatewayUrl() });
    // Counts the page's calls of the browser's Notification API (and still shows them).
    await browser.context.addInitScript({
      content: `(() => {
        const Real = window.Notification;
        const seen = [];
        window.shownNotifications = seen;
        class Counted extends Real {
          constructor(title, options) { super(title, options); seen.push(title); }
        }
        Object.defineProperty(window, 'Notification', { value: Counted, configurable: true });
      })();`,
    });
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(function () {
    assert.deepEqual(problems.splice(0), [], 'no script errors or CSP violations on any page');
  });

  async function openPage(width = 1100, height = 900): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height });
    page.on('websocket', (ws) => requested.push(ws.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource|WebSocket connection to .* failed/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${gatewayUrl()}/`);
    return page;
  }

  async function signIn(page: Page, user: string): Promise<void> {
    await page.locator('#dev-signin:not([hidden])').waitFor({ timeout: WAIT });
    await page.getByLabel('User name', { exact: true }).fill(user);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await live(page);
  }

  const live = (page: Page) => page.locator('#connection[data-state="live"]').waitFor({ timeout: WAIT });
  const taskItem = (page: Page, title: string) => page.locator('#task-list > li', { has: page.locator('h3', { hasText: title }) });
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

  async function say(page: Page, message: string): Promise<string> {
    const before = await page.locator('#chat-log li.chat-server').count();
    await page.getByLabel('Message', { exact: true }).fill(message);
    await page.getByLabel('Message', { exact: true }).press('Enter');
    const reply = page.locator('#chat-log li.chat-server').nth(before);
    await reply.waitFor({ timeout: WAIT });
    return (await reply.textContent()) ?? '';
  }

  const alice = uniqueUser('web-alice');
  const bob = uniqueUser('web-bob');
  let a1: Page;
  let a2: Page;
  let b1: Page;

  it('signs in with a user name (development sign-in), keeps the token in the tab, and shows the stream as live', async () => {
    a1 = await openPage();
    await shot(a1, '01-sign-in');
    await signIn(a1, alice);
    assert.match((await a1.locator('#who').textContent()) ?? '', new RegExp(`signed in as ${alice}`));
    const stored = await a1.evaluate<string | null>('sessionStorage.getItem("todo-actors.token")');
    assert.ok(stored && stored.split('.').length === 3, 'the token is in the tab\'s session storage');
    assert.ok(requested.every((u) => !u.includes(stored)), 'the token never appears in a URL');
    assert.ok(requested.some((u) => /\/v1\/stream\?ticket=/.test(u)), 'the stream was opened with a ticket');
    const unlabelled = await a1.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea, button')]
      .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
      .map((e) => e.id || e.outerHTML.slice(0, 60))`);
    assert.deepEqual(unlabelled, [], 'every control has a label');
    await shot(a1, '02-signed-in-empty');
  });

  it('creates a recurring task by chat and lists it with its recurrence in words, due in the user\'s zone', async () => {
    const reply = await say(a1, 'remind me every Monday at 9 to send the report');
    assert.doesNotMatch(reply, /sorry|failed/i, reply);
    const item = taskItem(a1, 'send the report');
    await item.waitFor({ timeout: WAIT });
    assert.match((await item.locator('.recurrence').textContent()) ?? '', /every Monday/);
    assert.match((await item.locator('.due').textContent()) ?? '', /due Mon \d+ \w+ \d{4}, 09:00/, 'due at 09:00 in the browser\'s zone (Europe/Berlin)');
    // A clarifying question is answered in the same box.
    const question = await say(a1, 'buy milk');
    assert.ok(await a1.locator('#chat-log li.chat-question').count() >= 1, `the reply is shown as a question: ${question}`);
    await say(a1, 'yes');
    await taskItem(a1, 'buy milk').waitFor({ timeout: WAIT });
    await shot(a1, '03-chat-recurring-task');
  });

  it('two pages of the same user: a change in one appears in the other', async () => {
    a2 = await openPage(390, 844); // a phone-sized second device
    await signIn(a2, alice);
    await taskItem(a2, 'send the report').waitFor({ timeout: WAIT });
    const firstId = await taskItem(a1, 'send the report').getAttribute('data-task-id');

    await taskItem(a1, 'send the report').getByRole('button', { name: /^Complete/ }).click();
    // The next occurrence replaces it in the open list, on both pages.
    for (const page of [a1, a2]) {
      await eventually(async () => {
        const ids = await taskItem(page, 'send the report').evaluateAll((els) => els.map((e) => e.getAttribute('data-task-id')));
        return ids.length === 1 && ids[0] !== firstId ? true : undefined;
      }, WAIT, 'the next occurrence of "send the report" listed instead of the completed one');
    }
    // By keyboard: focus the button and press Enter.
    await taskItem(a2, 'buy milk').getByRole('button', { name: /^Delete/ }).focus();
    await a2.keyboard.press('Enter');
    await taskItem(a1, 'buy milk').waitFor({ state: 'detached', timeout: WAIT });
    await shot(a2, '04-second-page-phone');

    // Filters and search on the page.
    await a1.getByLabel('Show', { exact: true }).selectOption('completed');
    await taskItem(a1, 'send the report').waitFor({ timeout: WAIT });
    assert.equal(await taskItem(a1, 'send the report').getAttribute('data-task-id'), firstId);
    await a1.getByLabel('Show', { exact: true }).selectOption('open');
    await a1.getByLabel('Search', { exact: true }).fill('no such words');
    await a1.locator('#empty:not([hidden])').waitFor({ timeout: WAIT });
    await a1.getByLabel('Search', { exact: true }).fill('REPORT');
    await taskItem(a1, 'send the report').waitFor({ timeout: WAIT });
    await a1.getByLabel('Search', { exact: true }).fill('');
  });

  it('filters by tag and priority', async () => {
    const token = await tokenFor(alice);
    for (const body of [{ title: 'pay the invoice', tags: ['work'], priority: 'high' }, { title: 'water the plants', tags: ['home'], priority: 'low' }]) {
      assert.equal((await api('POST', '/v1/tasks', { token, body })).status, 201);
    }
    await taskItem(a1, 'water the plants').waitFor({ timeout: WAIT });
    await a1.getByLabel('Tag', { exact: true }).selectOption('work');
    await taskItem(a1, 'water the plants').waitFor({ state: 'detached', timeout: WAIT });
    assert.equal(await taskItem(a1, 'pay the invoice').count(), 1);
    await a1.getByLabel('Tag', { exact: true }).selectOption('');
    await a1.getByLabel('Priority', { exact: true }).selectOption('low');
    await taskItem(a1, 'pay the invoice').waitFor({ state: 'detached', timeout: WAIT });
    assert.equal(await taskItem(a1, 'water the plants').count(), 1);
    await a1.getByLabel('Priority', { exact: true }).selectOption('');
    await shot(a1, '05-list-with-tags-priorities');
  });

  it('a page of another user sees none of it', async () => {
    b1 = await openPage();
    // Bob signs in the way any configuration allows: by pasting a token.
    await b1.getByLabel('Paste a token (JWT)', { exact: true }).fill(await tokenFor(bob));
    await b1.getByRole('button', { name: 'Use this token' }).click();
    await live(b1);
    await say(b1, 'add feed the cat');
    await taskItem(b1, 'feed the cat').waitFor({ timeout: WAIT });
    // A change of Alice's after Bob's page is live: it reaches Alice's pages, not Bob's.
    assert.equal((await api('POST', '/v1/tasks', { token: await tokenFor(alice), body: { title: 'only for alice' } })).status, 201);
    await taskItem(a2, 'only for alice').waitFor({ timeout: WAIT });
    assert.deepEqual((await b1.locator('#task-list h3').allTextContents()).map((t) => t.toLowerCase()), ['feed the cat']);
    assert.equal(await taskItem(a1, 'feed the cat').count(), 0, 'nothing of Bob\'s on Alice\'s page');
    await shot(b1, '06-other-user');
  });

  it('the gateway restarted while a page is open: the page reconnects and shows what it missed', async () => {
    const gateway = readState()?.processes.find((p) => p.name === 'gateway');
    assert.ok(gateway && isAlive(gateway), 'the stack runs a gateway');
    try {
      assert.equal(await stopProcess(gateway, 'SIGTERM', 15_000), 'stopped');
      await a1.locator('#connection[data-state="reconnecting"]').waitFor({ timeout: WAIT });
      await shot(a1, '07-reconnecting');
      // A write while this gateway is down, as another gateway process would make it: through the
      // gateway's own Dapr sidecar, which keeps running (and answers only with the gateway's API token).
      const write: CreateTaskRequest = { input: { title: 'written while the gateway was down' } };
      const res = await fetch(`http://127.0.0.1:${config.gatewayDaprHttpPort}${actorMethodPath(alice, 'createTask')}`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...sidecarHeaders('gateway') }, body: JSON.stringify(write),
      });
      assert.equal(res.status, 200, await res.text());
    } finally {
      await up();
    }
    for (const page of [a1, a2]) {
      await live(page);
      await taskItem(page, 'written while the gateway was down').waitFor({ timeout: WAIT });
    }
    const afterParam = requested.filter((u) => /\/v1\/stream\?ticket=[^&]+&after=[0-9a-f-]{36}$/.test(u));
    assert.ok(afterParam.length >= 2, 'both pages reconnected asking for what they missed (?after=<last eventId>)');
    assert.equal(await taskItem(b1, 'written while the gateway was down').count(), 0);
    await shot(a1, '08-reconnected');
  });

  it('a reminder due in a few seconds shows its notification on every page of its user', async () => {
    const token = await tokenFor(alice);
    const at = new Date(Date.now() + 4000).toISOString();
    assert.equal((await api('POST', '/v1/tasks', { token, body: { title: 'call the bank', reminders: [{ id: 'soon', at }] } })).status, 201);
    for (const page of [a1, a2]) {
      const toast = page.locator('#notifications .toast', { hasText: 'call the bank' });
      await toast.waitFor({ timeout: WAIT });
      assert.equal(await toast.getAttribute('role'), 'alert');
      await eventually(async () => ((await page.evaluate<string[]>('window.shownNotifications')).includes('Reminder: call the bank') ? true : undefined),
        WAIT, 'the browser\'s Notification API was used too (permission granted)');
    }
    await shot(a1, '09-reminder-notification');
    await shot(a2, '10-reminder-notification-phone');
    assert.equal(await b1.locator('#notifications .toast').count(), 0, 'no reminder on another user\'s page');
  });

  it('requested nothing but its own gateway', () => {
    const foreign = requested.filter((u) => !u.startsWith(`${gatewayUrl()}/`) && !u.startsWith(`ws://127.0.0.1:${config.gatewayPort}/`) && !u.startsWith('data:'));
    assert.deepEqual(foreign, []);
  });
});

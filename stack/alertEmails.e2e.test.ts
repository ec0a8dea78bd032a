/**
 * Alerts that reach someone, on the real stack: a fault makes an alert of
 * monitoring/alerts/todo-actors.rules.yaml fire in Prometheus, Alertmanager routes it by severity
 * (monitoring/alertmanager.yaml) and it arrives as an email at the SMTP sink; the fault removed,
 * the alert resolves and its "resolved" email arrives.
 *
 * The committed rules wait minutes (`for:` and windows of 5 to 15 minutes). This test loads
 * shortened copies of the alerts it proves, derived from the committed file when it runs (`for:
 * 5s`, every range `[1m]`, a label rules="e2e-short"), into the stack's extra rules directory and
 * removes them afterwards: the expressions are the committed ones, only the durations change.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { Pool, PoolClient } from 'pg';
import { config } from '../common/config';
import { createPool } from '../common/db/pool';
import { TOPICS } from '../common/events/envelope';
import { createKafka } from '../common/kafka';
import { createLogger } from '../common/logger';
import { extraRulesDir, MONITORING_DIR, reloadMonitoring } from './monitoring';
import { api, eventually, promQuery, restartSubscribers, sinkInbox, tokenFor, uniqueUser } from './testSupport';

interface Rule { alert?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }

const PROVEN = ['KafkaConsumerLagHigh', 'ReminderDeliveryFailureRateHigh', 'DeadLettersReceived'];
const SHORT_RULES = (): string => path.join(extraRulesDir(), 'e2e-short.yaml');

/** The committed alerts named, with `for: 5s`, every range selector `[1m]` and the label rules="e2e-short". */
export function shortenedRules(committed: string, alerts: readonly string[]): { groups: Array<{ name: string; rules: Rule[] }> } {
  const doc = yaml.load(committed) as { groups: Array<{ name: string; rules: Rule[] }> };
  const groups = doc.groups
    .map((g) => ({
      name: `e2e-short.${g.name}`,
      rules: g.rules.filter((r) => r.alert && alerts.includes(r.alert)).map((r) => ({
        ...r, for: '5s', expr: r.expr.replace(/\[\d+[smh]\]/g, '[1m]'), labels: { ...r.labels, rules: 'e2e-short' },
      })),
    }))
    .filter((g) => g.rules.length > 0);
  return { groups };
}

/** The first email to the on-call address since `since` whose subject names the status and alert, and whose text has `mention`. */
async function alertEmail(status: 'FIRING' | 'RESOLVED', alert: string, since: Date, mention: string, timeoutMs: number): Promise<{ subject: string; text: string; receivedAt: string }> {
  return eventually(async () => (await sinkInbox(config.alertEmailCritical)).find((m) => Date.parse(m.receivedAt) >= since.getTime()
    && m.subject.startsWith(`[${status}] critical: ${alert}`) && m.text.includes(mention)), timeoutMs, `the ${status} email of ${alert} at ${config.alertEmailCritical}`);
}

/**
 * The first email to the operators' address (severity warning) since `since` with an alert block
 * of that status and alert whose labels include every one of `labels` (an email lists every alert
 * of its group, firing and resolved, one block each).
 */
async function warningEmail(status: 'FIRING' | 'RESOLVED', alert: string, since: Date, labels: string[], timeoutMs: number): Promise<string> {
  return eventually(async () => {
    for (const m of await sinkInbox(config.alertEmailWarning)) {
      if (Date.parse(m.receivedAt) < since.getTime() || !m.subject.includes(`warning: ${alert}`)) continue;
      const block = m.text.split(/\n(?=(?:FIRING|RESOLVED) )/).find((b) => b.startsWith(`${status} ${alert} `) && labels.every((l) => b.includes(l)));
      if (block) return block;
    }
    return undefined;
  }, timeoutMs, `a ${status} block of ${alert} (${labels.join(', ')}) at ${config.alertEmailWarning}`);
}

async function firing(alert: string): Promise<boolean> {
  const r = await promQuery(`ALERTS{alertname="${alert}",alertstate="firing",rules="e2e-short"}`);
  return r.ok && r.series.length > 0;
}

describe('alerts as emails, through Prometheus and Alertmanager', function () {
  this.timeout(600_000);
  let pool: Pool;

  before(async () => {
    fs.mkdirSync(extraRulesDir(), { recursive: true });
    fs.writeFileSync(SHORT_RULES(), yaml.dump(shortenedRules(fs.readFileSync(path.join(MONITORING_DIR, 'alerts', 'todo-actors.rules.yaml'), 'utf8'), PROVEN), { lineWidth: -1 }));
    await reloadMonitoring();
    await eventually(async () => {
      const r = (await (await fetch(`http://127.0.0.1:${config.prometheusPort}/api/v1/rules?type=alert`)).json()) as { data: { groups: Array<{ file: string; rules: Array<{ name: string }> }> } };
      const loaded = r.data.groups.filter((g) => g.file === SHORT_RULES()).flatMap((g) => g.rules.map((x) => x.name));
      return PROVEN.every((a) => loaded.includes(a)) ? true : undefined;
    }, 30_000, 'Prometheus to load the shortened rules');
    pool = createPool('alert-emails-test');
  });

  after(async () => {
    fs.rmSync(SHORT_RULES(), { force: true });
    await reloadMonitoring();
    await pool.end();
  });

  it('the shortened copies keep the committed expressions but for their durations', () => {
    const committed = fs.readFileSync(path.join(MONITORING_DIR, 'alerts', 'todo-actors.rules.yaml'), 'utf8');
    const rules = shortenedRules(committed, PROVEN).groups.flatMap((g) => g.rules);
    assert.deepEqual(rules.map((r) => r.alert).sort(), [...PROVEN].sort());
    for (const r of rules) {
      assert.equal(r.for, '5s');
      assert.doesNotMatch(r.expr, /\[(?!1m\])/);
      assert.equal(r.labels?.severity, r.alert === 'DeadLettersReceived' ? 'warning' : 'critical');
    }
  });

  it('KafkaConsumerLagHigh: a stuck notifications consumer fires it, an email reaches the on-call address, and it resolves once the consumer moves again', async () => {
    const start = new Date();
    // The notifications consumer records each reminder.due in the notifications table before it
    // commits its offset: a lock on that table (a stuck migration, say) stops it, and its lag grows.
    const locker: PoolClient = await pool.connect();
    let locked = true;
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE notifications IN EXCLUSIVE MODE');
      const user = uniqueUser('lag-alert');
      const token = await tokenFor(user, `${user}@example.com`);
      const created = await api('POST', '/v1/tasks', { token, body: { title: 'stuck', due: new Date(Date.now() + 3_600_000).toISOString(), reminders: [{ at: new Date(Date.now() + 1000).toISOString() }] } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const fired = await alertEmail('FIRING', 'KafkaConsumerLagHigh', start, 'group=notifications', 240_000);
      assert.match(fired.text, /rules=e2e-short/);
      assert.match(fired.text, /monitoring\/README\.md#kafkaconsumerlaghigh/, 'the email says where the runbook is');
      await locker.query('COMMIT');
      locked = false;
    } finally {
      if (locked) await locker.query('ROLLBACK').catch(() => undefined);
      locker.release();
    }
    const freed = new Date();
    await alertEmail('RESOLVED', 'KafkaConsumerLagHigh', freed, 'group=notifications', 300_000);
    assert.equal(await firing('KafkaConsumerLagHigh'), false);
  });

  it('ReminderDeliveryFailureRateHigh: reminders the SMTP server keeps refusing fire it, an email reaches the on-call address, and it resolves once they stop', async () => {
    // One retry, quickly: a temporary refusal (…@tempfail.invalid, 451) is given up after two tries.
    await restartSubscribers({ NOTIFY_MAX_RETRIES: '1', NOTIFY_RETRY_BASE_MS: '100' });
    try {
      const start = new Date();
      for (let i = 0; i < 5; i++) {
        const user = uniqueUser('fail-alert');
        const token = await tokenFor(user, `${user}@tempfail.invalid`);
        const created = await api('POST', '/v1/tasks', { token, body: { title: `refused ${i}`, due: new Date(Date.now() + 3_600_000).toISOString(), reminders: [{ at: new Date(Date.now() + 1000).toISOString() }] } });
        assert.equal(created.status, 201, JSON.stringify(created.body));
      }
      const fired = await alertEmail('FIRING', 'ReminderDeliveryFailureRateHigh', start, 'rules=e2e-short', 240_000);
      assert.match(fired.text, /monitoring\/README\.md#reminderdeliveryfailureratehigh/);
    } finally {
      await restartSubscribers({});
    }
    const restored = new Date();
    await alertEmail('RESOLVED', 'ReminderDeliveryFailureRateHigh', restored, 'rules=e2e-short', 300_000);
    assert.equal(await firing('ReminderDeliveryFailureRateHigh'), false);
  });

  // Its resolution is the committed rule's increase() over the window, as in the alerts above, and
  // the promtool tests (monitoring/alerts/todo-actors.test.yaml); here the subscribers may have just
  // started, and a young replica's count holds the alert for the whole 10 minutes.
  it('DeadLettersReceived: a message the audit can never record fires it for its dead-letter topic, even straight after the subscribers start, and an email reaches the operators with the runbook', async () => {
    const start = new Date();
    const producer = createKafka('alert-emails-test', createLogger('alert-emails-test'), { quiet: true }).producer();
    await producer.connect();
    try {
      await producer.send({ topic: TOPICS.taskEvents, acks: -1, messages: [{ key: uniqueUser('dead-letter-alert'), value: 'not an event' }] });
    } finally {
      await producer.disconnect();
    }
    const fired = await warningEmail('FIRING', 'DeadLettersReceived', start, ['topic=task-events.dlt', 'rules=e2e-short'], 240_000);
    assert.match(fired, /GET \/v1\/admin\/dead-letters\?topic=task-events\.dlt/, 'the email says where the dead letters wait');
    assert.match(fired, /monitoring\/README\.md#deadlettersreceived/, 'and where the runbook is');
  });
});

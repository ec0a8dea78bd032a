/**
 * The events bench (loadtest/eventsBench.ts) as a part of the suite, so that the summary compares
 * the event pipeline's own throughput and lag with the seed's 1,000 events/s and issue 5's goals
 * (the write scenarios publish only as many events as they make writes). The bench writes its own
 * RESULTS.md section and results file; the suite folds the file into its own.
 */
import { measureEvents } from '../eventsBench';
import type { SuiteContext } from './context';
import { figure, type ScenarioResult } from './figures';

export async function eventsScenario(ctx: SuiteContext, command: string): Promise<ScenarioResult | undefined> {
  const args = ctx.quick ? ['--quick', '--runs', '1'] : ['--runs', String(ctx.runs)];
  const report = await measureEvents(args, command);
  if (!report || report.throughput.length === 0) return undefined;
  const fastest = report.throughput.reduce((a, b) => (b.rate > a.rate ? b : a));
  const seedRate = report.throughput.find((t) => t.rate === 1000) ?? fastest;
  return {
    name: 'events',
    title: 'Events: throughput into the audit, and write-to-device latency',
    ownSection: true,
    setup: `events fed straight into the outbox at ${report.throughput.map((t) => `${t.rate}/s`).join(' and ')} for ${report.options.seconds} s, then the real path: outbox publisher → Kafka → audit consumer group → audit_log`,
    commands: [command],
    figures: [
      figure('events.auditRate', `events/s into audit_log, ${fastest.rate.toLocaleString('en')}/s fed`, 'events/s', fastest.runs.map((r) => r.auditRate)),
      figure('events.lagP99', `lag publish → audit row p99, ${seedRate.rate.toLocaleString('en')}/s fed`, 'ms', seedRate.runs.map((r) => r.lagP99)),
      figure('events.audited', `events audited, of those fed (${fastest.rate.toLocaleString('en')}/s)`, '%', fastest.runs.map((r) => (100 * r.audited) / r.fed)),
    ],
    thresholdsMissed: [],
    notes: [],
  };
}

/**
 * chrono-node and V8 compile their regular expressions on first use: the first messages take tens
 * to hundreds of milliseconds, the following ones well under one. Call once at startup.
 */
import { parseMessage } from './parseMessage';

const SAMPLES = [
  'remind me to pay rent on the 1st of every month at 9am',
  'add buy milk tomorrow at 5pm #errands p2',
  "what's due this week?",
  'move the dentist appointment to friday at 3pm',
  'remind me about the grant application 1 hour before',
  'every monday and wednesday until december 31 at 8:30 call mom',
  'show completed tasks tagged work 🎉',
];

export function warmUp(): void {
  const ctx = { now: new Date(Date.UTC(2026, 0, 5, 10)), timezone: 'UTC' };
  for (let i = 0; i < 3; i++) for (const s of SAMPLES) parseMessage(s, ctx);
}

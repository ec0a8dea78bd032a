import type { Migration } from '../migrations';
import { m001Init } from './001_init';
import { m002Reminders } from './002_reminders';
import { m003NotificationClaims } from './003_notification_claims';
import { m004AuditStreamPosition } from './004_audit_stream_position';
import { m005DeadLetters } from './005_dead_letters';
import { m006Retention } from './006_retention';
import { m007OutboxTraceparent } from './007_outbox_traceparent';
import { m008IdempotencyRequestHash } from './008_idempotency_request_hash';
import { m009UserErasures } from './009_user_erasures';
import { m010TaskSearchTrigram } from './010_task_search_trigram';

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [m001Init, m002Reminders, m003NotificationClaims, m004AuditStreamPosition, m005DeadLetters, m006Retention, m007OutboxTraceparent, m008IdempotencyRequestHash, m009UserErasures, m010TaskSearchTrigram];

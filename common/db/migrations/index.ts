import type { Migration } from '../migrations';
import { m001Init } from './001_init';
import { m002Reminders } from './002_reminders';
import { m003NotificationClaims } from './003_notification_claims';

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [m001Init, m002Reminders, m003NotificationClaims];

import type { Migration } from '../migrations';
import { m001Init } from './001_init';

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [m001Init];

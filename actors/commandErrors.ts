/** The error values the UserActor's commands answer (actors/README.md lists them), and the checks of a request's task reference. */
import type { ActorError } from '../common/actorApi';
import type { FieldError } from '../common/validation';

export type Fail = { ok: false; error: ActorError };

export const isFail = <T extends object>(x: T | Fail): x is Fail => (x as Fail).ok === false;

export function invalid(message: string, details: FieldError[]): Fail {
  return { ok: false, error: { status: 400, code: 'invalid_input', message, details } };
}

export const notFound = (taskId: string): Fail => ({ ok: false, error: { status: 404, code: 'not_found', message: `no task ${taskId}` } });

export const stale = (expected: number, actual: number): Fail => ({
  ok: false, error: { status: 412, code: 'precondition_failed', message: `the task is at version ${actual}, not ${expected}; read it again`, details: [{ field: 'If-Match', message: `must be ${actual}` }] },
});

export const conflict = (): Fail => ({ ok: false, error: { status: 409, code: 'version_conflict', message: 'the task was changed at the same time; read it again and retry' } });

export function validTaskId(taskId: unknown): taskId is string {
  return typeof taskId === 'string' && taskId.length > 0 && taskId.length <= 100;
}

export const badTaskId = (): Fail => invalid('taskId is required', [{ field: 'taskId', message: 'must be a non-empty string of at most 100 characters' }]);

/** A 400 for an expected version that is not a positive integer; undefined when it is fine or absent. */
export function badVersion(v: unknown): Fail | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || (v as number) < 1) return invalid('the expected version is invalid', [{ field: 'If-Match', message: 'must be a task version, a positive integer' }]);
  return undefined;
}

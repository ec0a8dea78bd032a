/**
 * The UserActor's methods and payloads: the contract between the actor host and every caller
 * (the gateway, or any service invoking it through Dapr). Documented for humans in actors/README.md.
 */
import type { Task, TaskCreateInput } from './tasks/task';
import type { FieldError } from './validation';

export const USER_ACTOR_TYPE = 'UserActor';

/** Who is calling, taken by the gateway from the verified token. */
export interface CallerContext {
  email?: string;
  timezone?: string;
  traceId?: string;
}

export interface CreateTaskRequest {
  input: TaskCreateInput;
  idempotencyKey?: string;
  caller?: CallerContext;
}

export interface GetTaskRequest {
  taskId: string;
  caller?: CallerContext;
}

export type ActorErrorCode = 'invalid_input' | 'not_found' | 'version_conflict' | 'precondition_failed' | 'internal';

export interface ActorError {
  status: 400 | 404 | 409 | 412 | 500;
  code: ActorErrorCode;
  message: string;
  details?: FieldError[];
}

/** Every method answers with this shape; errors are values, not exceptions, so callers can map them. */
export type ActorResult<T> = ({ ok: true } & T) | { ok: false; error: ActorError };

export type CreateTaskResult = ActorResult<{ task: Task; created: boolean }>;
export type GetTaskResult = ActorResult<{ task: Task }>;

export const USER_ACTOR_METHODS = ['createTask', 'getTask'] as const;
export type UserActorMethod = (typeof USER_ACTOR_METHODS)[number];

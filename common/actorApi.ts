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
  /** The zone to default new tasks to: the caller's, else UTC. */
  timezone?: string;
  /** True when the caller gave the zone (zoneinfo claim or X-Timezone): only then is it remembered for the user. */
  zoneGiven?: boolean;
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

export interface ListTasksRequest {
  /** GET /v1/tasks's query parameters as given (strings, or string arrays for repeated ones). */
  query: Record<string, unknown>;
  caller?: CallerContext;
}

export interface UpdateTaskRequest {
  taskId: string;
  changes: Record<string, unknown>;
  /** The version the caller last saw (If-Match); a different stored version answers 412. */
  expectedVersion?: number;
  caller?: CallerContext;
}

export interface TaskRefRequest {
  taskId: string;
  expectedVersion?: number;
  caller?: CallerContext;
}

/** The longest chat message accepted (the chat parser's limit as well). */
export const MAX_CHAT_MESSAGE_LENGTH = 1000;
export const CHAT_INTENTS = ['create', 'list', 'complete', 'reopen', 'update', 'delete', 'remind', 'help', 'clarify'] as const;
export type ChatIntent = (typeof CHAT_INTENTS)[number];

export interface ChatRequest {
  /** What the person typed (1..1000 characters). */
  message: string;
  /** Makes a retried message that creates a task return the same task (Idempotency-Key). */
  idempotencyKey?: string;
  caller?: CallerContext;
}

export type ActorErrorCode = 'invalid_input' | 'not_found' | 'version_conflict' | 'precondition_failed' | 'internal' | 'unavailable';

export interface ActorError {
  /** 503 `unavailable`: the database could not take the call (down, restarting, out of disk); nothing was written, retry. */
  status: 400 | 404 | 409 | 412 | 500 | 503;
  code: ActorErrorCode;
  message: string;
  details?: FieldError[];
}

/** Every method answers with this shape; errors are values, not exceptions, so callers can map them. */
export type ActorResult<T> = ({ ok: true } & T) | { ok: false; error: ActorError };

export type CreateTaskResult = ActorResult<{ task: Task; created: boolean }>;
export type GetTaskResult = ActorResult<{ task: Task }>;
export type ListTasksResult = ActorResult<{ items: Task[]; nextCursor: string | null }>;
export type UpdateTaskResult = ActorResult<{ task: Task }>;
export type DeleteTaskResult = ActorResult<{ deleted: true }>;
export type CompleteTaskResult = ActorResult<{ task: Task; next: Task | null }>;
export type ReopenTaskResult = ActorResult<{ task: Task }>;

/** POST /v1/chat's answer (CONTRACT.md §4): a reply for the person, the intent, the tasks the reply is about. */
export type ChatResult = ActorResult<{
  reply: string;
  intent: ChatIntent;
  tasks: Task[];
}>;

export const USER_ACTOR_METHODS = ['createTask', 'getTask', 'listTasks', 'updateTask', 'deleteTask', 'completeTask', 'reopenTask', 'chat'] as const;
export type UserActorMethod = (typeof USER_ACTOR_METHODS)[number];

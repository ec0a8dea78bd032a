/**
 * The UserActor's methods and payloads: the contract between the actor host and every caller
 * (the gateway, or any service invoking it through Dapr). `UserActorApi` is the one list of its
 * methods: UserActor implements it (actors/UserActor.ts), and callers are typed by it (the
 * gateway's callActor, the reminder reconciler). Documented for humans in actors/README.md.
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
export const CHAT_INTENTS = ['create', 'list', 'complete', 'reopen', 'update', 'delete', 'remind', 'delivery', 'help', 'clarify'] as const;
export type ChatIntent = (typeof CHAT_INTENTS)[number];

export interface ChatRequest {
  /** What the person typed (1..1000 characters). */
  message: string;
  /** Makes a retried message that creates a task return the same task (Idempotency-Key). */
  idempotencyKey?: string;
  caller?: CallerContext;
}

export type ActorErrorCode = 'invalid_input' | 'not_found' | 'version_conflict' | 'precondition_failed' | 'idempotency_key_reused' | 'quota_exceeded' | 'internal' | 'unavailable';

export interface ActorError {
  /** 503 `unavailable`: the database could not take the call (down, restarting, out of disk); nothing was written, retry. */
  status: 400 | 404 | 409 | 412 | 422 | 500 | 503;
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

/** GET /v1/me/export, the actor's part: the user's profile, every task (open and completed) and every pending reminder. */
export type ExportUserResult = ActorResult<{
  exportedAt: string;
  profile: { email: string | null; timezone: string | null } | null;
  tasks: Task[];
  reminders: { taskId: string; reminderId: string; occurrence: number; fireAt: string }[];
}>;

/** DELETE /v1/me, the actor's part: what it erased, and the user.erased event that has the subscribers erase theirs. */
export type EraseUserResult = ActorResult<{
  erased: { tasks: number; reminders: number; idempotencyKeys: number; outboxRows: number };
  eventId: string;
  erasedAt: string;
}>;

/** A request about the user as a whole (exportUser, eraseUser): only who is calling. */
export interface UserRequest {
  caller?: CallerContext;
}

/** POST /v1/chat's answer (docs/API.md, "REST calls"): a reply for the person, the intent, the tasks the reply is about. */
export type ChatResult = ActorResult<{
  reply: string;
  intent: ChatIntent;
  tasks: Task[];
}>;

/** What the reconciler hands the actor for an overdue reminder (and what reminders registered one per row, before alarms, carry). */
export interface ReminderData {
  name: string;
  taskId: string;
  reminderId: string;
  occurrence: number;
  fireAt: string;
}

/** What a user's alarm hands back to the actor (actors/userAlarms.ts): the time of the earliest reminder it was registered for. */
export interface AlarmData {
  kind: 'alarm';
  fireAt: string;
}

/** Dapr gives receiveReminder only the data registered with the reminder: one of these. */
export type TriggerData = AlarmData | ReminderData;

/**
 * The UserActor's methods as callers see them through Dapr (POST /v1.0/actors/UserActor/{user}/method/{name}
 * with the request as the JSON body). The actor validates every request: any service can call it.
 */
export interface UserActorApi {
  createTask(req: CreateTaskRequest): Promise<CreateTaskResult>;
  getTask(req: GetTaskRequest): Promise<GetTaskResult>;
  listTasks(req: ListTasksRequest): Promise<ListTasksResult>;
  updateTask(req: UpdateTaskRequest): Promise<UpdateTaskResult>;
  deleteTask(req: TaskRefRequest): Promise<DeleteTaskResult>;
  completeTask(req: TaskRefRequest): Promise<CompleteTaskResult>;
  reopenTask(req: TaskRefRequest): Promise<ReopenTaskResult>;
  /** POST /v1/chat: one conversation turn; its context is this actor's state. */
  chat(req: ChatRequest): Promise<ChatResult>;
  /** GET /v1/me/export: everything the actor holds of the user (recorded as user.exported). */
  exportUser(req: UserRequest): Promise<ExportUserResult>;
  /** DELETE /v1/me: erases everything the actor holds of the user, actor state included, and emits user.erased. */
  eraseUser(req: UserRequest): Promise<EraseUserResult>;
  /** The reminder reconciler's way to fire a reminder that Dapr could not deliver (the host was down). */
  fireOverdueReminder(data: ReminderData): Promise<void>;
}

export type UserActorMethod = keyof UserActorApi;
export type RequestOf<M extends UserActorMethod> = Parameters<UserActorApi[M]>[0];
export type ResultOf<M extends UserActorMethod> = Awaited<ReturnType<UserActorApi[M]>>;
/** The methods that answer an ActorResult (all but the reconciler's): those the gateway calls. */
export type ResultMethod = { [M in UserActorMethod]: ResultOf<M> extends ActorResult<unknown> ? M : never }[UserActorMethod];
/** The success value of a method's answer. */
export type SuccessOf<M extends ResultMethod> = Extract<ResultOf<M>, { ok: true }>;

/** Every method name, checked against the interface both ways. */
export const USER_ACTOR_METHODS = [
  'createTask', 'getTask', 'listTasks', 'updateTask', 'deleteTask', 'completeTask', 'reopenTask', 'chat', 'exportUser', 'eraseUser', 'fireOverdueReminder',
] as const satisfies readonly UserActorMethod[];
// A method added to UserActorApi but not to the list fails to compile here.
const everyMethodListed: Exclude<UserActorMethod, (typeof USER_ACTOR_METHODS)[number]> extends never ? true : never = true;
void everyMethodListed;

/** Dapr's HTTP path of a UserActor method of this user, on any sidecar. */
export function actorMethodPath(userId: string, method: UserActorMethod): string {
  return `/v1.0/actors/${USER_ACTOR_TYPE}/${encodeURIComponent(userId)}/method/${method}`;
}

/**
 * One virtual actor per user (actor id = the user's id, the token's `sub`). Dapr runs one turn at a
 * time per actor, so every write of one user is serialised without locks. Its methods are the
 * contract `UserActorApi` (common/actorApi.ts).
 *
 * Dapr's SDK constructs actors itself (new Class(client, id)), so the class is made by a factory
 * that closes over the host's dependencies: `userActorClass(deps)`, once, in actors/main.ts. The
 * class's name is the Dapr actor type: it stays `UserActor`.
 */
import { AbstractActor } from '@dapr/dapr';
import type {
  ChatRequest, ChatResult, CompleteTaskResult, CreateTaskRequest, CreateTaskResult, DeleteTaskResult, GetTaskRequest, GetTaskResult, ListTasksRequest,
  ListTasksResult, ReopenTaskResult, TaskRefRequest, UpdateTaskRequest, UpdateTaskResult, UserActorApi, UserActorMethod,
  EraseUserResult, ExportUserResult, ReminderData, TriggerData, UserRequest,
} from '../common/actorApi';
import { actorActivationDuration, actorsActive } from '../common/metrics';
import { databaseUnavailable } from '../common/db/unavailable';
import type { ActorDeps } from './actorDeps';
import * as commands from './taskCommands';
import { fireReminder } from './reminderFiring';
import { chat } from './chat/chatCommand';
import { eraseUser, exportUser } from './userData';
import { CHAT_STATE_KEY, type ChatContext } from './chat/context';

type Internal = { ok: false; error: { status: 500 | 503; code: 'internal' | 'unavailable'; message: string } };

/** The UserActor class bound to the host's dependencies (what Dapr's registerActor takes). */
export function userActorClass(deps: ActorDeps) {
  return class UserActor extends AbstractActor implements UserActorApi {
    private get userId(): string {
      return this.getActorId().getId();
    }

    /** Activation, timed and counted in actors_active (the SDK calls these on first use and on deactivation). */
    override async onActivateInternal(): Promise<void> {
      const end = actorActivationDuration.startTimer();
      await super.onActivateInternal();
      end();
      actorsActive.inc();
    }

    override async onDeactivateInternal(): Promise<void> {
      actorsActive.dec();
      deps.alarms.drop(this.userId); // it may be activated on another host, whose firings this one does not see
      await super.onDeactivateInternal();
    }

    async createTask(req: CreateTaskRequest): Promise<CreateTaskResult> {
      return this.guard('createTask', () => commands.createTask(deps, this.userId, req));
    }

    async getTask(req: GetTaskRequest): Promise<GetTaskResult> {
      return this.guard('getTask', () => commands.getTask(deps, this.userId, req));
    }

    async listTasks(req: ListTasksRequest): Promise<ListTasksResult> {
      return this.guard('listTasks', () => commands.listTasks(deps, this.userId, req));
    }

    async updateTask(req: UpdateTaskRequest): Promise<UpdateTaskResult> {
      return this.guard('updateTask', () => commands.updateTask(deps, this.userId, req));
    }

    async deleteTask(req: TaskRefRequest): Promise<DeleteTaskResult> {
      return this.guard('deleteTask', () => commands.deleteTask(deps, this.userId, req));
    }

    async completeTask(req: TaskRefRequest): Promise<CompleteTaskResult> {
      return this.guard('completeTask', () => commands.completeTask(deps, this.userId, req));
    }

    async reopenTask(req: TaskRefRequest): Promise<ReopenTaskResult> {
      return this.guard('reopenTask', () => commands.reopenTask(deps, this.userId, req));
    }

    /** POST /v1/chat: one conversation turn; its context is this actor's state. */
    async chat(req: ChatRequest): Promise<ChatResult> {
      const sm = this.getStateManager<unknown>();
      return this.guard('chat', () => chat(deps, this.userId, req, {
        load: async () => (await sm.tryGetState(CHAT_STATE_KEY))[1],
        save: async (ctx: ChatContext) => {
          await sm.setState(CHAT_STATE_KEY, ctx);
          await sm.saveState();
        },
      }));
    }

    /** GET /v1/me/export: the user's tasks, pending reminders and profile. */
    async exportUser(req: UserRequest): Promise<ExportUserResult> {
      return this.guard('exportUser', () => exportUser(deps, this.userId, req));
    }

    /** DELETE /v1/me: the user's rows (actors/userData.ts), then this actor's own state (the chat context). */
    async eraseUser(req: UserRequest): Promise<EraseUserResult> {
      const sm = this.getStateManager<unknown>();
      return this.guard('eraseUser', async () => {
        const out = await eraseUser(deps, this.userId, req);
        await sm.tryRemoveState(CHAT_STATE_KEY);
        await sm.saveState();
        return out;
      });
    }

    /**
     * Dapr calls this when one of this user's reminders fires; `data` is what ReminderSync registered.
     * It never throws: a throwing reminder handler can take the process down.
     */
    override async receiveReminder(data: unknown): Promise<void> {
      const d = reminderDataOf(data);
      if (!d) {
        deps.log.warn('ignoring a reminder without our data', { userId: this.userId, data: String(data).slice(0, 200) });
        return;
      }
      await this.guard('receiveReminder', () => fireReminder(deps, this.userId, d));
    }

    /** The reconciler's way to fire a reminder that Dapr could not deliver (the host was down). */
    async fireOverdueReminder(data: unknown): Promise<void> {
      await this.receiveReminder(data);
    }

    /**
     * Unexpected failures become an error value (logged with the user), never an unhandled throw. A
     * database that cannot take the call (down, restarting, out of disk) is a 503 `unavailable`
     * with the reason: its transaction rolled back, nothing was written.
     */
    private async guard<T>(method: UserActorMethod | 'receiveReminder', fn: () => Promise<T>): Promise<T | Internal> {
      try {
        return await fn();
      } catch (err) {
        const unavailable = databaseUnavailable(err);
        if (unavailable) {
          deps.log.warn('actor method refused: database unavailable', { userId: this.userId, method, reason: unavailable, err: String(err) });
          return { ok: false, error: { status: 503, code: 'unavailable', message: `${unavailable}: nothing was written; try again` } };
        }
        deps.log.error('actor method failed', { userId: this.userId, method, err: err instanceof Error ? err.stack : String(err) });
        return { ok: false, error: { status: 500, code: 'internal', message: 'the actor could not complete the call' } };
      }
    }
  };
}

/** The reminder's data as registered (an alarm's, or a row's), whether the SDK hands it over parsed, as text or as bytes. */
function reminderDataOf(data: unknown): TriggerData | undefined {
  let v: unknown = data;
  if (Buffer.isBuffer(v)) v = v.toString('utf8');
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (!v || typeof v !== 'object') return undefined;
  const d = v as Record<string, unknown>;
  if (typeof d.fireAt !== 'string' || Number.isNaN(Date.parse(d.fireAt))) return undefined;
  if (d.kind === 'alarm') return { kind: 'alarm', fireAt: d.fireAt };
  return typeof d.name === 'string' && typeof d.taskId === 'string' && typeof d.reminderId === 'string'
    && typeof d.occurrence === 'number' ? (d as unknown as ReminderData) : undefined;
}

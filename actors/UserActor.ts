/**
 * One virtual actor per user (actor id = the user's id, the token's `sub`). Dapr runs one turn at a
 * time per actor, so every write of one user is serialised without locks. The class name is the
 * Dapr actor type: keep it `UserActor`.
 */
import { AbstractActor } from '@dapr/dapr';
import type {
  ChatRequest, ChatResult, CompleteTaskResult, CreateTaskRequest, CreateTaskResult, DeleteTaskResult, GetTaskRequest, GetTaskResult, ListTasksRequest,
  ListTasksResult, ReopenTaskResult, TaskRefRequest, UpdateTaskRequest, UpdateTaskResult,
} from '../common/actorApi';
import { actorActivationDuration, actorsActive } from '../common/metrics';
import { databaseUnavailable } from '../common/db/unavailable';
import * as commands from './taskCommands';
import { chat } from './chat/chatCommand';
import { CHAT_STATE_KEY, type ChatContext } from './chat/context';
import type { ReminderData } from './reminderSync';

let deps: commands.TaskCommandDeps | undefined;

/** Called once by the actor host before it starts serving, because Dapr's SDK constructs actors itself. */
export function provideActorDeps(d: commands.TaskCommandDeps): void {
  deps = d;
}

function required(): commands.TaskCommandDeps {
  if (!deps) throw new Error('UserActor used before provideActorDeps()');
  return deps;
}

export class UserActor extends AbstractActor {
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
    await super.onDeactivateInternal();
  }

  async createTask(req: CreateTaskRequest): Promise<CreateTaskResult> {
    return this.guard('createTask', () => commands.createTask(required(), this.userId, req));
  }

  async getTask(req: GetTaskRequest): Promise<GetTaskResult> {
    return this.guard('getTask', () => commands.getTask(required(), this.userId, req));
  }

  async listTasks(req: ListTasksRequest): Promise<ListTasksResult> {
    return this.guard('listTasks', () => commands.listTasks(required(), this.userId, req));
  }

  async updateTask(req: UpdateTaskRequest): Promise<UpdateTaskResult> {
    return this.guard('updateTask', () => commands.updateTask(required(), this.userId, req));
  }

  async deleteTask(req: TaskRefRequest): Promise<DeleteTaskResult> {
    return this.guard('deleteTask', () => commands.deleteTask(required(), this.userId, req));
  }

  async completeTask(req: TaskRefRequest): Promise<CompleteTaskResult> {
    return this.guard('completeTask', () => commands.completeTask(required(), this.userId, req));
  }

  async reopenTask(req: TaskRefRequest): Promise<ReopenTaskResult> {
    return this.guard('reopenTask', () => commands.reopenTask(required(), this.userId, req));
  }

  /** POST /v1/chat: one conversation turn; its context is this actor's state. */
  async chat(req: ChatRequest): Promise<ChatResult> {
    const sm = this.getStateManager<unknown>();
    return this.guard('chat', () => chat(required(), this.userId, req, {
      load: async () => (await sm.tryGetState(CHAT_STATE_KEY))[1],
      save: async (ctx: ChatContext) => {
        await sm.setState(CHAT_STATE_KEY, ctx);
        await sm.saveState();
      },
    }));
  }

  /**
   * Dapr calls this when one of this user's reminders fires; `data` is what ReminderSync registered.
   * It never throws: a throwing reminder handler can take the process down (ARCHITECTURE.md).
   */
  override async receiveReminder(data: unknown): Promise<void> {
    const d = reminderDataOf(data);
    if (!d) {
      required().log.warn('ignoring a reminder without our data', { userId: this.userId, data: String(data).slice(0, 200) });
      return;
    }
    await this.guard('receiveReminder', () => commands.fireReminder(required(), this.userId, d));
  }

  /** The reconciler's way to fire a reminder that Dapr could not deliver (the host was down). */
  async fireOverdueReminder(data: unknown): Promise<void> {
    await this.receiveReminder(data);
  }

  /** Unexpected failures become an error value (logged with the user), never an unhandled throw. */
  private async guard<T>(method: string, fn: () => Promise<T>): Promise<T | { ok: false; error: { status: 500 | 503; code: 'internal' | 'unavailable'; message: string } }> {
    try {
      return await fn();
    } catch (err) {
      const unavailable = databaseUnavailable(err);
      if (unavailable) {
        required().log.warn('actor method refused: database unavailable', { userId: this.userId, method, reason: unavailable, err: String(err) });
        return { ok: false, error: { status: 503, code: 'unavailable', message: `${unavailable}: nothing was written; try again` } };
      }
      required().log.error('actor method failed', { userId: this.userId, method, err: err instanceof Error ? err.stack : String(err) });
      return { ok: false, error: { status: 500, code: 'internal', message: 'the actor could not complete the call' } };
    }
  }
}

/** The reminder's data as registered, whether the SDK hands it over parsed, as text or as bytes. */
function reminderDataOf(data: unknown): ReminderData | undefined {
  let v: unknown = data;
  if (Buffer.isBuffer(v)) v = v.toString('utf8');
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  const d = v as Partial<ReminderData> | null;
  return d && typeof d.name === 'string' && typeof d.taskId === 'string' && typeof d.reminderId === 'string'
    && typeof d.occurrence === 'number' && typeof d.fireAt === 'string' ? (d as ReminderData) : undefined;
}

/**
 * A user's own data, as a whole (issue: "a user who can take their data and leave"): the export
 * and the erasure, both commands of the user's actor, so they run in its turn like every write and
 * no command of the same user interleaves with them.
 *
 * The erasure deletes what the actor host owns (tasks, pending reminders, idempotency keys, the
 * profile, published outbox rows) in one transaction with its `user.erased` event; the actor's own
 * state (the chat context) is removed by UserActor. The subscribers erase what they own (the audit
 * trail, notifications, dead letters) when they record the event (subscribers/erasure/).
 */
import type { EraseUserResult, ExportUserResult, UserRequest } from '../common/actorApi';
import { buildEvent, USER_EVENT_TASK_ID } from '../common/events/envelope';
import type { ActorDeps } from './actorDeps';
import { commit } from './commit';
import { allTasks, eraseUserRows, pendingReminders, userProfile, type ErasedRows } from './userDataStore';

/** Every task (open and completed), every pending reminder and the profile; the read is recorded as `user.exported`. */
export async function exportUser(deps: ActorDeps, userId: string, req: UserRequest | undefined): Promise<ExportUserResult> {
  const [profile, tasks, reminders] = await Promise.all([userProfile(deps.pool, userId), allTasks(deps.pool, userId), pendingReminders(deps.pool, userId)]);
  const now = deps.now();
  await commit(deps, {
    command: 'exportUser',
    userId,
    events: [buildEvent('user.exported', userId, USER_EVENT_TASK_ID, { tasks: tasks.length, reminders: reminders.length }, now, req?.caller?.traceId)],
    write: async () => true,
  });
  return { ok: true, exportedAt: now.toISOString(), profile, tasks, reminders };
}

/** Erases what the actor host holds of the user, with the `user.erased` event that tells the subscribers to erase theirs. */
export async function eraseUser(deps: ActorDeps, userId: string, req: UserRequest | undefined): Promise<EraseUserResult> {
  let erased: ErasedRows = { tasks: 0, reminders: 0, idempotencyKeys: 0, outboxRows: 0 };
  const event = buildEvent('user.erased', userId, USER_EVENT_TASK_ID, erased, deps.now(), req?.caller?.traceId);
  await commit(deps, {
    command: 'eraseUser',
    userId,
    events: [event],
    write: async (tx) => {
      erased = await eraseUserRows(tx, userId);
      event.data = erased; // the event carries the counts of the transaction it is committed in
      return true;
    },
  });
  deps.knownUse.forget(userId);
  // The cancelled reminders' rows are deleted now, and by the reconciler after a crash.
  if (erased.reminders > 0) deps.syncReminders(userId);
  return { ok: true, erased, eventId: event.eventId, erasedAt: event.time };
}

/**
 * A reconnecting device's replay: the missed events come from the audit store (the subscribers'
 * GET /audit/replay, through Dapr service invocation like GET /v1/audit), bounded by
 * STREAM_REPLAY_MAX_EVENTS, and stop where this process's live stream took over. Whatever goes
 * wrong ends in a stream.resync frame on the socket, never in a crash (gateway/stream/README.md).
 */
import { config } from '../../common/config';
import type { EventEnvelope } from '../../common/events/envelope';
import type { Logger } from '../../common/logger';
import { streamReplays } from '../../common/metrics';
import { invokeSubscribers } from '../daprClient';
import type { ReplayRequest } from './replayRequest';
import type { DeviceSocket, ReplayOutcome, StreamHub } from './streamHub';

export interface ReplayQuery {
  userId: string;
  request: ReplayRequest;
  limit: number;
  /** The last position this process passed on live for the user: later ones reach the device live. */
  upToSeq?: string;
}

/** The audit store's answer (subscribers/audit/auditApi.ts). */
export type AuditReplayAnswer =
  | { status: 'ok'; anchorSeq?: string; items: Array<{ seq: string; event: EventEnvelope<unknown> }> }
  | { status: 'unknown_event' }
  | { status: 'too_many'; limit: number }
  | { status: 'audit_behind' };

export type FetchReplay = (q: ReplayQuery) => Promise<AuditReplayAnswer>;

/** The audit store through the gateway's sidecar. */
export const fetchReplayThroughDapr: FetchReplay = (q) => {
  const params = new URLSearchParams({ userId: q.userId, limit: String(q.limit) });
  if ('after' in q.request) params.set('after', q.request.after);
  else params.set('since', q.request.since);
  if (q.upToSeq !== undefined) params.set('upToSeq', q.upToSeq);
  return invokeSubscribers<AuditReplayAnswer>(`audit/replay?${params.toString()}`);
};

/** What the device is told, for each way a replay can fail. */
export function outcomeOf(answer: AuditReplayAnswer, request: ReplayRequest): ReplayOutcome {
  switch (answer.status) {
    case 'ok':
      return {
        status: 'ok',
        anchorSeq: answer.anchorSeq,
        items: answer.items.map((i) => ({ json: JSON.stringify(i.event), eventId: i.event.eventId, seq: i.seq })),
      };
    case 'unknown_event':
      return { status: 'unknown_event', message: `no event ${'after' in request ? request.after : ''} of yours is known: fetch your tasks (GET /v1/tasks) and carry on with the live events that follow` };
    case 'too_many':
      return { status: 'too_many', message: `you missed more than ${answer.limit} events: fetch your tasks (GET /v1/tasks) and carry on with the live events that follow` };
    case 'audit_behind':
      return { status: 'audit_behind', message: 'the audit store is behind and cannot say what you missed yet: fetch your tasks (GET /v1/tasks) and carry on with the live events that follow' };
    default:
      return { status: 'audit_unavailable', message: 'the audit store gave an answer this gateway does not understand: fetch your tasks (GET /v1/tasks)' };
  }
}

export async function replayInto(hub: StreamHub, device: DeviceSocket, request: ReplayRequest, fetchReplay: FetchReplay, log: Logger): Promise<void> {
  const upToSeq = hub.lastPosition(device.userId); // read in the same tick as the registration
  let outcome: ReplayOutcome;
  try {
    outcome = outcomeOf(await fetchReplay({ userId: device.userId, request, limit: config.streamReplayMaxEvents, upToSeq }), request);
  } catch (err) {
    log.warn('stream replay failed', { userId: device.userId, err: String(err) });
    outcome = { status: 'audit_unavailable', message: 'the audit store did not answer: fetch your tasks (GET /v1/tasks) and carry on with the live events that follow' };
  }
  streamReplays.inc({ outcome: outcome.status });
  try {
    hub.finishReplay(device, outcome);
  } catch (err) {
    log.warn('stream replay could not be sent', { userId: device.userId, err: String(err) });
  }
}

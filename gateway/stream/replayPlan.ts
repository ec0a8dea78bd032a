/**
 * The seam between a replay and the live stream, as pure logic (gateway/stream/README.md): the
 * missed events from the audit store and the live events held back while they were fetched become
 * one list in the user's order, each event once.
 */

/** An event as the stream sends it: its JSON, its eventId and its position in the user's order (null when unknown). */
export interface StreamEvent {
  json: string;
  eventId: string;
  seq: string | null;
}

export interface ReplayPlan {
  /** What to send, in order. */
  events: StreamEvent[];
  /** How many of them came from the audit store. */
  replayed: number;
  /** The eventIds sent from the audit store: the live copies that may still arrive are duplicates. */
  replayedIds: Set<string>;
  /** The highest position sent from the audit store. */
  maxReplayedSeq: bigint | undefined;
}

const position = (e: StreamEvent): bigint | undefined => (e.seq === null ? undefined : BigInt(e.seq));

/**
 * Merges the audit's events (in the user's order) with the live events held during the replay (in
 * arrival order, which is the user's order on task-updates). Held events at or before `anchorSeq`
 * (the position of the event the device named: it had them) are dropped, and each eventId is sent
 * once. Events without a position keep their place after those with one.
 */
export function planReplay(audited: StreamEvent[], held: StreamEvent[], anchorSeq?: bigint): ReplayPlan {
  const anchor = anchorSeq;
  const fresh = held.filter((e) => {
    const p = position(e);
    return anchor === undefined || p === undefined || p > anchor;
  });
  const tagged = [...audited.map((e, i) => ({ e, i, fromAudit: true })), ...fresh.map((e, i) => ({ e, i: audited.length + i, fromAudit: false }))];
  tagged.sort((a, b) => {
    const pa = position(a.e);
    const pb = position(b.e);
    if (pa !== undefined && pb !== undefined && pa !== pb) return pa < pb ? -1 : 1;
    if (pa === undefined && pb !== undefined) return 1;
    if (pb === undefined && pa !== undefined) return -1;
    return a.i - b.i;
  });
  const seen = new Set<string>();
  const events: StreamEvent[] = [];
  const replayedIds = new Set<string>();
  let replayed = 0;
  let maxReplayedSeq: bigint | undefined;
  for (const t of tagged) {
    if (seen.has(t.e.eventId)) continue;
    seen.add(t.e.eventId);
    events.push(t.e);
    if (t.fromAudit) {
      replayed++;
      replayedIds.add(t.e.eventId);
      const p = position(t.e);
      if (p !== undefined && (maxReplayedSeq === undefined || p > maxReplayedSeq)) maxReplayedSeq = p;
    }
  }
  return { events, replayed, replayedIds, maxReplayedSeq };
}

/**
 * After the replay, whether a live event is one the device already has: at or before the anchor,
 * or sent from the audit store. `replayedIds` is only needed until the live stream passes the
 * highest replayed position (then the caller drops it).
 */
export function isDuplicateLive(e: StreamEvent, anchorSeq: bigint | undefined, replayedIds: Set<string> | undefined): boolean {
  const p = position(e);
  if (anchorSeq !== undefined && p !== undefined && p <= anchorSeq) return true;
  return replayedIds?.has(e.eventId) ?? false;
}

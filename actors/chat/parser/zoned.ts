/** "Now" as the user sees it: the instant, their zone, and the wall clock there. */
import { dateOf, type CivilDate, type WallTime } from './civil';
import { wallAt } from './zone';

export interface Zoned {
  nowMs: number;
  zone: string;
  nowWall: WallTime;
  today: CivilDate;
}

export function zoned(now: Date, zone: string): Zoned {
  const nowMs = now.getTime();
  const nowWall = wallAt(zone, nowMs);
  return { nowMs, zone, nowWall, today: dateOf(nowWall) };
}

// The clocks of a case: when its next response and its resolution are due (targets in business time: the
// clock stops while the team is away and while staff snoozed the case), and when a quiet customer is asked
// whether they still need help, then the case closed (calendar time: the customer keeps no business hours).
// The resolution is measured from when the case opened, or was last reopened, less its snoozes.
// Pure: the tick (clock-tick.ts) asks what is due and the lifecycle decides what that means.
import {
  ALWAYS_OPEN,
  addBusinessMs,
  type BusinessHours,
  businessMsBetween,
  nextLocalMidnight,
  nextOpening,
} from '../model/business-hours.js';
import { type CaseState, type ClockDue, staffTurn } from './case-state.js';

export interface ClockSettings {
  hours: BusinessHours;
  /** Targets in business time. */
  firstResponseMs: number;
  nextResponseMs: number;
  resolutionMs: number;
  /** After a staff reply, the customer is asked whether they still need help after this long (calendar time)… */
  followUpMs: number;
  /** …and the case resolves itself this long after that. */
  autoResolveMs: number;
}

const HOUR = 3_600_000;
/** The defaults, also the configuration's (src/app/config.ts). */
export const CLOCK_DEFAULTS: ClockSettings = {
  hours: ALWAYS_OPEN,
  firstResponseMs: 1 * HOUR,
  nextResponseMs: 4 * HOUR,
  resolutionMs: 24 * HOUR,
  followUpMs: 72 * HOUR,
  autoResolveMs: 96 * HOUR,
};

/** Share of a target after which whoever has the case is warned. */
const WARN_AT = 0.8;

/** When the response staff owe now is due, or undefined while the case waits on the customer or sleeps. */
export function responseDue(state: CaseState, clocks: ClockSettings): number | undefined {
  if (!staffTurn(state.status) || state.snoozedUntil !== null || state.staffTurnSince === null)
    return undefined;
  const target = state.firstResponseAt === null ? clocks.firstResponseMs : clocks.nextResponseMs;
  return addBusinessMs(clocks.hours, state.staffTurnSince, target);
}

/** What the case's clocks find due at `now`: each with when its target is (was) due. */
export function dueClocks(
  state: CaseState,
  clocks: ClockSettings,
  now: number,
): { due: ClockDue; dueAt?: number }[] {
  if (state.status === 'resolved') return [];
  if (state.snoozedUntil !== null) return now >= state.snoozedUntil ? [{ due: 'snooze-over' }] : [];
  const found: { due: ClockDue; dueAt?: number }[] = [];
  const stage = (start: number | null, targetMs: number, soon: ClockDue, late: ClockDue, pausedMs = 0) => {
    if (start === null) return;
    const dueAt = addBusinessMs(clocks.hours, start, targetMs + pausedMs);
    const warnAt = addBusinessMs(clocks.hours, start, targetMs * WARN_AT + pausedMs);
    if (now >= dueAt) found.push({ due: late, dueAt });
    else if (now >= warnAt) found.push({ due: soon, dueAt });
  };
  if (staffTurn(state.status)) {
    const target = state.firstResponseAt === null ? clocks.firstResponseMs : clocks.nextResponseMs;
    stage(state.staffTurnSince, target, 'response-due-soon', 'response-overdue');
  }
  const since = resolutionSince(state);
  const paused = snoozedMs(clocks.hours, state.snoozes);
  stage(since, clocks.resolutionMs, 'resolution-due-soon', 'resolution-overdue', paused);
  if (state.status === 'waiting' && state.customerTurnSince !== null) {
    if (state.followedUpAt === null && now - state.customerTurnSince >= clocks.followUpMs)
      found.push({ due: 'follow-up' });
    if (state.followedUpAt !== null && now - state.followedUpAt >= clocks.autoResolveMs)
      found.push({ due: 'auto-resolve' });
  }
  return found;
}

/** The resolution clock starts when the case opens, and over when it is reopened. */
export const resolutionSince = (state: { createdAt: number; reopenedAt?: number | null }): number =>
  state.reopenedAt ?? state.createdAt;

/**
 * The business time a case spent snoozed (its snoozes since its resolution clock started, case-state.ts), which
 * the resolution target waits for; a snooze reaching past `until` (the case closed while snoozed) counts only
 * up to it.
 */
export function snoozedMs(
  hours: BusinessHours,
  snoozes: readonly (readonly [number, number])[],
  until = Number.POSITIVE_INFINITY,
): number {
  return snoozes.reduce((sum, [from, to]) => sum + businessMsBetween(hours, from, Math.min(to, until)), 0);
}

/** How long staff may put a case aside: for a while, or until the team's next working day. */
export const SNOOZE_PRESETS = {
  '1h': 'For an hour',
  '4h': 'For four hours',
  'next-day': 'Until the next working day',
  '3d': 'For three days',
} as const;
export type SnoozePreset = keyof typeof SNOOZE_PRESETS;

/**
 * When a snooze chosen at `now` ends. The next working day is the first one after today on the team's clock:
 * it begins at the first opening from the next local midnight on (with hours around the clock, that midnight).
 */
export function snoozeUntil(preset: SnoozePreset, clocks: ClockSettings, now: number): number {
  if (preset === 'next-day') return nextOpening(clocks.hours, nextLocalMidnight(clocks.hours.timeZone, now));
  return now + { '1h': 1, '4h': 4, '3d': 72 }[preset] * HOUR;
}

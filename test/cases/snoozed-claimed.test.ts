// A snoozed case that staff claim or hand over (docs/cases.md, "Clocks": "Its clocks wait: no warning goes out
// while the case is snoozed, the response clock starts over when the snooze ends"). Claiming a new case, or
// handing it over, ends its snooze: its response clock starts over then, so nobody is told a first response is
// overdue for the time it slept.
import { describe, expect, it } from 'vitest';
import { CLOCK_DEFAULTS, dueClocks } from '../../src/cases/clocks.js';
import { type CaseEvent, type CaseState, decide } from '../../src/testing.js';
import { NEW_CASE } from '../support/case-state.js';

const MIN = 60_000;
const T0 = Date.parse('2026-12-08T10:00:00Z');
const DANA = { id: 'D1', name: 'Dana' };
const SAM = { id: 'D2', name: 'Sam' };

function step(state: CaseState, event: CaseEvent, at: number): CaseState {
  const decided = decide(state, event, at);
  if (!decided.ok) throw new Error(`refused: ${decided.error}`);
  return { ...state, ...decided.value.changes };
}

/** A new case opened at T0, snoozed ten minutes later for four hours. */
function snoozedNewCase(): CaseState {
  const opened: CaseState = { ...NEW_CASE, createdAt: T0, staffTurnSince: T0 };
  return step(
    opened,
    { type: 'snoozed', staff: DANA, until: T0 + 250 * MIN, untilText: 'in four hours' },
    T0 + 10 * MIN,
  );
}

describe('a snoozed new case claimed or handed over', () => {
  it('sends no warning while the case is snoozed (guard)', () => {
    expect(dueClocks(snoozedNewCase(), CLOCK_DEFAULTS, T0 + 120 * MIN)).toEqual([]);
  });

  it('does not tell the lead at once that the first response is overdue when staff claim it', () => {
    const claimedAt = T0 + 120 * MIN;
    const claimed = step(snoozedNewCase(), { type: 'claimed', staff: DANA }, claimedAt);
    // Either the snooze goes on, or it ended at the claim and the response clock started over then: in both,
    // a minute after the claim nothing is overdue (the first-response target is an hour).
    const due = dueClocks(claimed, CLOCK_DEFAULTS, claimedAt + MIN).map(({ due }) => due);
    expect(due).not.toContain('response-overdue');
    expect(due).not.toContain('response-due-soon');
  });

  it('does not tell the lead at once that the first response is overdue when it is handed over', () => {
    const handedAt = T0 + 120 * MIN;
    const handed = step(snoozedNewCase(), { type: 'assigned', staff: DANA, to: SAM }, handedAt);
    const due = dueClocks(handed, CLOCK_DEFAULTS, handedAt + MIN).map(({ due }) => due);
    expect(due).not.toContain('response-overdue');
  });
});

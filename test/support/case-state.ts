// A case as the lifecycle and the clocks see it (src/cases/case-state.ts): new, opened at `createdAt`, nothing
// else yet; and as a platform's side is shown it (CaseView): Alice's new case, no post or thread yet. Tests
// spread them and set what they are about. And the clocks the relay's tests run with.
import type { CaseView } from '../../src/index.js';
import { ALWAYS_OPEN, type CaseState } from '../../src/testing.js';

export const NEW_CASE: CaseState = {
  status: 'new',
  customerId: 'U1',
  customerName: 'Alice',
  claimedBy: null,
  claimedById: null,
  resolvedBy: null,
  rating: null,
  createdAt: 1_000,
  staffTurnSince: 1_000,
  remindedAt: null,
  escalatedAt: null,
  firstResponseAt: null,
  customerTurnSince: null,
  followedUpAt: null,
  snoozedUntil: null,
  snoozes: [],
  reopenedAt: null,
  resolvedAt: null,
  resolutionWarnedAt: null,
  resolutionEscalatedAt: null,
};

export const NEW_VIEW: CaseView = {
  id: 1,
  status: 'new',
  customerPlace: 'slack:C1',
  customerThread: null,
  customerId: 'U1',
  customerName: 'alice',
  question: 'example.com imap',
  staffThread: null,
  claimedBy: null,
  claimedById: null,
  resolvedBy: null,
  rating: null,
  snoozedUntil: null,
};

const MIN = 60_000;
/** The targets the relay's tests run with, around the clock: short enough to pass in a test's held clock. */
export const TEST_CLOCKS = {
  hours: ALWAYS_OPEN,
  firstResponseMs: 15 * MIN,
  nextResponseMs: 30 * MIN,
  resolutionMs: 4 * 60 * MIN,
  followUpMs: 24 * 60 * MIN,
  autoResolveMs: 24 * 60 * MIN,
};

// A case as the lifecycle and the clocks see it (src/cases/case-state.ts): new, opened at `createdAt`, nothing
// else yet. Tests spread it and set what their rows are about.
import type { CaseState } from '../../src/testing.js';

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

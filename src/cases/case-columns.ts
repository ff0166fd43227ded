// A stored case as the lifecycle reads it, and the lifecycle's changes as the columns the case store writes
// (case-store.ts): one name per field, the snoozes kept as JSON.
import type { Updateable } from 'kysely';
import type { CaseRow, CasesTable } from '../store/schema.js';
import type { CaseChanges, CaseState } from './case-state.js';

/** The lifecycle's view of a stored case. */
export function toState(row: CaseRow): CaseState {
  return {
    status: row.status,
    customerId: row.customer_id,
    customerName: row.customer_name,
    claimedBy: row.claimed_by,
    claimedById: row.claimed_by_id,
    resolvedBy: row.resolved_by,
    rating: row.rating,
    createdAt: row.created_at,
    staffTurnSince: row.staff_turn_since,
    remindedAt: row.reminded_at,
    escalatedAt: row.escalated_at,
    firstResponseAt: row.first_response_at,
    customerTurnSince: row.customer_turn_since,
    followedUpAt: row.followed_up_at,
    snoozedUntil: row.snoozed_until,
    snoozes: snoozesOf(row.snoozes),
    reopenedAt: row.reopened_at,
    resolvedAt: row.resolved_at,
    resolutionWarnedAt: row.resolution_warned_at,
    resolutionEscalatedAt: row.resolution_escalated_at,
  };
}

/** The snoozes column read back (null: none). */
export const snoozesOf = (text: string | null): [number, number][] =>
  text ? (JSON.parse(text) as [number, number][]) : [];

const COLUMNS = {
  status: 'status',
  claimedBy: 'claimed_by',
  claimedById: 'claimed_by_id',
  resolvedBy: 'resolved_by',
  rating: 'rating',
  staffTurnSince: 'staff_turn_since',
  remindedAt: 'reminded_at',
  escalatedAt: 'escalated_at',
  firstResponseAt: 'first_response_at',
  customerTurnSince: 'customer_turn_since',
  followedUpAt: 'followed_up_at',
  snoozedUntil: 'snoozed_until',
  snoozes: 'snoozes',
  // Set when a case is opened again: it then no longer counts against one open case per customer and place
  // (migration 0005), and its resolution clock starts over.
  reopenedAt: 'reopened_at',
  resolvedAt: 'resolved_at',
  resolutionWarnedAt: 'resolution_warned_at',
  resolutionEscalatedAt: 'resolution_escalated_at',
} as const satisfies Record<keyof CaseChanges, keyof CasesTable>;

/** The lifecycle's changes as the columns to set. */
export function toColumns(changes: CaseChanges): Updateable<CasesTable> {
  return Object.fromEntries(
    Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => [
        COLUMNS[field as keyof typeof COLUMNS],
        field === 'snoozes' ? JSON.stringify(value) : value,
      ]),
  );
}

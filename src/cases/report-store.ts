// Reads what a report over a period needs (report.ts): every case that may count in it (opened before its end
// and changed since its start, or still open: its targets may fall due in the period) and their activity.
import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';
import { snoozesOf } from './case-columns.js';
import type { CaseCard } from './ports.js';
import type { ReportRows } from './report.js';

export async function loadReportRows(
  db: Kysely<Schema>,
  period: { since: number; until: number },
): Promise<ReportRows> {
  const relevant = db
    .selectFrom('cases')
    .where('created_at', '<', period.until)
    .where((where) => where.or([where('updated_at', '>=', period.since), where('status', '!=', 'resolved')]));
  const cases = await relevant
    .select(['id', 'status', 'question', 'card', 'rating', 'created_at', 'first_response_at', 'resolved_at'])
    .select(['reopened_at', 'snoozes'])
    .execute();
  const activity = await db
    .selectFrom('case_activity')
    .select(['case_id', 'kind', 'staff_id', 'staff_name', 'at'])
    .where('case_id', 'in', relevant.select('id'))
    .orderBy('at')
    .orderBy('id')
    .execute();
  return {
    cases: cases.map((row) => ({
      id: row.id,
      status: row.status,
      question: row.question,
      card: row.card ? (JSON.parse(row.card) as CaseCard) : undefined,
      rating: row.rating,
      createdAt: row.created_at,
      firstResponseAt: row.first_response_at,
      resolvedAt: row.resolved_at,
      reopenedAt: row.reopened_at,
      snoozes: snoozesOf(row.snoozes),
    })),
    activity: activity.map((row) => ({
      caseId: row.case_id,
      kind: row.kind,
      staffId: row.staff_id,
      staffName: row.staff_name,
      at: row.at,
    })),
  };
}

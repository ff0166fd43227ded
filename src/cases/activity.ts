// What the report keeps of each step a case takes (the case_activity table): when a staff turn began, who
// responded, who resolved. Read from the event and the changes the lifecycle decided, so it follows the
// lifecycle's own clocks (a turn begins exactly when the response clock starts) without a rule of its own.
import type { CaseActivityTable } from '../store/schema.js';
import type { CaseChanges, CaseEvent } from './case-state.js';
import type { Db } from './outbox-store.js';

export interface Activity {
  kind: CaseActivityTable['kind'];
  staffId: string | null;
  staffName: string | null;
  at: number;
}

/** The moments a step of a case records: a staff turn begun, a response, a resolution. */
export function activityOf(event: CaseEvent | undefined, changes: CaseChanges, at: number): Activity[] {
  const staff =
    event && 'staff' in event ? { staffId: event.staff.id, staffName: event.staff.name } : undefined;
  const nobody = { staffId: null, staffName: null };
  const found: Activity[] = [];
  if (typeof changes.staffTurnSince === 'number')
    found.push({ kind: 'turn', ...nobody, at: changes.staffTurnSince });
  if (staff && (event?.type === 'staff-replied' || event?.type === 'settings-sent'))
    found.push({ kind: 'response', ...staff, at });
  // A case closed because Slack refused its thread for good was never resolved: nobody could answer it.
  if (changes.status === 'resolved')
    found.push({
      kind: event?.type === 'delivery-trouble' ? 'closed' : 'resolved',
      ...(event?.type === 'resolved' && staff ? staff : nobody),
      at: changes.resolvedAt ?? at,
    });
  return found;
}

/** Stores them inside the transaction that applies the step. */
export async function recordActivity(tx: Db, caseId: number, activity: Activity[]): Promise<void> {
  if (activity.length === 0) return;
  await tx
    .insertInto('case_activity')
    .values(
      activity.map((moment) => ({
        case_id: caseId,
        kind: moment.kind,
        staff_id: moment.staffId,
        staff_name: moment.staffName,
        at: moment.at,
      })),
    )
    .execute();
}

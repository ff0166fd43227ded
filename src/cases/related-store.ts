// The queries behind what a case card shows of other cases: the customer's and the domain's earlier cases, and
// the failures of each case's live check, by which open cases that fail alike are found (shared-cause.ts).
import type { Kysely } from 'kysely';
import type { Cause } from '../model/causes.js';
import type { CaseRow, Schema } from '../store/schema.js';
import type { Db } from './outbox-store.js';
import type { EarlierCase, SharedCause } from './ports.js';
import type { Failure } from './shared-cause.js';

/** Earlier cases a card lists. */
export const HISTORY_SIZE = 5;

export function createRelatedStore(db: Kysely<Schema>, now: () => number) {
  /** Other open cases with a post whose checks have one of `failures`, per failure. */
  async function sharing(caseId: number, failures: Failure[], on: Db = db): Promise<SharedCause[]> {
    if (failures.length === 0) return [];
    const rows = await on
      .selectFrom('case_failures')
      .innerJoin('cases', 'cases.id', 'case_failures.case_id')
      .select([
        'case_failures.host',
        'case_failures.port',
        'case_failures.cause',
        'cases.id',
        'cases.staff_thread',
      ])
      .where('cases.id', '!=', caseId)
      .where('cases.status', '!=', 'resolved')
      .where('cases.staff_thread', 'is not', null)
      .where((eb) =>
        eb.or(
          failures.map((failure) =>
            eb.and([
              eb('case_failures.host', '=', failure.host),
              eb('case_failures.port', '=', failure.port),
              eb('case_failures.cause', '=', failure.cause),
            ]),
          ),
        ),
      )
      .orderBy('cases.id')
      .execute();
    return failures.flatMap((failure) => {
      const cases = rows
        .filter(
          (row) => row.host === failure.host && row.port === failure.port && row.cause === failure.cause,
        )
        .map((row) => ({ id: row.id, staffThread: String(row.staff_thread) }));
      return cases.length > 0 ? [{ ...failure, cases }] : [];
    });
  }

  /** What the case's live check found failing, as recorded. */
  const failuresOf = async (caseId: number, on: Db = db): Promise<Failure[]> =>
    (
      await on
        .selectFrom('case_failures')
        .select(['host', 'port', 'cause'])
        .where('case_id', '=', caseId)
        .orderBy('id')
        .execute()
    ).map((row) => ({ host: row.host, port: row.port, cause: row.cause as Cause }));

  return {
    sharing,
    failuresOf,
    /** Replaces what the case's live check found failing with what it found now. */
    async recordFailures(tx: Db, caseId: number, failures: Failure[]): Promise<void> {
      await tx.deleteFrom('case_failures').where('case_id', '=', caseId).execute();
      if (failures.length === 0) return;
      const at = now();
      await tx
        .insertInto('case_failures')
        .values(failures.map((failure) => ({ case_id: caseId, ...failure, checked_at: at })))
        .execute();
    },

    /** The open cases sharing a cause with this one (each once). */
    async peers(row: CaseRow, on: Db = db): Promise<CaseRow[]> {
      const shared = await sharing(row.id, await failuresOf(row.id, on), on);
      const ids = [...new Set(shared.flatMap((cause) => cause.cases.map((peer) => peer.id)))];
      if (ids.length === 0) return [];
      return on.selectFrom('cases').selectAll().where('id', 'in', ids).orderBy('id').execute();
    },

    /** The customer's and the domain's cases opened before this one, newest first. */
    async history(row: CaseRow, on: Db = db): Promise<EarlierCase[]> {
      const earlier = await on
        .selectFrom('cases')
        .select(['id', 'created_at', 'status', 'resolved_by', 'staff_thread', 'customer_id'])
        .where('id', '<', row.id)
        .where((eb) =>
          eb.or([
            eb('customer_id', '=', row.customer_id),
            ...(row.domain ? [eb('domain', '=', row.domain)] : []),
          ]),
        )
        .orderBy('id', 'desc')
        .limit(HISTORY_SIZE)
        .execute();
      return earlier.map((other) => ({
        id: other.id,
        at: Number(other.created_at),
        status: other.status,
        resolvedBy: other.resolved_by,
        staffThread: other.staff_thread,
        sameCustomer: other.customer_id === row.customer_id,
      }));
    },
  };
}
export type RelatedStore = ReturnType<typeof createRelatedStore>;

// 0005: one open case per customer and place, kept by the database itself (three quick presses of "Ask a
// person" used to open two or three cases on PostgreSQL: each press checked, then inserted). A partial unique
// index covers the cases a press opened and nobody resolved yet; a case the customer or staff reopen later is
// marked `reopened_at` and left out, since writing in an old thread must never fail because a newer case is
// open. Duplicates made before this migration stay as they are, marked the same way, so the first one counts.
import { type Kysely, type Migration, sql } from 'kysely';

export const oneOpenCase: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before (and outside of) the typed schema
  async up(db: Kysely<any>) {
    await db.schema.alterTable('cases').addColumn('reopened_at', 'bigint').execute();
    await sql`UPDATE cases SET reopened_at = created_at
      WHERE status <> 'resolved' AND EXISTS (
        SELECT 1 FROM cases AS earlier
        WHERE earlier.customer_place = cases.customer_place AND earlier.customer_id = cases.customer_id
          AND earlier.status <> 'resolved' AND earlier.id < cases.id)`.execute(db);
    await sql`CREATE UNIQUE INDEX cases_one_open ON cases (customer_place, customer_id)
      WHERE status <> 'resolved' AND reopened_at IS NULL`.execute(db);
  },
};

// 0004: what trust in a case needs. Who claimed it, by id as well as by name (so the claimer can be pinged and
// a take-over noticed); since when it has been the staff's turn (reminders for claimed cases too); who wrote
// each relayed message, its latest text and whether it was deleted (so another person in the thread is never
// shown as the customer, and an edit that arrives before its message waits for it); and how far a delivery in
// several parts got (so a retry never posts a part twice).
import { type Kysely, type Migration, sql } from 'kysely';

export const trust: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before (and outside of) the typed schema
  async up(db: Kysely<any>) {
    const add = (table: string, column: string, type: 'text' | 'bigint' | 'integer') =>
      db.schema.alterTable(table).addColumn(column, type).execute();
    await add('cases', 'claimed_by_id', 'text');
    await add('cases', 'staff_turn_since', 'bigint');
    await db
      .updateTable('cases')
      .set({ staff_turn_since: sql.ref('created_at') })
      .execute();
    await add('case_messages', 'author_id', 'text');
    await add('case_messages', 'author_name', 'text');
    await add('case_messages', 'text', 'text');
    await add('case_messages', 'deleted', 'integer');
    await add('outbox', 'progress', 'text');
  },
};

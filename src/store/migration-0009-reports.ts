// 0009: what the lead's report and the weekly digest need. `case_activity` keeps when each staff turn began,
// who responded when and who resolved, so the report can say who did what and measure every response, long
// after the messages themselves are deleted; it is filled in for the cases already kept from what they hold
// (each case's first turn, every staff message, each resolution). `digests` records the weeks whose digest
// went out, so only one replica sends each.
import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from './engine.js';

export const reports = (engine: Engine): Migration => ({
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before (and outside of) the typed schema
  async up(db: Kysely<any>) {
    const table = db.schema.createTable('case_activity');
    await (engine === 'postgres'
      ? table.addColumn('id', 'serial', (column) => column.primaryKey())
      : table.addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement())
    )
      .addColumn('case_id', 'integer', (column) =>
        column.notNull().references('cases.id').onDelete('cascade'),
      )
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('staff_id', 'text')
      .addColumn('staff_name', 'text')
      .addColumn('at', 'bigint', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('case_activity_case')
      .on('case_activity')
      .columns(['case_id', 'at'])
      .execute();
    await db.schema
      .createTable('digests')
      .addColumn('week', 'text', (column) => column.primaryKey())
      .addColumn('held_until', 'bigint', (column) => column.notNull())
      .addColumn('sent_at', 'bigint')
      .execute();
    await sql`INSERT INTO case_activity (case_id, kind, at) SELECT id, 'turn', created_at FROM cases`.execute(
      db,
    );
    await sql`INSERT INTO case_activity (case_id, kind, staff_id, staff_name, at)
      SELECT case_id, 'response', author_id, author_name, created_at FROM case_messages WHERE origin = 'staff'`.execute(
      db,
    );
    await sql`INSERT INTO case_activity (case_id, kind, staff_id, staff_name, at)
      SELECT id, 'resolved', CASE WHEN claimed_by = resolved_by THEN claimed_by_id END, resolved_by, resolved_at
      FROM cases WHERE status = 'resolved' AND resolved_at IS NOT NULL`.execute(db);
  },
});

// 0007: what an agent's desk needs. Saved replies (snippets) staff keep for the answers they give again and
// again, by a short name, with who wrote and who last changed each and when; and an index on the cases'
// status, for the list of open cases.
import type { Kysely, Migration } from 'kysely';

export const agentDesk: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before (and outside of) the typed schema
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('snippets')
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('text', 'text', (column) => column.notNull())
      .addColumn('created_by', 'text', (column) => column.notNull())
      .addColumn('created_by_id', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_by', 'text', (column) => column.notNull())
      .addColumn('updated_by_id', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('cases_status').on('cases').columns(['status', 'created_at']).execute();
  },
};

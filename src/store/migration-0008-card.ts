// 0008: what the case card shows at a glance. What the customer wrote when they asked for a person, the mail
// program they named and their email address when known; the domain the question is about (filled in for
// earlier cases from their question), so the card can list the domain's earlier cases; and what each case's
// live check found failing, by server, port and cause, so open cases that fail alike are shown together.
import type { Kysely, Migration } from 'kysely';
import { parseQuery } from '../question/parse-question.js';
import type { Engine } from './engine.js';

export function card(engine: Engine): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before (and outside of) the typed schema
    async up(db: Kysely<any>) {
      for (const column of ['customer_words', 'program', 'customer_email', 'domain'])
        await db.schema.alterTable('cases').addColumn(column, 'text').execute();
      const questions = await db.selectFrom('cases').select(['id', 'question']).execute();
      for (const { id, question } of questions) {
        const parsed = parseQuery(String(question));
        if (parsed.ok)
          await db
            .updateTable('cases')
            .set({ domain: parsed.value.query.domain })
            .where('id', '=', id)
            .execute();
      }
      await db.schema.createIndex('cases_domain').on('cases').column('domain').execute();
      await db.schema.createIndex('cases_customer').on('cases').column('customer_id').execute();
      const table = db.schema.createTable('case_failures');
      await (engine === 'postgres'
        ? table.addColumn('id', 'serial', (column) => column.primaryKey())
        : table.addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement())
      )
        .addColumn('case_id', 'integer', (column) =>
          column.notNull().references('cases.id').onDelete('cascade'),
        )
        .addColumn('host', 'text', (column) => column.notNull())
        .addColumn('port', 'integer', (column) => column.notNull())
        .addColumn('cause', 'text', (column) => column.notNull())
        .addColumn('checked_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('case_failures_key')
        .on('case_failures')
        .columns(['host', 'port', 'cause'])
        .execute();
      await db.schema.createIndex('case_failures_case').on('case_failures').column('case_id').execute();
    },
  };
}

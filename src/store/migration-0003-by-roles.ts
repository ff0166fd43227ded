// 0003: the case tables named by roles (the customer's side, the staff's side) instead of by platform, with
// every platform reference turned into the opaque text its adapter now encodes. Until this migration every
// case came from Slack (customers) and Discord (staff), so the old values are rewritten in those adapters'
// encodings: `slack:<channel>` for where the customer asked, `slack:<channel>:<ts>` for a thread or a message,
// `discord:<thread id>` for a forum post (adapters/slack/refs.ts and adapters/discord/refs.ts must agree; the
// upgrade tests in test/store/upgrade.test.ts continue an old case through both adapters). Outbox rows keep
// their payloads; only their target is renamed. A staff-side copy stays a comma-separated list of message ids,
// which the Discord adapter reads as it did. The case card, new here, is filled in when a case's post is next
// redrawn.
import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from './engine.js';

export function byRoles(engine: Engine): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before (and outside of) the typed schema
    async up(db: Kysely<any>) {
      const rename = (table: string, from: string, to: string) =>
        db.schema.alterTable(table).renameColumn(from, to).execute();
      await rename('cases', 'slack_channel', 'customer_place');
      await rename('cases', 'slack_thread_ts', 'customer_thread');
      await rename('cases', 'discord_thread_id', 'staff_thread');
      await db.schema.alterTable('cases').addColumn('card', 'text').execute();
      // One statement: every SET reads the row as it was (SQL's rule, kept by SQLite and PostgreSQL alike).
      await sql`UPDATE cases SET
        customer_thread = 'slack:' || customer_place || ':' || customer_thread,
        customer_place = 'slack:' || customer_place,
        staff_thread = 'discord:' || staff_thread`.execute(db);

      await rename('case_messages', 'slack_ts', 'customer_message');
      await rename('case_messages', 'discord_ids', 'staff_message');
      await sql`UPDATE case_messages SET customer_message =
        (SELECT customer_place FROM cases WHERE cases.id = case_messages.case_id) || ':' || customer_message
        WHERE customer_message IS NOT NULL`.execute(db);
      await db.schema.dropIndex('case_messages_slack').execute();
      await db.schema
        .createIndex('case_messages_customer')
        .on('case_messages')
        .column('customer_message')
        .execute();

      await sql`UPDATE outbox SET target = CASE target
        WHEN 'slack' THEN 'customer' WHEN 'discord' THEN 'staff' ELSE target END`.execute(db);
      // SQLite keeps a table's constraint names inside its CREATE TABLE text and cannot rename them; the
      // constraint itself now covers (customer_place, customer_thread) all the same.
      if (engine === 'postgres')
        await sql`ALTER TABLE cases RENAME CONSTRAINT cases_slack_thread TO cases_customer_thread`.execute(
          db,
        );
    },
  };
}

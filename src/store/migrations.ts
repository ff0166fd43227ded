// Schema migrations, run at start by Kysely's migrator on SQLite and PostgreSQL alike, in the order of their
// names. Append new ones; never edit one that has shipped: a database keeps the schema its migrations made.
// Migrations name tables and columns as they were when they shipped (the first ones were named after Slack
// and Discord), which is why the migration files are the one place in src/store those names may appear.
import type { Kysely, Migration } from 'kysely';
import type { Engine } from './engine.js';
import { byRoles } from './migration-0003-by-roles.js';
import { trust } from './migration-0004-trust.js';
import { oneOpenCase } from './migration-0005-one-open-case.js';
import { clocks } from './migration-0006-clocks.js';
import { agentDesk } from './migration-0007-agent-desk.js';
import { card } from './migration-0008-card.js';
import { reports } from './migration-0009-reports.js';
import { outboxByCase } from './migration-0010-outbox-by-case.js';
import { snoozes } from './migration-0011-snoozes.js';
import { editedAt } from './migration-0012-edited-at.js';

export type { Engine } from './engine.js';

export function migrations(engine: Engine): Record<string, Migration> {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before (and outside of) the typed schema
  type Db = Kysely<any>;
  const id = (table: ReturnType<Db['schema']['createTable']>) =>
    engine === 'postgres'
      ? table.addColumn('id', 'serial', (column) => column.primaryKey())
      : table.addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement());

  return {
    '0001-cases': {
      async up(db: Db) {
        await id(db.schema.createTable('cases'))
          .addColumn('status', 'text', (column) => column.notNull())
          .addColumn('slack_channel', 'text', (column) => column.notNull())
          .addColumn('slack_thread_ts', 'text')
          .addColumn('customer_id', 'text', (column) => column.notNull())
          .addColumn('customer_name', 'text', (column) => column.notNull())
          .addColumn('question', 'text', (column) => column.notNull())
          .addColumn('discord_thread_id', 'text', (column) => column.unique())
          .addColumn('claimed_by', 'text')
          .addColumn('resolved_by', 'text')
          .addColumn('rating', 'text')
          .addColumn('reminded_at', 'bigint')
          .addColumn('created_at', 'bigint', (column) => column.notNull())
          .addColumn('updated_at', 'bigint', (column) => column.notNull())
          .addUniqueConstraint('cases_slack_thread', ['slack_channel', 'slack_thread_ts'])
          .execute();
        await id(db.schema.createTable('case_messages'))
          .addColumn('case_id', 'integer', (column) => column.notNull().references('cases.id'))
          .addColumn('origin', 'text', (column) => column.notNull())
          .addColumn('slack_ts', 'text')
          .addColumn('discord_ids', 'text')
          .addColumn('created_at', 'bigint', (column) => column.notNull())
          .execute();
        await db.schema
          .createIndex('case_messages_slack')
          .on('case_messages')
          .columns(['case_id', 'slack_ts'])
          .execute();
        await id(db.schema.createTable('outbox'))
          .addColumn('case_id', 'integer', (column) => column.notNull().references('cases.id'))
          .addColumn('target', 'text', (column) => column.notNull())
          .addColumn('payload', 'text', (column) => column.notNull())
          .addColumn('state', 'text', (column) => column.notNull())
          .addColumn('attempts', 'integer', (column) => column.notNull())
          .addColumn('next_attempt_at', 'bigint', (column) => column.notNull())
          .addColumn('locked_until', 'bigint')
          .addColumn('warned_at', 'bigint')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'bigint', (column) => column.notNull())
          .addColumn('delivered_at', 'bigint')
          .execute();
        await db.schema
          .createIndex('outbox_pending')
          .on('outbox')
          .columns(['state', 'next_attempt_at'])
          .execute();
        await db.schema
          .createTable('inbox')
          .addColumn('key', 'text', (column) => column.primaryKey())
          .addColumn('body', 'text')
          .addColumn('state', 'text', (column) => column.notNull())
          .addColumn('received_at', 'bigint', (column) => column.notNull())
          .execute();
      },
    },
    '0002-rate-limits': {
      async up(db: Db) {
        await db.schema
          .createTable('rate_limits')
          .addColumn('key', 'text', (column) => column.primaryKey())
          .addColumn('window_start', 'bigint', (column) => column.notNull())
          .addColumn('count', 'integer', (column) => column.notNull())
          .execute();
      },
    },
    '0003-by-roles': byRoles(engine),
    '0004-trust': trust,
    '0005-one-open-case': oneOpenCase,
    '0006-clocks': clocks,
    '0007-agent-desk': agentDesk,
    '0008-card': card(engine),
    '0009-reports': reports(engine),
    '0010-outbox-by-case': outboxByCase,
    '0011-snoozes': snoozes,
    '0012-edited-at': editedAt,
  };
}

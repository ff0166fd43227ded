// 0011: a case's snoozes, so the resolution target waits while staff put the case aside. `snoozes` keeps each
// snooze since the case's resolution clock started (it opened, or was last reopened) as calendar spans in JSON;
// the clocks count their business time. Cases kept before start with none: a snooze under way at the upgrade
// still ends when it should, but its time counts toward the resolution (when it began was never kept).
import type { Kysely, Migration } from 'kysely';

export const snoozes: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before (and outside of) the typed schema
  async up(db: Kysely<any>) {
    await db.schema.alterTable('cases').addColumn('snoozes', 'text').execute();
  },
};

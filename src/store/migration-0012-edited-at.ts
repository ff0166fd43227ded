// 0012: when a relayed message was last edited on its side (case_messages.edited_at, epoch ms), so an edit that
// arrives after a newer one (a platform's retry of an event that failed once) changes nothing. Messages kept
// before have none: their next edit is taken as it comes.
import type { Kysely, Migration } from 'kysely';

export const editedAt: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before (and outside of) the typed schema
  async up(db: Kysely<any>) {
    await db.schema.alterTable('case_messages').addColumn('edited_at', 'bigint').execute();
  },
};

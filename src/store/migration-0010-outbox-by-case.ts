// 0010: the outbox read case by case. Each pass asks for the first pending row of every case that is due
// (src/cases/outbox-store.ts, `due`), and each case's next rows after one was delivered; this index answers both
// from the pending rows alone, however many delivered rows the table keeps.
import { type Kysely, type Migration, sql } from 'kysely';

export const outboxByCase: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before (and outside of) the typed schema
  async up(db: Kysely<any>) {
    await sql`CREATE INDEX outbox_case_pending ON outbox (case_id, target, id) WHERE state = 'pending'`.execute(
      db,
    );
  },
};

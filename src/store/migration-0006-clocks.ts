// 0006: the response clocks. When staff first answered, since when the case has waited on the customer, when
// the bot asked them whether they still need help, until when staff snoozed it, when it was resolved, and
// which warnings about its targets went out (the 80 % warning of a response is the old reminder's column).
import type { Kysely, Migration } from 'kysely';

export const clocks: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before (and outside of) the typed schema
  async up(db: Kysely<any>) {
    for (const column of [
      'first_response_at',
      'customer_turn_since',
      'followed_up_at',
      'snoozed_until',
      'resolved_at',
      'escalated_at',
      'resolution_warned_at',
      'resolution_escalated_at',
    ])
      await db.schema.alterTable('cases').addColumn(column, 'bigint').execute();
  },
};

// The tables the bot keeps (cases between Slack and Discord, the messages relayed for them, what still has to
// be delivered, and the platform events already taken in), as Kysely sees them. Times are milliseconds since
// the epoch; JSON payloads are text, so one schema serves SQLite and PostgreSQL alike.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type CaseStatus = 'new' | 'claimed' | 'waiting' | 'resolved';

export interface CasesTable {
  id: Generated<number>;
  status: CaseStatus;
  /** The Slack conversation and the thread the case lives in (the ts of the bot's "asked for help" post). */
  slack_channel: string;
  slack_thread_ts: string | null;
  customer_id: string;
  customer_name: string;
  /** The question as the customer asked it ("example.com pop"). */
  question: string;
  /** The Discord forum post (a thread; its starter message is the case card). */
  discord_thread_id: string | null;
  claimed_by: string | null;
  resolved_by: string | null;
  rating: 'helpful' | 'not-helpful' | null;
  reminded_at: number | null;
  created_at: number;
  updated_at: number;
}

/** One relayed message and its copy on the other platform, so edits and deletions can follow it. */
export interface CaseMessagesTable {
  id: Generated<number>;
  case_id: number;
  origin: 'customer' | 'staff';
  slack_ts: string | null;
  /** Comma-separated: a long message is split into several on Discord. */
  discord_ids: string | null;
  created_at: number;
}

/** Everything waiting to be sent to a platform, in order per case and platform, kept until delivered. */
export interface OutboxTable {
  id: Generated<number>;
  case_id: number;
  target: 'slack' | 'discord';
  /** JSON of a Delivery (src/cases/deliveries.ts). */
  payload: string;
  /** `failed`: the platform refused it for good (the channel is gone, the bot was removed); kept for staff. */
  state: 'pending' | 'done' | 'failed';
  attempts: number;
  next_attempt_at: number;
  /** A replica delivering this row holds it until then, so no two replicas send the same thing. */
  locked_until: number | null;
  /** When staff were told that this has not been delivered yet. */
  warned_at: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

/** Platform events taken in: the key makes a retried event a no-op; the body lets a restart finish the work. */
export interface InboxTable {
  key: string;
  body: string | null;
  state: 'pending' | 'done';
  received_at: number;
}

/** Questions per user in the current window, shared by every replica (a fixed window per key). */
export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
}

export interface Schema {
  cases: CasesTable;
  case_messages: CaseMessagesTable;
  outbox: OutboxTable;
  inbox: InboxTable;
  rate_limits: RateLimitsTable;
}

export type CaseRow = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type CaseUpdate = Updateable<CasesTable>;
export type OutboxRow = Selectable<OutboxTable>;

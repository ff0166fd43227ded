// The tables the bot keeps (support cases between the customer's side and the staff's side, the messages
// relayed for them, what still has to be delivered, and the platform events already taken in), as Kysely sees
// them. Times are milliseconds since the epoch; JSON payloads are text, so one schema serves SQLite and
// PostgreSQL alike. Every reference to a platform's conversation, thread or message is opaque text that the
// adapter on that side encodes (for example `slack:C123:1700000000.000100`) and only that adapter reads.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type CaseStatus = 'new' | 'claimed' | 'waiting' | 'resolved';

export interface CasesTable {
  id: Generated<number>;
  status: CaseStatus;
  /** Where the customer asked (a channel or a direct conversation): the case's thread is opened there. */
  customer_place: string;
  /** The case's thread on the customer's side, once opened. */
  customer_thread: string | null;
  customer_id: string;
  customer_name: string;
  /** The question as the customer asked it ("example.com pop"). */
  question: string;
  /** The case's post on the staff side, once created. */
  staff_thread: string | null;
  /** JSON of the case card (src/cases/ports.ts, CaseCard): what the post shows beside the case itself. */
  card: string | null;
  claimed_by: string | null;
  resolved_by: string | null;
  rating: 'helpful' | 'not-helpful' | null;
  reminded_at: number | null;
  /** When the case was last opened again after being resolved (or was a duplicate before 0005): such a case
   * does not count against "one open case per customer and place". */
  reopened_at: number | null;
  created_at: number;
  updated_at: number;
}

/** One relayed message and its copy on the other side, so edits and deletions can follow it. */
export interface CaseMessagesTable {
  id: Generated<number>;
  case_id: number;
  origin: 'customer' | 'staff';
  /** The message on the customer's side. */
  customer_message: string | null;
  /** Its copy on the staff side (one reference, even when the copy took several messages there). */
  staff_message: string | null;
  created_at: number;
}

/** Which side a delivery goes to. */
export type Target = 'customer' | 'staff';

/** Everything waiting to be sent to a side, in order per case and side, kept until delivered. */
export interface OutboxTable {
  id: Generated<number>;
  case_id: number;
  target: Target;
  /** JSON of a Delivery (src/cases/deliveries.ts). */
  payload: string;
  /** `failed`: the platform refused it for good (the channel is gone, the bot was removed); kept for staff. */
  state: 'pending' | 'done' | 'failed';
  attempts: number;
  next_attempt_at: number;
  /** Unused since replicas hold a case's rows through locks that die with them (src/store/session-locks.ts). */
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

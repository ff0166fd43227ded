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
  /** Who claimed the case: their name as shown, and their id on the staff side (unknown for cases before 0004). */
  claimed_by: string | null;
  claimed_by_id: string | null;
  resolved_by: string | null;
  rating: 'helpful' | 'not-helpful' | null;
  /** When staff were warned that the current response is nearly due (80 % of its target). */
  reminded_at: number | null;
  /** When it last became the staff's turn (the case opened, or the customer wrote after a staff reply). */
  staff_turn_since: number | null;
  /** The lead was told the current response is overdue. */
  escalated_at: number | null;
  /** When staff first answered the customer. */
  first_response_at: number | null;
  /** Since when the case has waited on the customer, and when they were asked whether they still need help. */
  customer_turn_since: number | null;
  followed_up_at: number | null;
  /** Staff put the case aside until then: its clocks wait. */
  snoozed_until: number | null;
  /** JSON list of the case's snoozes since its resolution clock started, `[[from, until], …]` (0011): the
   * resolution target waits for their business time. Null: none. */
  snoozes: string | null;
  resolved_at: number | null;
  resolution_warned_at: number | null;
  resolution_escalated_at: number | null;
  /** When the case was last opened again after being resolved (or was a duplicate before 0005): such a case
   * does not count against "one open case per customer and place". */
  reopened_at: number | null;
  created_at: number;
  updated_at: number;
  /** What the customer wrote when they asked (passwords cut out), the mail program they named (0008). */
  customer_words: string | null;
  program: string | null;
  /** Their email address when known: the question's, else the one their side knows (0008). */
  customer_email: string | null;
  /** The domain the question is about, for the card's earlier cases (0008; null when it does not parse). */
  domain: string | null;
}

/** One relayed message and its copy on the other side, so edits and deletions can follow it. */
export interface CaseMessagesTable {
  id: Generated<number>;
  case_id: number;
  /** `waiting`: an edit or deletion of a customer's message that came before the message itself. */
  origin: 'customer' | 'staff' | 'waiting';
  /** The message on the customer's side. */
  customer_message: string | null;
  /** Its copy on the staff side (one reference, even when the copy took several messages there). */
  staff_message: string | null;
  /** Who wrote it on their side (null before 0004), their name as shown, and the text as it reads now. */
  author_id: string | null;
  author_name: string | null;
  text: string | null;
  /** 1 once the author deleted it. */
  deleted: number | null;
  /** When it was last edited on its side (0012): an edit older than that changes nothing. */
  edited_at: number | null;
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
  /** JSON list of the parts already delivered, for a delivery that takes several messages. */
  progress: string | null;
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

/**
 * What a case's live check found failing, one row per server, port and cause (0008): cases whose open checks
 * fail alike share a cause, and staff can answer them together.
 */
export interface CaseFailuresTable {
  id: Generated<number>;
  case_id: number;
  host: string;
  port: number;
  /** One of the cause vocabulary (src/model/causes.ts). */
  cause: string;
  checked_at: number;
}

/** Questions per user in the current window, shared by every replica (a fixed window per key). */
export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
}

/** Saved replies staff send again and again, by a short name; `{placeholders}` are filled per case. */
export interface SnippetsTable {
  name: string;
  text: string;
  /** Who wrote it and when, and who changed it last and when (the staff side's name and id). */
  created_by: string;
  created_by_id: string;
  created_at: number;
  updated_by: string;
  updated_by_id: string;
  updated_at: number;
}

/**
 * What the report measures, one row per moment of a case (0009): a staff turn began (`turn`: the case opened,
 * or the customer wrote after a staff reply), staff responded (`response`: a reply or settings sent), or the
 * case was resolved (`resolved`; no staff member when it closed by itself), or closed because its customer was
 * forgotten (`closed`; the column is text, so no migration). Who acted on the staff side;
 * nothing about the customer, so it outlives the messages and any forgetting.
 */
export interface CaseActivityTable {
  id: Generated<number>;
  case_id: number;
  kind: 'turn' | 'response' | 'resolved' | 'closed';
  staff_id: string | null;
  staff_name: string | null;
  at: number;
}

/** The weekly digests (0009): one row per week, so only one replica sends each. */
export interface DigestsTable {
  /** The local date the digest is for (`2026-12-07`). */
  week: string;
  /** A replica sending it holds it until then; another may take over after. */
  held_until: number;
  sent_at: number | null;
}

export interface Schema {
  cases: CasesTable;
  case_messages: CaseMessagesTable;
  outbox: OutboxTable;
  inbox: InboxTable;
  rate_limits: RateLimitsTable;
  snippets: SnippetsTable;
  case_failures: CaseFailuresTable;
  case_activity: CaseActivityTable;
  digests: DigestsTable;
}

export type CaseRow = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type CaseUpdate = Updateable<CasesTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type SnippetRow = Selectable<SnippetsTable>;

// What the case relay needs from each side, so the case logic never imports a chat SDK: the customer's side
// (where customers ask: Slack today) and the staff's side (where staff answer: Discord today). Adapters
// implement these and own the references they hand out (conversations, threads, messages): opaque text to the
// core. Every method either does its one thing or throws (DeliveryRefused when retrying can never help).

import type { CheckReport } from '../check/check.js';
import type { Cause } from '../model/causes.js';
import { MailSettingsError } from '../model/errors.js';
import type { Answer } from '../resolve/answer.js';
import type { SetupOffer } from '../setup/setup-offer.js';
import type { CaseStatus } from '../store/schema.js';
import type { Staff } from './lifecycle.js';

/** A case as the sides show it. */
export interface CaseView {
  id: number;
  status: CaseStatus;
  /** Where the customer asked, as the customer's side encodes it. */
  customerPlace: string;
  /** The case's thread on the customer's side, once opened. */
  customerThread: string | null;
  /** A link to that thread for staff, when the customer's side can make one. */
  customerThreadLink?: string;
  customerId: string;
  customerName: string;
  question: string;
  /** The domain the question is about, when it parses. */
  domain?: string;
  /** What the customer wrote when they asked for a person (passwords cut out). */
  customerWords?: string;
  /** The mail program they named (one of src/setup/programs.ts). */
  program?: string;
  /** Their email address, when known: the question's, else the one their side knows. */
  customerEmail?: string;
  /** The case's post on the staff side, once created. */
  staffThread: string | null;
  /** What the post shows beside the case itself, once the post exists. */
  card?: CaseCard;
  claimedBy: string | null;
  /** Who claimed it, on the staff side (unknown for cases claimed before ids were kept). */
  claimedById: string | null;
  resolvedBy: string | null;
  rating: 'helpful' | 'not-helpful' | null;
  /** Until when staff put the case aside. */
  snoozedUntil: number | null;
  /** When the reply staff owe now is due (business time), while the case waits on them. */
  nextReplyDue?: number;
  /** While the team is away: when it is back, in words ("Monday 8 December, 09:00 (Europe/Berlin)"). */
  awayUntil?: string;
}

/** A response or the resolution nearly due or overdue, or a snooze over: what the staff side says and to whom. */
export interface Reminder {
  level: 'due-soon' | 'overdue' | 'snooze-over';
  what: 'first response' | 'next response' | 'resolution';
  dueAt?: number;
  /** Whoever has the case (due soon, snooze over); none: the staff role; overdue: the lead. */
  ping?: string;
}

/** An event from the staff side, in the case's post: its key makes a retried one do nothing. */
export interface StaffEvent {
  key: string;
  staffThread: string;
  staff: Staff;
}

/** Someone's words relayed to the other side, with who wrote them. */
export interface RelayedText {
  author: string;
  text: string;
  /** Someone other than the case's customer wrote it in the customer's thread: never shown as the customer. */
  notCustomer?: true;
  /** The staff member to mention with it (whoever has the case, when it becomes their turn). */
  ping?: string;
}

/**
 * A delivery that takes several messages, made one message at a time: the parts already posted (a retry
 * starts after them) and how to record each one but the last as it is posted, so that no part is ever posted
 * twice when a later one fails. (The last is recorded with the delivery itself, in one commit.)
 */
export interface Parts {
  done: string[];
  record(part: string): Promise<void>;
  /** The delivery's key: part n is made once as `${key}.${n}`. */
  key: DeliveryKey;
}

/**
 * Names one delivery the same way on every attempt and on every replica: a platform that can tell a message it
 * has already made (Discord's enforced nonce, at most 25 characters) makes it once, whoever sends it again
 * (a retry after an answer lost on the way, a replica taking over a delivery under way).
 */
export type DeliveryKey = string;

/** What the case card in the staff post shows beside the case itself. */
export interface CaseCard {
  /** The bot's answer to the question, when it parses. */
  answer?: Answer;
  /** The live check run when the case opened (or when staff checked again), when checks are on. */
  check?: CheckReport;
  /** What an error the customer pasted means here: from their own words, or put on the card by staff. */
  diagnosis?: CardDiagnosis;
  /** The customer's and the domain's earlier cases, newest first (at most 5). */
  history?: EarlierCase[];
  /** Other open cases whose live check fails on the same server and port with the same cause. */
  shared?: SharedCause[];
}

/** A diagnosis on the card: the cause, whether the live check confirms it, the fix, and who pasted it. */
export interface CardDiagnosis {
  cause: Cause;
  confirmed: boolean | null;
  summary: string;
  fix: string;
  /** What the catalogue recognised (its own words: a code or a phrase, never the paste). */
  recognised?: string;
  by: string;
}

export interface EarlierCase {
  id: number;
  /** When it was opened. */
  at: number;
  status: CaseStatus;
  resolvedBy: string | null;
  staffThread: string | null;
  /** The same customer's (else only the same domain's). */
  sameCustomer: boolean;
}

/** One failure of this case's live check and the other open cases that have it too. */
export interface SharedCause {
  host: string;
  port: number;
  cause: Cause;
  cases: { id: number; staffThread: string }[];
}

/**
 * Every line meant for the customer mentions them (and only them): a customer who only pressed a button
 * follows no thread until they are mentioned, and would never hear back.
 */
export interface CustomerSide {
  /** The platform's name as staff know it ("Slack"), for notes about deliveries. */
  readonly name: string;
  /** A link to the case's thread, for staff. */
  threadLink(view: CaseView): string | undefined;
  /** Posts the visible "asked for help" message where the customer asked; returns the thread it starts. */
  openThread(view: CaseView): Promise<string>;
  /** A staff member's reply in the case's thread. Returns the (first) message posted. */
  postReply(view: CaseView, reply: RelayedText, parts: Parts): Promise<string>;
  /**
   * Settings sent by staff, as the usual settings message, in one message with what `setup` offers for the
   * customer's program: its steps, when the question named one, and the set-up page, when links are configured.
   */
  postSettings(view: CaseView, answer: Answer, staff: string, setup?: SetupOffer): Promise<string>;
  /** "Resolved by Dana", with the buttons to rate the help. */
  postResolved(view: CaseView, staff: string): Promise<string>;
  /** A line from the bot to the customer in the case's thread. */
  postNotice(view: CaseView, text: string): Promise<string>;
  /** A line for the customer alone where they asked, for a case without a thread. */
  tellPrivately(view: CaseView, text: string): Promise<void>;
}

export interface StaffSide {
  /** The platform's name as the customer's side knows it ("Discord"), for notes about deliveries. */
  readonly name: string;
  /** Creates the case's post with its card (the view's). Returns the thread it starts. */
  createPost(view: CaseView, key: DeliveryKey): Promise<string>;
  /** Brings the post's status (its tags, the card) up to date from the view. */
  updateStatus(view: CaseView): Promise<void>;
  /** A message from the customer's thread in the post; returns a reference to the copy (all its parts). */
  postCustomerMessage(view: CaseView, message: RelayedText, parts: Parts): Promise<string>;
  /** The message was edited: the copy follows. Returns the reference now holding it. */
  editCustomerMessage(view: CaseView, copy: string, message: RelayedText, key: DeliveryKey): Promise<string>;
  /** The message was deleted: the copy is marked, not removed. */
  markDeleted(view: CaseView, copy: string): Promise<void>;
  /** A line from the bot in the post (settings sent, rating, not delivered yet…), mentioning `ping` alone. */
  postNote(view: CaseView, text: string, ping: string | undefined, key: DeliveryKey): Promise<void>;
  /** The post's record of a staff reply sent to its customer from another post (`from`: cases answered together). */
  postSent(view: CaseView, sent: RelayedText & { from: string }, key: DeliveryKey): Promise<void>;
  /** A target nearly due (to whoever has the case, else the staff role), overdue (to the lead), a snooze over. */
  remind(view: CaseView, reminder: Reminder, key: DeliveryKey): Promise<void>;
}

/** Thrown by a port when the platform refused for good (channel gone, bot removed): retrying cannot help. */
export class DeliveryRefused extends MailSettingsError {
  override readonly name = 'DeliveryRefused';
  override readonly code = 'DELIVERY_REFUSED';
}

/**
 * Thrown by a port when the platform is away: it answered with an outage (5xx) or could not be reached. The
 * delivery is tried again however long that lasts; only an answer the port does not know is given up on after a
 * number of tries.
 */
export class PlatformAway extends MailSettingsError {
  override readonly name = 'PlatformAway';
  override readonly code = 'PLATFORM_AWAY';
}

/** The network's own failures, Node's and undici's codes: nothing about the request itself. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Whether an error is the network's own (refused, reset, timed out, no address), as the clients throw it. */
export function unreachable(error: unknown): boolean {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return name === 'AbortError' || name === 'TimeoutError' || (typeof code === 'string' && NETWORK.has(code));
}

// What the case relay needs from each platform, so the case logic never imports a chat SDK: the customer's
// side (Slack threads) and the staff's side (Discord forum posts). Adapters implement these; every method
// either does its one thing or throws (DeliveryRefused when retrying can never help).

import type { CheckReport } from '../check/check.js';
import type { Answer } from '../resolve/answer.js';
import type { CaseStatus } from '../store/schema.js';

/** A case as the platforms show it. */
export interface CaseView {
  id: number;
  status: CaseStatus;
  slackChannel: string;
  slackThreadTs: string | null;
  customerId: string;
  customerName: string;
  question: string;
  discordThreadId: string | null;
  claimedBy: string | null;
  resolvedBy: string | null;
  rating: 'helpful' | 'not-helpful' | null;
}

/** Someone's words relayed to the other side. */
export interface RelayedText {
  author: string;
  text: string;
}

/** What the case card in the forum post shows beside the case itself. */
export interface CaseCard {
  /** The bot's answer to the question, when it parses. */
  answer?: Answer;
  /** The live check run when the case opened, when checks are on. */
  check?: CheckReport;
  /** Where staff can see the customer's thread in Slack. */
  threadLink?: string;
}

export interface CustomerSide {
  /** A link to the case's thread, for staff. */
  threadLink(view: CaseView): string | undefined;
  /** Posts the visible "asked for help" message; the case lives in its thread. Returns its ts. */
  openThread(view: CaseView): Promise<string>;
  /** A staff member's reply in the case's thread. Returns the ts of the (first) message posted. */
  postReply(view: CaseView, reply: RelayedText): Promise<string>;
  /** Settings sent by staff, as the usual settings message. */
  postSettings(view: CaseView, answer: Answer, staff: string): Promise<string>;
  /** "Resolved by Dana", with the buttons to rate the help. */
  postResolved(view: CaseView, staff: string): Promise<string>;
}

export interface StaffSide {
  /** Creates the forum post with the case card (answer, diagnostics, live check). Returns the thread id. */
  createPost(view: CaseView, card: CaseCard): Promise<string>;
  /** Brings the post's tags and the card's status up to date. */
  updateStatus(view: CaseView): Promise<void>;
  /** A customer's message in the post; returns the ids of the message(s) it took. */
  postCustomerMessage(view: CaseView, message: RelayedText): Promise<string[]>;
  /** The customer edited a message: the copy follows. Returns the ids now holding it. */
  editCustomerMessage(view: CaseView, ids: string[], message: RelayedText): Promise<string[]>;
  /** The customer deleted a message: the copy is marked, not removed. */
  markDeleted(view: CaseView, ids: string[]): Promise<void>;
  /** A line from the bot in the post (settings sent, rating, not delivered yet…). */
  postNote(view: CaseView, text: string): Promise<void>;
  /** Reminds the staff role that a case is waiting. */
  remind(view: CaseView): Promise<void>;
}

/** Thrown by a port when the platform refused for good (channel gone, bot removed): retrying cannot help. */
export class DeliveryRefused extends Error {
  override readonly name = 'DeliveryRefused';
}

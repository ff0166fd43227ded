// The port between the one conversation (conversation.ts) and a chat platform: what the bot says, as neutral
// values, and the few things a platform can do with them. Each adapter implements a Responder over its SDK
// (Bolt's ack/respond/say, discord.js's reply/deferReply/editReply) and renders each Said in its markup.
import type { CheckReport } from '../check/check.js';
import type { Answer } from '../resolve/answer.js';
import type { Program } from '../setup/programs.js';
import type { SetupOffer } from '../setup/setup-offer.js';

export type Said =
  /** One line: help, a problem with the question (with the usage line to show after it), a refusal, an apology. */
  | { kind: 'line'; text: string; usage?: string }
  /**
   * The answer. `shareAs`: the question to ask again when the asker shares a private answer (absent when the
   * answer is already public, or cannot be shared). `setup`: the steps, programs, profile and set-up page
   * that go with every answer.
   */
  | { kind: 'answer'; answer: Answer; private: boolean; shareAs?: string; setup: SetupOffer }
  /** The answer and a live check of its servers. */
  | { kind: 'checked'; answer: Answer; report: CheckReport; private: boolean; setup: SetupOffer }
  /** A shared answer as the others see it, and the private one it came from, now marked as shared. */
  | { kind: 'shared'; answer: Answer; by: string; setup: SetupOffer }
  | { kind: 'was-shared'; answer: Answer; setup: SetupOffer };

/** What every Said carries besides itself: the question as asked, for the platform's own buttons. */
export interface Saying {
  said: Said;
  /** The plain question that led here ("example.com pop"), empty when there was none. */
  asked: string;
  /** The mail program the question named, kept for a case opened from the answer (Ask a person). */
  program?: Program;
  /** With an answer to an address: the same answer to a stand-in address, for rendering it once (stand-in.ts). */
  standIn?: StandIn;
}

/**
 * What was said to a stand-in for the asker, and each string of the stand-in's with the asker's own that takes
 * its place (the address's local part, the set-up link): the two sayings differ in nothing else.
 */
export interface StandIn {
  saying: Saying;
  swaps: readonly (readonly [standIn: string, asker: string])[];
  /** The question was asked before, so its message is worth keeping; most new askers ask once. */
  keep: boolean;
}

export interface Responder {
  /** The first and only response, within the platform's window. */
  answer(saying: Saying): Promise<void>;
  /**
   * Acknowledges at once with a progress line when the answer will take longer than the inline wait; absent
   * where nothing needs acknowledging (a message event, answered whenever it is ready).
   */
  acknowledge?(progress: Saying): Promise<void>;
  /** Replaces the acknowledgement (or the private answer a share came from). */
  replace(saying: Saying): Promise<void>;
  /** Posts for the others in the conversation (a shared answer). */
  post?(saying: Saying): Promise<void>;
}

// The one conversation every chat front end has: rate limit, parse (a mail program named at the end is taken
// off first), gate the live check, answer at once when the answer is quick or acknowledge and replace it when
// it is not, share on request, and apologise (with a reference in the log) when something breaks. Every
// answer carries its set-up offer (setup/setup-offer.ts). Platforms reach it through a Responder (responder.ts).
import { LRUCache } from 'lru-cache';
import type { Checker } from '../check/check.js';
import * as words from '../messages/conversation.js';
import { queryProblem } from '../messages/question.js';
import type { Logger } from '../model/logger.js';
import type { Query } from '../model/settings.js';
import { withTimeout } from '../model/timeout.js';
import { parseQuery } from '../question/parse-question.js';
import { type Answer, noSettingsReason } from '../resolve/answer.js';
import type { Resolver } from '../resolve/resolver.js';
import { type Program, takeProgram } from '../setup/programs.js';
import { type SetupOffer, type SetupOptions, setupOffer } from '../setup/setup-offer.js';
import { createExplainer } from './explain.js';
import type { RateLimiter } from './rate-limit.js';
import type { Responder, Said, Saying } from './responder.js';
import { standInFor } from './stand-in.js';
import { underway } from './underway.js';

/** A question from a person, as a front end hands it over (platform markup already undone). */
export interface Asked {
  text: string;
  /** Stable id for rate limits and logs. */
  user: string;
  /** Customers may run live checks only when the operator allows it; staff always may. */
  audience: 'customer' | 'staff';
  /** A private answer (with the share button) or one for everyone in the conversation. */
  private: boolean;
  /** The platform's own "check" option (Discord), beside a trailing "check" in the text. */
  check?: boolean;
  /** For logs: "slack command", "discord command"… */
  via: string;
}

/** The defaults of the options below, also the configuration's (src/app/config.ts). */
export const CONVERSATION_DEFAULTS = {
  questionsPerMinute: 10,
  checksPerMinute: 3,
  inlineWaitMs: 300,
} as const;

export interface ConversationOptions {
  resolver: Resolver;
  limiter: RateLimiter;
  log: Logger;
  /** Live checks, with their own (stricter) limit; absent when checks are off. */
  check?: { run: Checker; limiter: RateLimiter; customersMay: boolean };
  /** How long to wait for an answer before acknowledging. @default 300 */
  inlineWaitMs?: number;
  /**
   * True the first time a key is seen: what keeps a shared answer from being posted twice. Replicas share it
   * through the database. @default this process's memory
   */
  firstTime?: (key: string) => Promise<boolean>;
  /** Set-up page links and the profile's organization; without links, answers carry no link. */
  setup?: SetupOptions;
}

/** Longer questions are refused before any work: no domain or address comes close. */
export const MAX_QUESTION = 1000;
/** How long one set-up offer (and its signed link, good for a day) is handed out again. */
const OFFER_RENEWAL_MS = 60 * 60 * 1000;

export function createConversation(options: ConversationOptions) {
  const { resolver, limiter, log } = options;
  const inlineWaitMs = options.inlineWaitMs ?? CONVERSATION_DEFAULTS.inlineWaitMs;
  const firstTime = options.firstTime ?? firstTimeInMemory();
  const mayCheck = (asked: Asked) =>
    options.check !== undefined && (asked.audience === 'staff' || options.check.customersMay);

  /** Questions read lately: reading is pure, so a question many people ask is read once. */
  const readings = new LRUCache<string, Reading>({ max: 1000 });

  /** What to do with a question: a line to say at once, or a query to answer (and maybe check). */
  async function read(
    asked: Asked,
  ): Promise<
    | { line: string; usage?: string }
    | { query: Query; check: boolean; program?: Program; question: string; firstAsked: boolean }
  > {
    const text = asked.text.length > MAX_QUESTION ? undefined : asked.text.trim();
    const withCheck = mayCheck(asked);
    if (text === '' || text?.toLowerCase() === 'help') return { line: words.help(withCheck) };
    const limited = await limiter(asked.user);
    if (!limited.ok) return { line: words.slowDown(limited.error.retryAfterMs) };
    // A hostile paste is refused by its length alone, before any pass over it.
    if (text === undefined) return { line: queryProblem('too-long').message, usage: words.usage(withCheck) };
    let reading = readings.get(text);
    const firstAsked = !reading;
    if (!reading) {
      reading = readQuestion(text);
      readings.set(text, reading);
    }
    if ('problem' in reading)
      return reading.usage
        ? { line: reading.problem, usage: words.usage(withCheck) }
        : { line: reading.problem };
    const { check, ...found } = reading;
    if (!check && !asked.check) return { ...found, check: false, firstAsked };
    if (!options.check) return { line: words.CHECKS_OFF };
    if (!withCheck) return { line: words.CHECKS_FOR_STAFF };
    const checks = await options.check.limiter(asked.user);
    return checks.ok
      ? { ...found, check: true, firstAsked }
      : { line: words.slowDown(checks.error.retryAfterMs) };
  }

  /**
   * What goes with an answer for setting up the customer's own mail program. The resolver hands out one Answer
   * per question while it is cached, so its offers are kept with it: the same offer for everyone who asks
   * (and so the same rendered message, render-cache.ts), made again each hour so its link keeps most of a day.
   */
  type Kept = { offer: Promise<SetupOffer>; madeAt: number };
  const offers = new WeakMap<Answer, Map<string, Kept>>();
  const setupFor = (answer: Answer, program: Program | undefined) => {
    const now = (options.setup?.now ?? Date.now)();
    const byProgram = offers.get(answer) ?? new Map<string, Kept>();
    offers.set(answer, byProgram);
    const kept = byProgram.get(program ?? '');
    if (kept && now - kept.madeAt < OFFER_RENEWAL_MS) return kept.offer;
    const offer = setupOffer(
      answer.settings,
      { question: shareQuestion(answer), ...(program ? { program } : {}) },
      { ...options.setup, now: () => now },
    );
    byProgram.set(program ?? '', { offer, madeAt: now });
    return offer;
  };

  /** Starts resolving and waits at most the inline wait; a cached answer is awaited without a timer. */
  async function answerSoon(query: Query): Promise<{ quick?: Answer; pending: Promise<Answer> }> {
    const pending = resolver.answer(query);
    if (resolver.isCached(query.domain)) return { quick: await pending, pending };
    const quick = await withTimeout(pending, inlineWaitMs, () => undefined);
    return quick ? { quick, pending } : { pending };
  }

  /** Logs a failure with a short reference and says sorry, where the conversation stands. */
  async function apologize(asked: string, responder: Responder, acknowledged: boolean, context: object) {
    // The global Web Crypto, loaded when first used: importing node:crypto would load it at every start.
    const reference = crypto.randomUUID().slice(0, 8);
    log.error('conversation: failed to answer', { ...context, reference });
    const saying = { said: { kind: 'line', text: words.apology(reference) } as const, asked };
    await (acknowledged ? responder.replace(saying) : responder.answer(saying)).catch((error: unknown) =>
      log.warn('conversation: could not send the apology', { ...context, reference, error }),
    );
  }

  const answering = {
    /** Explains a pasted error for the question's domain (explain.ts). Never throws. */
    explain: createExplainer({ ...options, inlineWaitMs }),
    /** Answers one question through the platform's responder. Never throws. */
    async ask(asked: Asked, responder: Responder): Promise<void> {
      let question = asked.text.slice(0, MAX_QUESTION);
      let named: { program?: Program } = {};
      const say = (said: Said): Saying => ({ said, asked: question, ...named });
      let acknowledged = false;
      const acknowledge = async (progress: string) => {
        if (!responder.acknowledge) return;
        await responder.acknowledge(say({ kind: 'line', text: progress }));
        acknowledged = true;
      };
      const finish = (saying: Saying) =>
        acknowledged ? responder.replace(saying) : responder.answer(saying);
      try {
        const next = await read(asked);
        if ('line' in next) {
          const usage = next.usage ? { usage: next.usage } : {};
          return await responder.answer(say({ kind: 'line', text: next.line, ...usage }));
        }
        const { query, program } = next;
        // What the answer is for, without the program: a case opened from it asks that (Ask a person).
        question = next.question;
        named = program ? { program } : {};
        if (next.check && options.check) {
          await acknowledge(words.checking(query.domain));
          const answer = await resolver.answer(query);
          const missing = noSettingsReason(answer);
          if (missing) return await finish(say({ kind: 'line', text: missing }));
          const report = await options.check.run(answer.settings);
          const setup = await setupFor(answer, program);
          return await finish(say({ kind: 'checked', answer, report, private: asked.private, setup }));
        }
        const toSay = async (answer: Answer): Promise<Saying> => {
          // A domain that does not exist gets its sentence (and likely meant domain), nothing to share or set up.
          const missing = noSettingsReason(answer);
          if (missing) return say({ kind: 'line', text: missing });
          const said = {
            kind: 'answer',
            answer,
            private: asked.private,
            // Shared, the answer keeps its steps: the program rides along with the question.
            ...(asked.private
              ? { shareAs: [shareQuestion(answer), ...(program ? [program] : [])].join(' ') }
              : {}),
            setup: await setupFor(answer, program),
          } as const;
          const standIn = await standInFor(
            {
              query,
              said,
              asked: question,
              answerFor: resolver.answer,
              setupFor: (other) => setupFor(other, program),
            },
            next.firstAsked,
          );
          return { ...say(said), ...(standIn ? { standIn } : {}) };
        };
        if (!responder.acknowledge) return await responder.answer(await toSay(await resolver.answer(query)));
        const { quick, pending } = await answerSoon(query);
        if (quick) return await responder.answer(await toSay(quick));
        await acknowledge(words.lookingUp(query.domain));
        await finish(await toSay(await pending));
      } catch (error) {
        await apologize(question, responder, acknowledged, {
          via: asked.via,
          user: asked.user,
          question,
          error,
        });
      }
    },

    /**
     * Posts a private answer for everyone (`by` shared it), then marks the private one as shared. `key` names
     * the private answer: pressed twice (on any replica), it is posted once.
     */
    async share(
      request: { question: string; by: string; user: string; via: string; key: string },
      responder: Responder,
    ) {
      const asked = request.question.slice(0, MAX_QUESTION);
      try {
        const { question, program } = takeProgram(asked);
        const parsed = parseQuery(question);
        if (!parsed.ok || program?.ok === false || !responder.post)
          throw new Error(`cannot share ${JSON.stringify(asked)}`);
        const answer = await resolver.answer(parsed.value.query);
        const setup = await setupFor(answer, program?.value);
        if (await firstTime(`share:${request.key}`)) {
          await responder.post({ said: { kind: 'shared', answer, by: request.by, setup }, asked });
        }
        await responder.replace({ said: { kind: 'was-shared', answer, setup }, asked });
      } catch (error) {
        // Said beside the private answer, not over it: the answer is still good.
        const { via, user } = request;
        await apologize(asked, responder, false, { via, user, share: asked, error });
      }
    },
  };
  const answers = underway();
  return {
    ask: answers.counted(answering.ask),
    explain: answers.counted(answering.explain),
    share: answers.counted(answering.share),
    /** True the first time `key` is seen (replicas share what they saw): for what is done once per key. */
    firstTime,
    /** Resolves once every answer under way is given: a clean stop waits for it. */
    idle: answers.idle,
  };
}
export type Conversation = ReturnType<typeof createConversation>;

/** Keys seen by this process (bounded: the oldest are forgotten first). */
function firstTimeInMemory(): (key: string) => Promise<boolean> {
  const seen = new LRUCache<string, true>({ max: 10_000 });
  return async (key) => {
    if (seen.has(key)) return false;
    seen.set(key, true);
    return true;
  };
}

/** A question as words: what it asks (and for which program), or what is wrong with it. */
type Reading =
  | { problem: string; usage: boolean }
  | { query: Query; check: boolean; question: string; program?: Program };

function readQuestion(text: string): Reading {
  const taken = takeProgram(text);
  // An unknown program's line already lists the names that work.
  if (taken.program && !taken.program.ok) return { problem: taken.program.error, usage: false };
  const parsed = parseQuery(taken.question);
  if (!parsed.ok) return { problem: parsed.error.message, usage: true };
  const program = taken.program?.ok ? { program: taken.program.value } : {};
  return { ...parsed.value, question: taken.question, ...program };
}

/** The question that gives this answer again: the address (or domain) and protocol. */
export function shareQuestion(answer: Answer): string {
  const { query } = answer.settings;
  return `${query.email ?? query.domain} ${query.protocol}`;
}

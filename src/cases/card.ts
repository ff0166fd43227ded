// The case card's contents beside the case itself. Made when the post is created: the bot's answer to the
// question, the live check of it, and what the customer's own words mean when they name an error. Brought up
// to date each time the post is redrawn: the customer's and the domain's earlier cases, and the open cases that
// share a failing check. A card whose cases sharing a cause changed names the cases to redraw in turn, so every
// card of a shared cause shows the same group.
import type { Checker } from '../check/check.js';
import type { RateLimiter } from '../model/rate-limit.js';
import { parseQuery } from '../question/parse-question.js';
import type { Answer } from '../resolve/answer.js';
import type { Resolver } from '../resolve/resolver.js';
import type { CaseRow } from '../store/schema.js';
import type { CaseStore } from './case-store.js';
import type { Db } from './outbox-store.js';
import type { CaseCard, SharedCause } from './ports.js';
import { cardOf, diagnoseWords } from './recognise.js';
import { type Failure, failuresOf } from './shared-cause.js';

export interface CardContext {
  store: CaseStore;
  resolver: Resolver;
  /** Runs the live check shown on the case card, when checks are enabled. */
  checker?: Checker;
  /** Check again probes other hosts: presses a minute per staff member (the checks' own limit). */
  checkLimiter?: RateLimiter;
}

/** The ids of the cases named in shared causes. */
export const idsIn = (shared: SharedCause[] = []) => [
  ...new Set(shared.flatMap((cause) => cause.cases.map((other) => other.id))),
];

export function createCards({ store, resolver, checker }: CardContext) {
  const { related } = store;
  async function answerTo(question: string): Promise<Answer | undefined> {
    const parsed = parseQuery(question);
    return parsed.ok ? resolver.answer(parsed.value.query) : undefined;
  }

  /** The card with the related cases as they are now (`failures`: the case's own, when not recorded yet). */
  async function withRelated(row: CaseRow, card: CaseCard, failures?: Failure[], on?: Db): Promise<CaseCard> {
    const { history: _, shared: __, ...own } = card;
    const history = await related.history(row, on);
    const open = row.status !== 'resolved';
    const shared = open
      ? await related.sharing(row.id, failures ?? (await related.failuresOf(row.id, on)), on)
      : [];
    return { ...own, ...(history.length > 0 ? { history } : {}), ...(shared.length > 0 ? { shared } : {}) };
  }

  return {
    answerTo,

    /** A new post's card, and what its live check found failing (recorded once the post exists). */
    async make(row: CaseRow): Promise<{ card: CaseCard; failures: Failure[] }> {
      const answer = await answerTo(row.question).catch(() => undefined);
      const check = answer && checker ? await checker(answer.settings).catch(() => undefined) : undefined;
      const diagnosis =
        answer && row.customer_words
          ? await diagnoseWords(row.customer_words, answer, check, row.customer_name).catch(() => undefined)
          : undefined;
      const failures = check ? failuresOf(check) : [];
      const card = {
        ...(answer ? { answer } : {}),
        ...(check ? { check } : {}),
        ...(diagnosis ? { diagnosis } : {}),
      };
      return { card: await withRelated(row, card, failures), failures };
    },

    /**
     * The card brought up to date and kept, and the cases that came into or left its shared causes since it
     * was last drawn. A case posted before cards were stored gets its card made first, once.
     */
    async refresh(id: number): Promise<{ card: CaseCard; changed: number[] }> {
      const before = await store.byId(id);
      const made = before.card ? undefined : await this.make(before);
      const done = await store.change(undefined, async (tx) => {
        const row = await store.lock(tx, id);
        const card = row.card ? cardOf(row) : (made?.card ?? {});
        if (!row.card && made) await related.recordFailures(tx, id, made.failures);
        const next = await withRelated(row, card, undefined, tx);
        await store.setCard(id, next, tx);
        const [was, is] = [idsIn(card.shared), idsIn(next.shared)];
        const changed = [
          ...was.filter((other) => !is.includes(other)),
          ...is.filter((other) => !was.includes(other)),
        ];
        return { card: next, changed };
      });
      if (!done.ok) throw new Error('a redraw cannot be a duplicate event');
      return done.value;
    },
  };
}
export type Cards = ReturnType<typeof createCards>;

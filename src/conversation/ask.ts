// One question in, one outcome out: the path every front end takes (parse, then resolve).
import type { QueryProblem } from '../messages/question.js';
import type { Query } from '../model/settings.js';
import { parseQuery } from '../question/parse-question.js';
import type { Answer } from '../resolve/answer.js';
import type { Resolver } from '../resolve/resolver.js';

/** `check`: the asker also wants a live test of the servers ("example.com check"). */
export type Outcome = { ok: true; answer: Answer; check: boolean } | { ok: false; error: QueryProblem };

export async function ask(resolver: Resolver, text: string): Promise<Outcome> {
  const parsed = parseQuery(text);
  if (!parsed.ok) return parsed;
  return { ok: true, answer: await resolver.answer(parsed.query), check: parsed.check };
}

/**
 * Starts resolving and waits at most `ms` for the answer: front ends answer inline when it is `quick` and
 * acknowledge first otherwise, then use `pending`. A cached answer is awaited without a timer.
 */
export async function answerSoon(
  resolver: Resolver,
  query: Query,
  ms: number,
): Promise<{ quick?: Answer; pending: Promise<Answer> }> {
  const pending = resolver.answer(query);
  if (resolver.isCached(query.domain)) return { quick: await pending, pending };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  const quick = await Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
  return quick ? { quick, pending } : { pending };
}

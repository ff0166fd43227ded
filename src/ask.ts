// One question in, one outcome out: the path every front end takes (parse, then resolve).
import type { QueryProblem } from './messages.js';
import { parseQuery } from './query.js';
import type { Answer, Resolver } from './resolve.js';

/** `check`: the asker also wants a live test of the servers ("example.com check"). */
export type Outcome = { ok: true; answer: Answer; check: boolean } | { ok: false; error: QueryProblem };

export async function ask(resolver: Resolver, text: string): Promise<Outcome> {
  const parsed = parseQuery(text);
  if (!parsed.ok) return parsed;
  return { ok: true, answer: await resolver.answer(parsed.query), check: parsed.check };
}

/**
 * The promise's value if it settles within `ms`, else undefined while it goes on: front ends answer inline
 * when the answer is quick and acknowledge first when it is not.
 */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

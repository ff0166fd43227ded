// One question in, one outcome out: the path every front end takes (parse, then resolve).
import type { QueryProblem } from './messages.js';
import { parseQuery } from './query.js';
import type { Answer, Resolver } from './resolve.js';

export type Outcome = { ok: true; answer: Answer } | { ok: false; error: QueryProblem };

export async function ask(resolver: Resolver, text: string): Promise<Outcome> {
  const parsed = parseQuery(text);
  if (!parsed.ok) return parsed;
  return { ok: true, answer: await resolver.answer(parsed.query) };
}

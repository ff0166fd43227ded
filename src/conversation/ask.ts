// One question in, one outcome out, with no conversation around it: the command line and the console, where
// there is nothing to acknowledge, nobody to rate-limit and nothing to share, take this path.
import type { QueryProblem } from '../messages/question.js';
import { fail, ok, type Result } from '../model/result.js';
import { parseQuery } from '../question/parse-question.js';
import type { Answer } from '../resolve/answer.js';
import type { Resolver } from '../resolve/resolver.js';

/** `check`: the asker also wants a live test of the servers ("example.com check"). */
export type Outcome = Result<{ answer: Answer; check: boolean }, QueryProblem>;

export async function ask(resolver: Resolver, text: string): Promise<Outcome> {
  const parsed = parseQuery(text);
  if (!parsed.ok) return fail(parsed.error);
  return ok({ answer: await resolver.answer(parsed.value.query), check: parsed.value.check });
}

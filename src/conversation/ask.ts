// One question in, one outcome out, with no conversation around it: the command line and the console, where
// there is nothing to acknowledge, nobody to rate-limit and nothing to share, take this path.
import { type QueryProblem, queryProblem } from '../messages/question.js';
import { fail, ok, type Result } from '../model/result.js';
import { parseQuery } from '../question/parse-question.js';
import { type Answer, noSettingsReason } from '../resolve/answer.js';
import type { Resolver } from '../resolve/resolver.js';

/** `check`: the asker also wants a live test of the servers ("example.com check"). */
export type Outcome = Result<{ answer: Answer; check: boolean }, QueryProblem>;

export async function ask(resolver: Resolver, text: string): Promise<Outcome> {
  const parsed = parseQuery(text);
  if (!parsed.ok) return fail(parsed.error);
  const answer = await resolver.answer(parsed.value.query);
  // A domain that does not exist is a mistyped question, answered like one (with the likely meant domain).
  const missing = noSettingsReason(answer);
  if (missing) return fail(queryProblem('no-such-domain', missing));
  return ok({ answer, check: parsed.value.check });
}

// The conversation for a pasted error (a Slack modal, Discord's error: option): the paste and the question are
// read first and a problem is said at once; then the asker's rate limit, the lookup (acknowledged when it is
// slow), the diagnosis, and the live check when it can say more and this asker may run one (staff, or
// customers when the operator allows it), under the checks' own limit. Failures are logged with a reference
// and answered with an apology; the paste itself is never logged.
import type { Checker } from '../check/check.js';
import type { Explained, ExplainProblem } from '../diagnose/explain.js';
import { loadDiagnose } from '../diagnose/load.js';
import * as words from '../messages/conversation.js';
import type { Logger } from '../model/logger.js';
import { withTimeout } from '../model/timeout.js';
import type { Reply } from '../reply/reply.js';
import { noSettingsReason } from '../resolve/answer.js';
import type { Resolver } from '../resolve/resolver.js';
import type { RateLimiter } from './rate-limit.js';

export type ExplainSaid =
  /** A problem with the paste or the question (`field` says which), a refusal or an apology. */
  | { kind: 'line'; text: string; field?: ExplainProblem['field'] }
  /** The explanation, and the reply every platform renders of it. */
  | { kind: 'explained'; explained: Explained; reply: Reply };

/** What a platform does with what is said about a pasted error (see Responder for the ordinary answers). */
export interface ExplainResponder {
  answer(said: ExplainSaid): Promise<void>;
  /** A progress line when the explanation takes longer than the inline wait. */
  acknowledge?(progress: string): Promise<void>;
  /** Replaces the acknowledgement. */
  replace(said: ExplainSaid): Promise<void>;
}

/** Who asks about which domain: the conversation's Asked, of which only this is needed. */
export interface Asking {
  /** The question: an address or domain, and a protocol. */
  text: string;
  user: string;
  audience: 'customer' | 'staff';
  via: string;
}

export interface ExplainerOptions {
  resolver: Resolver;
  limiter: RateLimiter;
  log: Logger;
  check?: { run: Checker; limiter: RateLimiter; customersMay: boolean };
  inlineWaitMs: number;
}

/** `asked.text` is the question (address or domain, protocol); `paste` the error as pasted. */
export function createExplainer(options: ExplainerOptions) {
  const { resolver, limiter, log } = options;
  return async function explain(asked: Asking, paste: string, responder: ExplainResponder): Promise<void> {
    let acknowledged = false;
    const acknowledge = async (progress: string) => {
      if (!responder.acknowledge || acknowledged) return;
      await responder.acknowledge(progress);
      acknowledged = true;
    };
    const finish = (said: ExplainSaid) => (acknowledged ? responder.replace(said) : responder.answer(said));
    try {
      const stage = await loadDiagnose();
      const { readExplainInput, diagnoseError, wantsCheck, explainDiagnosis } = stage;
      const input = readExplainInput(paste, asked.text.trim());
      if (!input.ok) {
        const { field, message } = input.error;
        return await responder.answer({ kind: 'line', text: message, field });
      }
      const limited = await limiter(asked.user);
      if (!limited.ok)
        return await responder.answer({ kind: 'line', text: words.slowDown(limited.error.retryAfterMs) });
      const { query } = input.value;
      const pending = resolver.answer(query);
      const quick = resolver.isCached(query.domain)
        ? await pending
        : await withTimeout(pending, options.inlineWaitMs, () => undefined);
      if (!quick) await acknowledge(words.lookingUp(query.domain));
      const answer = quick ?? (await pending);
      // A domain that does not exist (a typo) gets its sentence and likely meant domain, under the question.
      const missing = noSettingsReason(answer);
      if (missing) return await finish({ kind: 'line', text: missing, field: 'question' });
      const diagnosis = diagnoseError(input.value.paste.text, answer.settings);
      const { check } = options;
      const may = check !== undefined && (asked.audience === 'staff' || check.customersMay);
      let report: Explained['report'];
      if (check && may && wantsCheck(diagnosis) && (await check.limiter(asked.user)).ok) {
        await acknowledge(words.checking(query.domain));
        report = await check.run(answer.settings);
      }
      const explained: Explained = {
        answer,
        diagnosis,
        explanation: explainDiagnosis(diagnosis, answer, input.value.paste, report),
        ...(report ? { report } : {}),
        ...(check && !may && wantsCheck(diagnosis) ? { checkForStaff: true as const } : {}),
      };
      await finish({ kind: 'explained', explained, reply: stage.explainedToReply(explained) });
    } catch (error) {
      const reference = crypto.randomUUID().slice(0, 8);
      // The paste is not logged: it may hold what a customer should not have pasted.
      log.error('conversation: failed to explain an error', {
        via: asked.via,
        user: asked.user,
        question: asked.text.slice(0, 200),
        reference,
        error,
      });
      await finish({ kind: 'line', text: words.apology(reference) }).catch((failure: unknown) =>
        log.warn('conversation: could not send the apology', { reference, error: failure }),
      );
    }
  };
}
export type Explainer = ReturnType<typeof createExplainer>;

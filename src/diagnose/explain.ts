// Explains a pasted error for one domain: reads the paste and the question, diagnoses the paste against the
// answer's provider, and words the cause, what the live check saw (when one ran) and the fix for this domain's
// servers. The command line runs it whole (explainError); the chat conversation runs the steps itself, to
// acknowledge slow lookups and to gate the check.
import type { Checker, CheckReport } from '../check/check.js';
import * as words from '../messages/diagnose.js';
import { queryProblem } from '../messages/question.js';
import { type Cause, PASSWORD_CAUSES, SEEN_BY_CHECK } from '../model/causes.js';
import { fail, ok, type Result } from '../model/result.js';
import { type Query, type ServerType, signInOf, takesMailWithoutSignIn } from '../model/settings.js';
import { parseQuery } from '../question/parse-question.js';
import { describeUsername } from '../reply/reply.js';
import { type Answer, type MailSettings, noSettingsReason } from '../resolve/answer.js';
import type { Resolver } from '../resolve/resolver.js';
import { confirmOnServers } from './confirm.js';
import { type Diagnosis, diagnoseError } from './diagnose.js';
import { MAX_PASTE, type Paste, readPaste } from './paste.js';

/** What `--json` adds to the answer as `diagnosis`. `confirmed` is null when nothing was checked. */
export interface Explanation {
  cause: Cause;
  confirmed: boolean | null;
  summary: string;
  fix: string;
}

export interface Explained {
  answer: Answer;
  diagnosis: Diagnosis;
  explanation: Explanation;
  /** The live check, when one ran. */
  report?: CheckReport;
  /** The check would have helped, but only staff may run it here. */
  checkForStaff?: true;
}

/** What is wrong with the paste or the question, and which of the two it is. */
export interface ExplainProblem {
  field: 'paste' | 'question';
  message: string;
}

export interface ExplainInput {
  paste: Paste;
  query: Query;
}

export function readExplainInput(paste: string, question: string): Result<ExplainInput, ExplainProblem> {
  const read = readPaste(paste);
  if (!read.ok) {
    const message =
      read.error.code === 'too-long' ? words.pasteTooLong(read.error.length, MAX_PASTE) : words.PASTE_EMPTY;
    return fail({ field: 'paste', message });
  }
  // The question was never meant to be long: refused by its length before any pass over it.
  const parsed = question.length > 1000 ? fail(queryProblem('too-long')) : parseQuery(question);
  if (!parsed.ok) return fail({ field: 'question', message: parsed.error.message });
  return ok({ paste: read.value, query: parsed.value.query });
}

/** Whether a live check can say more: a cause it can see, or a password cause (the server's side is fine). */
export const wantsCheck = (diagnosis: Diagnosis) =>
  diagnosis.anyCertificate === true ||
  SEEN_BY_CHECK.includes(diagnosis.cause) ||
  PASSWORD_CAUSES.includes(diagnosis.cause);

/** The explanation of a diagnosis, with what the check saw when there was one. */
export function explainDiagnosis(
  diagnosis: Diagnosis,
  answer: Answer,
  paste: Paste,
  report?: CheckReport,
): Explanation {
  const confirmation = report ? confirmOnServers(diagnosis, report) : undefined;
  const cause = confirmation?.cause ?? diagnosis.cause;
  const said = { true: words.confirms, false: words.doesNotShow, null: words.couldNotCheck } as const;
  const seen = confirmation && said[`${confirmation.confirmed}`](confirmation.finding);
  const context = fixContext(answer.settings, diagnosis.protocol);
  const summary = [
    words.summaryOf(cause, context.signIn),
    seen,
    paste.redacted ? words.PASSWORD_LEFT_OUT : undefined,
  ];
  return {
    cause,
    confirmed: confirmation ? confirmation.confirmed : null,
    summary: summary.filter(Boolean).join(' '),
    fix: confirmation?.fix ?? words.fixOf(cause, context),
  };
}

/** What a fix names: the incoming server of the protocol the error is about (POP3's for a POP3 error), else the first. */
function fixContext(settings: MailSettings, protocol?: ServerType): words.FixContext {
  const incoming = settings.incoming.find((server) => server.type === protocol) ?? settings.incoming[0];
  const [outgoing] = settings.outgoing;
  const form = (incoming ?? outgoing)?.username;
  const { email, domain } = settings.query;
  return {
    domain,
    ...(incoming ? { incoming } : {}),
    ...(outgoing ? { outgoing } : {}),
    // Without an address, the username's form in words ("the part of your email address before the @").
    ...(form ? { username: describeUsername(form, email) } : {}),
    signIn: signInOf([...settings.incoming, ...settings.outgoing]),
    ...(outgoing && takesMailWithoutSignIn(outgoing) ? { sendsWithoutSignIn: true } : {}),
  };
}

/** The whole explanation at once (the command line): resolve, diagnose, check when a checker is given. */
export async function explainError(
  input: ExplainInput,
  services: { resolver: Resolver; checker?: Checker },
): Promise<Explained> {
  const answer = await services.resolver.answer(input.query);
  const diagnosis = diagnoseError(input.paste.text, answer.settings);
  const checks = services.checker && wantsCheck(diagnosis) && !noSettingsReason(answer);
  const report = checks ? await services.checker?.(answer.settings) : undefined;
  return {
    answer,
    diagnosis,
    explanation: explainDiagnosis(diagnosis, answer, input.paste, report),
    ...(report ? { report } : {}),
  };
}

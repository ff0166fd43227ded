// How the command prints one answer: as text (with the program's steps and the live check when asked) or as
// one JSON object; the sources' reports for --debug; and an error as the user should read it.
import type { Checker, MailSettings, Program, Resolver } from '../../src/index.js';
import { ConfigError, escapeControls, INTERNAL_ERROR, type Outcome, stringifyJson } from '../../src/index.js';
import { answerWithSetup, guideToJson } from './setup-text.js';

/** What one run of the command answers with, and how. */
export interface Run {
  resolver: Resolver;
  checker: Checker;
  json: boolean;
  debug: boolean;
  check: boolean;
}

export async function formatAnswer(
  settings: MailSettings,
  checkAsked: boolean,
  run: Run,
  program: Program | undefined,
  offerPrograms: boolean,
): Promise<string> {
  const report = run.check || checkAsked ? await run.checker(settings) : undefined;
  if (run.json) {
    return stringifyJson({
      ...settings,
      ...(report ? { check: { results: report.results, advice: report.advice, ms: report.ms } } : {}),
      ...(program ? { guide: guideToJson(program, settings) } : {}),
    });
  }
  return escapeControls(answerWithSetup(settings, report, program, offerPrograms), { keepNewlines: true });
}

export function formatReports(outcome: Extract<Outcome, { ok: true }>): string {
  return outcome.value.answer.reports
    .map((report) => `[${report.source}] ${report.status} after ${report.ms} ms: ${report.detail}`)
    .join('\n');
}

export function describeError(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error) return error.stack ?? error.message;
  if (error instanceof ConfigError) return error.message;
  return INTERNAL_ERROR;
}

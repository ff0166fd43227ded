// The `mailsettings` command: one question from the arguments, or one per line from stdin with `-`.
// Contract: exit 0 with an answer, 2 for bad input (one line on stderr, nothing on stdout), 1 for an
// internal failure; `--json` prints exactly one object per question; stack traces only with `--debug`.
// `--check` (or a question ending in "check") also probes the recommended servers live.
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import {
  answerToText,
  ask,
  type Checker,
  INTERNAL_ERROR,
  loadConfig,
  type Outcome,
  type Resolver,
  servicesFromConfig,
  USAGE,
} from '../../src/index.js';
import { HELP } from './help.js';

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

interface Run {
  resolver: Resolver;
  checker: Checker;
  json: boolean;
  debug: boolean;
  check: boolean;
}

const FLAGS = ['--json', '--debug', '--check', '--help'];
const BULK_CONCURRENCY = 8;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const flags = new Set(argv.filter((arg) => arg.startsWith('--')));
  const words = argv.filter((arg) => !arg.startsWith('--'));
  const debug = flags.has('--debug');
  if (flags.has('--help') || argv.includes('-h')) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const unknown = [...flags].find((flag) => !FLAGS.includes(flag));
  if (unknown) {
    io.stderr.write(`Unknown option ${unknown}. Usage: ${USAGE} (see --help)\n`);
    return 2;
  }

  try {
    const run: Run = {
      ...(await servicesFromConfig(loadConfig(io.env))),
      json: flags.has('--json'),
      debug,
      check: flags.has('--check'),
    };
    if (words.length === 1 && words[0] === '-') return await runBulk(run, io);
    const outcome = await ask(run.resolver, words.join(' '));
    if (!outcome.ok) {
      io.stderr.write(`${outcome.error.message}\n`);
      return 2;
    }
    if (debug) io.stderr.write(`${formatReports(outcome)}\n`);
    io.stdout.write(`${await formatAnswer(outcome, run)}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`${describeError(error, debug)}\n`);
    return 1;
  }
}

/** Answers each stdin line in order; lookups for different lines run concurrently (bounded). */
async function runBulk(run: Run, io: CliIo): Promise<number> {
  const limit = pLimit(BULK_CONCURRENCY);
  const pending: { input: string; text: Promise<string | Error> }[] = [];
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    const input = line.trim();
    if (input === '' || input.startsWith('#')) continue;
    const text = limit(async () => {
      const outcome = await ask(run.resolver, input);
      if (outcome.ok) return formatAnswer(outcome, run);
      return run.json
        ? JSON.stringify({ input, error: outcome.error.message })
        : `${input}: ${outcome.error.message}`;
    });
    pending.push({ input, text: text.catch((error: Error) => error) });
  }
  let failed = false;
  for (const [index, { input, text: promise }] of pending.entries()) {
    let text = await promise;
    if (text instanceof Error) {
      failed = true;
      const message = describeError(text, run.debug);
      text = run.json ? JSON.stringify({ input, error: message }) : `${input}: ${message}`;
    }
    io.stdout.write(`${text}\n${run.json || index === pending.length - 1 ? '' : '\n'}`);
  }
  return failed ? 1 : 0;
}

async function formatAnswer(outcome: Extract<Outcome, { ok: true }>, run: Run): Promise<string> {
  const { settings } = outcome.answer;
  const report = run.check || outcome.check ? await run.checker(settings) : undefined;
  if (run.json) {
    return JSON.stringify(
      report
        ? { ...settings, check: { results: report.results, advice: report.advice, ms: report.ms } }
        : settings,
    );
  }
  return answerToText(settings, report);
}

function formatReports(outcome: Extract<Outcome, { ok: true }>): string {
  return outcome.answer.reports
    .map((report) => `[${report.source}] ${report.status} after ${report.ms} ms: ${report.detail}`)
    .join('\n');
}

function describeError(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error) return error.stack ?? error.message;
  if (error instanceof Error && error.name === 'ConfigError') return error.message;
  return INTERNAL_ERROR;
}

// The `mailsettings` command: one question from the arguments, or one per line from stdin with `-`.
// Contract: exit 0 with an answer, 2 for bad input (one line on stderr, nothing on stdout), 1 for an
// internal failure; `--json` prints exactly one object per question; stack traces only with `--debug`.
// `--check` (or a question ending in "check") also probes the recommended servers live. Control
// characters in anything printed are shown escaped, so no input can drive the terminal.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import type { Checker, MailSettings } from '../../src/index.js';
import {
  answerToText,
  ask,
  ConfigError,
  escapeControls,
  INTERNAL_ERROR,
  loadConfig,
  type Outcome,
  type Resolver,
  servicesFromConfig,
  stringifyJson,
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
/** Lines read but not yet printed, e.g. waiting behind a slow earlier line; beyond this, reading pauses. */
const BULK_AHEAD = 256;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const flags = new Set(argv.filter((arg) => arg.startsWith('--')));
  const words = argv.filter((arg) => !arg.startsWith('--'));
  const debug = flags.has('--debug');
  const fail = (message: string) => io.stderr.write(`${escapeControls(message)}\n`);
  if (flags.has('--help') || argv.includes('-h')) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const unknown = [...flags].find((flag) => !FLAGS.includes(flag));
  if (unknown) {
    fail(`Unknown option ${unknown}. Usage: ${USAGE} (see --help)`);
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
      fail(outcome.error.message);
      return 2;
    }
    if (debug) io.stderr.write(`${escapeControls(formatReports(outcome), { keepNewlines: true })}\n`);
    io.stdout.write(`${await formatAnswer(outcome.value.answer.settings, outcome.value.check, run)}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`${escapeControls(describeError(error, debug), { keepNewlines: true })}\n`);
    return 1;
  }
}

/**
 * Answers each stdin line, printing results in input order as soon as they are ready: lines are looked up
 * concurrently (bounded), and reading pauses while too many results wait behind a slow earlier line.
 * Exit code: 0 when every line was answered, 2 when some were not understood, 1 when some failed.
 */
async function runBulk(run: Run, io: CliIo): Promise<number> {
  const limit = pLimit(BULK_CONCURRENCY);
  const counts = { ok: 0, bad: 0, failed: 0 };
  const print = async (result: BulkResult) => {
    const first = counts.ok + counts.bad + counts.failed === 0;
    counts[result.status] += 1;
    await write(io.stdout, `${run.json || first ? '' : '\n'}${result.text}\n`);
  };
  // Each line's result is printed after the previous line's: a chain, with one link per unprinted line.
  let printed = Promise.resolve();
  const unprinted: Promise<void>[] = [];
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const result = limit(() => answerLine(run, line));
    printed = printed.then(async () => print(await result));
    unprinted.push(printed);
    if (unprinted.length >= BULK_AHEAD) await unprinted.shift();
  }
  await printed;

  const unanswered = counts.bad + counts.failed;
  if (unanswered === 0) return 0;
  io.stderr.write(
    `${unanswered} of ${unanswered + counts.ok} lines could not be answered; their errors are in the output.\n`,
  );
  return counts.failed > 0 ? 1 : 2;
}

interface BulkResult {
  status: 'ok' | 'bad' | 'failed';
  text: string;
}

/** One stdin line; never rejects. `input` is the whole line as read, so results can be matched to lines. */
async function answerLine(run: Run, line: string): Promise<BulkResult> {
  const problem = (status: BulkResult['status'], message: string): BulkResult => ({
    status,
    text: run.json ? stringifyJson({ input: line, error: message }) : escapeControls(`${line}: ${message}`),
  });
  try {
    const outcome = await ask(run.resolver, line);
    if (!outcome.ok) return problem('bad', outcome.error.message);
    const { settings } = outcome.value.answer;
    const text = await formatAnswer(
      { ...settings, query: { ...settings.query, input: line } },
      outcome.value.check,
      run,
    );
    return { status: 'ok', text };
  } catch (error) {
    return problem('failed', describeError(error, run.debug));
  }
}

/** Waits when the reader is slower than the answers, so unread output does not pile up in memory. */
async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function formatAnswer(settings: MailSettings, checkAsked: boolean, run: Run): Promise<string> {
  const report = run.check || checkAsked ? await run.checker(settings) : undefined;
  if (run.json) {
    return stringifyJson(
      report
        ? { ...settings, check: { results: report.results, advice: report.advice, ms: report.ms } }
        : settings,
    );
  }
  return escapeControls(answerToText(settings, report), { keepNewlines: true });
}

function formatReports(outcome: Extract<Outcome, { ok: true }>): string {
  return outcome.value.answer.reports
    .map((report) => `[${report.source}] ${report.status} after ${report.ms} ms: ${report.detail}`)
    .join('\n');
}

function describeError(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error) return error.stack ?? error.message;
  if (error instanceof ConfigError) return error.message;
  return INTERNAL_ERROR;
}

// The `mailsettings` command: one question from the arguments, or one per line from stdin with `-`.
// Contract: exit 0 with an answer, 2 for bad input (one line on stderr, nothing on stdout), 1 for an
// internal failure; `--json` prints exactly one object per question; stack traces only with `--debug`.
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import {
  ask,
  type Config,
  INTERNAL_ERROR,
  loadConfig,
  type Outcome,
  type Resolver,
  replyToText,
  resolverFromConfig,
  settingsToReply,
  USAGE,
} from '../../src/index.js';

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const HELP = `Usage: ${USAGE}
       mailsettings [--json] -        (one question per line on stdin)

Options:
  --json    print the answer as one JSON object (one per line with -)
  --debug   show what every source said, and stack traces
  --help    show this help`;
const BULK_CONCURRENCY = 8;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const flags = new Set(argv.filter((arg) => arg.startsWith('--')));
  const words = argv.filter((arg) => !arg.startsWith('--'));
  const debug = flags.has('--debug');
  if (flags.has('--help') || argv.includes('-h')) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const unknown = [...flags].find((flag) => !['--json', '--debug'].includes(flag));
  if (unknown) {
    io.stderr.write(`Unknown option ${unknown}. Usage: ${USAGE} (see --help)\n`);
    return 2;
  }

  try {
    const resolver = await resolverFromConfig(loadConfig(io.env));
    const json = flags.has('--json');
    if (words.length === 1 && words[0] === '-') return await runBulk(resolver, io, json, debug);
    const outcome = await ask(resolver, words.join(' '));
    if (!outcome.ok) {
      io.stderr.write(`${outcome.error.message}\n`);
      return 2;
    }
    if (debug) io.stderr.write(`${formatReports(outcome)}\n`);
    io.stdout.write(
      `${json ? JSON.stringify(outcome.answer.settings) : replyToText(settingsToReply(outcome.answer.settings))}\n`,
    );
    return 0;
  } catch (error) {
    io.stderr.write(`${describeError(error, debug)}\n`);
    return 1;
  }
}

/** Answers each stdin line in order; lookups for different lines run concurrently (bounded). */
async function runBulk(resolver: Resolver, io: CliIo, json: boolean, debug: boolean): Promise<number> {
  const limit = pLimit(BULK_CONCURRENCY);
  const pending: { input: string; outcome: Promise<Outcome | Error> }[] = [];
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    const input = line.trim();
    if (input === '' || input.startsWith('#')) continue;
    pending.push({ input, outcome: limit(() => ask(resolver, input)).catch((error: Error) => error) });
  }
  let failed = false;
  for (const [index, { input, outcome: promise }] of pending.entries()) {
    const outcome = await promise;
    if (outcome instanceof Error) failed = true;
    io.stdout.write(
      `${formatBulk(input, outcome, json, debug)}\n${json || index === pending.length - 1 ? '' : '\n'}`,
    );
  }
  return failed ? 1 : 0;
}

function formatBulk(input: string, outcome: Outcome | Error, json: boolean, debug: boolean): string {
  const error =
    outcome instanceof Error ? describeError(outcome, debug) : outcome.ok ? undefined : outcome.error.message;
  if (json)
    return JSON.stringify(
      error !== undefined || !('answer' in outcome) ? { input, error } : outcome.answer.settings,
    );
  if (error !== undefined || !('answer' in outcome)) return `${input}: ${error}`;
  return replyToText(settingsToReply(outcome.answer.settings));
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

export type { Config };

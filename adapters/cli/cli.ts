// The `mailsettings` command: one question from the arguments, or one per line from stdin with `-`.
// Contract: exit 0 with an answer, 2 for bad input (one line on stderr, nothing on stdout), 1 for an
// internal failure; `--json` prints exactly one object per question; stack traces only with `--debug`.
// `--check` (or a question ending in "check") also probes the recommended servers live. A question ending in
// a mail program's name also gets that program's set-up steps; `--profile apple|thunderbird` prints only the
// set-up file for the answer. Control characters in anything printed are shown escaped, so no input can drive
// the terminal.
import {
  ask,
  escapeControls,
  fail,
  loadConfig,
  ok,
  type Result,
  servicesFromConfig,
  USAGE,
} from '../../src/index.js';
import { describeError, formatAnswer, formatReports, type Run } from './answer-text.js';
import { runBulk } from './bulk.js';
import { HELP } from './help.js';
import { findProfileKind, type ProfileKind, profileFile, splitProgram } from './setup-text.js';

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const FLAGS = ['--json', '--debug', '--check', '--help'];

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const refuse = (message: string) => {
    io.stderr.write(`${escapeControls(message)}\n`);
    return 2;
  };
  // The dataset check is a command of its own, loaded only when asked for.
  if (argv[0] === 'providers')
    return (await import('./providers-verify.js')).runProvidersCommand(argv.slice(1), io);
  // So are the report and data care over the cases' database.
  if (argv[0] === 'cases') return (await import('./cases.js')).runCasesCommand(argv.slice(1), io);
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  // The error catalogue is loaded only for --explain.
  if (argv.some((arg) => arg === '--explain' || arg.startsWith('--explain='))) {
    const { runExplain } = await import('./explain.js');
    return runExplain(argv, io);
  }
  const args = parseArgs(argv);
  if (!args.ok) return refuse(args.error);
  const { flags, words, profile } = args.value;
  const debug = flags.has('--debug');

  try {
    const bulk = words.length === 1 && words[0] === '-';
    const run: Run = {
      ...(await servicesFromConfig(loadConfig(io.env), { oneQuestion: !bulk })),
      json: flags.has('--json'),
      debug,
      check: flags.has('--check'),
    };
    if (bulk) return await runBulk(run, io);
    const split = splitProgram(words.join(' '));
    if (!split.ok) return refuse(split.error);
    const { question, program } = split.value;
    if (profile && program) return refuse(`${PROFILE_ONLY} a program name: leave out “${program}”.`);
    const outcome = await ask(run.resolver, question);
    if (!outcome.ok) return refuse(outcome.error.message);
    if (debug) io.stderr.write(`${escapeControls(formatReports(outcome), { keepNewlines: true })}\n`);
    const { settings } = outcome.value.answer;
    if (!profile) {
      io.stdout.write(`${await formatAnswer(settings, outcome.value.check, run, program, true)}\n`);
      return 0;
    }
    if (outcome.value.check) return refuse(`${PROFILE_ONLY} check: leave out “check”.`);
    const file = await profileFile(profile, settings);
    if (!file.ok) return refuse(file.error);
    // The file and nothing else, so `> alice.mobileconfig` saves exactly it. Control characters, which XML
    // does not allow anyway, are escaped as everywhere else: the file may be shown on a terminal.
    io.stdout.write(`${escapeControls(file.value.trimEnd(), { keepNewlines: true })}\n`);
    return 0;
  } catch (error) {
    // One line, whatever a path in the message holds; a stack trace (--debug) keeps its lines.
    io.stderr.write(`${escapeControls(describeError(error, debug), { keepNewlines: debug })}\n`);
    return 1;
  }
}

const PROFILE_ONLY = '--profile prints the set-up file and nothing else, so it cannot be used with';

interface Args {
  flags: Set<string>;
  words: string[];
  profile?: ProfileKind;
}

/** Flags, the question's words, and which file `--profile apple` (or `--profile=apple`) asks for. */
function parseArgs(argv: string[]): Result<Args> {
  const flags = new Set<string>();
  const words: string[] = [];
  let profile: ProfileKind | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--profile' || arg.startsWith('--profile=')) {
      const name = arg === '--profile' ? argv[++index] : arg.slice('--profile='.length);
      if (!name || name.startsWith('-')) {
        return fail(
          '--profile needs to know which file: --profile apple or --profile thunderbird (see --help).',
        );
      }
      profile = findProfileKind(name);
      if (!profile) {
        const shown = name.length > 40 ? `${name.slice(0, 37)}…` : name;
        return fail(
          `Unknown --profile “${shown}”. Use --profile apple (iPhone, iPad, Mac) or --profile thunderbird.`,
        );
      }
    } else if (arg.startsWith('--')) {
      if (!FLAGS.includes(arg)) return fail(`Unknown option ${arg}. Usage: ${USAGE} (see --help)`);
      flags.add(arg);
    } else words.push(arg);
  }
  const bulk = words.length === 1 && words[0] === '-';
  const conflict = bulk ? '- (one question per line)' : ['--json', '--check'].find((flag) => flags.has(flag));
  if (profile && conflict) return fail(`${PROFILE_ONLY} ${conflict}.`);
  return ok({ flags, words, ...(profile ? { profile } : {}) });
}

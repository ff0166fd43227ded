// `mailsettings --explain "<error text>" <address or domain> [protocol]`, or `--explain -` to read the text from
// stdin: what the error means for that domain, checked live on its servers where the check can see the cause,
// then the settings. Loaded only when --explain is given (cli.ts), so other commands do not load the catalogue.
// Exit 0 with an explanation (`unknown` included: it asks for the exact message), 2 for bad input, 1 for a
// failure; `--json` prints the answer with its `diagnosis`, and `check` with --check.
import {
  answerToText,
  ConfigError,
  escapeControls,
  fail,
  INTERNAL_ERROR,
  loadConfig,
  loadDiagnose,
  noSettingsReason,
  ok,
  type Result,
  replyToText,
  servicesFromConfig,
  stringifyJson,
} from '../../src/index.js';
import type { CliIo } from './cli.js';

const FLAGS = ['--json', '--check', '--debug'];
/** Past this much stdin, reading stops: the paste is refused by its length anyway. */
const MAX_STDIN = 1024 * 1024;
const NEEDS_TEXT =
  '--explain needs the error text: mailsettings --explain "0x800CCC0E" alice@example.com, or --explain - to read it from stdin.';

interface ExplainArgs {
  flags: Set<string>;
  /** The error text, or '-' for stdin. */
  paste: string;
  words: string[];
}

export async function runExplain(argv: string[], io: CliIo): Promise<number> {
  const refuse = (message: string) => {
    io.stderr.write(`${escapeControls(message)}\n`);
    return 2;
  };
  const args = parseExplainArgs(argv);
  if (!args.ok) return refuse(args.error);
  const { flags, words } = args.value;
  const debug = flags.has('--debug');
  try {
    const paste = args.value.paste === '-' ? await readStdin(io.stdin) : args.value.paste;
    const { readExplainInput, explainError, explainedToReply } = await loadDiagnose();
    const input = readExplainInput(paste, words.join(' '));
    if (!input.ok) return refuse(input.error.message);
    const { resolver, checker } = await servicesFromConfig(loadConfig(io.env));
    const explained = await explainError(input.value, { resolver, checker });
    // A domain that does not exist (a typo) has no settings to explain an error against: bad input.
    const missing = noSettingsReason(explained.answer);
    if (missing) return refuse(missing);
    const { settings } = explained.answer;
    const report = flags.has('--check') ? (explained.report ?? (await checker(settings))) : undefined;
    if (flags.has('--json')) {
      const check = report
        ? { check: { results: report.results, advice: report.advice, ms: report.ms } }
        : {};
      io.stdout.write(`${stringifyJson({ ...settings, diagnosis: explained.explanation, ...check })}\n`);
    } else {
      const text = `${replyToText(explainedToReply(explained))}\n\n${answerToText(settings, report)}`;
      io.stdout.write(`${escapeControls(text, { keepNewlines: true })}\n`);
    }
    return 0;
  } catch (error) {
    const message =
      debug && error instanceof Error
        ? (error.stack ?? error.message)
        : error instanceof ConfigError
          ? error.message
          : INTERNAL_ERROR;
    io.stderr.write(`${escapeControls(message, { keepNewlines: true })}\n`);
    return 1;
  }
}

function parseExplainArgs(argv: string[]): Result<ExplainArgs> {
  const flags = new Set<string>();
  const words: string[] = [];
  let paste: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--explain' || arg.startsWith('--explain=')) {
      const text = arg === '--explain' ? argv[++index] : arg.slice('--explain='.length);
      if (text === undefined || text === '' || paste !== undefined) return fail(NEEDS_TEXT);
      paste = text;
    } else if (arg.startsWith('--')) {
      if (!FLAGS.includes(arg))
        return fail(`${arg} does not go with --explain, which takes ${FLAGS.join(', ')} (see --help).`);
      flags.add(arg);
    } else words.push(arg);
  }
  if (paste === undefined) return fail(NEEDS_TEXT);
  if (words.length === 0)
    return fail(
      'Say whose mail it is: mailsettings --explain "0x800CCC0E" alice@example.com [imap | pop | smtp].',
    );
  return ok({ flags, paste, words });
}

/** All of stdin, up to MAX_STDIN characters (enough to say how far past the limit a paste is). */
async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.length > MAX_STDIN) break;
  }
  return text;
}

// `mailsettings cases report|forget|export`: the lead's report and data care from a shell, on the database the
// bot uses (DATABASE_URL, read as the bot reads it). Loaded only for this command, so ordinary questions start
// as fast as before. Exit 0 done, 2 bad usage (or a forget not confirmed with --yes), 1 a failure.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ConfigError,
  clocksFromConfig,
  createLeadDesk,
  createLogger,
  escapeControls,
  loadConfig,
  openDatabase,
  parseCustomerId,
  reportToCsv,
  reportToText,
  reportWords,
  stringifyJson,
} from '../../src/index.js';
import type { CliIo } from './cli.js';

export const CASES_USAGE = `Usage: mailsettings cases report [--since 30d] [--csv | --json]
       mailsettings cases forget <customer id> --yes
       mailsettings cases export <customer id>
report: cases opened and resolved, response and resolution times (business time), targets met, ratings,
  staff, domains, answer sources, failing checks and busiest hours over the last --since days (default 30).
forget: erases the customer's messages and replaces their name and id with a tombstone (asks for --yes).
export: prints what is kept about the customer as JSON. The customer id is the Slack member id (U0123ABCD).
The database is DATABASE_URL's, as the bot's.`;

export async function runCasesCommand(argv: string[], io: CliIo): Promise<number> {
  const say = (stream: NodeJS.WritableStream, text: string) =>
    stream.write(`${escapeControls(text, { keepNewlines: true })}\n`);
  const refuse = (message: string) => {
    say(io.stderr, message);
    return 2;
  };
  const [verb, ...rest] = argv;
  if (argv.includes('--help') || argv.includes('-h')) {
    say(io.stdout, CASES_USAGE);
    return 0;
  }
  const flags = new Set(rest.filter((arg) => arg.startsWith('--') && arg !== '--since'));
  const words = rest.filter((arg, at) => !arg.startsWith('--') && rest[at - 1] !== '--since');
  const known = { report: ['--csv', '--json'], forget: ['--yes'], export: [] as string[] };
  if (!verb || !(verb in known)) return refuse(CASES_USAGE);
  const unknown = [...flags].find((flag) => !known[verb as keyof typeof known].includes(flag));
  if (unknown) return refuse(`Unknown option ${unknown}.\n${CASES_USAGE}`);

  let days = 30;
  let customer: string | undefined;
  if (verb === 'report') {
    const since = rest.includes('--since') ? (rest[rest.indexOf('--since') + 1] ?? '') : '30d';
    const match = /^(\d{1,4})d$/.exec(since);
    if (!match || Number(match[1]) < 1) return refuse('--since takes a number of days, like --since 30d.');
    if (words.length > 0 || (flags.has('--csv') && flags.has('--json')))
      return refuse(`Unexpected ${words[0] ?? '--csv with --json'}.\n${CASES_USAGE}`);
    days = Number(match[1]);
  } else {
    customer = words.length === 1 ? parseCustomerId(words[0] as string) : undefined;
    if (!customer) return refuse(`${reportWords.CUSTOMER_ID_HELP}\n${CASES_USAGE}`);
  }

  try {
    const config = loadConfig(io.env);
    const url = config.DATABASE_URL;
    const file = url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
    // Reading must never create an empty database where the bot's is expected.
    if (url.startsWith('file:') && !(existsSync(file) && statSync(file).size > 0))
      throw new ConfigError(`No database at ${file}: set DATABASE_URL to the bot's database.`);
    // The report and an export only read: a lead with read access alone may run them.
    const database = await openDatabase(url, { readOnly: verb !== 'forget' });
    try {
      const lead = createLeadDesk({
        database,
        clocks: clocksFromConfig(config),
        log: createLogger(() => {}),
      });
      if (verb === 'report') {
        const report = await lead.report(days);
        // Names as staff stored them: no terminal escape reaches the screen (rows keep their CRLF).
        if (flags.has('--csv'))
          io.stdout.write(
            reportToCsv(report)
              .split('\r\n')
              .map((row) => escapeControls(row))
              .join('\r\n'),
          );
        else say(io.stdout, flags.has('--json') ? stringifyJson(report) : reportToText(report));
        return 0;
      }
      const id = customer as string;
      if (verb === 'export') {
        // JSON escapes its own controls: escaping the text again (as say does) would break it.
        io.stdout.write(`${stringifyJson(await lead.export(id), 2)}\n`);
        return 0;
      }
      const kept = await lead.kept(id);
      const who = kept.names.length > 0 ? `${kept.names.join(', ')} (${id})` : id;
      const none = kept.cases + kept.messages === 0;
      // Without --yes nothing is erased, not even what may wait about someone with no case (docs/cli.md).
      if (!flags.has('--yes')) {
        const ask = none
          ? reportWords.onlyWaiting(who)
          : reportWords.forgetAsk(who, kept.cases, kept.messages);
        return refuse(`${ask}\nRun again with --yes to forget them.`);
      }
      const done = await lead.forget(id); // with no case, what may wait about them (events, counters) goes
      say(
        io.stdout,
        none ? reportWords.nothingKept(who) : reportWords.forgotten(id, done.cases, done.messages),
      );
      return 0;
    } finally {
      await database.close();
    }
  } catch (error) {
    // pg reads DATABASE_URL only when it connects: a URL it cannot parse (a port over 65535) is named here.
    const badUrl = (error as { code?: unknown }).code === 'ERR_INVALID_URL';
    say(
      io.stderr,
      error instanceof ConfigError
        ? error.message
        : badUrl
          ? 'DATABASE_URL is not a URL PostgreSQL can read: check its host, port and the %-escaping of its password.'
          : `Failed: ${(error as Error).message}`,
    );
    return 1;
  }
}

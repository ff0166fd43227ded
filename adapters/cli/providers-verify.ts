// `mailsettings providers verify`: checks every server of the provider dataset live (src/check/verify-
// providers.ts) and prints a table, or the JSON report with --json (also written to --report FILE). Exit 0
// when every entry is fine, 1 when one is dead or changed, 2 for bad usage. Loaded only for this command.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import {
  ConfigError,
  createDns,
  escapeControls,
  isDnsServer,
  loadConfig,
  reasonOf,
  stringifyJson,
  type VerifyReport,
  verifyProviderDataset,
} from '../../src/index.js';
import type { CliIo } from './cli.js';

export const PROVIDERS_USAGE = `Usage: mailsettings providers verify [--json] [--report FILE] [--dataset FILE]
                                      [--dns-servers HOST[:PORT],...] [--ca FILE]
Checks every server of the provider dataset: DNS, connection, TLS certificate, greeting, STARTTLS and the
logins offered (never a login). Exit codes: 0 every entry works, 1 an entry is dead or changed (or the DNS servers
themselves failed: nothing checked), 2 bad usage.
Private addresses are refused unless MAILSETTINGS_ALLOW_PRIVATE_NETWORKS=true.`;

const VALUED = ['--report', '--dataset', '--dns-servers', '--ca'] as const;

export async function runProvidersCommand(argv: string[], io: CliIo): Promise<number> {
  const say = (message: string, code: number) => {
    io.stderr.write(`${escapeControls(message, { keepNewlines: true })}\n`);
    return code;
  };
  const refuse = (message: string) => say(message, 2);
  const fail = (message: string) => say(message, 1);
  const [verb, ...rest] = argv;
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${PROVIDERS_USAGE}\n`);
    return 0;
  }
  if (verb !== 'verify') return refuse(PROVIDERS_USAGE);
  const values = new Map<string, string>();
  let json = false;
  for (let at = 0; at < rest.length; at += 1) {
    const arg = rest[at] as string;
    if (arg === '--json') json = true;
    else if ((VALUED as readonly string[]).includes(arg) && rest[at + 1] && !rest[at + 1]?.startsWith('--'))
      values.set(arg, rest[++at] as string);
    else return refuse(`Unknown or incomplete option ${arg}.\n${PROVIDERS_USAGE}`);
  }
  try {
    const config = loadConfig(io.env);
    const servers = values.get('--dns-servers')?.split(',') ?? config.MAILSETTINGS_DNS_SERVERS;
    if (!servers.every(isDnsServer))
      return refuse(
        '--dns-servers must be IP addresses with optional ports from 1 to 65535, like 127.0.0.1:53',
      );
    const dns = createDns({ servers, timeoutMs: config.MAILSETTINGS_DNS_TIMEOUT_MS });
    const caFile = values.get('--ca');
    const datasetFile = values.get('--dataset');
    const report = await verifyProviderDataset({
      ...(datasetFile ? { datasetFile } : {}),
      lookup: dns.addresses,
      allowPrivate: config.MAILSETTINGS_ALLOW_PRIVATE_NETWORKS,
      ...(caFile ? { ca: await readFile(caFile, 'utf8') } : {}),
    });
    // Every name unanswered because the DNS servers themselves failed: nothing was learnt about any provider, and
    // calling them all dead would have a maintainer remove working entries.
    const probes = report.entries.flatMap((entry) => entry.servers.map((server) => server.probe));
    const ownDns = probes.length > 0 && probes.every((probe) => probe.error?.startsWith('the DNS servers'));
    if (ownDns)
      return fail(
        `The DNS servers ${servers.join(', ')} could not be used (${probes[0]?.error}): nothing was checked. Check MAILSETTINGS_DNS_SERVERS or --dns-servers.`,
      );
    const text = stringifyJson(report);
    io.stdout.write(`${json ? text : escapeControls(reportToTable(report), { keepNewlines: true })}\n`);
    const failed = report.counts.dead + report.counts.changed > 0 ? 1 : 0;
    const file = values.get('--report');
    // The outcome is printed already: a report file that cannot be written is said, and fails the run.
    const unwritten = file ? await writeWhole(file, `${text}\n`).then(() => undefined, reasonOf) : undefined;
    if (unwritten === undefined) return failed;
    return fail(`The report could not be written to ${file}: ${unwritten}.`);
  } catch (error) {
    // A wrong configuration variable fails the run (1), as the rest of the command says; 2 is for the arguments.
    if (error instanceof ConfigError) return fail(error.message);
    return refuse((error as Error).message);
  }
}

/** Writes a file whole or not at all: the report a nightly job left stays until a new one is complete. */
async function writeWhole(file: string, text: string): Promise<void> {
  const partial = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(partial, text, { flush: true });
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** One line per server, then the counts: wide enough to read in a terminal or a CI log. */
export function reportToTable(report: VerifyReport): string {
  const rows = report.entries.flatMap((entry) =>
    entry.servers.map((check) => [
      entry.id,
      check.type,
      `${check.host}:${check.port}`,
      check.security,
      check.verdict.toUpperCase(),
      check.problems.join('; ') || check.probe.mechanisms.join(' '),
    ]),
  );
  const header = ['provider', 'protocol', 'server', 'security', 'result', 'problem or logins offered'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ');
  const { ok, dead, changed } = report.counts;
  return [
    line(header),
    ...rows.map(line),
    '',
    `${ok} entries work, ${dead} dead, ${changed} changed (${report.checkedAt}).`,
  ].join('\n');
}

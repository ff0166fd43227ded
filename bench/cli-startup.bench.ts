// Measures the CLI's start-up against a bare `node -e ""`: the shipped bin (the esbuild bundle), tsc's output
// of the same sources (the bin before it was bundled), and the tsx path `npm run mailsettings` takes. Wall time
// from spawn to exit, and each process's peak memory.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { BUILT, buildOnce, ROOT } from '../test/support/build.js';
import { mb, ms, printTable, ratio, stats } from './table.js';

const RUNS = 15;
/** Ports 9 (discard) on loopback refuse at once, so the answer is the hosting template, offline. */
const OFFLINE_ENV = {
  MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9',
  MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/',
};
/**
 * Loaded before the command in the one uncounted run: at exit, writes the process's peak resident memory
 * (VmHWM) to fd 3. Kept out of the timed runs, which load nothing but the command.
 */
const PEAK_HOOK =
  "data:text/javascript,import{readFileSync,writeSync}from'node:fs';process.on('exit',()=>" +
  "writeSync(3,/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status','utf8'))[1]))";

interface Command {
  what: string;
  args: string[];
  env?: Record<string, string>;
  /** Text the output must contain, so a broken command is not timed as a fast one. */
  expect?: string;
  /** The row this one is compared with (the same question through tsc's output). */
  before?: string;
}

/** Runs the command once; its wall time in ms, and its peak RSS in bytes when `peak` is asked for. */
function run(command: Command, peak = false): { ms: number; peak: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [...(peak ? ['--import', PEAK_HOOK] : []), ...command.args], {
    cwd: ROOT,
    encoding: 'utf8',
    // A minimal environment: no MAILSETTINGS_* from the caller's shell changes what is timed.
    env: { PATH: process.env.PATH ?? '', ...command.env },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  const took = performance.now() - started;
  if (result.status !== 0 || (command.expect && !result.stdout.includes(command.expect)))
    throw new Error(`"node ${command.args.join(' ')}" failed (exit ${result.status}): ${result.stderr}`);
  return { ms: took, peak: Number(result.output[3] ?? 0) * 1024 };
}

export async function benchCliStartup(): Promise<void> {
  const buildNote = await buildOnce();
  const question = (bin: string, before?: string): Command => ({
    what: `node ${bin} example.com (offline)`,
    args: [bin, 'example.com'],
    env: OFFLINE_ENV,
    expect: 'Mail settings for example.com',
    ...(before ? { before } : {}),
  });
  const help = (bin: string, before?: string): Command => ({
    what: `node ${bin} --help`,
    args: [bin, '--help'],
    expect: 'Usage:',
    ...(before ? { before } : {}),
  });
  const commands: Command[] = [
    { what: 'baseline: node -e ""', args: ['-e', ''] },
    help(BUILT.cli, help(BUILT.cliTsc).what),
    question(BUILT.cli, question(BUILT.cliTsc).what),
    help(BUILT.cliTsc),
    question(BUILT.cliTsc),
    {
      what: 'node --import tsx adapters/cli/bin.ts --help',
      args: ['--import', 'tsx', 'adapters/cli/bin.ts', '--help'],
      expect: 'Usage:',
    },
  ];
  // One uncounted run each (file cache, tsx's transform cache), which also reads the peak memory.
  const peaks = commands.map((command) => run(command, true).peak);
  // Then the commands take turns, so a change in the machine's load falls on all of them alike.
  const times = commands.map(() => [] as number[]);
  const stop = performance.now() + 60_000;
  for (let i = 0; i < RUNS && performance.now() < stop; i++) {
    for (const [k, command] of commands.entries()) times[k]?.push(run(command).ms);
  }
  const summary = times.map((samples) => stats(samples));
  const p50Of = (what: string) => summary[commands.findIndex((command) => command.what === what)]?.p50 ?? 0;
  const base = summary[0] as ReturnType<typeof stats>;
  printTable(
    `CLI start-up (whole process, spawn to exit; ${summary[0]?.n} runs each, taking turns, after one uncounted run)`,
    commands.map((command, k) => {
      const s = summary[k] as ReturnType<typeof stats>;
      return {
        command: command.what,
        runs: s.n,
        p50: ms(s.p50),
        mean: ms(s.mean),
        min: ms(s.min),
        'p50 − node -e': ms(s.p50 - base.p50),
        'p50 vs node -e': ratio(s.p50 / base.p50),
        'p50 vs tsc output': command.before ? ratio(s.p50 / p50Of(command.before)) : '-',
        'peak rss': mb(peaks[k] ?? 0),
      };
    }),
    `${buildNote}. ${BUILT.cli} is the package's bin (esbuild bundle); ${BUILT.cliTsc} is tsc's output of the same ` +
      `sources. "offline": MAILSETTINGS_DNS_SERVERS=${OFFLINE_ENV.MAILSETTINGS_DNS_SERVERS}, ` +
      `MAILSETTINGS_ISPDB_URL=${OFFLINE_ENV.MAILSETTINGS_ISPDB_URL} (refused at once → hosting template). ` +
      'Peak rss is VmHWM at exit, from the uncounted run.',
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchCliStartup();

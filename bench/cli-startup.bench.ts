// Measures the CLI's start-up against a bare `node -e ""`: the shipped bin (the esbuild bundle), tsc's output
// of the same sources (the bin before it was bundled), and the tsx path `npm run mailsettings` takes. Wall time
// from spawn to exit, and each process's peak memory. Every command, the baseline too, runs in the same clean
// environment (as `env -i` would give it): nothing from the caller's shell, such as NODE_OPTIONS or extra CA
// certificates, slows one of them and not the other. BENCH_CLI_BEFORE=<git ref> adds that commit's bin, built
// from `git archive`, to the same run.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILT, buildOnce, ROOT } from '../test/support/build.js';
import { extract } from './cli-bulk.bench.js';
import { mb, ms, printTable, ratio, stats } from './table.js';

const RUNS = 15;
/** Ports 9 (discard) on loopback refuse at once, so the answer is the hosting template, offline. */
const OFFLINE_ENV = {
  MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9',
  MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/',
};
/** What the bin's offline answer may cost, in multiples of `node -e ""`. */
const AIM = 2.5;
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
  /** Where it runs (another tree's bin runs in that tree). @default ROOT */
  cwd?: string;
  /** Text the output must contain, so a broken command is not timed as a fast one. */
  expect?: string;
  /** The row this one is compared with (the same question through tsc's output). */
  before?: string;
}

/**
 * CPU time (user and system) of this process's finished children, in ms: /proc/self/stat's cutime and cstime,
 * in clock ticks of 10 ms (USER_HZ is 100 on Linux), so a mean over many runs is what to read.
 */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Runs the command once: its wall and CPU time in ms, and its peak RSS in bytes when `peak` is asked for. */
function run(command: Command, peak = false): { ms: number; cpuMs: number; peak: number } {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const result = spawnSync(process.execPath, [...(peak ? ['--import', PEAK_HOOK] : []), ...command.args], {
    cwd: command.cwd ?? ROOT,
    encoding: 'utf8',
    // The same clean environment for every command: the offline settings and nothing else (no PATH either).
    env: OFFLINE_ENV,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  const took = performance.now() - started;
  if (result.status !== 0 || (command.expect && !result.stdout.includes(command.expect)))
    throw new Error(`"node ${command.args.join(' ')}" failed (exit ${result.status}): ${result.stderr}`);
  return { ms: took, cpuMs: childrenCpuMs() - cpuBefore, peak: Number(result.output[3] ?? 0) * 1024 };
}

const ANSWER = 'Mail settings for example.com';
const BASELINE = 'baseline: node -e ""';

export async function benchCliStartup(): Promise<void> {
  const buildNote = await buildOnce();
  const beforeRef = process.env.BENCH_CLI_BEFORE;
  const before = beforeRef ? extract(beforeRef) : undefined;
  const question = (bin: string, before?: string): Command => ({
    what: `node ${bin} example.com (offline)`,
    args: [bin, 'example.com'],
    expect: ANSWER,
    ...(before ? { before } : {}),
  });
  const help = (bin: string, before?: string): Command => ({
    what: `node ${bin} --help`,
    args: [bin, '--help'],
    expect: 'Usage:',
    ...(before ? { before } : {}),
  });
  const commands: Command[] = [
    { what: BASELINE, args: ['-e', ''] },
    help(BUILT.cli, help(BUILT.cliTsc).what),
    question(BUILT.cli, question(BUILT.cliTsc).what),
    ...(before
      ? [
          {
            what: `${before.label}: node ${BUILT.cli} example.com (offline)`,
            args: [join(before.root, BUILT.cli), 'example.com'],
            cwd: before.root,
            expect: ANSWER,
          },
        ]
      : []),
    help(BUILT.cliTsc),
    question(BUILT.cliTsc),
    {
      what: 'node --import tsx adapters/cli/bin.ts --help',
      args: ['--import', 'tsx', 'adapters/cli/bin.ts', '--help'],
      expect: 'Usage:',
    },
  ];
  try {
    // One uncounted run each (file cache, tsx's transform cache), which also reads the peak memory.
    const peaks = commands.map((command) => run(command, true).peak);
    // Then the commands take turns, so a change in the machine's load falls on all of them alike.
    const times = commands.map(() => [] as number[]);
    const cpu = commands.map(() => [] as number[]);
    const stop = performance.now() + 60_000;
    for (let i = 0; i < RUNS && performance.now() < stop; i++) {
      for (const [k, command] of commands.entries()) {
        const took = run(command);
        times[k]?.push(took.ms);
        cpu[k]?.push(took.cpuMs);
      }
    }
    const cpuMean = cpu.map((samples) => stats(samples).mean);
    const summary = times.map((samples) => stats(samples));
    const p50Of = (what: string) => summary[commands.findIndex((command) => command.what === what)]?.p50 ?? 0;
    const base = summary[0] as ReturnType<typeof stats>;
    const answer = p50Of(question(BUILT.cli).what) / base.p50;
    const answerIndex = commands.findIndex((command) => command.what === question(BUILT.cli).what);
    const answerCpu = (cpuMean[answerIndex] ?? 0) / (cpuMean[0] ?? 1);
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
          'CPU (mean)': ms(cpuMean[k] ?? 0),
          'CPU vs node -e': ratio((cpuMean[k] ?? 0) / (cpuMean[0] ?? 1)),
          'peak rss': mb(peaks[k] ?? 0),
        };
      }),
      `The bin's offline answer takes ${ratio(answer)} the time of node -e "" (aim: at most ${AIM}×), and ` +
        `${ratio(answerCpu)} its CPU time (user and system, which the machine's other work does not lengthen; ` +
        'read from /proc in 10 ms ticks, so a mean). ' +
        `${buildNote}. ${BUILT.cli} is the package's bin (esbuild bundle); ${BUILT.cliTsc} is tsc's output of the ` +
        'same sources. Every command runs with only these variables set, the baseline too: ' +
        `MAILSETTINGS_DNS_SERVERS=${OFFLINE_ENV.MAILSETTINGS_DNS_SERVERS}, ` +
        `MAILSETTINGS_ISPDB_URL=${OFFLINE_ENV.MAILSETTINGS_ISPDB_URL} ("offline": refused at once → hosting ` +
        'template). Peak rss is VmHWM at exit, from the uncounted run.',
    );
  } finally {
    if (before) rmSync(before.root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchCliStartup();

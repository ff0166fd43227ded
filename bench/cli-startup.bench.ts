// Measures the CLI's start-up time (built command and the tsx path) against a bare `node -e ""`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ms, printTable, sample, stats } from './table.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = 'dist/adapters/cli/bin.js';
const RUNS = 10;
/** Ports 9 (discard) on loopback refuse at once, so the answer is the hosting template, offline. */
const OFFLINE_ENV = {
  MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9',
  MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/',
};

function newestSource(): number {
  const inputs = ['src', 'adapters'].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(dir, file)),
  );
  return Math.max(
    ...[...inputs, 'tsconfig.json', 'tsconfig.build.json'].map((file) => statSync(join(ROOT, file)).mtimeMs),
  );
}

/** Builds dist/ with `npm run build` unless it is newer than every source file. Returns what happened. */
export function ensureBuilt(): string {
  let built = 0;
  try {
    built = statSync(join(ROOT, BIN)).mtimeMs;
  } catch {}
  if (built > newestSource()) return `${BIN} is up to date, build skipped`;
  const started = performance.now();
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  const took = `npm run build took ${ms(performance.now() - started)}`;
  if (build.status === 0) return took;
  // tsc still emits on type errors; time what it emitted, but say so loudly.
  const errors = `${build.stdout}${build.stderr}`.split('\n').filter((line) => line.includes('error TS'));
  try {
    statSync(join(ROOT, BIN));
  } catch {
    throw new Error(`npm run build failed and emitted no ${BIN}:\n${errors.join('\n')}`);
  }
  return `${took} and FAILED (exit ${build.status}); timing what it emitted. First errors:\n  ${errors.slice(0, 3).join('\n  ')}`;
}

interface Command {
  what: string;
  args: string[];
  env?: Record<string, string>;
  /** Text the output must contain, so a broken command is not timed as a fast one. */
  expect?: string;
}

function run(command: Command): void {
  const result = spawnSync(process.execPath, command.args, {
    cwd: ROOT,
    encoding: 'utf8',
    // A minimal environment: no MAILSETTINGS_* from the caller's shell changes what is timed.
    env: { PATH: process.env.PATH ?? '', ...command.env },
    timeout: 30_000,
  });
  if (result.status !== 0 || (command.expect && !result.stdout.includes(command.expect)))
    throw new Error(`"node ${command.args.join(' ')}" failed (exit ${result.status}): ${result.stderr}`);
}

export async function benchCliStartup(): Promise<void> {
  const buildNote = ensureBuilt();
  const commands: Command[] = [
    { what: 'baseline: node -e ""', args: ['-e', ''] },
    { what: `node ${BIN} --help`, args: [BIN, '--help'], expect: 'Usage:' },
    {
      what: `node ${BIN} example.com (offline)`,
      args: [BIN, 'example.com'],
      env: OFFLINE_ENV,
      expect: 'Mail settings for example.com',
    },
    {
      what: 'node --import tsx adapters/cli/bin.ts --help',
      args: ['--import', 'tsx', 'adapters/cli/bin.ts', '--help'],
      expect: 'Usage:',
    },
  ];
  const rows = [];
  let baseline = { mean: 0, min: 0 };
  for (const command of commands) {
    run(command); // warm-up, not counted: fills the file cache (and tsx's transform cache)
    const s = stats((await sample(() => run(command), { count: RUNS, maxMs: 20_000 })).times);
    if (rows.length === 0) baseline = s;
    rows.push({
      command: command.what,
      runs: s.n,
      mean: ms(s.mean),
      min: ms(s.min),
      max: ms(s.max),
      'mean − baseline': ms(s.mean - baseline.mean),
      'min − baseline': ms(s.min - baseline.min),
    });
  }
  printTable(
    `CLI start-up (whole process, spawn to exit; ${RUNS} runs each after one warm-up)`,
    rows,
    `${buildNote}. "offline": MAILSETTINGS_DNS_SERVERS=${OFFLINE_ENV.MAILSETTINGS_DNS_SERVERS}, MAILSETTINGS_ISPDB_URL=${OFFLINE_ENV.MAILSETTINGS_ISPDB_URL} (refused at once → hosting template).`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchCliStartup();

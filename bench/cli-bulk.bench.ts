// Measures the package's bin (dist/mailsettings.js, what `npm run build` makes) as a process: how long it lives
// on after printing its answer when DNS is dead (against the same question with DNS answering), and its peak
// RSS in bulk mode for 10,000, 100,000 and 200,000 lines side by side (against one line): memory must not grow
// with the input. BENCH_CLI_BEFORE=<git ref> also measures that commit, extracted with `git archive` and built,
// in the same run.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILT, buildOnce } from '../test/support/build.js';
import { type DnsRecord, type DnsServer, startDnsServer } from '../test/support/dns-server.js';
import { startWorld, type World } from '../test/support/world.js';
import { mb, ms, printTable, type Row, stats } from './table.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXIT_RUNS = 3;
/** Line counts run side by side; the first is the baseline. */
const BULK_LINES = [1, 10_000, 100_000, 200_000];
/** Distinct domains among the bulk lines: each is resolved once, the rest come from the answer cache. */
const BULK_DOMAINS = 1000;
const RSS_POLL_MS = 20;
const customer = (n: number) => `customer-${n}.test`;
const RUN_LIMIT_MS = 300_000;

interface Checkout {
  label: string;
  root: string;
}

interface Run {
  /** Spawn to the end of the first stdout chunk (the single answer is one write), ms. */
  answerMs: number;
  /** Spawn to exit, ms. */
  exitMs: number;
  /** Highest VmHWM read from /proc while it ran, bytes. */
  peakRss: number;
  lines: number;
}

/** Runs the package's bin as `mailsettings` does (node, nothing else), stdin from a file. */
function runCli(root: string, args: string[], env: NodeJS.ProcessEnv, stdinFile?: string): Promise<Run> {
  const stdin = stdinFile ? openSync(stdinFile, 'r') : 'ignore';
  const started = performance.now();
  const child = spawn(process.execPath, [BUILT.cli, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
  if (typeof stdin === 'number') closeSync(stdin);
  let answerMs = Number.NaN;
  let lines = 0;
  let stderr = '';
  let peakRss = 0;
  const readRss = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      if (hwm) peakRss = Math.max(peakRss, Number(hwm) * 1024);
    } catch {} // gone already: the last reading stands
  };
  const poll = setInterval(readRss, RSS_POLL_MS);
  const limit = setTimeout(() => child.kill(), RUN_LIMIT_MS);
  child.stdout?.on('data', (chunk: Buffer) => {
    if (Number.isNaN(answerMs)) answerMs = performance.now() - started;
    for (const byte of chunk) if (byte === 10) lines += 1;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const exitMs = performance.now() - started;
      clearInterval(poll);
      clearTimeout(limit);
      if (code !== 0) reject(new Error(`mailsettings ${args.join(' ')} in ${root}: exit ${code}: ${stderr}`));
      else resolve({ answerMs, exitMs, peakRss, lines });
    });
  });
}

/** The tree at `ref`, with this tree's node_modules, built, for a before/after comparison. */
export function extract(ref: string): Checkout {
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-before-'));
  execFileSync('sh', ['-c', `git archive "${ref}" | tar -x -C "${dir}"`], { cwd: ROOT });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return { label: ref, root: dir };
}

async function benchExit(checkouts: Checkout[], world: World, dead: DnsServer): Promise<void> {
  const common = { MAILSETTINGS_ISPDB_URL: `${world.ispdb.url}/v1.1/` };
  const cases = [
    { what: 'baseline: DNS answers', env: { ...common, MAILSETTINGS_DNS_SERVERS: world.dns.address } },
    { what: 'DNS never answers', env: { ...common, MAILSETTINGS_DNS_SERVERS: dead.address } },
  ];
  const rows: Row[] = [];
  for (const checkout of checkouts) {
    for (const { what, env } of cases) {
      await runCli(checkout.root, ['example.com'], env); // warm-up, not counted: the file cache
      const runs: Run[] = [];
      for (let index = 0; index < EXIT_RUNS; index++)
        runs.push(await runCli(checkout.root, ['example.com'], env));
      const after = stats(runs.map((run) => run.exitMs - run.answerMs));
      rows.push({
        tree: checkout.label,
        case: what,
        runs: runs.length,
        'answer printed': ms(stats(runs.map((run) => run.answerMs)).mean),
        'exit − answer (mean)': ms(after.mean),
        'exit − answer (max)': ms(after.max),
      });
    }
  }
  printTable(
    `CLI: time from printing the answer to exiting (mailsettings example.com; ${EXIT_RUNS} runs each)`,
    rows,
    'Default DNS timeouts. "never answers": a loopback DNS server that records queries and never replies.',
  );
}

async function benchBulkMemory(checkouts: Checkout[], world: World): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-bulk-'));
  const line = (index: number) => `user${index}@${customer(index % BULK_DOMAINS)} pop\n`;
  const inputs = BULK_LINES.map((count, index) => ({
    what: `${index === 0 ? 'baseline: ' : ''}${count.toLocaleString('en-US')} line${count === 1 ? '' : 's'}`,
    count,
  })).map((input) => {
    const file = join(dir, `${input.count}.txt`);
    writeFileSync(file, Array.from({ length: input.count }, (_, index) => line(index)).join(''));
    return { ...input, file };
  });
  const env = {
    MAILSETTINGS_DNS_SERVERS: world.dns.address,
    MAILSETTINGS_ISPDB_URL: `${world.ispdb.url}/v1.1/`,
  };
  const rows: Row[] = [];
  try {
    for (const checkout of checkouts) {
      let baseline = 0;
      for (const input of inputs) {
        const run = await runCli(checkout.root, ['--json', '-'], env, input.file);
        if (run.lines !== input.count) throw new Error(`${input.what}: ${run.lines} answers`);
        baseline ||= run.peakRss;
        rows.push({
          tree: checkout.label,
          input: input.what,
          'peak RSS': mb(run.peakRss),
          'peak RSS − baseline': mb(run.peakRss - baseline),
          'first answer after': ms(run.answerMs),
          'all done after': ms(run.exitMs),
          'lines per second': Math.round(input.count / (run.exitMs / 1000)).toLocaleString('en-US'),
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(
    `CLI bulk mode: peak RSS of the process (node ${BUILT.cli} --json - < file; ${BULK_DOMAINS} distinct domains)`,
    rows,
    `Peak RSS is VmHWM from /proc, read every ${RSS_POLL_MS} ms. DNS and the ISP database on loopback.`,
  );
}

export async function benchCliBulk(): Promise<void> {
  const before = process.env.BENCH_CLI_BEFORE;
  const built = await buildOnce();
  console.log(`\n${built}.`);
  const checkouts: Checkout[] = [{ label: 'this tree', root: ROOT }];
  if (before) checkouts.unshift(extract(before));
  // Every domain asked has an MX record: a domain with none and no address gets "does not exist" (exit 2).
  const mx = (name: string): DnsRecord => ({ name, type: 'MX', priority: 10, exchange: `mail.${name}` });
  const records = [mx('example.com'), ...Array.from({ length: BULK_DOMAINS }, (_, n) => mx(customer(n)))];
  const [world, dead] = await Promise.all([startWorld({ records }), startDnsServer({ silent: true })]);
  try {
    await benchExit(checkouts, world, dead);
    await benchBulkMemory(checkouts, world);
  } finally {
    await Promise.all([world.close(), dead.close()]);
    if (before) rmSync(checkouts[0]?.root ?? '', { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchCliBulk();

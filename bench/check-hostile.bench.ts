// What a live check against a hostile server costs the process that runs it: the worst event-loop stall
// (every other user's command waits that long) and the peak resident memory. Each check runs in a fresh
// process (bench/check-child.ts), so its peak is its own; the servers run here, in the benchmark process.
// Baseline, same run: that process checking nothing, and checking a well-behaved server.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Server } from '../src/index.js';
import type { ServerType } from '../src/testing.js';
import { type Behaviour, type HostileServer, startHostileServer } from '../test/support/hostile-mail.js';
import type { ChildInput, ChildOutput } from './check-child.js';
import { mb, ms, percentile, printTable, type Row } from './table.js';

const CHILD = fileURLToPath(new URL('./check-child.ts', import.meta.url));
/** The production default, so the figures are those of a check as the bot runs it. */
const DEADLINE_MS = 8000;
const RUNS = 5;

interface Case {
  what: string;
  /** One server per entry, all started fresh for each run. */
  servers: [Behaviour, ServerType][];
  /** The row the others are compared with. */
  baseline?: true;
}

const CASES: Case[] = [
  { what: 'the process alone (no server to check)', servers: [] },
  { what: 'baseline: one well-behaved IMAP server', servers: [['healthy', 'imap']], baseline: true },
  { what: 'IMAP answering CAPABILITY with 64 KiB of bare newlines', servers: [['newline-flood', 'imap']] },
  {
    what: 'six ports (IMAP, POP3, SMTP ×2) answering with 64 KiB of newlines',
    servers: (['imap', 'imap', 'pop3', 'pop3', 'smtp', 'smtp'] as const).map((type) => [
      'newline-flood',
      type,
    ]),
  },
  { what: 'IMAP sending 128 MiB of 1 KiB lines after its greeting', servers: [['flood', 'imap']] },
];

export async function benchHostileCheck(): Promise<void> {
  const measured: { row: Row; stall: number; rss: number; baseline: boolean }[] = [];
  for (const { what, servers: wanted, baseline } of CASES) {
    const runs: ChildOutput[] = [];
    let sentMax = 0;
    for (let run = 0; run < RUNS; run++) {
      const servers = await Promise.all(
        wanted.map(([behaviour, type]) => startHostileServer(behaviour, { type })),
      );
      try {
        runs.push(await runChild({ servers: servers.map(toServer(wanted)), deadlineMs: DEADLINE_MS }));
        sentMax = Math.max(sentMax, ...servers.flatMap(sentBytes));
      } finally {
        await Promise.all(servers.map((server) => server.close()));
      }
    }
    const stalls = runs.map((run) => run.maxStallMs).sort((a, b) => a - b);
    const stall = stalls.at(-1) as number;
    const rss = Math.max(...runs.map((run) => run.peakRssBytes));
    const row: Row = {
      what,
      runs: runs.length,
      outcomes: [...new Set(runs.flatMap((run) => run.outcomes))].join(', ') || '-',
      'check time (max)': ms(Math.max(...runs.map((run) => run.ms))),
      'worst stall': ms(stall),
      'median run': ms(percentile(stalls, 50)),
      'peak RSS': mb(rss),
      'server got out (max)': wanted.length > 0 ? mb(sentMax) : '-',
    };
    measured.push({ row, stall, rss, baseline: baseline === true });
  }
  const base = measured.find((entry) => entry.baseline) as (typeof measured)[number];
  const signed = (value: number, format: (n: number) => string) =>
    `${value < 0 ? '−' : '+'}${format(Math.abs(value))}`;
  const rows = measured.map(({ row, stall, rss }) => ({
    ...row,
    'stall vs baseline': signed(stall - base.stall, ms),
    'RSS vs baseline': signed(rss - base.rss, mb),
  }));
  printTable(
    `Live check against hostile servers (deadline ${DEADLINE_MS} ms; each check in a fresh process, worst of ${RUNS})`,
    rows,
    [
      '"worst stall": the longest the event loop was blocked during the check (monitorEventLoopDelay max, 1 ms',
      'resolution) in the worst run; "median run": the same in the median run. "peak RSS": the process\'s',
      'high-water mark (resourceUsage().maxRSS), worst run. "server got out": bytes written before the check hung up.',
    ].join('\n'),
  );
}

const toServer =
  (wanted: Case['servers']) =>
  (server: HostileServer, index: number): Server => ({
    type: wanted[index]?.[1] ?? 'imap',
    hostname: 'mail.test',
    port: server.port,
    security: 'none',
    username: '%EMAILADDRESS%',
    authentication: [],
  });

const sentBytes = (server: HostileServer) => server.connections.map((connection) => connection.bytesSent());

function runChild(input: ChildInput): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // A check that outlives its deadline by this much is a bug worth seeing, not waiting for.
    const timer = setTimeout(() => child.kill('SIGKILL'), input.deadlineMs + 30_000);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{'))
        reject(new Error(`check child exited ${code}: ${out.slice(0, 500)}`));
      else resolve(JSON.parse(line) as ChildOutput);
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await benchHostileCheck();

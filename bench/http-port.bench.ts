// Memory of the started bot while strangers attack its public HTTP port (Slack's HTTP mode at /slack/events):
// 100 connections each sending an unsigned 4 MB body over and over; 100 sending the largest body the bot
// takes, and 100 the largest it reads without waiting its turn, with a signature that fails; and a slowloris
// (100 connections trickling headers, 100 trickling a body). Each target is its own process tree, started
// fresh for each attack against the loopback Slack fake (auth.test); the whole tree's RSS is read idle, every
// 250 ms during the attack (its peak) and 3 s after. Meanwhile a signed `/mailsettings help` every 500 ms
// shows whether Slack itself still gets through. Baseline: bare Bolt's App in HTTP mode with its defaults
// (4 MB body limit, Node's server defaults), one node process, against ours started as in production (`node
// dist/adapters/main.js`) and with `npm start`. Floor: a bare node:http server that answers at once and reads
// no body, which shows what the connections alone cost Node.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { LARGE_BODY, SLACK_BODY_LIMIT } from '../adapters/slack/receiver.js';
import { BUILT, buildOnce, ROOT } from '../test/support/build.js';
import { type FakeSlack, startFakeSlack } from '../test/support/fake-slack.js';
import { isRunning, type Proc, treeMemory } from '../test/support/process-tree.js';
import { SLACK_SECRET, signedCommands } from './slack.bench.js';
import { mb, printTable, type Row } from './table.js';

const CONNECTIONS = 100;
const SETTLE_MS = 3000;
const SAMPLE_EVERY_MS = 250;
const PROBE_EVERY_MS = 500;
/** Slack shows the user an error when a command is not answered within this. */
const SLACK_WAITS_MS = 3000;

interface Start {
  what: string;
  command: string;
  args: string[];
}

const BASELINE_SOURCE = `
import { App, LogLevel } from '@slack/bolt';
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.WARN,
  convoStore: false,
});
app.command('/mailsettings', async ({ ack }) => ack('help'));
const server = await app.start(Number(process.env.PORT));
console.error('slack: started port=' + server.address().port);
process.once('SIGTERM', async () => { await app.stop(); process.exit(0); });
`;

/** The floor: what Node alone costs per connection, answering at once, reading no body, closing. */
const FLOOR_SOURCE = `
import http from 'node:http';
const server = http.createServer((req, res) => {
  res.writeHead(200, { connection: 'close' }).end();
  res.on('finish', () => req.socket.destroy());
});
server.listen(Number(process.env.PORT), () => console.error('slack: started port=' + server.address().port));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
`;

const STARTS: Start[] = [
  { what: `ours: node ${BUILT.bot}`, command: process.execPath, args: [BUILT.bot] },
  { what: 'ours: npm start', command: 'npm', args: ['start'] },
  {
    what: 'baseline: bare Bolt, its defaults',
    command: process.execPath,
    args: ['--input-type=module', '-e', BASELINE_SOURCE],
  },
  {
    what: 'floor: node:http, answers at once, reads nothing',
    command: process.execPath,
    args: ['--input-type=module', '-e', FLOOR_SOURCE],
  },
];

/** One connection's part in an attack: what it writes once connected. */
interface Attacker {
  kind: string;
  start(socket: net.Socket): void;
}

interface Attack {
  what: string;
  ms: number;
  attackers: Attacker[];
}

const headerLines = (lines: Record<string, string | number>) =>
  Object.entries(lines)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');

/** Signature headers that look like Slack's, with a fresh timestamp, and a signature that fails. */
const badSignature = () => ({
  'x-slack-request-timestamp': Math.floor(Date.now() / 1000),
  'x-slack-signature': `v0=${'0'.repeat(64)}`,
});
const postHead = (headers: Record<string, string | number>) =>
  `POST /slack/events HTTP/1.1\r\n${headerLines({ host: 'bot', 'content-type': 'application/json', ...headers })}\r\n`;

/** A POST to /slack/events with a body of `bytes`, unsigned or with a signature that fails. */
function bigBody(bytes: number, signed: boolean): Attacker {
  const body = Buffer.alloc(bytes, 'x');
  return {
    kind: 'body',
    start(socket) {
      socket.write(postHead({ 'content-length': bytes, ...(signed ? badSignature() : {}) }));
      socket.write(body);
    },
  };
}

/**
 * Trickles one header line every 200 ms, never ending the headers; or, after signed-looking headers declaring
 * a body of a usual size (2 KB, a slash command's), one byte of it every 200 ms.
 */
function slow(part: 'headers' | 'body'): Attacker {
  return {
    kind: `slow ${part}`,
    start(socket) {
      if (part === 'headers') socket.write('POST /slack/events HTTP/1.1\r\nhost: bot\r\n');
      else socket.write(postHead({ 'content-length': 2000, ...badSignature() }));
      const timer = setInterval(() => socket.write(part === 'headers' ? 'x-slow: 1\r\n' : 'x'), 200);
      socket.once('close', () => clearInterval(timer));
    },
  };
}

const kib = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`);
const ATTACKS: Attack[] = [
  {
    what: `${CONNECTIONS} × 4 MB, unsigned`,
    ms: 6000,
    attackers: Array(CONNECTIONS).fill(bigBody(4 * 1024 * 1024, false)),
  },
  {
    what: `${CONNECTIONS} × ${kib(SLACK_BODY_LIMIT)} (ours' limit), bad signature`,
    ms: 6000,
    attackers: Array(CONNECTIONS).fill(bigBody(SLACK_BODY_LIMIT, true)),
  },
  {
    what: `${CONNECTIONS} × ${kib(LARGE_BODY)} (ours' largest without a turn), bad signature`,
    ms: 6000,
    attackers: Array(CONNECTIONS).fill(bigBody(LARGE_BODY, true)),
  },
  {
    what: `slowloris: ${CONNECTIONS} slow headers + ${CONNECTIONS} slow bodies`,
    ms: 14_000,
    attackers: [...Array(CONNECTIONS).fill(slow('headers')), ...Array(CONNECTIONS).fill(slow('body'))],
  },
];

interface Outcome {
  /** How each attacking request ended: the status the bot answered, or how the connection ended. */
  ends: Map<string, number>;
  /** How long each kind of attacker's connections stayed open before the bot ended them, in ms. */
  heldMs: Map<string, number[]>;
}

/** Runs each attacker on a connection of its own, reconnecting whenever the bot ends it, for `ms`. */
async function attack(port: number, { attackers, ms }: Attack): Promise<Outcome> {
  const outcome: Outcome = { ends: new Map(), heldMs: new Map() };
  const until = Date.now() + ms;
  const one = async (attacker: Attacker) => {
    while (Date.now() < until) {
      const opened = Date.now();
      const end = await new Promise<string>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => attacker.start(socket));
        let status = '';
        socket.on('data', (chunk: Buffer) => {
          status ||= `HTTP ${chunk.toString('latin1').split(' ')[1]}`;
          socket.destroy();
        });
        socket.on('error', (error: NodeJS.ErrnoException) => {
          status ||= error.code ?? 'error';
        });
        const stop = setTimeout(() => socket.destroy(), until - Date.now());
        socket.on('close', () => {
          clearTimeout(stop);
          resolve(status || (Date.now() >= until ? 'still open at the end' : 'closed, no answer'));
        });
      });
      if (end !== 'still open at the end') {
        const held = outcome.heldMs.get(attacker.kind) ?? [];
        held.push(Date.now() - opened);
        outcome.heldMs.set(attacker.kind, held);
      }
      outcome.ends.set(end, (outcome.ends.get(end) ?? 0) + 1);
    }
  };
  await Promise.all(attackers.map(one));
  return outcome;
}

interface Probes {
  sent: number;
  answered: number;
  slowestMs: number;
}

/** A signed `/mailsettings help` every PROBE_EVERY_MS on a new connection, as Slack would send it. */
async function probe(port: number, fake: FakeSlack, ms: number): Promise<Probes> {
  const probes: Probes = { sent: 0, answered: 0, slowestMs: 0 };
  const pending: Promise<void>[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const [command] = signedCommands(1, fake, 'help');
    if (!command) break;
    const started = Date.now();
    probes.sent += 1;
    pending.push(
      new Promise<void>((resolve) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/slack/events',
            method: 'POST',
            headers: command.headers,
            agent: false,
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              const took = Date.now() - started;
              probes.slowestMs = Math.max(probes.slowestMs, took);
              if (res.statusCode === 200 && took <= SLACK_WAITS_MS) probes.answered += 1;
              resolve();
            });
          },
        );
        req.setTimeout(SLACK_WAITS_MS * 2, () => req.destroy());
        req.on('error', () => {
          probes.slowestMs = Math.max(probes.slowestMs, Date.now() - started);
          resolve();
        });
        req.end(command.body);
      }),
    );
    await sleep(PROBE_EVERY_MS);
  }
  await Promise.all(pending);
  return probes;
}

interface Measured {
  idle: number;
  peak: number;
  after: number;
  processes: string;
  outcome: Outcome;
  probes: Probes;
  stopped: string;
}

/** Starts a fresh tree, reads it idle, attacks while sampling, reads it after, and stops it with SIGTERM. */
async function measure(start: Start, what: Attack): Promise<Measured> {
  const slack = await startFakeSlack();
  let child: ChildProcess | undefined;
  let tree: Proc[] = [];
  try {
    child = spawn(start.command, start.args, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9',
        MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const pid = child.pid as number;
    const port = await started(child);
    await sleep(SETTLE_MS);
    const idle = treeMemory(pid);
    tree = idle.processes;
    let peak = idle.rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, treeMemory(pid).rss);
    }, SAMPLE_EVERY_MS);
    const [outcome, probes] = await Promise.all([attack(port, what), probe(port, slack, what.ms)]);
    clearInterval(sampler);
    await sleep(SETTLE_MS);
    const after = treeMemory(pid).rss;
    return {
      idle: idle.rss,
      peak: Math.max(peak, after),
      after,
      processes: idle.processes.map((proc) => basename(proc.command.split(' ')[0] ?? '?')).join(' + '),
      outcome,
      probes,
      stopped: await stop(child, tree),
    };
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const proc of tree) if (isRunning(proc)) process.kill(proc.pid, 'SIGKILL');
    await slack.close();
  }
}

/** Resolves with the port once Slack says it started; keeps reading stderr so the tree never blocks on it. */
async function started(child: ChildProcess): Promise<number> {
  let stderr = '';
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not started within 60 s:\n${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before it started:\n${stderr}`)));
    child.stderr?.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
      const port = /slack: started .*port=(\d+)/.exec(stderr)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(Number(port));
      }
    });
  });
}

async function stop(child: ChildProcess, tree: Proc[]): Promise<string> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const exit = await Promise.race([exited, sleep(10_000).then(() => undefined)]);
  if (!exit) return 'NO: still running 10 s after SIGTERM';
  await sleep(300);
  const left = tree.filter(isRunning);
  if (left.length) return `NO: left running: ${left.map((proc) => proc.command).join(', ')}`;
  return exit[0] === 0 ? 'yes' : `NO: exit ${exit[0]}`;
}

const signedMb = (bytes: number) => `${bytes < 0 ? '−' : '+'}${mb(Math.abs(bytes))}`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
/** Per kind of attacker, how long the bot let its connections stay open (those it ended). */
const held = (outcome: Outcome) =>
  [...outcome.heldMs].map(([kind, ms]) => `${kind} ${(median(ms) / 1000).toFixed(1)} s`).join(', ') || '—';

function ends(outcome: Outcome): string {
  return [...outcome.ends]
    .sort((a, b) => b[1] - a[1])
    .map(([end, n]) => `${n} ${end}`)
    .join(', ');
}

/** `only`: runs the attacks and targets whose names contain it (`npx tsx bench/http-port.bench.ts floor`). */
export async function benchHttpPort(only = ''): Promise<void> {
  const buildNote = await buildOnce();
  const rows: Row[] = [];
  for (const what of ATTACKS) {
    for (const start of STARTS) {
      if (!`${what.what} ${start.what}`.includes(only)) continue;
      const m = await measure(start, what);
      rows.push({
        attack: what.what,
        target: start.what,
        processes: m.processes,
        'idle rss': mb(m.idle),
        'peak rss': mb(m.peak),
        'peak − idle': signedMb(m.peak - m.idle),
        'after − idle': signedMb(m.after - m.idle),
        'attack requests ended': ends(m.outcome),
        'connection held (median)': held(m.outcome),
        'Slack answered in 3 s': `${m.probes.answered}/${m.probes.sent}`,
        'slowest answer': `${m.probes.slowestMs} ms`,
        'stopped on SIGTERM': m.stopped,
      });
    }
  }
  printTable(
    'The HTTP port under attack: memory of the whole process tree (Slack HTTP mode against the loopback Slack fake)',
    rows,
    `Goal: ours within +50 MB of idle during and after each attack, and Slack's own signed commands answered ` +
      `meanwhile. rss sums VmRSS over the tree; the peak is the highest of samples every ${SAMPLE_EVERY_MS} ms, ` +
      `"after" is read ${SETTLE_MS / 1000} s after the attack stopped; no forced GC. Each attacker reconnects ` +
      `whenever the bot ends its connection, so the pressure lasts the whole attack. ${buildNote}.`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchHttpPort(process.argv[2]);

// Fail-over between two replicas on one PostgreSQL: how long after the replica holding Discord's gateway is
// killed (SIGKILL) the other one holds it and answers an interaction. Baseline, in the same run: a replica
// started from nothing until it holds the gateway (what a process manager's restart would cost instead).
// Runs alone with `npx tsx bench/failover.bench.ts`.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { type BotProcess, killBotProcess, startBotProcess } from '../test/support/bot-process.js';
import { startRelayWorld } from '../test/support/relay-world.js';
import { ms, printTable, ratio, stats } from './table.js';

const ROUNDS = 5;
const run = promisify(execFile);

export async function benchFailover(): Promise<void> {
  const server = await postgres();
  if ('skip' in server) {
    console.log(`\nFail-over between replicas: skipped (${server.skip})`);
    return;
  }
  const rw = await startRelayWorld();
  const name = `failover_${process.pid}`;
  await admin(server.url, `CREATE DATABASE ${name}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  const databaseUrl = url.href;
  let cold = 0;
  const gateway: number[] = [];
  const answered: number[] = [];
  const running: BotProcess[] = [];
  try {
    const holdsWithin = async (replica: BotProcess, since: number) => {
      while (!replica.onGateway()) await new Promise((resolve) => setTimeout(resolve, 10));
      return performance.now() - since;
    };
    const started = performance.now();
    let holder = await startBotProcess(rw, { name: 'r0', databaseUrl });
    running.push(holder);
    cold = await holdsWithin(holder, started);
    for (let round = 1; round <= ROUNDS; round++) {
      const standby = await startBotProcess(rw, { name: `r${round}`, databaseUrl });
      running.push(standby);
      await new Promise((resolve) => setTimeout(resolve, 1200)); // a settled standby, polling for the lease
      const identifies = rw.discord.gateway.identifies.length;
      const killedAt = performance.now();
      await killBotProcess(holder);
      gateway.push(await holdsWithin(standby, killedAt));
      while (rw.discord.gateway.identifies.length === identifies) await new Promise((r) => setTimeout(r, 5));
      const sent = rw.discord.sendCommand({ options: [{ name: 'domain', type: 3, value: 'direct.test' }] });
      await rw.discord.waitFor((call) => call.path.startsWith(`/interactions/${sent.id}/`), 1, 10_000);
      answered.push(performance.now() - killedAt);
      holder = standby;
    }
  } finally {
    for (const replica of running) await killBotProcess(replica);
    await rw.close();
    await admin(server.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await server.stop();
  }
  const baseline = cold;
  const row = (what: string, samples: number[]) => {
    const s = stats(samples);
    return { what, n: s.n, p50: ms(s.p50), max: ms(s.max), 'p50 vs cold start': ratio(s.p50 / baseline) };
  };
  printTable(
    `Fail-over between two replicas on one PostgreSQL (${ROUNDS} rounds; the holder killed with SIGKILL)`,
    [
      {
        what: 'baseline: a replica started from nothing until it holds the gateway',
        n: 1,
        p50: ms(baseline),
        max: ms(baseline),
        'p50 vs cold start': ratio(1),
      },
      row('kill → the standby holds the gateway (logged "discord: started")', gateway),
      row('kill → an interaction answered by the standby', answered),
    ],
    'The standby asks for the lease every second (LeaseOptions.retryMs), so a take-over costs up to one poll plus the login.',
  );
}

/** The run's PostgreSQL: MAILSETTINGS_TEST_DATABASE_URL, or one started here with .ci/postgres. */
async function postgres(): Promise<{ url: string; stop(): Promise<void> } | { skip: string }> {
  const given = process.env.MAILSETTINGS_TEST_DATABASE_URL;
  if (given) return { url: given, stop: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-pg-bench-'));
  const script = join(import.meta.dirname, '../.ci/postgres');
  try {
    const { stdout } = await run('bash', [script, 'start', dir, String(await freePort())]);
    return {
      url: stdout.trim(),
      stop: async () => {
        await run('bash', [script, 'stop', dir]).catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `PostgreSQL could not be started: ${String((error as Error).message).split('\n')[0]}` };
  }
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createServer().listen(0, '127.0.0.1', () => {
      const { port } = socket.address() as { port: number };
      socket.close(() => resolve(port));
    });
    socket.once('error', reject);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await benchFailover();

// Fail-over between two replicas on one PostgreSQL: how long after the replica holding Discord's gateway is
// killed (SIGKILL) the other one holds it and answers an interaction. Baseline, in the same run: a replica
// started from nothing until it holds the gateway (what a process manager's restart would cost instead).
// Runs alone with `npx tsx bench/failover.bench.ts`.
import { type BotProcess, killBotProcess, startBotProcess } from '../test/support/bot-process.js';
import { adminQuery, createTestDatabase, startPostgres } from '../test/support/postgres.js';
import { startRelayWorld } from '../test/support/relay-world.js';
import { ms, printTable, ratio, stats } from './table.js';

const ROUNDS = 5;

export async function benchFailover(): Promise<void> {
  const server = await startPostgres();
  if ('unavailable' in server) {
    console.log(`\nFail-over between replicas: skipped (${server.unavailable})`);
    return;
  }
  const rw = await startRelayWorld();
  const name = `failover_${process.pid}`;
  const databaseUrl = await createTestDatabase(server.url, name);
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
    await adminQuery(server.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
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

if (import.meta.url === `file://${process.argv[1]}`) await benchFailover();

// The database comes and goes: a real PostgreSQL of this file's own (so no other test is disturbed) stopped
// and started again as a routine restart does. The bot keeps running, answers what needs no database, leaves
// unacknowledged what it could not store (so Slack sends it again), and delivers everything waiting once the
// database is back; two replicas both survive it and the gateway holder keeps Discord; a start while the
// database is down waits, saying so in one line that names DATABASE_URL with its password masked.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLease, createLogger, openDatabase } from '../../src/index.js';
import { createRateLimiter, createSharedRateLimiter } from '../../src/testing.js';
import { type BotProcess, killBotProcess, startBotProcess } from '../support/bot-process.js';
import { commandBody, signedPost } from '../support/fake-slack.js';
import {
  adminQuery,
  createTestDatabase,
  type RestartablePostgres,
  startOwnPostgres,
} from '../support/postgres.js';
import {
  type Bot,
  customerAsksForAPerson,
  customerWrites,
  type RelayWorld,
  SECRET,
  STAFF,
  startRelayWorld,
} from '../support/relay-world.js';

let server: RestartablePostgres | undefined;
let unavailable: string | undefined;
let rw: RelayWorld;
let databases = 0;

beforeAll(async () => {
  const started = await startOwnPostgres();
  if ('unavailable' in started) unavailable = started.unavailable;
  else server = started;
  rw = await startRelayWorld();
});
afterAll(async () => {
  await rw?.close();
  await server?.close();
});

const own = () => server as RestartablePostgres;
const freshDatabase = () => createTestDatabase(own().url, `restart_${++databases}`);
/** How many rows a statement returns, asked on a connection of its own. */
async function adminRows(url: string, statement: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}
const lines = (text: string, pattern: RegExp) => text.split('\n').filter((line) => pattern.test(line));

describe.skipIf(unavailable !== undefined)('a PostgreSQL restart', () => {
  it('is survived: Slack retries what could not be stored, and what waited is delivered after', async () => {
    const url = await freshDatabase();
    const bot: Bot = await rw.start(url);
    onTestFinished(() => bot.stop());
    const user = { id: 'URESTART', name: 'robin' };
    const posts = rw.discord.threads().length;
    const { threadTs } = await customerAsksForAPerson(rw, bot, 'direct.test pop', { user });
    await expect.poll(() => rw.discord.threads().length, { timeout: 10_000 }).toBe(posts + 1);
    const post = String((rw.discord.threads().at(-1) as { id: string }).id);
    const from = rw.logs.length;

    // Stored while Discord is down: it waits in the outbox when the database goes away.
    rw.discord.outage(true);
    expect((await customerWrites(bot, 'before the restart', threadTs, { user: user.id }).send()).status).toBe(
      200,
    );
    await expect.poll(() => rw.logs.slice(from).join('\n')).toMatch(/cases: delivery failed/);
    await own().stop();
    rw.discord.outage(false);

    // Not stored, so not acknowledged: Slack will send it again.
    const during = customerWrites(bot, 'during the restart', threadTs, { user: user.id });
    expect((await during.send()).status).toBe(500);
    await own().start();
    expect((await during.send(1)).status).toBe(200);

    const relayed = await rw.discord.waitForMessages(
      post,
      2,
      (message) => /the restart/.test(String(message.content)),
      15_000,
    );
    expect(relayed.map((message) => message.content)).toEqual([
      `**${user.name} (customer):** before the restart`,
      `**${user.name} (customer):** during the restart`,
    ]);
    const logged = rw.logs.slice(from).join('\n');
    expect(lines(logged, /database: the connection to PostgreSQL ended/)).toHaveLength(1);
    expect(lines(logged, /slack: could not store an event; Slack will send it again/)).toHaveLength(1);
    expect(logged).toMatch(/database: connected to PostgreSQL again/);
    expect(lines(logged, /cases: delivery pass failed/).length).toBeLessThanOrEqual(2); // once per side at most
  });

  it("makes a case's post once when the database goes away while Discord makes it", async () => {
    const bot: Bot = await rw.start(await freshDatabase());
    onTestFinished(() => bot.stop());
    const user = { id: 'UHELDPOST', name: 'kim' };
    const opened = rw.slack.messages('C1').length;
    const from = rw.logs.length;
    // This case's posts, named for its customer (the fake keeps the other tests' posts too).
    const kims = () =>
      rw.discord
        .threads()
        .map((thread) => String(thread.name))
        .filter((name) => name.endsWith(`· ${user.name}`));
    // Discord makes the post; its answer reaches the bot only once the database is gone.
    const held = rw.discord.holdRest(
      (method, path) => method === 'POST' && path === `/channels/${rw.discord.forumId}/threads`,
    );
    const asked = customerAsksForAPerson(rw, bot, 'direct.test pop', { user, settle: false });
    await held.reached;
    await own().stop();
    held.release();
    await expect.poll(() => rw.logs.slice(from).join('\n')).toMatch(/cases: delivery pass failed/);
    await asked;
    await own().start();

    // Written down once the database is back, so the case goes on from the post Discord made: the customer's
    // thread opens (which comes after the post), and there is still one post.
    await expect
      .poll(
        () =>
          rw.slack
            .messages('C1')
            .slice(opened)
            .filter((message) => !message.thread_ts).length,
        {
          timeout: 15_000,
        },
      )
      .toBe(1);
    expect(kims()).toHaveLength(1);
  });

  it('keeps running when the connection a transaction holds is ended between two of its queries', async () => {
    // Ended while no query runs, the connection emits 'error'; with nobody listening Node would exit (here
    // vitest reports it as an unhandled error, and the run fails). Only the transaction's next query may fail.
    const database = await openDatabase(await freshDatabase());
    onTestFinished(() => database.close());
    const outcome = await database.db
      .transaction()
      .execute(async (tx) => {
        const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx);
        const pid = Number(rows[0]?.pid);
        await adminQuery(own().url, `SELECT pg_terminate_backend(${pid})`);
        const gone = `SELECT 1 FROM pg_stat_activity WHERE pid = ${pid}`;
        await expect.poll(() => adminRows(own().url, gone)).toBe(0);
        return sql`SELECT 1`.execute(tx);
      })
      .then(
        () => 'went on',
        () => 'failed',
      );
    expect(outcome).toBe('failed');
    expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db)).rows).toEqual([{ one: 1 }]);
  });

  it('counts the limits in memory while the database is away', async () => {
    const url = await freshDatabase();
    const database = await openDatabase(url);
    onTestFinished(() => database.close());
    const logs: string[] = [];
    const limit = createSharedRateLimiter(database.db, {
      name: 'questions',
      limit: 2,
      whileAway: createRateLimiter({ limit: 2 }),
      log: createLogger((line) => logs.push(line)),
    });
    expect((await limit('U1')).ok).toBe(true);
    await own().stop();
    onTestFinished(() => own().start());
    const verdicts = [await limit('U1'), await limit('U1'), await limit('U1')];
    expect(verdicts.map((verdict) => verdict.ok)).toEqual([true, true, false]);
    expect(lines(logs.join('\n'), /limits: the database is away/)).toHaveLength(1);
  });

  it('leaves the gateway lease with its holder, unless another replica took it meanwhile', async () => {
    const url = await freshDatabase();
    const logs: string[] = [];
    const log = createLogger((line) => logs.push(line));
    const lease = { url, name: 'discord-gateway', retryMs: 100, graceMs: 300, log };
    const holder = createLease(lease);
    const standby = createLease(lease);
    onTestFinished(async () => {
      await holder.release();
      await standby.release();
    });
    let lost = 0;
    holder.onLost(() => lost++);
    await holder.hold();
    let standbyHolds = false;
    void standby.hold().then(() => {
      standbyHolds = true;
    });

    await own().stop();
    await own().start();
    await expect.poll(() => logs.join('\n'), { timeout: 10_000 }).toMatch(/lease: held again/);
    // The standby, back too, may have taken the lease first: it hands it back after its grace. A few of its tries.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect({ lost, standbyHolds }).toEqual({ lost: 0, standbyHolds: false });

    // The holder's connection ends and another replica takes the lease before the holder asks again, and keeps
    // it past the holder's wait in line (its grace and half a second).
    await adminQuery(
      url,
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted;
       SELECT pg_advisory_lock(hashtext('discord-gateway')); SELECT pg_sleep(1.5)`,
    );
    expect(lost).toBe(1);
    expect(logs.join('\n')).toMatch(/lease: another replica holds it now; giving it up/);
    await expect.poll(() => standbyHolds, { timeout: 5000 }).toBe(true); // the other replica went away
  });

  it('is survived by two replicas; the gateway holder keeps Discord throughout', async () => {
    const url = await freshDatabase();
    const replicas: BotProcess[] = [];
    onTestFinished(async () => {
      for (const replica of replicas) await killBotProcess(replica);
    });
    const start = async (name: string) => {
      const replica = await startBotProcess(rw, { name, databaseUrl: url });
      replicas.push(replica);
      return replica;
    };
    const a = await start('a');
    await expect.poll(() => a.onGateway(), { timeout: 15_000 }).toBe(true);
    const b = await start('b');
    await expect.poll(b.output, { timeout: 10_000 }).toContain('discord: waiting for the gateway lease');
    const user = { id: 'UREPLICAS', name: 'sam' };
    const posts = rw.discord.threads().length;
    const { threadTs } = await customerAsksForAPerson(rw, a.bot as Bot, 'direct.test imap', { user });
    await expect.poll(() => rw.discord.threads().length, { timeout: 10_000 }).toBe(posts + 1);
    const post = String((rw.discord.threads().at(-1) as { id: string }).id);
    const identifies = rw.discord.gateway.identifies.length;

    await own().stop();
    await expect.poll(a.output, { timeout: 10_000 }).toMatch(/lease: the database connection ended/);
    // A question needs no database: answered, its limit counted in memory meanwhile.
    const answer = await signedPost(
      b.bot.events,
      SECRET,
      commandBody('direct.test', rw.slack.responseUrl('down'), 'U9'),
    );
    expect(String(JSON.parse(answer.body).text)).toMatch(/^Mail settings for direct\.test/);
    // So does a staff member's in the case post: whether it is a case's cannot be known now, the answer can.
    const staffAsks = rw.discord.sendCommand({
      options: [{ name: 'domain', type: 3, value: 'direct.test' }],
      channelId: post,
      member: STAFF,
    });
    const [callback] = await rw.discord.waitFor(
      (call) => call.path.startsWith(`/interactions/${staffAsks.id}/`),
      1,
      10_000,
    );
    expect(JSON.stringify(callback?.body)).toContain('Mail settings for direct.test');
    // And an error explained there: the card cannot take the diagnosis now, the staff member still gets it.
    const explains = rw.discord.sendCommand({
      options: [
        { name: 'domain', type: 3, value: 'direct.test' },
        { name: 'error', type: 3, value: '535 5.7.8 Error: authentication failed' },
      ],
      channelId: post,
      member: STAFF,
    });
    const answered = () =>
      JSON.stringify(rw.discord.calls.filter((call) => call.path.includes(explains.token)));
    await expect.poll(answered, { timeout: 10_000 }).toMatch(/password/i);
    expect(answered()).not.toMatch(/something went wrong/);
    const during = customerWrites(b.bot as Bot, 'while the database restarts', threadTs, { user: user.id });
    expect((await during.send()).status).toBe(500);

    await own().start();
    await expect.poll(a.output, { timeout: 15_000 }).toMatch(/lease: held again/);
    expect((await during.send(1)).status).toBe(200);
    await rw.discord.waitForMessages(
      post,
      1,
      (message) => /while the database restarts/.test(String(message.content)),
      15_000,
    );
    for (const replica of [a, b])
      expect([replica.child.exitCode, replica.child.signalCode]).toEqual([null, null]);
    expect(rw.discord.gateway.identifies).toHaveLength(identifies); // the gateway was never given up
    expect(b.onGateway()).toBe(false);
  });

  it('waits at start for an unreachable DATABASE_URL, named in one line with its password masked', async () => {
    const url = new URL(await freshDatabase());
    url.password = 'not-for-logs';
    await own().stop();
    let seen = '';
    const starting = startBotProcess(rw, {
      name: 'late',
      databaseUrl: url.href,
      onOutput: (stderr) => {
        seen = stderr;
      },
    });
    await expect.poll(() => seen, { timeout: 15_000 }).toMatch(/database: DATABASE_URL cannot be reached/);
    await own().start();
    const late = await starting;
    onTestFinished(() => killBotProcess(late));
    const said = late.output();
    const waiting = lines(said, /DATABASE_URL/);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatch(/url="postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/restart_\d+"/);
    expect(waiting[0]).toMatch(/warn database: DATABASE_URL cannot be reached; trying again every 2 s /);
    expect(said).not.toContain('not-for-logs');
    expect(said).not.toMatch(/\n\s+at /); // no stack trace
    expect(said).toMatch(/database: reachable, starting/);
  });
});

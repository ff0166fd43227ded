// Measures the Slack front end through Bolt's real HTTP receiver with signed /mailsettings commands for a cached
// domain: commands per second and time to acknowledgement, against a bare Bolt app configured like ours (no
// conversation store) that acknowledges with the same answer, rendered once beforehand.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { App, LogLevel } from '@slack/bolt';
import { createSlackApp } from '../adapters/slack/app.js';
import type { SlackDeps } from '../adapters/slack/listeners.js';
import type { SlackMessage } from '../adapters/slack/render.js';
import { createLogger, createRateLimiter, parseQuery } from '../src/index.js';
import { chatDeps } from '../test/support/chat.js';
import { commandBody, type FakeSlack, slackSignature, startFakeSlack } from '../test/support/fake-slack.js';
import { resolverIn, startWorld, TEST_PROFILE } from '../test/support/world.js';
import { memoryCells, memoryUsage, ms, perSecond, pool, printTable, ratio, stats } from './table.js';

export const SLACK_SECRET = 'bench-signing-secret';
export const CACHED_DOMAIN = 'cached.test';
export const GOOGLE_MX = 'aspmx.l.google.com';
/** The question every command asks; its answer is cached before anything is timed. */
export const SLACK_TEXT = `bob@${CACHED_DOMAIN} imap`;
const ANSWER_MARK = `Mail settings for ${CACHED_DOMAIN} (IMAP)`;

const CONCURRENCY = 32;
const ROUNDS = 4;
const PER_ROUND = 750;
const WARMUP = 2000;
const LOAD_MAX_MS = 20_000;
const BURST = 200;
const BURSTS = 5;
/** Slack shows an error when a slash command is not acknowledged within this. */
const SLACK_ACK_LIMIT_MS = 3000;
/** Distinct user ids the commands cycle through, as many people asking would. */
const USERS = 1000;

export interface Signed {
  body: string;
  headers: http.OutgoingHttpHeaders;
}

/** `count` slash-command requests signed like Slack does (v0 HMAC over "v0:timestamp:body"), ready to send. */
export function signedCommands(count: number, fake: FakeSlack, text = SLACK_TEXT): Signed[] {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return Array.from({ length: count }, (_, i) => {
    const body = commandBody(text, fake.responseUrl(`bench-${i}`), `U${i % USERS}`);
    const signature = slackSignature(SLACK_SECRET, timestamp, body);
    return {
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signature,
      },
    };
  });
}

type Reply = { status: number; body: string };

/** Something that takes the signed POSTs: its URL, how the load generator sends, and what counts as a good reply. */
export interface Target {
  what: string;
  send(request: Signed): Promise<Reply>;
  accepts(reply: Reply): boolean;
  close(): Promise<unknown>;
}

/** node:http with a keep-alive Agent: far cheaper per request than fetch, which shares this thread with the apps. */
export function httpSender(port: number): { send: Target['send']; agent: http.Agent } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const send = (request: Signed) =>
    new Promise<Reply>((resolve, reject) => {
      const req = http.request(
        { agent, host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers: request.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error('no response within 10 s')));
      req.on('error', reject);
      req.end(request.body);
    });
  return { send, agent };
}

const portOf = (server: unknown) => ((server as http.Server).address() as AddressInfo).port;

/** Our app, as `npm start` builds it in HTTP mode, answering from the (already warm) resolver inside the ack. */
export async function startOurSlack(fake: FakeSlack, deps: SlackDeps): Promise<Target> {
  const app = createSlackApp(
    { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: fake.apiUrl },
    deps,
  );
  const { send, agent } = httpSender(portOf(await app.start({ port: 0, host: '127.0.0.1' })));
  return {
    what: 'ours: createSlackApp, cached answer in the ack',
    send,
    accepts: (reply) => reply.status === 200 && reply.body.includes(ANSWER_MARK),
    close: async () => {
      await app.stop();
      agent.destroy();
    },
  };
}

/**
 * A bare Bolt app configured as createSlackApp configures ours, whose command handler only acknowledges: empty,
 * or with a fixed, pre-rendered message.
 */
async function startBareBolt(fake: FakeSlack, message?: SlackMessage): Promise<Target> {
  const app = new App({
    token: 'xoxb-bench',
    signingSecret: SLACK_SECRET,
    clientOptions: { slackApiUrl: fake.apiUrl },
    logLevel: LogLevel.WARN, // ours logs warnings and errors only, too
    // As ours: Bolt's default store would reject (a new Error) for every command that has no stored state.
    convoStore: false,
  });
  const body = message && { response_type: 'ephemeral' as const, ...message };
  app.command('/mailsettings', async ({ ack }) => ack(body));
  const { send, agent } = httpSender(portOf(await app.start({ port: 0, host: '127.0.0.1' })));
  return {
    what: body
      ? 'baseline: bare Bolt app, ack(the same answer, pre-rendered)'
      : 'reference: bare Bolt app, ack() only',
    send,
    accepts: (reply) => reply.status === 200 && (!body || reply.body.includes(ANSWER_MARK)),
    close: async () => {
      await app.stop();
      agent.destroy();
    },
  };
}

/** The floor under both apps: a node:http server that reads the body and answers 200, no Bolt at all. */
async function startFloor(): Promise<{ viaHttp: Target; viaFetch: Target }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server);
  const { send, agent } = httpSender(port);
  const url = `http://127.0.0.1:${port}/slack/events`;
  const accepts = (reply: Reply) => reply.status === 200;
  return {
    viaHttp: {
      what: 'reference: node:http server, empty 200',
      send,
      accepts,
      close: async () => {
        agent.destroy();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    },
    viaFetch: {
      what: 'reference: the same, sent with fetch',
      send: async (request) => {
        const headers = { ...request.headers };
        delete headers['content-length'];
        const response = await fetch(url, {
          method: 'POST',
          headers: headers as Record<string, string>,
          body: request.body,
        });
        return { status: response.status, body: await response.text() };
      },
      accepts,
      close: async () => {},
    },
  };
}

export interface Load {
  times: number[];
  wallMs: number;
  failed: number;
  firstError?: string;
  /** Size of an accepted reply's body, in bytes. */
  bytes?: number;
}

/** Sends every request with at most `concurrency` in flight; each time runs from send to the whole reply. */
export async function runLoad(target: Target, requests: Signed[], concurrency: number): Promise<Load> {
  let failed = 0;
  let firstError: string | undefined;
  let bytes: number | undefined;
  const fail = (why: string) => {
    failed += 1;
    firstError ??= why;
  };
  const run = await pool(requests.length, concurrency, LOAD_MAX_MS, async (i) => {
    try {
      const reply = await target.send(requests[i] as Signed);
      if (!target.accepts(reply)) fail(`HTTP ${reply.status} ${reply.body.slice(0, 120)}`);
      else bytes ??= Buffer.byteLength(reply.body);
    } catch (error) {
      fail(String(error));
    }
  });
  const load: Load = { times: [...run.times], wallMs: run.wallMs, failed };
  if (firstError) load.firstError = firstError;
  if (bytes !== undefined) load.bytes = bytes;
  return load;
}

function merge(into: Load, load: Load): void {
  into.times.push(...load.times);
  into.wallMs += load.wallMs;
  into.failed += load.failed;
  if (load.firstError) into.firstError ??= load.firstError;
  if (load.bytes !== undefined) into.bytes ??= load.bytes;
}
const emptyLoad = (): Load => ({ times: [], wallMs: 0, failed: 0 });

/** Every target gets `rounds` loads, interleaved, in an order that rotates each round. */
async function interleaved(
  targets: Target[],
  rounds: number,
  requests: () => Signed[],
  send: (target: Target, batch: Signed[]) => Promise<Load>,
): Promise<Load[]> {
  const totals = targets.map(emptyLoad);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < targets.length; k++) {
      const index = (k + round) % targets.length;
      const batch = requests(); // signed before the clock starts
      merge(totals[index] as Load, await send(targets[index] as Target, batch));
    }
  }
  return totals;
}

export async function benchSlack(): Promise<void> {
  const [world, fake] = await Promise.all([
    startWorld({ records: [{ name: CACHED_DOMAIN, type: 'MX', priority: 1, exchange: GOOGLE_MX }] }),
    startFakeSlack(),
  ]);
  const targets: Target[] = [];
  try {
    const resolver = resolverIn(world, { profile: TEST_PROFILE });
    const question = parseQuery(SLACK_TEXT);
    if (!question.ok) throw new Error(`bench question does not parse: ${question.error.message}`);
    const warm = await resolver.answer(question.value.query);
    if (warm.settings.source.kind !== 'mx') throw new Error(`warm-up came from ${warm.settings.source.kind}`);

    const floor = await startFloor();
    const bareEmpty = await startBareBolt(fake);
    const ours = await startOurSlack(
      fake,
      chatDeps({ resolver, limiter: createRateLimiter({ limit: 1e9 }), log: createLogger(() => {}) }),
    );
    // The fair baseline: Bolt configured as ours, acknowledging with the very message ours sends (taken from
    // ours' first answer), rendered once up front.
    const [sample] = signedCommands(1, fake);
    const ourAnswer = JSON.parse((await ours.send(sample as Signed)).body) as SlackMessage;
    const baseline = await startBareBolt(fake, ourAnswer);
    targets.push(floor.viaHttp, floor.viaFetch, bareEmpty, baseline, ours);

    // Not counted: JIT, Bolt's one auth.test, and the keep-alive sockets, for every target.
    for (const target of targets) {
      const load = await runLoad(target, signedCommands(WARMUP, fake), CONCURRENCY);
      if (load.failed) throw new Error(`${target.what}: warm-up failed: ${load.firstError}`);
    }
    const loads = await interleaved(
      targets,
      ROUNDS,
      () => signedCommands(PER_ROUND, fake),
      (target, batch) => runLoad(target, batch, CONCURRENCY),
    );
    const rate = (load: Load) => load.times.length / (load.wallMs / 1000);
    const rateOf = (target: Target) => rate(loads[targets.indexOf(target)] as Load);
    const [floorRate, emptyRate, baseRate, ourRate] = [floor.viaHttp, bareEmpty, baseline, ours].map(
      rateOf,
    ) as [number, number, number, number];
    const bytesOf = (target: Target) => (loads[targets.indexOf(target)] as Load).bytes ?? 0;
    const aboveFloor = (value: number) => 1e6 / value - 1e6 / floorRate; // µs per command
    printTable(
      `Slack slash commands through Bolt's HTTP receiver (signed, cached domain; ${(ROUNDS * PER_ROUND).toLocaleString('en-US')} per row in ${ROUNDS} interleaved rounds, ${CONCURRENCY} in flight)`,
      targets.map((target, i) => {
        const load = loads[i] as Load;
        const s = stats(load.times);
        const perCommand = 1e6 / rate(load);
        return {
          what: target.what,
          n: s.n,
          failed: load.failed,
          'per second': perSecond(rate(load)),
          'µs per command': perCommand.toFixed(0),
          'µs above node:http': i === 0 ? '-' : aboveFloor(rate(load)).toFixed(0),
          'vs baseline': ratio(rate(load) / baseRate),
          p50: ms(s.p50),
          p99: ms(s.p99),
          max: ms(s.max),
        };
      }),
      `ours / baseline = ${ratio(ourRate / baseRate)} in commands/s (aim: at least 0.90×), both without a ` +
        `conversation store, answering ${bytesOf(ours).toLocaleString('en-US')} bytes (ours) and ` +
        `${bytesOf(baseline).toLocaleString('en-US')} bytes (baseline). The load generator runs on the apps' own ` +
        `thread; above the node:http floor a command costs ${aboveFloor(baseRate).toFixed(0)} µs (baseline) vs ` +
        `${aboveFloor(ourRate).toFixed(0)} µs (ours), ${ratio(aboveFloor(baseRate) / aboveFloor(ourRate))}; ` +
        `ours / bare Bolt acknowledging with nothing = ${ratio(ourRate / emptyRate)}.` +
        (loads.some((load) => load.failed)
          ? ` First failure: ${loads.find((load) => load.firstError)?.firstError}`
          : ''),
    );

    // Time to acknowledgement with BURST commands fired at once. One uncounted burst each opens the sockets.
    const apps = [baseline, ours];
    const burst = (target: Target, batch: Signed[]) => runLoad(target, batch, batch.length); // all at once
    for (const target of apps) await burst(target, signedCommands(BURST, fake));
    const bursts = await interleaved(apps, BURSTS, () => signedCommands(BURST, fake), burst);
    const baseP99 = stats((bursts[0] as Load).times).p99;
    printTable(
      `Time to acknowledgement, ${BURST} concurrent commands (${BURSTS} bursts of ${BURST} per app, interleaved; Slack allows ${SLACK_ACK_LIMIT_MS / 1000} s)`,
      apps.map((target, i) => {
        const load = bursts[i] as Load;
        const s = stats(load.times);
        return {
          what: target.what,
          n: s.n,
          failed: load.failed,
          p50: ms(s.p50),
          p99: ms(s.p99),
          max: ms(s.max),
          'p99 vs baseline': ratio(s.p99 / baseP99),
          [`within ${SLACK_ACK_LIMIT_MS / 1000} s`]:
            s.max < SLACK_ACK_LIMIT_MS && load.failed === 0 ? 'yes' : 'NO',
        };
      }),
      'Each time runs from sending the POST to the whole response: the acknowledgement, carrying the answer.',
    );

    printTable('Process memory after the Slack benchmark (both apps still running)', [
      { when: 'as left by the run', ...memoryCells() },
      { when: 'after a full GC', ...memoryCells(memoryUsage({ gc: true })) },
    ]);
  } finally {
    await Promise.allSettled(targets.map((target) => target.close()));
    await Promise.all([world.close(), fake.close()]);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchSlack();

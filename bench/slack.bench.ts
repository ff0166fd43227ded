// Measures the Slack front end through Bolt's real HTTP receiver with signed /mailsettings commands: commands per
// second and time to acknowledgement, against a bare Bolt app configured like ours (no conversation store) that
// acknowledges with the same answer, rendered once beforehand. Three kinds of question, each with its own
// baseline: the same question again and again, a new asker (a new address) about a domain already known, and a
// new domain each time.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { App, LogLevel } from '@slack/bolt';
import type { SlackDeps } from '../adapters/slack/listeners.js';
import type { SlackMessage } from '../adapters/slack/render.js';
import { parseQuery } from '../src/testing.js';
import type { DnsRecord } from '../test/support/dns-server.js';
import { commandBody, type FakeSlack, slackSignature, startFakeSlack } from '../test/support/fake-slack.js';
import { startWorld, TEST_PROFILE } from '../test/support/world.js';
import { type Built, loadBuilt } from './built.js';
import { memoryCells, memoryUsage, ms, perSecond, pool, printTable, ratio, stats } from './table.js';

export const SLACK_SECRET = 'bench-signing-secret';
export const CACHED_DOMAIN = 'cached.test';
export const GOOGLE_MX = 'aspmx.l.google.com';
/** The repeated question; its answer is cached before anything is timed. */
export const SLACK_TEXT = `bob@${CACHED_DOMAIN} imap`;
const ANSWER_MARK = 'Mail settings for ';
/** The progress line ours acknowledges with when a new domain takes longer than the inline wait. */
const LOOKING_UP = '"Looking up ';

const CONCURRENCY = 32;
const ROUNDS = 6;
const PER_ROUND = 500;
const WARMUP = 2000;
/** Questions tried for the baseline's copy of ours' answer, until one is answered in the ack. */
const SAMPLE_TRIES = 20;
/** New domains cost a whole resolution each (loopback DNS and ISP database): fewer of them. */
const NEW_DOMAIN_PER_ROUND = 170;
const NEW_DOMAIN_WARMUP = 250;
/**
 * MX records made for new domains: enough for the warm-up and the rounds of both apps (each baseline is sent the
 * same kind of question as ours) and the sample answer. A domain without records is answered as one that does
 * not exist, which the row would count as failed.
 */
export const NEW_DOMAINS = 2 * (NEW_DOMAIN_WARMUP + ROUNDS * NEW_DOMAIN_PER_ROUND) + SAMPLE_TRIES;
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

/** Who asks what: the command's text and the asker's user id. */
export interface Asking {
  text: string;
  user: string;
}

/** What each kind of question asks, command after command. */
export interface QuestionKind {
  name: string;
  /** The next command's question; a new kind of question gives one never asked before. */
  next(): Asking;
}

let asked = 0;
/** The same question every time, from 1,000 users in turn: every cache of ours hits. */
export const REPEATED: QuestionKind = {
  name: 'repeated question',
  next: () => ({ text: SLACK_TEXT, user: `U${asked++ % USERS}` }),
};
/** A new person each time, asking with their own address about the domain already known. */
export const NEW_ASKER: QuestionKind = {
  name: 'new asker, known domain',
  next: () => {
    const n = asked++;
    return { text: `user${n}@${CACHED_DOMAIN} imap`, user: `UNEW${n}` };
  },
};
let newDomains = 0;
/** A domain never asked before (MX → Google), from a new person: the resolver runs every source. */
export const NEW_DOMAIN: QuestionKind = {
  name: 'new domain',
  next: () => {
    const n = asked++;
    return { text: `user${n}@${newDomain(newDomains++)} imap`, user: `UNEW${n}` };
  },
};
export const newDomain = (index: number) => `new-${index}.test`;

/** `count` slash-command requests signed like Slack does (v0 HMAC over "v0:timestamp:body"), ready to send. */
export function signedCommands(
  count: number,
  fake: FakeSlack,
  kind: QuestionKind | string = REPEATED,
): Signed[] {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return Array.from({ length: count }, (_, i) => {
    const { text, user } = typeof kind === 'string' ? { text: kind, user: `U${i % USERS}` } : kind.next();
    const body = commandBody(text, fake.responseUrl(`bench-${i}`), user);
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
  /** A reply that is not the answer but acknowledges it for later (a new domain looked up past the wait). */
  late?(reply: Reply): boolean;
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

/** Our app, built (bench/built.ts) as `npm start` makes it in HTTP mode, answering from the resolver inside the ack. */
export async function startOurSlack(built: Built, fake: FakeSlack, deps: SlackDeps): Promise<Target> {
  const app = built.createSlackApp(
    { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: fake.apiUrl },
    deps,
  );
  const { send, agent } = httpSender(portOf(await app.start({ port: 0, host: '127.0.0.1' })));
  return {
    what: 'ours: createSlackApp, answer in the ack',
    send,
    accepts: (reply) => reply.status === 200 && reply.body.includes(ANSWER_MARK),
    late: (reply) => reply.status === 200 && reply.body.includes(LOOKING_UP),
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
    what: 'reference: bare Bolt app, ack() only',
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
  /** CPU time this process spent on the load (user and system): what other processes on the machine cannot add to. */
  cpuMs: number;
  failed: number;
  /** Acknowledged with a progress line, the answer to follow through response_url. */
  late: number;
  firstError?: string;
  /** Size of an accepted reply's body, in bytes. */
  bytes?: number;
}

/** Sends every request with at most `concurrency` in flight; each time runs from send to the whole reply. */
export async function runLoad(target: Target, requests: Signed[], concurrency: number): Promise<Load> {
  let failed = 0;
  let late = 0;
  let firstError: string | undefined;
  let bytes: number | undefined;
  const fail = (why: string) => {
    failed += 1;
    firstError ??= why;
  };
  const cpu = process.cpuUsage();
  const run = await pool(requests.length, concurrency, LOAD_MAX_MS, async (i) => {
    try {
      const reply = await target.send(requests[i] as Signed);
      if (target.accepts(reply)) bytes ??= Buffer.byteLength(reply.body);
      else if (target.late?.(reply)) late += 1;
      else fail(`HTTP ${reply.status} ${reply.body.slice(0, 120)}`);
    } catch (error) {
      fail(String(error));
    }
  });
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const load: Load = { times: [...run.times], wallMs: run.wallMs, cpuMs, failed, late };
  if (firstError) load.firstError = firstError;
  if (bytes !== undefined) load.bytes = bytes;
  return load;
}

function merge(into: Load, load: Load): void {
  into.times.push(...load.times);
  into.wallMs += load.wallMs;
  into.cpuMs += load.cpuMs;
  into.failed += load.failed;
  into.late += load.late;
  if (load.firstError) into.firstError ??= load.firstError;
  if (load.bytes !== undefined) into.bytes ??= load.bytes;
}
const emptyLoad = (): Load => ({ times: [], wallMs: 0, cpuMs: 0, failed: 0, late: 0 });

/**
 * Every target gets `rounds` loads. Targets compared with each other run back to back (a group); the order of
 * the groups and the order inside each group turn every round, so a change in the machine's load falls on
 * both sides of a comparison alike. Each target's loads come back round by round.
 */
async function interleaved(
  groups: Target[][],
  rounds: number,
  requests: (target: Target) => Signed[],
  send: (target: Target, batch: Signed[]) => Promise<Load>,
): Promise<Map<Target, Load[]>> {
  const loads = new Map<Target, Load[]>(groups.flat().map((target) => [target, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < groups.length; k++) {
      const group = groups[(k + round) % groups.length] as Target[];
      for (const target of round % 2 === 0 ? group : [...group].reverse()) {
        const batch = requests(target); // signed before the clock starts
        loads.get(target)?.push(await send(target, batch));
      }
    }
  }
  return loads;
}

/** All of a target's loads as one. */
function total(loads: Load[]): Load {
  const sum = emptyLoad();
  for (const load of loads) merge(sum, load);
  return sum;
}

const rate = (load: Load) => load.times.length / (load.wallMs / 1000);
/** Commands per second of this process's CPU time. */
const cpuRate = (load: Load) => load.times.length / (load.cpuMs / 1000);
const median = (values: number[]) => stats(values).p50;

/** One kind of question: ours asked it, and the bare app acknowledging with ours' answer to it. */
interface Pair {
  kind: QuestionKind;
  ours: Target;
  baseline: Target;
  /** Commands per round (and, times the rounds' share, for the warm-up). */
  perRound: number;
  warmup: number;
}

/** Ours and its baseline for one kind of question; the baseline's message is ours' answer to a first question. */
async function pairFor(
  kind: QuestionKind,
  ours: Target,
  fake: FakeSlack,
  counts: { perRound: number; warmup: number },
): Promise<Pair> {
  // A new domain may take longer than the inline wait on a busy machine: the next one then.
  let reply = await ours.send(signedCommands(1, fake, kind)[0] as Signed);
  for (let tries = 1; !ours.accepts(reply) && tries < SAMPLE_TRIES; tries++)
    reply = await ours.send(signedCommands(1, fake, kind)[0] as Signed);
  if (!ours.accepts(reply)) throw new Error(`${kind.name}: ours did not answer in the ack: ${reply.body}`);
  const baseline = await startBareBolt(fake, JSON.parse(reply.body) as SlackMessage);
  return {
    kind,
    ours: { ...ours, what: `ours: ${kind.name}`, close: async () => {} },
    baseline: { ...baseline, what: `baseline: bare Bolt, ack(ours' answer to a ${kind.name})` },
    ...counts,
  };
}

export async function benchSlack(): Promise<void> {
  const mx = (name: string): DnsRecord => ({ name, type: 'MX', priority: 1, exchange: GOOGLE_MX });
  const [world, fake] = await Promise.all([
    startWorld({
      records: [mx(CACHED_DOMAIN), ...Array.from({ length: NEW_DOMAINS }, (_, i) => mx(newDomain(i)))],
    }),
    startFakeSlack(),
  ]);
  const targets: Target[] = [];
  try {
    const built = await loadBuilt();
    const resolver = built.createResolver(world.resolverOptions({ profile: TEST_PROFILE }));
    const question = parseQuery(SLACK_TEXT);
    if (!question.ok) throw new Error(`bench question does not parse: ${question.error.message}`);
    const warm = await resolver.answer(question.value.query);
    if (warm.settings.source.kind !== 'mx') throw new Error(`warm-up came from ${warm.settings.source.kind}`);

    const floor = await startFloor();
    const bareEmpty = await startBareBolt(fake);
    const ours = await startOurSlack(built, fake, built.chatDeps({ resolver }));
    targets.push(floor.viaHttp, floor.viaFetch, bareEmpty, ours);
    // The fair baselines: Bolt configured as ours, acknowledging with the very message ours sends for that kind
    // of question (ours' answer to a first one), rendered once up front.
    const full = { perRound: PER_ROUND, warmup: WARMUP };
    const pairs = [
      await pairFor(REPEATED, ours, fake, full),
      await pairFor(NEW_ASKER, ours, fake, full),
      await pairFor(NEW_DOMAIN, ours, fake, { perRound: NEW_DOMAIN_PER_ROUND, warmup: NEW_DOMAIN_WARMUP }),
    ];
    for (const pair of pairs) targets.push(pair.baseline);
    const references = [floor.viaHttp, floor.viaFetch, bareEmpty];
    const rows = [...references, ...pairs.flatMap((pair) => [pair.baseline, pair.ours])];
    const pairOf = (target: Target) => pairs.find((pair) => pair.ours === target || pair.baseline === target);
    const batch = (target: Target, count: (pair: Pair) => number, fallback: number) => {
      const pair = pairOf(target);
      return signedCommands(pair ? count(pair) : fallback, fake, pair?.kind);
    };

    // Not counted: JIT, Bolt's one auth.test, the keep-alive sockets, for every target.
    for (const target of rows) {
      const load = await runLoad(
        target,
        batch(target, (pair) => pair.warmup, WARMUP),
        CONCURRENCY,
      );
      if (load.failed) throw new Error(`${target.what}: warm-up failed: ${load.firstError}`);
    }
    // The repeated question and the new asker run as one group, so ours can also be compared with itself.
    const [repeated, newAsker, newDomain] = pairs as [Pair, Pair, Pair];
    const rounds = await interleaved(
      [
        ...references.map((target) => [target]),
        [repeated.baseline, repeated.ours, newAsker.baseline, newAsker.ours],
        [newDomain.baseline, newDomain.ours],
      ],
      ROUNDS,
      (target) => batch(target, (pair) => pair.perRound, PER_ROUND),
      (target, requests) => runLoad(target, requests, CONCURRENCY),
    );
    const roundsOf = (target: Target) => rounds.get(target) ?? [];
    const loads = rows.map((target) => total(roundsOf(target)));
    const loadOf = (target: Target) => loads[rows.indexOf(target)] as Load;
    const rateOf = (target: Target) => rate(loadOf(target));
    // Ours against its baseline round by round (they ran back to back), the median of the rounds' ratios.
    const ratioBetween = (target: Target, to: Target, by = rate) => {
      const base = roundsOf(to);
      return median(roundsOf(target).map((load, round) => by(load) / by(base[round] as Load)));
    };
    const ratioOf = (pair: Pair, by = rate) => ratioBetween(pair.ours, pair.baseline, by);
    const floorRate = rateOf(floor.viaHttp);
    const aboveFloor = (value: number) => 1e6 / value - 1e6 / floorRate; // µs per command
    printTable(
      `Slack slash commands through Bolt's HTTP receiver (signed; per row ${(ROUNDS * PER_ROUND).toLocaleString('en-US')} commands, ${(ROUNDS * NEW_DOMAIN_PER_ROUND).toLocaleString('en-US')} for new domains, in ${ROUNDS} interleaved rounds, ${CONCURRENCY} in flight)`,
      rows.map((target) => {
        const load = loadOf(target);
        const s = stats(load.times);
        const pair = pairOf(target);
        return {
          what: target.what,
          n: s.n,
          failed: load.failed,
          'answered later': load.late,
          'per second': perSecond(rate(load)),
          'µs per command': (1e6 / rate(load)).toFixed(0),
          'µs above node:http': target === floor.viaHttp ? '-' : aboveFloor(rate(load)).toFixed(0),
          'vs its baseline': pair && target === pair.ours ? ratio(ratioOf(pair)) : pair ? '1.00×' : '-',
          'CPU µs per command': (1e6 / cpuRate(load)).toFixed(0),
          'vs its baseline (CPU)':
            pair && target === pair.ours ? ratio(ratioOf(pair, cpuRate)) : pair ? '1.00×' : '-',
          bytes: (load.bytes ?? 0).toLocaleString('en-US'),
          p50: ms(s.p50),
          p99: ms(s.p99),
          max: ms(s.max),
        };
      }),
      `${pairs
        .map(
          (pair) =>
            `${pair.kind.name}: ours / baseline = ${ratio(ratioOf(pair))} in commands/s, ` +
            `${ratio(ratioOf(pair, cpuRate))} in commands per CPU second ` +
            `(${aboveFloor(rateOf(pair.ours)).toFixed(0)} vs ${aboveFloor(rateOf(pair.baseline)).toFixed(0)} µs above node:http)`,
        )
        .join(
          '; ',
        )}. Ours' new asker / ours' repeated question = ${ratio(ratioBetween(newAsker.ours, repeated.ours))} in ` +
        `commands/s, ${ratio(ratioBetween(newAsker.ours, repeated.ours, cpuRate))} per CPU second. ` +
        'Aim: at least 0.90× for the repeated question and the new asker. Each round runs ours and its ' +
        "baseline back to back; the ratio is the median of the rounds' ratios. Commands per CPU second count only " +
        "this process's own CPU time, which other processes on a shared machine do not lengthen. Both apps run without a " +
        "conversation store; each baseline acknowledges with ours' answer to that kind of question (bytes: the " +
        "answer's size). The load generator runs on the apps' own thread. Ours is the built code (bench/built.ts): " +
        `${built.note}.` +
        (loads.some((load) => load.failed)
          ? ` First failure: ${loads.find((load) => load.firstError)?.firstError}`
          : ''),
    );

    // Time to acknowledgement with BURST commands fired at once. One uncounted burst each opens the sockets.
    const apps = [repeated.baseline, repeated.ours];
    const burst = (target: Target, requests: Signed[]) => runLoad(target, requests, requests.length); // all at once
    for (const target of apps) await burst(target, signedCommands(BURST, fake));
    const burstRounds = await interleaved([apps], BURSTS, () => signedCommands(BURST, fake), burst);
    const bursts = apps.map((target) => total(burstRounds.get(target) ?? []));
    const baseP99 = stats((bursts[0] as Load).times).p99;
    printTable(
      `Time to acknowledgement, ${BURST} concurrent commands, the repeated question (${BURSTS} bursts of ${BURST} per app, interleaved; Slack allows ${SLACK_ACK_LIMIT_MS / 1000} s)`,
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

    printTable('Process memory after the Slack benchmark (all apps still running)', [
      { when: 'as left by the run', ...memoryCells() },
      { when: 'after a full GC', ...memoryCells(memoryUsage({ gc: true })) },
    ]);
  } finally {
    await Promise.allSettled(targets.map((target) => target.close()));
    await Promise.all([world.close(), fake.close()]);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchSlack();

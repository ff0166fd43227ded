// Measures the Discord front end through the real discord.js client on a loopback gateway and REST fake: time
// from INTERACTION_CREATE to the interaction callback (cached and fresh domains) against a discord.js handler that
// replies with a fixed string, and the process's memory with both Slack and Discord running. Also the markdown
// escape of one answer's texts, ours against discord.js's escapeMarkdown. `tsx bench/discord.bench.ts escape`
// runs only that.

import { pathToFileURL } from 'node:url';
import { Client, Events, escapeMarkdown, GatewayIntentBits, type InteractionReplyOptions } from 'discord.js';
import { createDiscordClient, startDiscord } from '../adapters/discord/client.js';
import { escapeDiscordText } from '../adapters/discord/escape.js';
import { createLogger, createRateLimiter, parseQuery } from '../src/index.js';
import { chatDeps } from '../test/support/chat.js';
import type { DnsRecord } from '../test/support/dns-server.js';
import { type FakeDiscord, type RestCall, startFakeDiscord } from '../test/support/fake-discord.js';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { HOSTILE, realReplies } from '../test/support/replies.js';
import { resolverIn, startWorld, TEST_PROFILE } from '../test/support/world.js';
import { CACHED_DOMAIN, GOOGLE_MX, runLoad, signedCommands, startOurSlack } from './slack.bench.js';
import {
  memoryCells,
  memoryChange,
  memoryUsage,
  ms,
  pool,
  printTable,
  type Row,
  ratio,
  sample,
  stats,
  us,
} from './table.js';

const TOKEN = 'bench-token';
const CACHED_N = 300;
const FRESH_N = 200;
const WARMUP = 50;
const FRESH_WARMUP = 20;
const CALLBACK_TIMEOUT_MS = 5000;
/** Mixed load for the memory figures: Slack commands (32 in flight) alongside Discord commands (8 in flight). */
const MIXED_SLACK = 500;
const MIXED_DISCORD = 200;
/** Distinct user ids the commands cycle through, as many people asking would. */
const USERS = 1000;

const mxTo = (name: string): DnsRecord => ({ name, type: 'MX', priority: 1, exchange: GOOGLE_MX });
const names = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${prefix}-${index}.test`);

interface Trip {
  ms: number;
  call: RestCall;
}

const ESCAPE_WARMUP = 2000;
const ESCAPE_N = 20_000;

/**
 * The texts the renderer escapes for one answer (section titles, field labels and values, notes, the source
 * detail), clipped to a field's 1024 characters as the renderer clips before escaping.
 */
function answerTexts(plain: boolean): string[][] {
  const asker = (text: string) =>
    plain ? text.replaceAll(HOSTILE.replaceAll(' ', ''), 'alice').replaceAll(HOSTILE, '') : text;
  return realReplies().map(({ reply }) =>
    [
      ...reply.sections.flatMap((section) => [
        section.title,
        ...section.fields.flatMap((field) => [field.label, field.value]),
      ]),
      ...reply.notes,
      reply.source,
    ].map((text) => asker(text).slice(0, 1024)),
  );
}

/** Escaping one answer: discord.js's escapeMarkdown (what the renderer used before) against escapeDiscordText. */
export async function benchEscape(): Promise<void> {
  const rows: Row[] = [];
  for (const [label, plain] of [
    ['plain address (alice@…)', true],
    ['address and source full of markup', false],
  ] as const) {
    const answers = answerTexts(plain);
    const escapeAll = (escapeOne: (text: string) => string) => (i: number) => {
      for (const text of answers[i % answers.length] as string[]) escapeOne(text);
    };
    const runs = [
      ['baseline: discord.js escapeMarkdown', escapeAll((text) => escapeMarkdown(text))],
      ['ours: escapeDiscordText', escapeAll(escapeDiscordText)],
    ] as const;
    for (const [, fn] of runs) await sample(fn, { count: ESCAPE_WARMUP, maxMs: 2000 }); // JIT, not counted
    const [base, ours] = [
      await sample(runs[0][1], { count: ESCAPE_N, maxMs: 10_000 }),
      await sample(runs[1][1], { count: ESCAPE_N, maxMs: 10_000 }),
    ];
    const baseline = stats(base.times);
    for (const [what, samples] of [
      [runs[0][0], base],
      [runs[1][0], ours],
    ] as const) {
      const s = stats(samples.times);
      rows.push({
        what: `${what}, ${label}`,
        n: s.n,
        mean: us(s.mean),
        p50: us(s.p50),
        p99: us(s.p99),
        'p50 vs baseline': ratio(s.p50 / baseline.p50),
      });
    }
  }
  printTable(
    `Discord markdown escape, per answer (every text of one of ${answerTexts(true).length} answers built from the ISP database files, in turn)`,
    rows,
    'Times are in-process, one answer at a time; the baseline is the escape the renderer used before (masked links kept).',
  );
}

let asked = 0;
/** Dispatches one /mailsettings command and waits for its interaction callback; the time is the fake's own. */
async function roundTrip(fake: FakeDiscord, domain: string): Promise<Trip> {
  const userId = String(400_000_000_000_000_000n + BigInt(asked++ % USERS));
  const sent = fake.sendCommand({ options: [{ name: 'domain', type: 3, value: domain }], userId });
  const path = `/interactions/${sent.id}/${sent.token}/callback`;
  const [call] = await fake.waitFor((c) => c.path === path, 1, CALLBACK_TIMEOUT_MS);
  return { ms: (call as RestCall).at - sent.sentAt, call: call as RestCall };
}

/** What the callback was: the answer itself, a deferral (answer later), or something else. */
function kindOf(call: RestCall): string {
  const body = call.body as { type?: number; data?: { content?: string; embeds?: { title?: string }[] } };
  if (body.type === 5) return 'deferred';
  if (body.type !== 4) return `type ${body.type}`;
  return body.data?.embeds?.[0]?.title?.startsWith('Mail settings for ') ? 'answer' : 'other';
}

class Tally {
  readonly times: number[] = [];
  readonly kinds = new Map<string, number>();
  add(trip: Trip): void {
    this.times.push(trip.ms);
    const kind = kindOf(trip.call);
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
  }
  text(): string {
    return [...this.kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
  }
}

/** One command to each, one at a time, alternating which goes first. */
async function alternate(
  count: number,
  bare: () => Promise<Trip>,
  ours: (i: number) => Promise<Trip>,
): Promise<{ bare: Tally; ours: Tally }> {
  const tallies = { bare: new Tally(), ours: new Tally() };
  const stop = performance.now() + 30_000;
  for (let i = 0; i < count && performance.now() < stop; i++) {
    if (i % 2 === 0) {
      tallies.bare.add(await bare());
      tallies.ours.add(await ours(i));
    } else {
      tallies.ours.add(await ours(i));
      tallies.bare.add(await bare());
    }
  }
  return tallies;
}

export async function benchDiscord(): Promise<void> {
  await benchEscape();
  const warmFresh = names('warm-fresh', FRESH_WARMUP);
  const fresh = names('fresh', FRESH_N);
  const mixed = names('mixed', MIXED_DISCORD);
  const [world, fakeOurs, fakeSlack] = await Promise.all([
    startWorld({ records: [CACHED_DOMAIN, ...warmFresh, ...fresh, ...mixed].map(mxTo) }),
    startFakeDiscord(),
    startFakeSlack(),
  ]);
  let fakeBare: FakeDiscord | undefined;
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const resolver = resolverIn(world, { profile: TEST_PROFILE });
    const cached = parseQuery(CACHED_DOMAIN);
    if (!cached.ok) throw new Error(`bench domain does not parse: ${cached.error.message}`);
    const warm = await resolver.answer(cached.value.query);
    if (warm.settings.source.kind !== 'mx') throw new Error(`warm-up came from ${warm.settings.source.kind}`);
    // One resolver and one limiter shared by both front ends, as `npm start` runs them.
    const deps = chatDeps({
      resolver,
      limiter: createRateLimiter({ limit: 1e9 }),
      log: createLogger(() => {}),
    });

    // 1. Memory: our Discord client and Slack app started side by side, then a short mixed load.
    const before = memoryUsage({ gc: true });
    const ours = createDiscordClient({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fakeOurs.apiUrl }, deps);
    stops.push(() => ours.destroy());
    await startDiscord(ours, TOKEN);
    const slack = await startOurSlack(fakeSlack, deps);
    stops.push(() => slack.close());
    const afterStart = memoryUsage({ gc: true });
    const mixedTally = new Tally();
    const [slackLoad] = await Promise.all([
      runLoad(slack, signedCommands(MIXED_SLACK, fakeSlack), 32),
      pool(MIXED_DISCORD, 8, 30_000, async (i) =>
        mixedTally.add(await roundTrip(fakeOurs, mixed[i] as string)),
      ),
    ]);
    const afterLoad = memoryUsage();
    const afterLoadGc = memoryUsage({ gc: true });
    printTable(
      `Process memory with our Slack app and Discord client running (mixed load: ${MIXED_SLACK} Slack commands for the cached domain, 32 in flight, alongside ${MIXED_DISCORD} Discord commands for new domains, 8 in flight)`,
      [
        { when: 'before they start (test servers and fakes up, after GC)', ...memoryCells(before) },
        { when: 'Slack + Discord started, idle (after GC)', ...memoryCells(afterStart) },
        { when: 'after the mixed load', ...memoryCells(afterLoad) },
        { when: 'after the mixed load, after GC', ...memoryCells(afterLoadGc) },
        { when: 'change from start-up (both after GC)', ...memoryChange(afterStart, afterLoadGc) },
      ],
      `Slack: ${slackLoad.times.length - slackLoad.failed}/${MIXED_SLACK} answered in the ack` +
        `${slackLoad.firstError ? ` (first failure: ${slackLoad.firstError})` : ''}; ` +
        `Discord callbacks: ${mixedTally.text()}. The figures cover the whole process: the fakes, the test ` +
        'servers and the load generator too.',
    );

    // 2. Latency, against a bare discord.js client on its own fake, replying with the very message ours sends
    // for the cached domain (taken from ours' first callback), fixed up front.
    const sample = (await roundTrip(fakeOurs, CACHED_DOMAIN)).call.body as { data: InteractionReplyOptions };
    fakeBare = await startFakeDiscord();
    const bare = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fakeBare.apiUrl } });
    bare.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isRepliable()) void interaction.reply(sample.data).catch(() => {});
    });
    stops.push(() => bare.destroy());
    await startDiscord(bare, TOKEN);

    const bareFake = fakeBare;
    const fixed = () => roundTrip(bareFake, CACHED_DOMAIN);
    // Not counted: JIT, and (for fresh domains) the DNS cache of the MX host's own lookups, shared by every domain.
    await alternate(WARMUP, fixed, () => roundTrip(fakeOurs, CACHED_DOMAIN));
    await alternate(FRESH_WARMUP, fixed, (i) => roundTrip(fakeOurs, warmFresh[i] as string));
    const withCached = await alternate(CACHED_N, fixed, () => roundTrip(fakeOurs, CACHED_DOMAIN));
    const withFresh = await alternate(FRESH_N, fixed, (i) => roundTrip(fakeOurs, fresh[i] as string));

    const rows: Row[] = [];
    for (const [label, phase] of [
      [`cached domain (${CACHED_DOMAIN})`, withCached],
      ['fresh domain each time (loopback DNS + ISP database)', withFresh],
    ] as const) {
      const base = stats(phase.bare.times);
      for (const [what, tally] of [
        ['baseline: discord.js, reply(the same answer, fixed)', phase.bare],
        [`ours: ${label}`, phase.ours],
      ] as const) {
        const s = stats(tally.times);
        rows.push({
          what,
          n: s.n,
          p50: ms(s.p50),
          p99: ms(s.p99),
          max: ms(s.max),
          'p50 vs baseline': ratio(s.p50 / base.p50),
          'p99 vs baseline': ratio(s.p99 / base.p99),
          callbacks: tally.text(),
        });
      }
    }
    printTable(
      `Discord: INTERACTION_CREATE to the interaction callback, one command at a time (${CACHED_N} cached, ${FRESH_N} fresh; each baseline row interleaved with the row below it)`,
      rows,
      'Times are the fake\'s: from writing the dispatch to the gateway socket to reading the callback request. "answer" = the settings inline, "deferred" = answered later.',
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await Promise.all([world.close(), fakeOurs.close(), fakeBare?.close(), fakeSlack.close()]);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await (process.argv[2] === 'escape' ? benchEscape() : benchDiscord());
}

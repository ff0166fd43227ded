// Measures the Discord front end through the real discord.js client on a loopback gateway and REST fake: time
// from INTERACTION_CREATE to the interaction callback for three kinds of question (the same one again, a new
// address at a domain already known, a new domain) against a discord.js handler that replies with ours' answer
// to that kind of question, fixed up front; and the process's memory with both Slack and Discord running. Also
// the markdown escape of one answer's texts, ours against discord.js's escapeMarkdown. `tsx
// bench/discord.bench.ts escape` runs only that.

import { pathToFileURL } from 'node:url';
import { Client, Events, escapeMarkdown, GatewayIntentBits, type InteractionReplyOptions } from 'discord.js';
import { escapeDiscordText } from '../adapters/discord/escape.js';
import { parseQuery } from '../src/testing.js';
import type { DnsRecord } from '../test/support/dns-server.js';
import { type FakeDiscord, type RestCall, startFakeDiscord } from '../test/support/fake-discord.js';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { HOSTILE, realReplies } from '../test/support/replies.js';
import { startWorld, TEST_PROFILE } from '../test/support/world.js';
import { loadBuilt } from './built.js';
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
const NEW_ASKER_N = 300;
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
/**
 * Dispatches one /mailsettings command and waits for its interaction callback; the time is the fake's own. A
 * new asker is a user id never seen before.
 */
async function roundTrip(fake: FakeDiscord, domain: string, newAsker = false): Promise<Trip> {
  const n = asked++;
  const userId = String(400_000_000_000_000_000n + BigInt(newAsker ? USERS + n : n % USERS));
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

/** What a command asks: the option's value, and whether it comes from a user id never seen before. */
interface Command {
  domain: string;
  newAsker?: boolean;
}

/**
 * The same command to each client, one at a time, alternating which goes first: the same option value and, for a
 * new asker, a user id new to each client (discord.js keeps every user it has seen).
 */
async function alternate(
  count: number,
  fakes: { bare: FakeDiscord; ours: FakeDiscord },
  command: (i: number) => Command,
): Promise<{ bare: Tally; ours: Tally }> {
  const tallies = { bare: new Tally(), ours: new Tally() };
  const stop = performance.now() + 30_000;
  for (let i = 0; i < count && performance.now() < stop; i++) {
    const { domain, newAsker } = command(i);
    const order = i % 2 === 0 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const);
    for (const side of order) tallies[side].add(await roundTrip(fakes[side], domain, newAsker));
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
    const built = await loadBuilt();
    const resolver = built.createResolver(world.resolverOptions({ profile: TEST_PROFILE }));
    const cached = parseQuery(CACHED_DOMAIN);
    if (!cached.ok) throw new Error(`bench domain does not parse: ${cached.error.message}`);
    const warm = await resolver.answer(cached.value.query);
    if (warm.settings.source.kind !== 'mx') throw new Error(`warm-up came from ${warm.settings.source.kind}`);
    // One resolver and one limiter shared by both front ends, as `npm start` runs them.
    const deps = built.chatDeps({ resolver });

    // 1. Memory: our Discord client and Slack app started side by side, then a short mixed load.
    const before = memoryUsage({ gc: true });
    const ours = built.createDiscordClient({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fakeOurs.apiUrl }, deps);
    stops.push(() => ours.destroy());
    await built.startDiscord(ours, TOKEN);
    const slack = await startOurSlack(built, fakeSlack, deps);
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

    // 2. Latency, against a bare discord.js client on its own fake, replying with the very message ours sends for
    // that kind of question (taken from ours' callback to a first one), fixed up front.
    const sampleOf = async (domain: string, newAsker = false) =>
      ((await roundTrip(fakeOurs, domain, newAsker)).call.body as { data: InteractionReplyOptions }).data;
    const samples = {
      repeated: await sampleOf(CACHED_DOMAIN),
      newAsker: await sampleOf(`sample@${CACHED_DOMAIN}`, true),
      fresh: await sampleOf(warmFresh.pop() as string),
    };
    let reply = samples.repeated;
    fakeBare = await startFakeDiscord();
    const bare = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fakeBare.apiUrl } });
    // Configured as ours replies: the callback's data is in the API's spelling, which discord.js does not read
    // for allowed mentions, so they are given as ours gives them (no one pinged).
    bare.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isRepliable())
        void interaction.reply({ ...reply, allowedMentions: { parse: [] } }).catch(() => {});
    });
    stops.push(() => bare.destroy());
    await built.startDiscord(bare, TOKEN);

    const fakes = { bare: fakeBare, ours: fakeOurs };
    const repeated = (): Command => ({ domain: CACHED_DOMAIN });
    const newAsker = (): Command => ({ domain: `user${asked}@${CACHED_DOMAIN}`, newAsker: true });
    const newDomain = (names: string[]) => (i: number) => ({ domain: names[i] as string, newAsker: true });
    // Not counted: JIT, and (for fresh domains) the DNS cache of the MX host's own lookups, shared by every domain.
    await alternate(WARMUP, fakes, repeated);
    await alternate(WARMUP, fakes, newAsker);
    await alternate(warmFresh.length, fakes, newDomain(warmFresh));
    const phases = [
      {
        label: `repeated question (${CACHED_DOMAIN})`,
        reply: samples.repeated,
        run: () => alternate(CACHED_N, fakes, repeated),
      },
      {
        label: `new asker, known domain (user<n>@${CACHED_DOMAIN})`,
        reply: samples.newAsker,
        run: () => alternate(NEW_ASKER_N, fakes, newAsker),
      },
      {
        label: 'new domain each time (loopback DNS + ISP database)',
        reply: samples.fresh,
        run: () => alternate(FRESH_N, fakes, newDomain(fresh)),
      },
    ];

    const rows: Row[] = [];
    const ratios: string[] = [];
    for (const phase of phases) {
      reply = phase.reply;
      const tallies = await phase.run();
      const base = stats(tallies.bare.times);
      for (const [what, tally] of [
        ["baseline: discord.js, reply(ours' answer to it, fixed)", tallies.bare],
        [`ours: ${phase.label}`, tallies.ours],
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
      ratios.push(`${phase.label.replace(/ \(.*/, '')}: ${ratio(stats(tallies.ours.times).p50 / base.p50)}`);
    }
    printTable(
      `Discord: INTERACTION_CREATE to the interaction callback, one command at a time (${CACHED_N} repeated, ${NEW_ASKER_N} new askers, ${FRESH_N} new domains; each baseline row interleaved with the row below it)`,
      rows,
      `p50 ours / baseline: ${ratios.join(', ')} (aim: at most 1.20× for the repeated question and the new asker). ` +
        "Times are the fake's: from writing the dispatch to the gateway socket to reading the callback request. " +
        '"answer" = the settings inline, "deferred" = answered later. Each baseline gets the same commands as ours ' +
        "(the same option values, a user id new to it where ours gets a new one) and replies with ours' answer to " +
        `that kind of question. Ours is the built code (bench/built.ts): ${built.note}.`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await Promise.all([world.close(), fakeOurs.close(), fakeBare?.close(), fakeSlack.close()]);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await (process.argv[2] === 'escape' ? benchEscape() : benchDiscord());
}

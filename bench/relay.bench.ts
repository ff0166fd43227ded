// Measures support cases' relay between Slack and Discord with 50 cases at once, on SQLite and PostgreSQL: how
// long a customer's message takes to reach the case's post (right after a staff reply, which also changes the
// post's status, and again with the status unchanged), and a staff reply the customer's thread; against a floor
// of bare Bolt + bare discord.js making the same REST calls. Every relay runs in a process of its own
// (bench/relay-processes.ts), ours as in production; the fakes and the load generator run here. Rounds take
// turns, so the machine's drift falls on every relay alike; the ratios come from one run. Then a breakdown of
// ours by stage, from the probe in its process, and the store alone (bench/relay-store.ts).
// BENCH_RELAY_BEFORE=<git ref> also runs the bot built from that commit, in the same rounds.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { CASE_IDS } from '../adapters/discord/command.js';
import { buildOnce } from '../test/support/build.js';
import type { RestCall } from '../test/support/fake-discord.js';
import { eventCallback, personMessage } from '../test/support/fake-slack.js';
import { STAFF } from '../test/support/relay-world.js';
import { startWorld } from '../test/support/world.js';
import { databaseEngines, type Engine } from './databases.js';
import {
  buildBefore,
  buildHelpers,
  type ProbeLine,
  type Relay,
  startFloor,
  startOurs,
} from './relay-processes.js';
import { benchRelayStore } from './relay-store.js';
import { ms, printTable, type Row, ratio, stats } from './table.js';

export { databaseEngines } from './databases.js';

/** Cases open at once; each round sends one message per case, all at once. */
const CASES = 50;
const WARMUP_ROUNDS = 1;
const ROUNDS = Number(process.env.BENCH_RELAY_ROUNDS ?? 3);
/** After a round has arrived and the outbox is empty: Discord's and discord.js's one-second windows reset. */
const SETTLE_MS = 1100;
const ARRIVE_TIMEOUT_MS = 30_000;

/** What one step of one relay gave: per case index, when it was sent and when it arrived. */
interface Sample {
  /** performance.now() of this process. */
  sentAt: number;
  arrivedAt?: number;
  /** When the platform had its answer: Slack's HTTP 200, or the interaction's callback. */
  answeredAt?: number;
  /** The event's key as the bot's inbox records it, for the probe's stages. */
  key: string;
}
interface StepResult {
  samples: Sample[];
  lost: number;
  /** The probe's lines while the step ran (ours only). */
  probe: ProbeLine[];
  /** Discord REST calls the relay made while the step ran, besides interaction callbacks. */
  calls: RestCall[];
}

/** A marker no other message contains: R3C1X is not part of R3C17X. */
const marker = (round: number, index: number) => `R${round}C${index}X`;
const MARKER = /R(\d+)C(\d+)X/;
const caseIn = (text: unknown, round: number): number | undefined => {
  const found = MARKER.exec(String(text ?? ''));
  return found && Number(found[1]) === round ? Number(found[2]) : undefined;
};

/** Scans entries appended to `list` from `from` every 2 ms until `expected` are picked or the time is up. */
async function collect<T>(
  list: T[],
  from: number,
  expected: number,
  pick: (entry: T) => number | undefined,
): Promise<Map<number, T>> {
  const found = new Map<number, T>();
  const stop = performance.now() + ARRIVE_TIMEOUT_MS;
  for (let cursor = from; ; await sleep(2)) {
    for (; cursor < list.length; cursor++) {
      const index = pick(list[cursor] as T);
      if (index !== undefined && !found.has(index)) found.set(index, list[cursor] as T);
    }
    if (found.size >= expected || performance.now() > stop) return found;
  }
}

async function until(done: () => boolean, what: string): Promise<void> {
  const stop = performance.now() + ARRIVE_TIMEOUT_MS;
  while (!done()) {
    if (performance.now() > stop) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Slack → Discord: every customer writes in their case's thread at once (message.channels events). */
async function customerRound(relay: Relay, round: number): Promise<Omit<StepResult, 'probe' | 'calls'>> {
  const samples: Sample[] = [];
  const from = relay.discord.calls.length;
  const statuses = relay.cases.map((each, index) => {
    const eventId = `EvR${round}C${index}`;
    const body = eventCallback(
      personMessage(`Still failing ${marker(round, index)}`, {
        channel: each.slackChannel,
        user: each.customerId,
        threadTs: each.slackThread,
      }),
      { eventId },
    );
    const sample: Sample = { sentAt: performance.now(), key: `slack:${eventId}` };
    samples[index] = sample;
    return relay.sendEvent(body).then(
      (status) => {
        sample.answeredAt = performance.now();
        return status;
      },
      () => 0,
    );
  });
  const arrived = await collect(relay.discord.calls, from, relay.cases.length, (call) => {
    const index =
      call.method === 'POST' ? caseIn((call.body as { content?: string }).content, round) : undefined;
    const own =
      index !== undefined && call.path === `/channels/${relay.cases[index]?.discordThread}/messages`;
    return own && call.status === 200 ? index : undefined;
  });
  for (const [index, call] of arrived) (samples[index] as Sample).arrivedAt = call.at;
  const refused = (await Promise.all(statuses)).filter((status) => status !== 200).length;
  return { samples, lost: Math.max(relay.cases.length - arrived.size, refused) };
}

/** Discord → Slack: staff open the Reply modal in every case's post (not timed), then submit them all at once. */
async function staffRound(relay: Relay, round: number): Promise<Omit<StepResult, 'probe' | 'calls'>> {
  const { discord, slack, cases } = relay;
  const shown = discord.modals.length;
  for (const each of cases)
    discord.sendButton({
      customId: CASE_IDS.reply,
      channelId: each.discordThread,
      member: STAFF,
      messageId: each.discordThread,
    });
  await until(() => discord.modals.length >= shown + cases.length, 'the Reply modals');
  await sleep(SETTLE_MS); // the modals' callbacks are not part of what is timed
  const indexOf = new Map(cases.map((each, index) => [each.discordThread, index]));
  const from = slack.posts.length;
  const calls = discord.calls.length;
  const samples: Sample[] = [];
  const byInteraction = new Map<string, number>();
  // Newest first: the fake submits the newest open modal with this custom_id, so each submit is its own modal's.
  for (const modal of discord.modals.slice(shown).reverse()) {
    const index = indexOf.get(modal.channelId) as number;
    const sent = discord.sendModalSubmit({
      customId: CASE_IDS.replyModal,
      channelId: modal.channelId,
      member: STAFF,
      fields: { [CASE_IDS.replyText]: `Try port 993 ${marker(round, index)}` },
    });
    samples[index] = { sentAt: sent.sentAt, key: `discord:${sent.id}` };
    byInteraction.set(sent.id, index);
  }
  const arrived = await collect(slack.posts, from, cases.length, (post) => {
    if (post.path !== '/api/chat.postMessage') return undefined;
    const index = caseIn(post.body.text, round);
    return index !== undefined && post.body.thread_ts === cases[index]?.slackThread ? index : undefined;
  });
  // Callback paths are /interactions/{id}/{token}/callback.
  const callbacks = await collect(discord.calls, calls, cases.length, (call) =>
    byInteraction.get(call.path.split('/')[2] ?? ''),
  );
  for (const [index, post] of arrived) (samples[index] as Sample).arrivedAt = post.at;
  for (const [index, call] of callbacks) (samples[index] as Sample).answeredAt = call.at;
  return { samples, lost: cases.length - arrived.size };
}

/**
 * What each round sends, in this order: the customer's message after the staff reply of the round before (ours
 * then also moves the post's status from waiting to claimed), the customer's next message (status unchanged),
 * and a staff reply (status back to waiting). The first round's first message finds the case new.
 */
const STEPS = [
  { step: 'after-reply', what: 'customer → staff, first message after a staff reply', send: customerRound },
  { step: 'again', what: 'customer → staff, next message', send: customerRound },
  { step: 'staff', what: 'staff reply → customer', send: staffRound },
] as const;
type Step = (typeof STEPS)[number]['step'];

/** Every relay on one engine, round by round, each round in another order. */
async function roundsOn(relays: Relay[]): Promise<Map<string, StepResult>> {
  const tallies = new Map<string, StepResult>();
  const keyOf = (relay: Relay, step: Step) => `${relay.what} ${step}`;
  let round = 0;
  for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
    const order = relays.map((_, i) => relays[(i + r) % relays.length] as Relay);
    for (const { step, send } of STEPS) {
      for (const relay of order) {
        relay.probe(); // what came before this step is not its own
        const calls = relay.discord.calls.length;
        const result = await send(relay, ++round);
        await relay.idle();
        await sleep(SETTLE_MS);
        if (r < WARMUP_ROUNDS) continue;
        const tally = tallies.get(keyOf(relay, step)) ?? { samples: [], lost: 0, probe: [], calls: [] };
        tally.samples.push(...result.samples.filter(Boolean));
        tally.lost += result.lost;
        tally.probe.push(...relay.probe());
        tally.calls.push(
          ...relay.discord.calls.slice(calls).filter((call) => !call.path.startsWith('/interactions/')),
        );
        tallies.set(keyOf(relay, step), tally);
      }
    }
  }
  return tallies;
}

const latencies = (result: StepResult) =>
  result.samples.flatMap((sample) =>
    sample.arrivedAt === undefined ? [] : [sample.arrivedAt - sample.sentAt],
  );

/** Epoch milliseconds of this process's performance.now(), to set beside the probe's. */
const epoch = (at: number) => performance.timeOrigin + at;

/**
 * When each stage was reached, in ms after the event was sent, per message: received, acknowledged (the
 * platform's answer), stored, picked by the outbox, the side's call made, arrived at the fake.
 */
function stagesOf(result: StepResult, target: 'staff' | 'customer'): Map<string, number[]> {
  const byKey = new Map<string, Map<string, ProbeLine>>();
  for (const line of result.probe)
    if (line.key) {
      const stages = byKey.get(line.key) ?? new Map<string, ProbeLine>();
      if (!stages.has(line.stage)) stages.set(line.stage, line);
      byKey.set(line.key, stages);
    }
  const picks = result.probe.filter((line) => line.stage === 'picked' && line.target === target);
  const sending = new Map(
    result.probe.filter((line) => line.stage === 'sending').map((line) => [line.outbox, line] as const),
  );
  const columns = new Map<string, number[]>(
    ['received', 'acknowledged', 'stored', 'picked', 'REST call', 'arrived'].map((name) => [name, []]),
  );
  const add = (name: string, value: number | undefined) => {
    if (value !== undefined && Number.isFinite(value)) columns.get(name)?.push(value);
  };
  for (const sample of result.samples) {
    const sent = epoch(sample.sentAt);
    const stages = byKey.get(sample.key);
    const stored = stages?.get('stored');
    add('received', stages && (stages.get('received')?.t ?? Number.NaN) - sent);
    // Slack's acknowledgement as the bot sent it; a Discord interaction's when the fake had its callback.
    const acked =
      stages?.get('acked')?.t ?? (sample.answeredAt === undefined ? undefined : epoch(sample.answeredAt));
    add('acknowledged', acked === undefined ? undefined : acked - sent);
    add('stored', stored && stored.t - sent);
    // The outbox may take the row before the relay traces "stored" (the commit wakes the case at once): the
    // first pick of the case's relayed text after the event came in is this message's.
    const since = stages?.get('received')?.t ?? stored?.t ?? 0;
    const pick =
      stored && picks.find((line) => line.case === stored.case && line.kind === 'relay' && line.t >= since);
    add('picked', pick && pick.t - sent);
    const call = pick && sending.get(pick.outbox);
    add('REST call', call && call.t - sent);
    add('arrived', sample.arrivedAt === undefined ? undefined : sample.arrivedAt - sample.sentAt);
  }
  return columns;
}

/** What a relay asked of Discord's REST API: why a round takes as long as it does. */
function restSummary(calls: RestCall[]): string {
  const kinds = new Map<string, number>();
  for (const { method, path } of calls) {
    const [, top, , sub] = path.split('/');
    if (top !== 'channels') continue;
    const kind =
      method === 'POST' && sub === 'messages'
        ? 'message posts'
        : method === 'PATCH' && !sub
          ? 'tag updates'
          : sub === 'messages'
            ? `card ${method === 'GET' ? 'reads' : 'edits'}`
            : `${method} /channels/…/${sub}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

interface EngineResult {
  latency: Row[];
  breakdown: Row[];
  notes: string[];
}

async function latencyOn(
  engine: Engine,
  floor: Relay,
  before?: string,
  profileDir?: string,
): Promise<EngineResult> {
  const relays: Relay[] = [floor];
  try {
    if (before) relays.push(await startOurs(`before (${before})`, engine, CASES, { script: before }));
    relays.push(await startOurs('ours', engine, CASES, profileDir ? { profileDir } : {}));
    const tallies = await roundsOn(relays);
    const latency: Row[] = [];
    const breakdown: Row[] = [];
    const notes: string[] = [];
    const compared = relays.slice(1);
    for (const { step, what } of STEPS) {
      const base = stats(latencies(tallies.get(`floor ${step}`) as StepResult));
      const row: Row = { engine: engine.name, what, 'floor p50': ms(base.p50), 'floor p99': ms(base.p99) };
      let lost = (tallies.get(`floor ${step}`) as StepResult).lost;
      for (const relay of compared) {
        const result = tallies.get(`${relay.what} ${step}`) as StepResult;
        const s = stats(latencies(result));
        const label = relay.what === 'ours' ? 'ours' : 'before';
        row[`${label} p50`] = ms(s.p50);
        row[`${label} p99`] = ms(s.p99);
        row[`${label} p50 ×`] = ratio(s.p50 / base.p50);
        row[`${label} p99 ×`] = ratio(s.p99 / base.p99);
        lost += result.lost;
        const stages = stagesOf(result, step === 'staff' ? 'customer' : 'staff');
        const cells: Row = { engine: engine.name, relay: relay.what, what };
        for (const [name, values] of stages) {
          const v = stats(values);
          cells[name] = values.length ? `${v.p50.toFixed(1)} / ${v.p99.toFixed(1)}` : '-';
        }
        const loop = result.probe.filter((line) => line.stage === 'loop').map((line) => line.maxMs ?? 0);
        cells['loop held'] = loop.length ? `${Math.max(...loop).toFixed(1)} ms` : '-';
        breakdown.push(cells);
        notes.push(
          `${engine.name}, ${relay.what}, ${step}: Discord REST calls: ${restSummary(result.calls)}`,
        );
      }
      row.lost = lost;
      latency.push(row);
    }
    for (const relay of compared) notes.push(...relay.notes());
    notes.push(...floor.notes());
    return { latency, breakdown, notes };
  } finally {
    for (const relay of relays.slice(1)) await relay.close();
  }
}

export async function benchRelay(): Promise<void> {
  const built = await buildOnce();
  await buildHelpers();
  const beforeRef = process.env.BENCH_RELAY_BEFORE;
  const before = beforeRef ? buildBefore(beforeRef) : undefined;
  const profileDir = process.env.BENCH_RELAY_PROFILE
    ? mkdtempSync(join(tmpdir(), 'mailsettings-relay-profile-'))
    : undefined;
  const engines = await databaseEngines();
  let floor: Relay | undefined;
  try {
    floor = await startFloor(CASES);
    const latency: Row[] = [];
    const breakdown: Row[] = [];
    const notes = [...engines.notes, `${built}.`];
    for (const engine of engines.list) {
      const result = await latencyOn(engine, floor, before?.script, profileDir);
      latency.push(...result.latency);
      breakdown.push(...result.breakdown);
      notes.push(...result.notes);
    }
    const how =
      `${CASES} cases, one message per case all at once, ${ROUNDS} rounds after ${WARMUP_ROUNDS} not counted, ` +
      'the relays taking turns within each round';
    printTable(
      `Relay latency: sent (a signed message event, or a modal submit dispatched) until the other side's fake has it (${how})`,
      latency,
      beforeRef ? `before: the bot built from ${beforeRef}, in the same rounds.` : undefined,
    );
    printTable(
      'Ours by stage: ms after the event was sent when each stage was reached, p50 / p99 (arrived as above); ' +
        "loop held: the longest the bot's event loop was late during the step",
      breakdown,
      [...notes, ...(profileDir ? [`CPU profiles of ours: ${profileDir}`] : [])].join('\n'),
    );
    if (process.env.BENCH_RELAY_ONLY !== 'latency') {
      const world = await startWorld({ records: [] });
      try {
        await benchRelayStore(engines.list, world);
      } finally {
        await world.close();
      }
    }
  } finally {
    await floor?.close();
    await engines.close();
    before?.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchRelay();

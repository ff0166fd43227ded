// Measures the resolver on loopback servers: cached and fresh answers/s, fresh latency vs. its sources, and every source dead vs. the deadline.
import { pathToFileURL } from 'node:url';
import { createDns, replyToText, settingsToReply } from '../src/index.js';
import type { Query } from '../src/testing.js';
import { createResolver, parseQuery } from '../src/testing.js';
import { type DnsRecord, resolverFor, startDnsServer } from '../test/support/dns-server.js';
import { startSilentServer } from '../test/support/http-server.js';
import { resolverIn, startWorld } from '../test/support/world.js';
import { ms, perSecond, pool, printTable, ratio, type Samples, sample, stats, us } from './table.js';

const CACHED_N = 20_000;
const CACHED_WARMUP = 2000;
const FRESH_DOMAINS = 500;
const FRESH_WARMUP = 100;
const FRESH_SEQUENTIAL = 100;
const FRESH_CONCURRENCY = 16;
const SOLO_DOMAINS = 5;
/** A second DNS server holds every answer back this long, so source times stand out from ms rounding. */
const SLOW_DNS_MS = 20;
const BARE_MX_N = 500;
const DEAD_ANSWERS = 5;
const DEADLINE_MS = 2500;
/** What "within the deadline" allows on top of it: timer lateness and building the template answer. */
const DEADLINE_SLACK_MS = 100;
const GOOGLE_MX = 'aspmx.l.google.com';

const mxTo = (name: string): DnsRecord => ({ name, type: 'MX', priority: 1, exchange: GOOGLE_MX });
const names = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${prefix}-${index}.test`);

function mustParse(input: string): Query {
  const parsed = parseQuery(input);
  if (!parsed.ok) throw new Error(`bench input "${input}" does not parse: ${parsed.error.message}`);
  return parsed.value.query;
}

/** 1. One domain answered from the resolver's cache, against parsing the question alone. */
export async function benchCached(): Promise<void> {
  const world = await startWorld({ records: [mxTo('cached.test')] });
  try {
    const resolver = resolverIn(world);
    const input = 'bob@cached.test imap';
    const query = mustParse(input);
    const warm = await resolver.answer(query);
    if (warm.settings.source.kind !== 'mx') throw new Error(`warm-up came from ${warm.settings.source.kind}`);

    const settled = new Map([[query.domain, Promise.resolve(warm)]]);
    const runs = [
      { what: 'baseline: parseQuery(input)', fn: () => parseQuery(input) },
      { what: 'baseline: await Map.get(domain)', fn: () => settled.get(query.domain) },
      { what: 'cached: answer(query)', fn: () => resolver.answer(query) },
      {
        what: 'cached: answer + settingsToReply + replyToText',
        fn: async () => replyToText(settingsToReply((await resolver.answer(query)).settings)),
      },
    ];
    const measured = [];
    for (const run of runs) await sample(run.fn, { count: CACHED_WARMUP, maxMs: 2000 }); // JIT, not counted
    for (const run of runs)
      measured.push({ what: run.what, ...(await sample(run.fn, { count: CACHED_N, maxMs: 10_000 })) });
    const baseline = stats(measured[0]?.times ?? []).p50;
    printTable(
      `Cached answer (${CACHED_N.toLocaleString('en-US')} sequential calls each, one domain; target: well under 1 ms)`,
      measured.map(({ what, times, wallMs }) => {
        const s = stats(times);
        return {
          what,
          n: s.n,
          'per second': perSecond(s.n / (wallMs / 1000)),
          mean: us(s.mean),
          p50: us(s.p50),
          p99: us(s.p99),
          max: us(s.max),
          'p50 vs parseQuery': ratio(s.p50 / baseline),
        };
      }),
    );
  } finally {
    await world.close();
  }
}

/** 2. Domains never seen before, each resolved through every source against the loopback servers. */
export async function benchFresh(): Promise<void> {
  const [warm, bareSeq, barePar, seq, par] = [
    names('warm', FRESH_WARMUP),
    names('bare-seq', BARE_MX_N),
    names('bare-par', BARE_MX_N),
    names('seq', FRESH_SEQUENTIAL),
    names('fresh', FRESH_DOMAINS),
  ];
  const [solo, slowSolo] = [names('solo', SOLO_DOMAINS), names('slow-solo', SOLO_DOMAINS)];
  // Every name is asked once only: c-ares keeps its own answer cache, which would flatter a repeated name.
  const world = await startWorld({
    records: [...warm, ...bareSeq, ...barePar, ...seq, ...par, ...solo].map(mxTo),
  });
  const slowDns = await startDnsServer({ records: slowSolo.map(mxTo), delayMs: SLOW_DNS_MS });
  try {
    const bare = resolverFor(world.dns);
    const bareSeqRun = await sample((i) => bare.resolveMx(bareSeq[i] as string), {
      count: BARE_MX_N,
      maxMs: 5000,
    });
    const bareParRun = await pool(BARE_MX_N, FRESH_CONCURRENCY, 5000, async (i) => {
      await bare.resolveMx(barePar[i] as string);
    });

    const resolver = resolverIn(world, { cacheSize: 10_000 });
    const kinds = new Map<string, number>();
    const answer = async (domain: string) => {
      const { settings } = await resolver.answer(mustParse(domain));
      kinds.set(settings.source.kind, (kinds.get(settings.source.kind) ?? 0) + 1);
    };
    const tally = () => {
      const text = [...kinds].map(([kind, n]) => `${n} from ${kind}`).join(', ');
      kinds.clear();
      return text;
    };
    // Not counted: JIT warm-up, and the MX host's own lookups, which every later domain shares from the DNS cache.
    await pool(warm.length, FRESH_CONCURRENCY, 10_000, (i) => answer(warm[i] as string));
    tally();
    const seqRun = await sample((i) => answer(seq[i] as string), { count: seq.length, maxMs: 10_000 });
    const seqKinds = tally();
    const parRun = await pool(par.length, FRESH_CONCURRENCY, 30_000, (i) => answer(par[i] as string));
    const parKinds = tally();

    const row = (what: string, run: Samples, answers: string) => {
      const s = stats(run.times);
      return {
        what,
        n: s.n,
        'per second': perSecond(s.n / (run.wallMs / 1000)),
        p50: ms(s.p50),
        p99: ms(s.p99),
        max: ms(s.max),
        answers,
      };
    };
    printTable(
      `Fresh domains (each answered once; MX → ${GOOGLE_MX} → ISP database; ${FRESH_WARMUP} warm-up domains first)`,
      [
        row('baseline: bare MX query, 1 at a time', bareSeqRun, '-'),
        row(`baseline: bare MX query, ${FRESH_CONCURRENCY} in flight`, bareParRun, '-'),
        row('fresh answer, 1 at a time', seqRun, seqKinds),
        row(`fresh answer, ${FRESH_CONCURRENCY} in flight`, parRun, parKinds),
      ],
      'Servers and resolver share one event loop, so "per second" includes the servers\' own work.',
    );

    // One at a time: the answer waits for the slowest source that ranks above the winner, not for all in turn.
    const slowResolver = resolverIn(world, {
      dns: createDns({ servers: [slowDns.address], timeoutMs: 500, tries: 1 }),
    });
    const slowBare = resolverFor(slowDns);
    const rttRun = await sample(() => slowBare.resolveMx(`nothing-${Math.random()}.test`).catch(() => []), {
      count: 3,
      maxMs: 1000,
    });
    const rows = [];
    for (const [label, which, domains] of [
      ['loopback', resolver, solo],
      [`+${SLOW_DNS_MS} ms DNS`, slowResolver, slowSolo],
    ] as const) {
      for (const domain of domains) {
        const started = performance.now();
        const result = await which.answer(mustParse(domain));
        const latency = performance.now() - started;
        const slowest = result.reports.reduce((a, b) => (b.ms > a.ms ? b : a));
        const sum = result.reports.reduce((total, report) => total + report.ms, 0);
        rows.push({
          dns: label,
          domain,
          latency: ms(latency),
          'slowest source': `${slowest.source} ${slowest.ms} ms`,
          'sum of sources': `${sum} ms`,
          'latency / slowest': ratio(latency / Math.max(slowest.ms, 1)),
          'latency / sum': ratio(latency / Math.max(sum, 1)),
          'each source (ms)': result.reports.map((report) => `${report.source} ${report.ms}`).join(' · '),
          answer: result.settings.source.kind,
        });
      }
    }
    printTable(
      'Fresh domain, one at a time: latency vs. its sources (times from answer.reports, whole ms from the start)',
      rows,
      `Bare MX round trip: ${ms(stats(bareSeqRun.times).mean)} (loopback), ${ms(stats(rttRun.times).mean)} (+${SLOW_DNS_MS} ms DNS server).`,
    );
  } finally {
    await Promise.all([world.close(), slowDns.close()]);
  }
}

/** 3. DNS that never answers and an ISP database that accepts connections but never replies. */
export async function benchDead(): Promise<void> {
  const [dns, ispdb] = await Promise.all([startDnsServer({ silent: true }), startSilentServer()]);
  try {
    const configs = [
      { what: 'default source timeouts (2000 ms)', sourceTimeoutMs: {} },
      {
        what: 'source timeouts 10 s (deadline cuts in)',
        sourceTimeoutMs: { profile: 10_000, autoconfig: 10_000, srv: 10_000, ispdb: 10_000, mx: 10_000 },
      },
    ];
    const rows = [];
    for (const [c, config] of configs.entries()) {
      const resolver = createResolver({
        dns: createDns({ servers: [dns.address], timeoutMs: 10_000 }),
        ispdbUrl: `${ispdb.url}/v1.1/`,
        deadlineMs: DEADLINE_MS,
        sourceTimeoutMs: config.sourceTimeoutMs,
        fetch: { allowPrivate: true },
      });
      const kinds = new Set<string>();
      const run = await sample(
        async (i) => {
          const answer = await resolver.answer(mustParse(`dead-${c}-${i}.test`));
          kinds.add(answer.settings.source.kind);
        },
        { count: DEAD_ANSWERS, maxMs: 20_000 },
      );
      const s = stats(run.times);
      rows.push({
        what: config.what,
        n: s.n,
        min: ms(s.min),
        mean: ms(s.mean),
        max: ms(s.max),
        deadline: `${DEADLINE_MS} ms`,
        'max − deadline': ms(s.max - DEADLINE_MS),
        'within deadline': s.max <= DEADLINE_MS + DEADLINE_SLACK_MS ? 'yes' : 'NO',
        answer: [...kinds].join(', '),
      });
    }
    printTable(
      `Every source dead (silent DNS, silent ISP database; deadline ${DEADLINE_MS} ms, ≤ +${DEADLINE_SLACK_MS} ms allowed)`,
      rows,
    );
  } finally {
    await Promise.all([dns.close(), ispdb.close()]);
  }
}

export async function runResolveBenchmarks(): Promise<void> {
  await benchCached();
  await benchFresh();
  await benchDead();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runResolveBenchmarks();

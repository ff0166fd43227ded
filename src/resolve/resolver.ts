// Answers a question from the best source that knows: all sources start together, each with its own
// timeout; the best-ranked one that answers wins; at the deadline the best answer so far is used (at worst
// the hosting template) with a note naming the sources that were still out. Results are cached per domain.
import { LRUCache } from 'lru-cache';
import { incompleteLookupsNote, templateDetail } from '../messages/question.js';
import type { MailSettings, Query } from '../model/settings.js';
import { buildSettings, type Found } from './build-settings.js';
import type { Dns } from './lookup/dns.js';
import { type FetchOptions, fetchXml } from './lookup/safe-fetch.js';
import { lookupAutoconfig } from './sources/autoconfig.js';
import { lookupProfile } from './sources/hosted.js';
import { lookupIspdb } from './sources/ispdb.js';
import { lookupMx } from './sources/mx.js';
import type { Profile } from './sources/operator-profile.js';
import type { SourceContext, SourceResult } from './sources/source.js';
import { lookupSrv } from './sources/srv.js';
import { templateConfig } from './sources/template.js';

/** Best first. The hosting template (`default`) is not a lookup: it is what is left. */
export const SOURCE_ORDER = ['profile', 'autoconfig', 'srv', 'ispdb', 'mx'] as const;
export type SourceName = (typeof SOURCE_ORDER)[number];

const LOOKUPS: Record<SourceName, (context: SourceContext) => Promise<SourceResult>> = {
  profile: lookupProfile,
  autoconfig: lookupAutoconfig,
  srv: lookupSrv,
  ispdb: lookupIspdb,
  mx: lookupMx,
};

const UNSURE_WORDS: Record<SourceReport['status'], string> = {
  pending: 'no answer in time',
  timeout: 'timed out',
  failed: 'failed',
  none: 'nothing found',
  found: 'found',
};

const SOURCE_LABELS: Record<SourceName, string> = {
  profile: "the check for the company's own servers",
  autoconfig: "the domain's published settings",
  srv: 'DNS SRV records',
  ispdb: 'the ISP database',
  mx: 'the MX lookup',
};

export interface SourceReport {
  source: SourceName;
  status: 'found' | 'none' | 'failed' | 'timeout' | 'pending';
  /** Why nothing was found, what failed, or what was found. */
  detail: string;
  ms: number;
}

export interface Answer {
  settings: MailSettings;
  /** What every source said, for staff diagnostics. */
  reports: SourceReport[];
}

export interface ResolverOptions {
  dns: Dns;
  profile?: Profile;
  /** @default 'https://autoconfig.thunderbird.net/v1.1/' */
  ispdbUrl?: string;
  /** The whole resolution. @default 2500 */
  deadlineMs?: number;
  /** Each source's own limit. @default 2000 for every source */
  sourceTimeoutMs?: Partial<Record<SourceName, number>>;
  /** Passed to every fetch: private-network allowance, test CA and ports. */
  fetch?: Pick<FetchOptions, 'allowPrivate' | 'ca' | 'ports' | 'maxBytes'>;
  /** @default 5000 domains */
  cacheSize?: number;
  /** For complete answers; answers with sources missing are kept 30 s. @default 600_000 */
  cacheTtlMs?: number;
  /** The clock the cache expires by, in milliseconds. @default performance.now */
  now?: () => number;
}

interface Resolution {
  found: Found;
  notes: string[];
  reports: SourceReport[];
  /** Every better-ranked source really had nothing (none failed or was late): safe to cache long. */
  complete: boolean;
}

const DEFAULT_ISPDB = 'https://autoconfig.thunderbird.net/v1.1/';
const INCOMPLETE_TTL_MS = 30_000;

export function createResolver(options: ResolverOptions) {
  // Promises are cached so concurrent questions about one domain share one resolution.
  const cache = new LRUCache<string, { resolution: Promise<Resolution>; settled: boolean }>({
    max: options.cacheSize ?? 5000,
    ttl: options.cacheTtlMs ?? 600_000,
    // An injected clock is read every time: lru-cache otherwise reuses one reading for a millisecond.
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });

  function resolveDomain(domain: string): Promise<Resolution> {
    const hit = cache.get(domain);
    if (hit) return hit.resolution;
    const entry = { resolution: runSources(domain, options), settled: false };
    cache.set(domain, entry);
    entry.resolution.then(
      ({ complete }) => {
        entry.settled = true;
        if (!complete && cache.get(domain) === entry) cache.set(domain, entry, { ttl: INCOMPLETE_TTL_MS });
      },
      () => cache.delete(domain),
    );
    return entry.resolution;
  }

  return {
    /** Resolves a parsed question. Throws only on bugs; every network failure becomes a note. */
    async answer(query: Query): Promise<Answer> {
      const { found, notes, reports } = await resolveDomain(query.domain);
      return { settings: buildSettings(query, found, notes), reports };
    },
    /** True when an answer for this domain is ready without waiting (adapters answer inline then). */
    isCached(domain: string): boolean {
      return cache.get(domain)?.settled === true;
    },
  };
}
export type Resolver = ReturnType<typeof createResolver>;

async function runSources(domain: string, options: ResolverOptions): Promise<Resolution> {
  const controller = new AbortController();
  const dns = options.dns.until(controller.signal);
  const context: SourceContext = {
    domain,
    dns,
    ispdbUrl: options.ispdbUrl ?? DEFAULT_ISPDB,
    ...(options.profile ? { profile: options.profile } : {}),
    fetchXml: (url, trusted) =>
      fetchXml(url, { ...options.fetch, trusted, lookup: dns.addresses, signal: controller.signal }),
  };
  const reports: SourceReport[] = SOURCE_ORDER.map((source) => ({
    source,
    status: 'pending',
    detail: '',
    ms: 0,
  }));
  const started = performance.now();
  const runs = SOURCE_ORDER.map((source, index) =>
    runOne(source, context, options.sourceTimeoutMs?.[source] ?? 2000).then((outcome) => {
      reports[index] = { ...outcome.report, source, ms: Math.round(performance.now() - started) };
      return outcome.found;
    }),
  );

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(resolve, options.deadlineMs ?? 2500, 'deadline');
  });
  try {
    // The first source in rank order that answers, unless the deadline comes first.
    for (const run of runs) {
      const found = await Promise.race([run, deadline]);
      if (found === 'deadline' || found) break;
    }
    // The best answer that did arrive (at the deadline, possibly not the best-ranked), else the template.
    const bestIndex = reports.findIndex((report) => report.status === 'found');
    const above = reports.slice(0, bestIndex >= 0 ? bestIndex : undefined);
    // A source that failed, timed out or was late is not one that found nothing: the answer says so.
    const unsure = above
      .filter((report) => report.status !== 'none')
      .map((report) => `${SOURCE_LABELS[report.source]} (${UNSURE_WORDS[report.status]})`);
    const found =
      bestIndex >= 0 ? await (runs[bestIndex] as Promise<Found>) : templateFound(domain, unsure.length > 0);
    return {
      found,
      notes: unsure.length === 0 ? [] : [incompleteLookupsNote(unsure, bestIndex < 0)],
      reports: [...reports],
      complete: unsure.length === 0,
    };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

async function runOne(
  source: SourceName,
  context: SourceContext,
  timeoutMs: number,
): Promise<{ found?: Found; report: Omit<SourceReport, 'source' | 'ms'> }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, 'timeout');
  });
  try {
    const result = await Promise.race([LOOKUPS[source](context), timeout]);
    if (result === 'timeout')
      return { report: { status: 'timeout', detail: `no answer within ${timeoutMs} ms` } };
    if (result.status === 'none') return { report: { status: 'none', detail: result.reason } };
    return { found: result.found, report: { status: 'found', detail: result.found.source.detail } };
  } catch (error) {
    return { report: { status: 'failed', detail: describeFailure(error) } };
  } finally {
    clearTimeout(timer);
  }
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

function templateFound(domain: string, guessed: boolean): Found {
  return {
    config: templateConfig(domain),
    source: { kind: 'default', detail: templateDetail(domain, guessed) },
  };
}

// Answers a question from the best source that knows: all sources start together, each with its own
// timeout; the best-ranked one that answers wins; at the deadline the best answer so far is used (at worst
// the hosting template) with a note naming the sources that were still out. Results are cached per domain,
// and so are the settings built from them for each protocol asked, shared by every address at the domain. The
// same question gets the very same Answer while it is among the last ones asked, which lets the conversation
// and the chat renderers keep what they made from it (render-cache.ts); a stream of new addresses (the CLI's
// bulk mode) keeps no more of them than that.
// A name with a server label is first checked for being a mail domain itself (mail-domain.ts), within the
// same deadline as the sources that follow; a domain that does not exist gets no settings but a sentence
// saying so, with the likely meant domain (suggest.ts).
import { LRUCache } from 'lru-cache';
import { incompleteLookupsNote, noSuchDomain, SOURCE_STATUS, templateDetail } from '../messages/answer.js';
import type { ProviderConfig, Query } from '../model/settings.js';
import { withTimeout } from '../model/timeout.js';
import { suggestDomain } from '../question/suggest.js';
import type { Answer, MailSettings, SourceKind, SourceReport } from './answer.js';
import { buildSettings } from './build-settings.js';
import type { Dns } from './lookup/dns.js';
import { type FetchOptions, fetchXml } from './lookup/safe-fetch.js';
import { asWritten, isMailDomain } from './mail-domain.js';
import type { ProviderIndex } from './providers/dataset.js';
import type { Profile } from './sources/operator-profile.js';
import { SOURCES, type SourceName } from './sources/ranked.js';
import type { Found, Source, SourceContext } from './sources/source.js';
import { templateConfig } from './sources/template.js';

/** The defaults of the options below, also the configuration's (src/app/config.ts). */
export const RESOLVER_DEFAULTS = {
  ispdbUrl: 'https://autoconfig.thunderbird.net/v1.1/',
  deadlineMs: 2500,
  cacheSize: 5000,
  cacheTtlMs: 600_000,
} as const;

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
  /** The provider dataset. @default the one shipped in src/resolve/providers, loaded on first use */
  providers?: () => Promise<ProviderIndex>;
}

interface Resolution {
  config: ProviderConfig;
  source: { kind: SourceKind; detail: string };
  notes: string[];
  reports: SourceReport[];
  /** Every better-ranked source really had nothing (none failed or was late): safe to cache long. */
  complete: boolean;
}

const DEFAULT_SOURCE_TIMEOUT_MS = 2000;
const LABELS = new Map<string, string>(SOURCES.map((source) => [source.name, source.label]));
const INCOMPLETE_TTL_MS = 30_000;
/** Questions whose very Answer is kept, across all domains; the least recently asked give way. */
export const ANSWERS_KEPT = 1000;
/** Settings kept per domain: one per protocol, more only for host names typed (www.…, mail.…). */
const SETTINGS_PER_DOMAIN = 16;

interface Entry {
  resolution: Promise<Resolution>;
  settled: boolean;
  /** The settings for each protocol (and host name typed) asked, without the question's address. */
  settings: Map<string, Omit<MailSettings, 'query'>>;
}

export function createResolver(options: ResolverOptions) {
  // Promises are cached so concurrent questions about one domain share one resolution.
  const cache = new LRUCache<string, Entry>({
    max: options.cacheSize ?? RESOLVER_DEFAULTS.cacheSize,
    ttl: options.cacheTtlMs ?? RESOLVER_DEFAULTS.cacheTtlMs,
    // An injected clock is read every time: lru-cache otherwise reuses one reading for a millisecond.
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });

  /** The domain's resolution, under way or done; a new one has `deadlineMs` (what is left of the asker's). */
  function resolveDomain(domain: string, deadlineMs: number): Entry {
    const hit = cache.get(domain);
    if (hit) return hit;
    const resolution = runSources(domain, { ...options, deadlineMs });
    const entry: Entry = { resolution, settled: false, settings: new Map() };
    cache.set(domain, entry);
    entry.resolution.then(
      ({ complete }) => {
        entry.settled = true;
        if (!complete && cache.get(domain) === entry) cache.set(domain, entry, { ttl: INCOMPLETE_TTL_MS });
      },
      () => cache.delete(domain),
    );
    return entry;
  }

  const deadlineMs = options.deadlineMs ?? RESOLVER_DEFAULTS.deadlineMs;
  // Whether a name with a server label is a mail domain itself: one decision per name, kept like answers. It
  // takes at most half the deadline (a lookup still out counts as "no"), so the sources have the rest.
  const mailDomains = new LRUCache<string, Promise<boolean>>({
    max: options.cacheSize ?? RESOLVER_DEFAULTS.cacheSize,
    ttl: options.cacheTtlMs ?? RESOLVER_DEFAULTS.cacheTtlMs,
  });
  async function readName(query: Query): Promise<Query> {
    const name = query.givenHost;
    if (!name) return query;
    let decision = mailDomains.get(name);
    if (!decision) {
      decision = checkMailDomain(name, { ...options, deadlineMs: deadlineMs / 2 });
      mailDomains.set(name, decision);
    }
    return (await decision) ? asWritten(query) : query;
  }

  // An answer is kept with the resolution it came from: a domain looked up again makes its answers anew.
  const answers = new LRUCache<string, { entry: Entry; answer: Answer }>({ max: ANSWERS_KEPT });

  /** What buildSettings makes of the domain's resolution for the question, shared by every address. */
  function settingsFor(entry: Entry, resolution: Resolution, query: Query): Omit<MailSettings, 'query'> {
    const key = `${query.protocol}\0${query.givenHost ?? ''}`;
    let settings = entry.settings.get(key);
    if (!settings) {
      const { config, source, notes } = resolution;
      // Neither the address nor the text as typed changes the settings: the domain's own query stands in.
      const { query: _, ...built } = buildSettings(withoutAddress(query), config, source, notes);
      settings = built;
      if (entry.settings.size < SETTINGS_PER_DOMAIN) entry.settings.set(key, settings);
    }
    return settings;
  }

  return {
    /** Resolves a parsed question. Throws only on bugs; every network failure becomes a note. */
    async answer(asked: Query): Promise<Answer> {
      const started = performance.now();
      const query = await readName(asked);
      const entry = resolveDomain(query.domain, deadlineMs - (performance.now() - started));
      const resolution = await entry.resolution;
      const key = [query.domain, query.input, query.email, query.givenHost, query.protocol].join('\0');
      const kept = answers.get(key);
      if (kept?.entry === entry) return kept.answer;
      const answer = {
        settings: { query, ...settingsFor(entry, resolution, query) },
        reports: resolution.reports,
      };
      answers.set(key, { entry, answer });
      return answer;
    },
    /** True when an answer for this domain is ready without waiting (adapters answer inline then). */
    isCached(domain: string): boolean {
      return cache.get(domain)?.settled === true;
    },
  };
}
export type Resolver = ReturnType<typeof createResolver>;

/** The shipped dataset, its module (and schema) loaded with it on first use: nothing of it at start-up. */
const shippedProviders = () => import('./providers/dataset.js').then((module) => module.shippedProviders());

async function checkMailDomain(name: string, options: ResolverOptions): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.deadlineMs ?? RESOLVER_DEFAULTS.deadlineMs);
  const dns = options.dns.until(controller.signal);
  const base = options.ispdbUrl ?? RESOLVER_DEFAULTS.ispdbUrl;
  try {
    return await isMailDomain(name, {
      dns,
      providers: options.providers ?? shippedProviders,
      ispdbEntry: (domain) =>
        fetchXml(`${base}${encodeURIComponent(domain)}`, {
          ...options.fetch,
          trusted: true,
          lookup: dns.addresses,
          signal: controller.signal,
        }),
    });
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function withoutAddress({ domain, givenHost, protocol }: Query): Query {
  return { input: domain, domain, protocol, ...(givenHost ? { givenHost } : {}) };
}

async function runSources(domain: string, options: ResolverOptions): Promise<Resolution> {
  const controller = new AbortController();
  const dns = options.dns.until(controller.signal);
  const providers = options.providers ?? shippedProviders;
  const context: SourceContext = {
    domain,
    dns,
    providers,
    ispdbUrl: options.ispdbUrl ?? RESOLVER_DEFAULTS.ispdbUrl,
    ...(options.profile ? { profile: options.profile } : {}),
    fetchXml: (url, trusted) =>
      fetchXml(url, { ...options.fetch, trusted, lookup: dns.addresses, signal: controller.signal }),
  };
  const reports: SourceReport[] = SOURCES.map(({ name }) => ({
    source: name,
    status: 'pending',
    detail: '',
    ms: 0,
  }));
  const started = performance.now();
  // Whether the domain exists at all: no MX and no address means a typo, not a domain to guess settings for.
  const existence = Promise.all([dns.mx(domain), dns.addresses(domain)]).then(
    ([mx, addresses]) => mx.length + addresses.length > 0,
    () => undefined,
  );
  const runs = SOURCES.map((source, index) =>
    runOne(source, context, options.sourceTimeoutMs?.[source.name] ?? DEFAULT_SOURCE_TIMEOUT_MS).then(
      (outcome) => {
        reports[index] = {
          ...outcome.report,
          source: source.name,
          ms: Math.round(performance.now() - started),
        };
        return outcome.found;
      },
    ),
  );

  const deadlineAt = started + (options.deadlineMs ?? RESOLVER_DEFAULTS.deadlineMs);
  try {
    // The first source in rank order that answers, unless the deadline comes first.
    for (const run of runs) {
      const found = await withTimeout(run, deadlineAt - performance.now(), () => 'deadline' as const);
      if (found === 'deadline' || found) break;
    }
    // The best answer that did arrive (at the deadline, possibly not the best-ranked), else the template.
    const bestIndex = reports.findIndex((report) => report.status === 'found');
    // A source that failed, timed out or was late is not one that found nothing: the answer says so.
    const unsure = reports
      .slice(0, bestIndex >= 0 ? bestIndex : undefined)
      .filter((report) => report.status !== 'none')
      .map((report) => `${LABELS.get(report.source)} (${SOURCE_STATUS[report.status]})`);
    const notes = unsure.length === 0 ? [] : [incompleteLookupsNote(unsure, bestIndex < 0)];
    const best = bestIndex >= 0 ? await runs[bestIndex] : undefined;
    const winner = SOURCES[bestIndex];
    const exists = best
      ? true
      : await withTimeout(existence, deadlineAt - performance.now(), () => undefined);
    if (exists === false) {
      const suggestion = await suggestDomain(domain, (await providers()).mailDomains());
      return {
        config: { servers: [], notOffered: [], documentation: [], notes: [] },
        source: { kind: 'missing', detail: noSuchDomain(domain, suggestion) },
        notes: [],
        reports: [...reports],
        complete: true,
      };
    }
    return {
      ...(best && winner
        ? { config: best.config, source: { kind: winner.name, detail: best.detail } }
        : {
            config: templateConfig(domain),
            source: { kind: 'default' as const, detail: templateDetail(domain, unsure.length > 0) },
          }),
      notes,
      reports: [...reports],
      complete: unsure.length === 0,
    };
  } finally {
    controller.abort();
  }
}

async function runOne(
  source: Source,
  context: SourceContext,
  timeoutMs: number,
): Promise<{ found?: Found; report: Pick<SourceReport, 'status' | 'detail'> }> {
  try {
    const result = await withTimeout(source.lookup(context), timeoutMs, () => 'timeout' as const);
    if (result === 'timeout')
      return { report: { status: 'timeout', detail: `no answer within ${timeoutMs} ms` } };
    if (!result.ok) return { report: { status: 'none', detail: result.error } };
    return { found: result.value, report: { status: 'found', detail: result.value.detail } };
  } catch (error) {
    return { report: { status: 'failed', detail: describeFailure(error) } };
  }
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

// DNS lookups through Node's own resolver (c-ares), with the answers the bot needs in plain shapes and a
// bounded LRU cache so a flood of random names cannot grow memory. "No such name" and "no such record"
// are empty answers; timeouts and server failures are errors the caller can report.
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { LRUCache } from 'lru-cache';

export interface MxRecord {
  exchange: string;
  priority: number;
}
export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

export interface Dns {
  mx(name: string): Promise<MxRecord[]>;
  srv(name: string): Promise<SrvRecord[]>;
  cname(name: string): Promise<string[]>;
  /** A and AAAA together. */
  addresses(name: string): Promise<string[]>;
  /**
   * The same lookups for one piece of work that ends when `signal` aborts: from then on it waits for
   * nothing, and once nobody waits for any query still out, those queries are cancelled.
   */
  until(signal: AbortSignal): Dns;
}

/** Per query try (two tries): short enough that a dead first server is left for the next in time. */
export const DNS_TIMEOUT_MS = 500;

export interface DnsOptions {
  /** `host[:port]` entries; the system's servers when empty. */
  servers?: string[];
  /**
   * Per query try, in milliseconds. Under Node 20 a try lasts up to about twice this (measured: c-ares'
   * timeouts are checked on a timer of this period), so 500 ms leaves a dead first server for the next one
   * within about a second, inside the resolver's 2 s per source; 1000 ms could take the whole 2 s.
   * @default 500
   */
  timeoutMs?: number;
  /** @default 2 */
  tries?: number;
  /** @default 10_000 */
  cacheSize?: number;
  /** @default 60_000 */
  cacheTtlMs?: number;
}

/**
 * A DNS server as `setServers` takes it: an IP address, with a port from 1 to 65535 (`127.0.0.1:53`,
 * `[::1]:53`). Node's own check lets a port of 0 abort the process and wraps one past 65535.
 */
export function isDnsServer(entry: string): boolean {
  const match = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry) ?? /^([^:]+)(?::(\d{1,5}))?$/.exec(entry);
  const [host, port] = match ? [match[1] ?? '', match[2]] : [entry, undefined];
  return isIP(host) !== 0 && (port === undefined || (Number(port) >= 1 && Number(port) <= 65_535));
}

const EMPTY = new Set(['ENOTFOUND', 'ENODATA']);

export function createDns(options: DnsOptions = {}): Dns {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? DNS_TIMEOUT_MS, tries: options.tries ?? 2 });
  if (options.servers && options.servers.length > 0) resolver.setServers(options.servers);
  // Promises are cached so concurrent questions about one name share one query; failures are evicted,
  // while "no such name" is an answer worth keeping.
  const cache = new LRUCache<string, Promise<unknown>>({
    max: options.cacheSize ?? 10_000,
    ttl: options.cacheTtlMs ?? 60_000,
  });
  // c-ares cancels a whole channel, not one query, and a channel per query would forget which server is
  // dead. So queries in flight count who still waits for them, and the channel is cancelled when that is
  // nobody: at once in the CLI after its answer, in a quiet moment in a busy bot.
  const waiting = new Map<Promise<unknown>, number>();
  let waiters = 0;

  function cached<T>(key: string, query: () => Promise<T>, joined?: Promise<unknown>[]): Promise<T> {
    let pending = cache.get(key) as Promise<T> | undefined;
    if (!pending) {
      const started: Promise<T> = query().then(
        (value) => settle(started, value),
        (error: NodeJS.ErrnoException) => {
          if (error.code && EMPTY.has(error.code)) return settle(started, [] as T);
          if (cache.get(key) === started) cache.delete(key);
          throw settle(started, error);
        },
      );
      pending = started;
      waiting.set(pending, 0);
      cache.set(key, pending);
    }
    const count = waiting.get(pending);
    if (count !== undefined) {
      waiting.set(pending, count + 1);
      waiters += 1;
      // Callers without a signal (the live check) wait until the query settles.
      joined?.push(pending);
    }
    return pending;
  }

  function settle<V>(query: Promise<unknown>, value: V): V {
    waiters -= waiting.get(query) ?? 0;
    waiting.delete(query);
    return value;
  }

  function release(queries: Promise<unknown>[]): void {
    for (const query of queries) {
      const count = waiting.get(query);
      if (count === undefined) continue; // settled meanwhile
      waiting.set(query, count - 1);
      waiters -= 1;
    }
    if (waiting.size > 0 && waiters === 0) resolver.cancel(); // every query still out rejects, ECANCELLED
  }

  function lookups(signal?: AbortSignal): Omit<Dns, 'until'> {
    const joined: Promise<unknown>[] | undefined = signal ? [] : undefined;
    signal?.addEventListener('abort', () => release(joined ?? []), { once: true });
    const ask = <T>(key: string, query: () => Promise<T>): Promise<T> =>
      signal?.aborted ? Promise.reject(signal.reason) : cached(key, query, joined);
    return {
      mx: (name) => ask(`MX ${name}`, () => resolver.resolveMx(name)),
      srv: (name) => ask(`SRV ${name}`, () => resolver.resolveSrv(name)),
      cname: (name) => ask(`CNAME ${name}`, () => resolver.resolveCname(name)),
      addresses: (name) => ask(`A/AAAA ${name}`, () => resolveAddresses(resolver, name)),
    };
  }

  const within = (signal: AbortSignal): Dns => ({
    ...lookups(signal),
    until: (inner) => within(AbortSignal.any([signal, inner])),
  });
  return { ...lookups(), until: within };
}

async function resolveAddresses(resolver: Resolver, name: string): Promise<string[]> {
  const settled = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
  const found = settled.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (found.length === 0 && failure) throw failure.reason;
  return found;
}

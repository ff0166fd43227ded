// DNS lookups through Node's own resolver (c-ares), with the answers the bot needs in plain shapes and a
// bounded LRU cache so a flood of random names cannot grow memory. "No such name" and "no such record"
// are empty answers; timeouts and server failures are errors the caller can report.
import { Resolver } from 'node:dns/promises';
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
}

export interface DnsOptions {
  /** `host[:port]` entries; the system's servers when empty. */
  servers?: string[];
  /** Per query try, in milliseconds. @default 1000 */
  timeoutMs?: number;
  /** @default 2 */
  tries?: number;
  /** @default 10_000 */
  cacheSize?: number;
  /** @default 60_000 */
  cacheTtlMs?: number;
}

const EMPTY = new Set(['ENOTFOUND', 'ENODATA']);

export function createDns(options: DnsOptions = {}): Dns {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 1000, tries: options.tries ?? 2 });
  if (options.servers && options.servers.length > 0) resolver.setServers(options.servers);
  // Promises are cached so concurrent questions about one name share one query; failures are evicted,
  // while "no such name" is an answer worth keeping.
  const cache = new LRUCache<string, Promise<unknown>>({
    max: options.cacheSize ?? 10_000,
    ttl: options.cacheTtlMs ?? 60_000,
  });

  function cached<T>(key: string, query: () => Promise<T>): Promise<T> {
    const hit = cache.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    const pending = query().catch((error: NodeJS.ErrnoException) => {
      if (error.code && EMPTY.has(error.code)) return [] as T;
      cache.delete(key);
      throw error;
    });
    cache.set(key, pending);
    return pending;
  }

  return {
    mx: (name) => cached(`MX ${name}`, () => resolver.resolveMx(name)),
    srv: (name) => cached(`SRV ${name}`, () => resolver.resolveSrv(name)),
    cname: (name) => cached(`CNAME ${name}`, () => resolver.resolveCname(name)),
    addresses: (name) =>
      cached(`A/AAAA ${name}`, async () => {
        const settled = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
        const found = settled.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
        const failure = settled.find(
          (result): result is PromiseRejectedResult => result.status === 'rejected',
        );
        if (found.length === 0 && failure) throw failure.reason;
        return found;
      }),
  };
}

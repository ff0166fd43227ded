// Builds the resolver the way every front end runs it in production, from the parsed environment.
import type { Config } from './config.js';
import { createDns } from './dns.js';
import { loadProfile } from './profile.js';
import { createResolver, type Resolver } from './resolve.js';

export async function resolverFromConfig(config: Config): Promise<Resolver> {
  const profile = config.MAILSETTINGS_PROFILE ? await loadProfile(config.MAILSETTINGS_PROFILE) : undefined;
  return createResolver({
    dns: createDns({ servers: config.MAILSETTINGS_DNS_SERVERS }),
    ...(profile ? { profile } : {}),
    ispdbUrl: config.MAILSETTINGS_ISPDB_URL,
    deadlineMs: config.MAILSETTINGS_DEADLINE_MS,
    fetch: { allowPrivate: config.MAILSETTINGS_ALLOW_PRIVATE_NETWORKS },
    cacheSize: config.MAILSETTINGS_CACHE_SIZE,
    cacheTtlMs: config.MAILSETTINGS_CACHE_TTL_MS,
  });
}

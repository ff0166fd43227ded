// Builds the resolver the way every front end runs it in production, from the parsed environment.
import { type Checker, checkSettings } from '../check/check.js';
import { createDns } from '../resolve/lookup/dns.js';
import { createResolver, type Resolver } from '../resolve/resolver.js';
import { loadProfile } from '../resolve/sources/operator-profile.js';
import type { Config } from './config.js';

/** The resolver and the live checker, sharing one DNS cache and one private-address policy. */
export async function servicesFromConfig(config: Config): Promise<{ resolver: Resolver; checker: Checker }> {
  const dns = dnsFromConfig(config);
  const checker: Checker = (settings) =>
    checkSettings(settings, {
      lookup: dns.addresses,
      allowPrivate: config.MAILSETTINGS_ALLOW_PRIVATE_NETWORKS,
      deadlineMs: config.MAILSETTINGS_CHECK_DEADLINE_MS,
    });
  return { resolver: await resolverFromConfig(config, dns), checker };
}

export async function resolverFromConfig(config: Config, dns = dnsFromConfig(config)): Promise<Resolver> {
  const profile = config.MAILSETTINGS_PROFILE ? await loadProfile(config.MAILSETTINGS_PROFILE) : undefined;
  return createResolver({
    dns,
    ...(profile ? { profile } : {}),
    ispdbUrl: config.MAILSETTINGS_ISPDB_URL,
    deadlineMs: config.MAILSETTINGS_DEADLINE_MS,
    fetch: { allowPrivate: config.MAILSETTINGS_ALLOW_PRIVATE_NETWORKS },
    cacheSize: config.MAILSETTINGS_CACHE_SIZE,
    cacheTtlMs: config.MAILSETTINGS_CACHE_TTL_MS,
  });
}

function dnsFromConfig(config: Config) {
  return createDns({
    servers: config.MAILSETTINGS_DNS_SERVERS,
    timeoutMs: config.MAILSETTINGS_DNS_TIMEOUT_MS,
  });
}

// Builds the core's services the way every front end runs them in production, from the parsed configuration:
// one DNS cache and one private-address policy shared by the resolver and the live check, and the one
// conversation the chat front ends talk through.
import { type Checker, checkSettings } from '../check/check.js';
import { type Conversation, createConversation } from '../conversation/conversation.js';
import { createRateLimiter } from '../conversation/rate-limit.js';
import type { Logger } from '../model/logger.js';
import { createDns } from '../resolve/lookup/dns.js';
import { createResolver, type Resolver } from '../resolve/resolver.js';
import { loadProfile } from '../resolve/sources/operator-profile.js';
import type { Database } from '../store/database.js';
import { finishEvent } from '../store/inbox.js';
import { createSharedRateLimiter } from '../store/rate-limit.js';
import type { Config } from './config.js';

export interface Services {
  resolver: Resolver;
  checker: Checker;
}

/** The resolver and the live checker (all the command line needs). */
export async function servicesFromConfig(config: Config): Promise<Services> {
  const dns = dnsFromConfig(config);
  const checker: Checker = (settings) =>
    checkSettings(settings, {
      lookup: dns.addresses,
      allowPrivate: config.MAILSETTINGS_ALLOW_PRIVATE_NETWORKS,
      deadlineMs: config.MAILSETTINGS_CHECK_DEADLINE_MS,
    });
  return { resolver: await resolverFromConfig(config, dns), checker };
}

/**
 * The conversation the chat front ends share, with the configured limits. With a shared database (several
 * replicas), the limits and the "already shared" marks live there, so any replica may take any request.
 */
export function conversationFromConfig(
  config: Config,
  { resolver, checker }: Services,
  log: Logger,
  shared?: Database,
): Conversation {
  const limiter = (name: string, limit: number) =>
    shared ? createSharedRateLimiter(shared.db, { name, limit }) : createRateLimiter({ limit });
  return createConversation({
    resolver,
    log,
    limiter: limiter('questions', config.MAILSETTINGS_RATE_LIMIT),
    // Live checks open connections to other hosts, so they have their own, stricter limit.
    check: {
      run: checker,
      limiter: limiter('checks', config.MAILSETTINGS_CHECK_RATE_LIMIT),
      customersMay: config.MAILSETTINGS_CHECK_AUDIENCE === 'everyone',
    },
    ...(shared ? { firstTime: (key: string) => finishEvent(shared.db, key, Date.now()) } : {}),
  });
}

/** Several replicas share one PostgreSQL database; an SQLite file belongs to one process. */
export const isShared = (config: Config) => /^postgres(ql)?:/i.test(config.DATABASE_URL);

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

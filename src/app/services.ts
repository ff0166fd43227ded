// Builds the core's services the way every front end runs them in production, from the parsed configuration:
// one DNS cache and one private-address policy shared by the resolver and the live check, the one
// conversation the chat front ends talk through, and the set-up page's request handler.
import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import type { ClockSettings } from '../cases/clocks.js';
import { type Checker, checkSettings } from '../check/check.js';
import { type Conversation, createConversation } from '../conversation/conversation.js';
import { createRateLimiter } from '../conversation/rate-limit.js';
import { parseBusinessHours } from '../model/business-hours.js';
import { ConfigError } from '../model/errors.js';
import type { Logger } from '../model/logger.js';
import { createDns } from '../resolve/lookup/dns.js';
import { createResolver, type Resolver } from '../resolve/resolver.js';
import type { Profile } from '../resolve/sources/operator-profile.js';
import { createSetupHandler, type SetupHandler } from '../setup/setup-handler.js';
import type { SetupOptions } from '../setup/setup-offer.js';
import { type Database, engineOf } from '../store/database.js';
import { finishEvent } from '../store/inbox.js';
import { createSharedRateLimiter } from '../store/rate-limit.js';
import type { Config } from './config.js';

export interface Services {
  resolver: Resolver;
  checker: Checker;
  /** The company's name from the operator profile, shown in set-up profiles and autoconfig documents. */
  organization?: string;
  /** The company's logo from the operator profile, shown at the top of the set-up page. */
  logoUrl?: string;
}

/** Autoconfig and Autodiscover requests per client and minute: each may start a lookup of any domain. */
const AUTOCONFIG_PER_MINUTE = 30;

/** Cache sizes for a process that asks one question: room for thousands of entries would never be used. */
const ONE_QUESTION = { domains: 8, names: 64 } as const;

/**
 * The resolver and the live checker (all the command line needs). With `oneQuestion` (a command that answers one
 * question and exits) the caches are made small: making room for thousands of entries is most of what they cost
 * then.
 */
export async function servicesFromConfig(
  config: Config,
  options: { oneQuestion?: boolean } = {},
): Promise<Services> {
  const dns = dnsFromConfig(config, options.oneQuestion ? ONE_QUESTION.names : undefined);
  const checker: Checker = (settings) =>
    checkSettings(settings, {
      lookup: dns.addresses,
      allowPrivate: config.MAILSETTINGS_ALLOW_PRIVATE_NETWORKS,
      deadlineMs: config.MAILSETTINGS_CHECK_DEADLINE_MS,
    });
  const profile = await profileFromConfig(config);
  return {
    resolver: resolverWith(config, dns, profile, options.oneQuestion ? ONE_QUESTION.domains : undefined),
    checker,
    ...(profile ? { organization: profile.provider } : {}),
    ...(profile?.logoUrl ? { logoUrl: profile.logoUrl } : {}),
  };
}

/**
 * The conversation the chat front ends share, with the configured limits. With a shared database (several
 * replicas), the limits and the "already shared" marks live there, so any replica may take any request.
 */
export function conversationFromConfig(
  config: Config,
  { resolver, checker, organization }: Services,
  log: Logger,
  shared?: Database,
): Conversation {
  const limiter = (name: string, limit: number) => rateLimiter(name, limit, log, shared);
  const setup = setupFromConfig(config, { organization });
  return createConversation({
    resolver,
    log,
    ...(setup ? { setup } : {}),
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

/**
 * A limit per key a minute: in this process's memory, or with a shared database (several replicas) in the
 * database, so any replica counts alike. Check again on a case card has its own, as strict as live checks'.
 */
export function rateLimiter(name: string, limit: number, log: Logger, shared?: Database) {
  return shared
    ? createSharedRateLimiter(shared.db, { name, limit, log, whileAway: createRateLimiter({ limit }) })
    : createRateLimiter({ limit });
}

/** Set-up page links and the profile's organization, as answers offer them; undefined without links. */
export function setupFromConfig(
  config: Config,
  { organization }: Pick<Services, 'organization'>,
): SetupOptions | undefined {
  const links = setupLinks(config);
  return links ? { links, ...(organization ? { organization } : {}) } : undefined;
}

/** Several replicas share one PostgreSQL database; an SQLite file belongs to one process. */
export const isShared = (config: Config) => engineOf(config.DATABASE_URL) === 'postgres';

/**
 * The set-up page, autoconfig and Autodiscover as one request handler, or undefined when set-up links are not
 * configured (MAILSETTINGS_LINK_SECRET and MAILSETTINGS_PUBLIC_URL).
 */
export function setupHandlerFromConfig(
  config: Config,
  { resolver, organization, logoUrl }: Services,
  log: Logger,
): SetupHandler | undefined {
  const links = setupLinks(config);
  if (!links) return undefined;
  return createSetupHandler({
    resolver,
    secret: links.secret,
    ...(organization ? { organization } : {}),
    ...(logoUrl ? { logoUrl } : {}),
    log,
    limiter: createRateLimiter({ limit: AUTOCONFIG_PER_MINUTE }),
    clientKey: clientOf,
  });
}

/**
 * Who a request is from. Behind a reverse proxy on this host every request comes from loopback: then the client
 * is the address the proxy appended last to X-Forwarded-For (earlier entries are whatever the client claimed).
 * One client per IPv4 address and per IPv6 /64, every address of which its holder may use.
 */
function clientOf(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .at(-1)
    ?.trim();
  const client = /^(127\.|::1$|::ffff:127\.)/.test(peer) && forwarded ? forwarded : peer;
  if (!ipaddr.isValid(client)) return client;
  const address = ipaddr.process(client); // an IPv4-mapped IPv6 address as the IPv4 one
  if (address.kind() === 'ipv4') return address.toString();
  return `${address.toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}

function setupLinks(config: Config): { secret: string; baseUrl: string } | undefined {
  const { MAILSETTINGS_LINK_SECRET: secret, MAILSETTINGS_PUBLIC_URL: baseUrl } = config;
  return secret && baseUrl ? { secret, baseUrl } : undefined;
}

async function profileFromConfig(config: Config): Promise<Profile | undefined> {
  if (!config.MAILSETTINGS_PROFILE) return undefined;
  // Its schema is built only when there is a profile to check: most command-line answers have none.
  const { loadProfile } = await import('../resolve/sources/operator-profile.js');
  return await loadProfile(config.MAILSETTINGS_PROFILE);
}

function resolverWith(
  config: Config,
  dns: ReturnType<typeof dnsFromConfig>,
  profile?: Profile,
  cacheSize = config.MAILSETTINGS_CACHE_SIZE,
): Resolver {
  return createResolver({
    dns,
    ...(profile ? { profile } : {}),
    ispdbUrl: config.MAILSETTINGS_ISPDB_URL,
    deadlineMs: config.MAILSETTINGS_DEADLINE_MS,
    fetch: { allowPrivate: config.MAILSETTINGS_ALLOW_PRIVATE_NETWORKS },
    cacheSize,
    cacheTtlMs: config.MAILSETTINGS_CACHE_TTL_MS,
  });
}

function dnsFromConfig(config: Config, cacheSize?: number) {
  return createDns({
    servers: config.MAILSETTINGS_DNS_SERVERS,
    timeoutMs: config.MAILSETTINGS_DNS_TIMEOUT_MS,
    ...(cacheSize ? { cacheSize } : {}),
  });
}

/** Business hours and response targets for support cases. */
export function clocksFromConfig(config: Config): ClockSettings {
  const hours = parseBusinessHours(
    config.MAILSETTINGS_BUSINESS_HOURS,
    config.MAILSETTINGS_TIME_ZONE,
    config.MAILSETTINGS_HOLIDAYS,
  );
  if (!hours.ok) throw new ConfigError(`MAILSETTINGS_BUSINESS_HOURS: ${hours.error}`);
  return {
    hours: hours.value,
    firstResponseMs: config.MAILSETTINGS_FIRST_RESPONSE_TARGET,
    nextResponseMs: config.MAILSETTINGS_NEXT_RESPONSE_TARGET,
    resolutionMs: config.MAILSETTINGS_RESOLUTION_TARGET,
    followUpMs: config.MAILSETTINGS_FOLLOW_UP_AFTER,
    autoResolveMs: config.MAILSETTINGS_AUTO_RESOLVE_AFTER,
  };
}

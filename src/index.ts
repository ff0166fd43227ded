// The public API of the core. Front ends (adapters/) use only what is listed here.
export { buildSettings, type Found } from './answer.js';
export { answerSoon, ask, type Outcome } from './ask.js';
export { type ParsedConfig, type ParseResult, parseConfigXml } from './autoconfig-xml.js';
export { type CheckOptions, type CheckReport, checkSettings } from './check/check.js';
export { answerToText, checkToReply } from './check/check-reply.js';
export { type ProbeResult, probeServer, type TlsReport } from './check/probe.js';
export { type Config, envSchema, loadConfig } from './config.js';
export { createDns, type Dns, type DnsOptions } from './dns.js';
export { ConfigError, MailSettingsError } from './errors.js';
export { escapeControls, stringifyJson } from './escape-controls.js';
export { createLogger, type Logger } from './log.js';
export { INTERNAL_ERROR, type QueryProblem, queryProblem, USAGE } from './messages.js';
export { BlockedAddressError, isPublicAddress } from './net-policy.js';
export { loadProfile, type Profile, profileSchema } from './profile.js';
export { parseQuery, type QueryResult } from './query.js';
export { createRateLimiter, type RateLimiter, type RateLimitOptions, slowDownMessage } from './rate-limit.js';
export {
  clip,
  type Reply,
  type ReplyField,
  type ReplySection,
  replyToText,
  settingsToReply,
} from './reply.js';
export {
  type Answer,
  createResolver,
  type Resolver,
  type ResolverOptions,
  SOURCE_ORDER,
  type SourceName,
  type SourceReport,
} from './resolve.js';
export {
  type MailSettings,
  mailSettingsSchema,
  type Protocol,
  type ProviderConfig,
  type Query,
  type Server,
  type ServerType,
  type Source,
} from './settings.js';
export { type Checker, resolverFromConfig, servicesFromConfig } from './setup.js';

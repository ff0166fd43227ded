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
export { createLogger, type Logger } from './log.js';
export { INTERNAL_ERROR, type QueryProblem, queryProblem, USAGE } from './messages.js';
export { BlockedAddressError, isPublicAddress } from './net-policy.js';
export { loadProfile, type Profile, profileSchema } from './profile.js';
export { parseQuery, type QueryResult } from './query.js';
export { createRateLimiter, type RateLimiter, type RateLimitOptions, slowDownMessage } from './rate-limit.js';
export {
  clip,
  describeUsername,
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
export { fail, ok, type Result } from './result.js';
export {
  type MailSettings,
  mailSettingsSchema,
  type Protocol,
  type ProviderConfig,
  type Query,
  type Security,
  type Server,
  type ServerType,
  type SignIn,
  type Source,
  signInOf,
} from './settings.js';
// Set-up in the customer's own mail program (issue 12): guides, files, the page, automatic configuration.
// The setup/ files import the core through this file (describeUsername, ok/fail, signInOf… are listed above
// for them); none reads an import while it loads, so that import cycle is harmless.
export { parseAutodiscoverRequest, settingsToAutodiscoverXml } from './setup/autodiscover.js';
export { type ConfigXmlOptions, settingsToConfigXml } from './setup/config-xml.js';
export { guideFor } from './setup/guide.js';
export type { Guide, GuideStep, GuideValue } from './setup/guide-model.js';
export { guideToReply, guideToText } from './setup/guide-reply.js';
export { MOBILECONFIG_TYPE, type MobileconfigOptions, settingsToMobileconfig } from './setup/mobileconfig.js';
export { findProgram, PROGRAM_NAMES, PROGRAMS, type Program, takeProgram } from './setup/programs.js';
export { createSetupHandler, type SetupHandler, type SetupHandlerOptions } from './setup/setup-handler.js';
export {
  LINK_LIFETIME_MS,
  type LinkProblem,
  type SetupQuestion,
  setupPageUrl,
  signSetupLink,
  verifySetupLink,
} from './setup/setup-link.js';
export { renderErrorPage, renderSetupPage } from './setup/setup-page.js';
export { type Checker, resolverFromConfig, servicesFromConfig } from './setup.js';

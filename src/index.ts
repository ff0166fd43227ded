// The public API of the core: what front ends (adapters/) use. The paths name the stage of the flow each
// comes from (question → resolve → reply → check → conversation → cases; app is the wiring, model the
// shared vocabulary, setup the customer's own mail program).

export { type Config, envSchema, loadConfig } from './app/config.js';
export { baseUrl, count, flag, httpUrl, milliseconds, parseEnv, port } from './app/env.js';
export type { FrontEnd } from './app/front-end.js';
export {
  HTTP_LIMITS,
  type HttpLimits,
  limitServer,
  serverOptions,
  warnAtMostEveryMinute,
} from './app/http-limits.js';
export { createLogger } from './app/log.js';
export {
  clocksFromConfig,
  conversationFromConfig,
  isShared,
  resolverFromConfig,
  type Services,
  servicesFromConfig,
  setupFromConfig,
  setupHandlerFromConfig,
} from './app/services.js';
export { type CardLine, checkLines, reportLines, settingsLines } from './cases/card-text.js';
export type { CaseList, CaseListing } from './cases/case-queries.js';
export {
  type Author,
  type CaseProblem,
  type Cases,
  type CasesOptions,
  createCases,
  describeQuestion,
  type FirstDelivery,
  type Staff,
} from './cases/cases.js';
export { SNOOZE_PRESETS, type SnoozePreset } from './cases/clocks.js';
export { type CustomerExport, type DataCare, type Kept, parseCustomerId } from './cases/data-care.js';
export type { SnippetReplyProblem } from './cases/desk.js';
export { createDigest, type Digest, type DigestSchedule, parseDigestAt } from './cases/digest.js';
export { MAX_CUSTOMER_WORDS } from './cases/intake.js';
export { createLeadDesk, type LeadDesk, type LeadOptions } from './cases/lead.js';
export { PLACEHOLDERS } from './cases/placeholders.js';
export {
  type CardDiagnosis,
  type CaseCard,
  type CaseView,
  type CustomerSide,
  DeliveryRefused,
  type EarlierCase,
  type Parts,
  type RelayedText,
  type SharedCause,
  type StaffEvent,
  type StaffSide,
} from './cases/ports.js';
export { buildReport, type Report, type ReportRows } from './cases/report.js';
export { type ReportRow, reportTable, reportToCsv, reportToText } from './cases/report-table.js';
export {
  MAX_SNIPPET,
  MAX_SNIPPET_NAME,
  type Snippet,
  type SnippetProblem,
  snippetName,
} from './cases/snippets.js';
export { type Checker, type CheckOptions, type CheckReport, checkSettings } from './check/check.js';
export { answerToText, checkToReply } from './check/check-reply.js';
export { type VerifyReport, verifyProviderDataset } from './check/verify-dataset.js';
export { ask, type Outcome } from './conversation/ask.js';
export {
  type Asked,
  type Conversation,
  type ConversationOptions,
  createConversation,
  MAX_QUESTION,
  shareQuestion,
} from './conversation/conversation.js';
export type { ExplainResponder, ExplainSaid } from './conversation/explain.js';
export { createRateLimiter, type RateLimiter, type RateLimitOptions } from './conversation/rate-limit.js';
export { keepRendered } from './conversation/render-cache.js';
export type { Responder, Said, Saying } from './conversation/responder.js';
export type { Diagnosis } from './diagnose/diagnose.js';
export type { Explained, ExplainProblem, Explanation } from './diagnose/explain.js';
export { type DiagnoseStage, loadDiagnose } from './diagnose/load.js';
export { MAX_PASTE } from './diagnose/paste.js';
export * as cardWords from './messages/case-card.js';
export * as caseWords from './messages/cases.js';
export { INTERNAL_ERROR, POSTED_FOR_CUSTOMER, sharedBy, YOU_SHARED } from './messages/conversation.js';
export * as deskWords from './messages/desk.js';
export { type QueryProblem, queryProblem, USAGE } from './messages/question.js';
export * as reportWords from './messages/report.js';
export { notStored } from './messages/store.js';
export {
  ALWAYS_OPEN,
  type BusinessHours,
  formatInZone,
  parseBusinessHours,
} from './model/business-hours.js';
export { CAUSES, type Cause } from './model/causes.js';
export { BlockedAddressError, ConfigError, MailSettingsError, StartError } from './model/errors.js';
export { escapeControls, neutralizeText, stringifyJson } from './model/escape-controls.js';
export type { Logger } from './model/logger.js';
export { fail, ok, type Result } from './model/result.js';
export {
  type Protocol,
  type ProviderConfig,
  type Query,
  type Security,
  type Server,
  type ServerType,
  type SignIn,
  signInOf,
} from './model/settings.js';
export { withTimeout } from './model/timeout.js';
export { parseQuery, type QueryResult } from './question/parse-question.js';
export {
  clip,
  describeUsername,
  type Reply,
  type ReplyField,
  type ReplySection,
  replyToText,
  settingsToReply,
  splitText,
} from './reply/reply.js';
export { type Answer, type MailSettings, mailSettingsSchema, type SourceReport } from './resolve/answer.js';
export { type ParsedConfig, type ParseResult, parseConfigXml } from './resolve/lookup/autoconfig-xml.js';
export { createDns, type Dns, type DnsOptions } from './resolve/lookup/dns.js';
export { notNeededReason, type ReportStatus, reportStatus } from './resolve/report-status.js';
export { createResolver, type Resolver, type ResolverOptions } from './resolve/resolver.js';
export { loadProfile, type Profile, profileSchema } from './resolve/sources/operator-profile.js';
export { SOURCES, type SourceName } from './resolve/sources/ranked.js';
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
export { type SetupFile, type SetupOffer, type SetupOptions, setupOffer } from './setup/setup-offer.js';
export { renderErrorPage, renderSetupPage } from './setup/setup-page.js';
export { type Database, openDatabase, openDatabaseWhenReachable } from './store/database.js';
export { createInbox, finishEvent, type Inbox, type Seen } from './store/inbox.js';
export { createLease, type Lease, type LeaseOptions } from './store/lease.js';
export { createSharedRateLimiter } from './store/rate-limit.js';
export { type DatabaseTrouble, databaseTrouble, maskUrl, reasonOf } from './store/trouble.js';

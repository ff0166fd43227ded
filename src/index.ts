// The public API of the core: what front ends (adapters/) use. The paths name the stage of the flow each
// comes from (question → resolve → reply → check → conversation → cases; app is the wiring, model the
// shared vocabulary, setup the customer's own mail program).

export { type Config, envSchema, loadConfig } from './app/config.js';
export { count, flag, httpUrl, parseEnv, port, unknownVariables } from './app/env.js';
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
  rateLimiter,
  type Services,
  servicesFromConfig,
  setupFromConfig,
  setupHandlerFromConfig,
} from './app/services.js';
export { type CardLine, checkLines, reportLines, settingsLines } from './cases/card-text.js';
export type { CaseList, CaseListing } from './cases/case-queries.js';
export {
  type CaseProblem,
  type Cases,
  type CasesOptions,
  createCases,
  describeQuestion,
  type FirstDelivery,
  type Staff,
} from './cases/cases.js';
export { SNOOZE_PRESETS, type SnoozePreset } from './cases/clocks.js';
export { type Kept, parseCustomerId } from './cases/data-care.js';
export type { SnippetReplyProblem } from './cases/desk.js';
export { createDigest, parseDigestAt } from './cases/digest.js';
export { withoutAddress as questionWithoutAddress } from './cases/forgotten.js';
export { MAX_CUSTOMER_WORDS } from './cases/intake.js';
export { createLeadDesk, type LeadDesk } from './cases/lead.js';
export { PLACEHOLDERS } from './cases/placeholders.js';
export {
  type CaseCard,
  type CaseView,
  type CustomerSide,
  type DeliveryKey,
  DeliveryRefused,
  PlatformAway,
  type RelayedText,
  type Reminder,
  type SharedCause,
  type StaffSide,
  unreachable,
} from './cases/ports.js';
export type { Report } from './cases/report.js';
export { reportToCsv, reportToText } from './cases/report-table.js';
export {
  MAX_SNIPPET,
  MAX_SNIPPET_NAME,
  type Snippet,
  type SnippetProblem,
  snippetName,
} from './cases/snippets.js';
export type { Checker, CheckReport } from './check/check.js';
export { answerToText, checkToReply } from './check/check-reply.js';
export { type VerifyReport, verifyProviderDataset } from './check/verify-dataset.js';
export { ask, type Outcome } from './conversation/ask.js';
export type { Asked, Conversation } from './conversation/conversation.js';
export type { ExplainResponder, ExplainSaid } from './conversation/explain.js';
export { keepRendered } from './conversation/render-cache.js';
export type { Responder, Said, Saying } from './conversation/responder.js';
export type { Diagnosis } from './diagnose/diagnose.js';
export { loadDiagnose } from './diagnose/load.js';
export { MAX_PASTE } from './diagnose/paste.js';
export * as cardWords from './messages/case-card.js';
export * as caseWords from './messages/cases.js';
export { INTERNAL_ERROR, POSTED_FOR_CUSTOMER, sharedBy, YOU_SHARED } from './messages/conversation.js';
export * as deskWords from './messages/desk.js';
export { USAGE } from './messages/question.js';
export * as reportWords from './messages/report.js';
export { notStored } from './messages/store.js';
export { ConfigError, StartError } from './model/errors.js';
export { escapeControls, neutralizeText, stringifyJson } from './model/escape-controls.js';
export type { Logger } from './model/logger.js';
export { fail, ok, type Result } from './model/result.js';
export type { Server } from './model/settings.js';
export { withTimeout } from './model/timeout.js';
export { traceRelay } from './model/trace.js';
export { clip, type Reply, replyHead, replyToText, settingsToReply, splitText } from './reply/reply.js';
export { type Answer, type MailSettings, noSettingsReason, type SourceReport } from './resolve/answer.js';
export { createDns, isDnsServer } from './resolve/lookup/dns.js';
export { notNeededReason, reportStatus } from './resolve/report-status.js';
export type { Resolver } from './resolve/resolver.js';
export { settingsToConfigXml } from './setup/config-xml.js';
export { guideFor } from './setup/guide.js';
export type { GuideStep } from './setup/guide-model.js';
export { guideToReply, guideToText } from './setup/guide-reply.js';
export { settingsToMobileconfig } from './setup/mobileconfig.js';
export { PROGRAM_NAMES, PROGRAMS, type Program, takeProgram } from './setup/programs.js';
export { type SetupHandler, serveSetup } from './setup/setup-handler.js';
export type { SetupFile, SetupOffer } from './setup/setup-offer.js';
export { type Database, openDatabase, openDatabaseWhenReachable } from './store/database.js';
export { createInbox, type Inbox } from './store/inbox.js';
export { createLease, type Lease } from './store/lease.js';
export { databaseTrouble, maskUrl, reasonOf } from './store/trouble.js';

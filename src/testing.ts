// What tests and benchmarks use beyond the public API (src/index.ts, what the front ends use): the case relay's
// moving parts, to drive its outbox and clocks by hand with a clock the test controls, and the pieces tests
// build worlds from or check on their own (the resolver, the conversation, the parsers, the set-up links).

export { baseUrl, milliseconds } from './app/env.js';
export { toView } from './cases/case-store.js';
export { assembleCases } from './cases/cases.js';
export { type CaseEvent, type CaseState, decide } from './cases/lifecycle.js';
export { NOT_THROUGH_AFTER_MS } from './cases/lifecycle-system.js';
export type { Parts } from './cases/ports.js';
export { buildReport } from './cases/report.js';
export { reportTable } from './cases/report-table.js';
export { type CheckOptions, checkSettings } from './check/check.js';
export { type ConversationOptions, createConversation } from './conversation/conversation.js';
export { createRateLimiter, type RateLimiter } from './conversation/rate-limit.js';
export { ALWAYS_OPEN, parseBusinessHours } from './model/business-hours.js';
export { CAUSES, type Cause } from './model/causes.js';
export { BlockedAddressError } from './model/errors.js';
export type { Protocol, Query, Security, ServerType } from './model/settings.js';
export { parseQuery } from './question/parse-question.js';
export { describeUsername } from './reply/reply.js';
export { mailSettingsSchema } from './resolve/answer-schema.js';
export { type ParsedConfig, parseConfigXml } from './resolve/lookup/autoconfig-xml.js';
export { createResolver, type ResolverOptions } from './resolve/resolver.js';
export { loadProfile, type Profile } from './resolve/sources/operator-profile.js';
export { parseAutodiscoverRequest, settingsToAutodiscoverXml } from './setup/autodiscover.js';
export type { Guide } from './setup/guide-model.js';
export { findProgram } from './setup/programs.js';
export { createSetupHandler } from './setup/setup-handler.js';
export { LINK_LIFETIME_MS, setupPageUrl, signSetupLink, verifySetupLink } from './setup/setup-link.js';
export type { SetupOptions } from './setup/setup-offer.js';
export type { LeaseOptions } from './store/lease.js';
export { createSharedRateLimiter } from './store/rate-limit.js';

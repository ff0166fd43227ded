// What the chat front ends are given in tests: the core's conversation, built from the same options the old
// per-adapter dependencies had.
import { type Checker, createLogger, type Logger, type Resolver } from '../../src/index.js';
import {
  createConversation,
  createRateLimiter,
  type RateLimiter,
  type SetupOptions,
} from '../../src/testing.js';

export interface ChatOptions {
  resolver: Resolver;
  limiter?: RateLimiter;
  log?: Logger;
  inlineWaitMs?: number;
  check?: { run: Checker; limiter: RateLimiter };
  /** Whether Slack's customers may run the check (MAILSETTINGS_CHECK_AUDIENCE=everyone). @default true */
  customersMayCheck?: boolean;
  /** Set-up page links and the profile's organization. */
  setup?: SetupOptions;
}

export function chatDeps(options: ChatOptions) {
  const log = options.log ?? createLogger(() => {});
  const conversation = createConversation({
    resolver: options.resolver,
    limiter: options.limiter ?? createRateLimiter(),
    log,
    ...(options.inlineWaitMs !== undefined ? { inlineWaitMs: options.inlineWaitMs } : {}),
    ...(options.setup ? { setup: options.setup } : {}),
    ...(options.check
      ? { check: { ...options.check, customersMay: options.customersMayCheck ?? true } }
      : {}),
  });
  return { conversation, log };
}

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
  /**
   * How long an answer may take to come inline rather than after an acknowledgement. @default 2000: tests of
   * what an answer says get it inline however busy the machine is; tests of the acknowledgement set their own
   * (production waits 300 ms).
   */
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
    inlineWaitMs: options.inlineWaitMs ?? 2000,
    ...(options.setup ? { setup: options.setup } : {}),
    ...(options.check
      ? { check: { ...options.check, customersMay: options.customersMayCheck ?? true } }
      : {}),
  });
  return { conversation, log };
}

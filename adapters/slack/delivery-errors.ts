// What Slack's errors mean for a delivery (its Web API's and the client's own): a refusal no retry can fix becomes
// DeliveryRefused, Slack away (an outage, no answer at all) PlatformAway; anything else is retried, and given up
// after the outbox's last try.
import { DeliveryRefused, PlatformAway, reasonOf, unreachable } from '../../src/index.js';

/**
 * chat.postMessage's and chat.postEphemeral's errors after which no retry can succeed (Slack's method pages): the
 * channel is gone or closed to the bot or the customer, the token is dead, a workspace or channel rule forbids
 * the post, the message is invalid.
 */
const FOR_GOOD = new Set([
  'channel_not_found',
  'user_not_in_channel',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'ekm_access_denied',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'cannot_reply_to_message',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
]);

/** Slack's answers that say it is away for now (Web API "Errors" of every method). */
const AWAY = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

/** A refusal for good as DeliveryRefused, Slack away (an outage, no answer) as PlatformAway; else as thrown. */
export function deliveryError(error: unknown): unknown {
  const code =
    error instanceof Error && 'data' in error ? (error.data as { error?: string }).error : undefined;
  if (code && FOR_GOOD.has(code)) return new DeliveryRefused(code, { cause: error });
  const { code: kind, statusCode = 0 } = (error ?? {}) as { code?: string; statusCode?: number };
  const away =
    (code !== undefined && AWAY.has(code)) ||
    kind === 'slack_webapi_request_error' ||
    kind === 'slack_webapi_rate_limited_error' ||
    (kind === 'slack_webapi_http_error' && statusCode >= 500) ||
    unreachable(error);
  return away ? new PlatformAway(`Slack: ${reasonOf(error)}`, { cause: error }) : error;
}

// The customer's side of a support case, over Slack's Web API: the visible "asked for help" post that starts
// the case's thread, staff replies in it (under the staff member's name with chat:write.customize, otherwise
// with a "*Dana (support):*" prefix), settings as the usual Block Kit message, and "Resolved by" with the
// rating buttons. Everything staff wrote is escaped for mrkdwn. Slack refusing for good (the channel is gone,
// the bot is not in it) becomes DeliveryRefused; anything else is retried by the outbox.
import type { types, webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import {
  type CaseView,
  type CustomerSide,
  caseWords,
  DeliveryRefused,
  describeQuestion,
  settingsToReply,
  splitText,
} from '../../src/index.js';
import { messageRef, readRef } from './refs.js';
import { escapeMrkdwn, lineToBlockKit, RATE_ACTIONS, replyToBlockKit } from './render.js';

/** Slack shows about 4,000 characters of a message comfortably; longer replies are split, never cut. */
export const MAX_RELAYED_TEXT = 3000;

/**
 * chat.postMessage's errors after which no retry can succeed (Slack's method page): the channel is gone or
 * closed to the bot, the token is dead, a workspace or channel rule forbids the post, the message is invalid.
 * (Anything else is retried, and recorded as failed after the outbox's last try.)
 */
const FOR_GOOD = new Set([
  'channel_not_found',
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

export interface CustomerSideOptions {
  /** The token's scopes, from auth.test: with chat:write.customize replies carry the staff member's name. */
  scopes: string[];
  /** The workspace's address, for links to threads. */
  url?: string;
}

/** chat.postMessage: "1 per second per channel, short bursts allowed" (Slack's rate limits page). */
const PER_SECOND = 1;
const BURST = 3;

export function slackCustomerSide(client: webApi.WebClient, options: CustomerSideOptions): CustomerSide {
  const customize = options.scopes.includes('chat:write.customize');
  const pace = channelPacer(PER_SECOND, BURST);

  /** Posts in the case's thread (or where the customer asked, before there is one); returns the message's ref. */
  async function post(
    view: CaseView,
    message: { text: string; blocks?: types.KnownBlock[]; username?: string },
  ) {
    const { channel } = readRef(view.customerPlace);
    const thread = view.customerThread ? readRef(view.customerThread).ts : undefined;
    await pace(channel);
    try {
      const result = await client.chat.postMessage({
        channel,
        ...(thread ? { thread_ts: thread } : {}),
        ...message,
        unfurl_links: false,
      });
      return messageRef(channel, String(result.ts));
    } catch (error) {
      throw refusedForGood(error);
    }
  }

  return {
    name: 'Slack',
    threadLink(view) {
      if (!options.url || !view.customerThread) return undefined;
      const { channel, ts = '' } = readRef(view.customerThread);
      return `${options.url}archives/${channel}/p${ts.replace('.', '')}`;
    },
    // The thread is named by the message that starts it.
    openThread: (view) =>
      post(view, lineToBlockKit(caseWords.caseOpened(view.customerName, describeQuestion(view.question)))),
    async postReply(view, reply) {
      let first: string | undefined;
      for (const chunk of splitText(reply.text, MAX_RELAYED_TEXT)) {
        const ts = await post(
          view,
          customize
            ? { text: escapeMrkdwn(chunk), username: `${reply.author} (support)` }
            : { text: `*${escapeMrkdwn(reply.author)} (support):* ${escapeMrkdwn(chunk)}` },
        );
        first ??= ts;
      }
      return first ?? '';
    },
    postSettings: (view, answer, staff) =>
      post(view, replyToBlockKit(settingsToReply(answer.settings), { footer: `Sent by ${staff} (support)` })),
    postResolved: (view, staff) => {
      const line = lineToBlockKit(caseWords.resolvedBy(staff));
      const buttons: types.ActionsBlock = {
        type: 'actions',
        elements: RATE_ACTIONS.map(({ actionId, label }) => ({
          type: 'button',
          action_id: actionId,
          text: { type: 'plain_text', text: label },
          value: String(view.id),
        })),
      };
      return post(view, { text: line.text, blocks: [...line.blocks, buttons] });
    },
  };
}

/** A token bucket per channel: `burst` messages at once, then `perSecond`; waits for a token when there is none. */
function channelPacer(perSecond: number, burst: number): (channel: string) => Promise<void> {
  const buckets = new LRUCache<string, { tokens: number; at: number }>({ max: 10_000 });
  return async (channel) => {
    for (;;) {
      const now = Date.now();
      const bucket = buckets.get(channel) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
      buckets.set(channel, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, ((1 - bucket.tokens) / perSecond) * 1000));
    }
  };
}

function refusedForGood(error: unknown): unknown {
  const code =
    error instanceof Error && 'data' in error ? (error.data as { error?: string }).error : undefined;
  return code && FOR_GOOD.has(code) ? new DeliveryRefused(code, { cause: error }) : error;
}

// The customer's side of a support case, over Slack's Web API: the visible "asked for help" post that starts
// the case's thread (no email address in it: others read the channel), staff replies in it (under the staff
// member's name with chat:write.customize, otherwise with a "*Dana (support):*" prefix; long ones in parts,
// each posted once), settings as the usual Block Kit message (with the program's steps and the set-up page
// when they go along), "Resolved by" with the rating buttons, and the bot's notices (one for the customer
// alone when their question never reached staff). Every line for the customer in the channel mentions them;
// everything staff wrote is escaped for mrkdwn.
// What Slack's errors mean for the outbox: delivery-errors.ts.
import type { types, webApi } from '@slack/bolt';
import {
  type CaseView,
  type CustomerSide,
  caseWords,
  clip,
  DeliveryRefused,
  describeQuestion,
  neutralizeText,
  settingsToReply,
  splitText,
} from '../../src/index.js';
import { deliveryError } from './delivery-errors.js';
import { channelPacer } from './pacer.js';
import { messageRef, readRef } from './refs.js';
import { escapeMrkdwn, MAX_BLOCKS, MAX_SECTION_TEXT, RATE_ACTIONS, replyToBlockKit } from './render.js';
import { withSetup } from './setup-render.js';

/** Slack shows about 4,000 characters of a message comfortably; longer replies are split, never cut. */
export const MAX_RELAYED_TEXT = 3000;

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

  /**
   * Posts in the case's thread (`opening`: where the customer asked, starting it); returns the message's ref.
   * Without a thread nothing is posted for everyone in the channel to read: it is refused for good.
   */
  async function post(
    view: CaseView,
    message: { text: string; blocks?: types.KnownBlock[]; username?: string },
    opening = false,
  ) {
    const { channel } = readRef(view.customerPlace);
    const thread = view.customerThread ? readRef(view.customerThread).ts : undefined;
    if (!thread && !opening) throw new DeliveryRefused('the case has no thread in Slack');
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
      throw deliveryError(error);
    }
  }

  return {
    name: 'Slack',
    threadLink(view) {
      if (!options.url || !view.customerThread) return undefined;
      const { channel, ts = '' } = readRef(view.customerThread);
      return `${options.url}archives/${channel}/p${ts.replace('.', '')}`;
    },
    openThread(view) {
      const opened = caseWords.caseOpened(describeQuestion(view.question, { publicly: true }), view.id);
      const away = view.awayUntil ? ` ${caseWords.awayUntil(view.awayUntil)}` : '';
      return post(view, toCustomer(view, `${opened}${away}`), true);
    },
    async postReply(view, reply, parts) {
      // With chat:write.customize the post carries the staff member's name; otherwise the text names them.
      const by = customize ? {} : { prefix: `*${escapeMrkdwn(reply.author)} (support):* ` };
      const username = customize ? { username: clip(`${neutralizeText(reply.author)} (support)`, 80) } : {};
      const chunks = splitText(reply.text, MAX_RELAYED_TEXT, escapeMrkdwn);
      let first = parts.done[0];
      for (const [index, chunk] of chunks.entries()) {
        if (index < parts.done.length) continue; // posted by an attempt that failed half-way
        const lead = index === 0 ? `${mention(view)} ${by.prefix ?? ''}` : (by.prefix ?? '');
        const posted = await post(view, { text: `${lead}${chunk}`, ...username });
        if (index < chunks.length - 1) await parts.record(posted); // the last is recorded with the delivery
        first ??= posted;
      }
      return first ?? '';
    },
    postSettings(view, answer, staff, setup) {
      const settings = replyToBlockKit(settingsToReply(answer.settings), {
        footer: `Sent by ${staff} (support)`,
      });
      // The program's steps and the set-up page, as a copy shared for everyone gets them (no profile file).
      const message = setup
        ? withSetup(settings, { kind: 'shared', answer, by: staff, setup }, 'none')
        : settings;
      const lead: types.SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: mention(view) } };
      return post(view, {
        text: `${mention(view)} ${message.text}`,
        blocks: [lead, ...message.blocks].slice(0, MAX_BLOCKS),
      });
    },
    postResolved(view, staff) {
      const line = toCustomer(view, caseWords.resolvedBy(staff, view.id));
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
    postNotice: (view, text) => post(view, toCustomer(view, text)),
    async tellPrivately(view, text) {
      const { channel } = readRef(view.customerPlace);
      const line = clip(escapeMrkdwn(text), MAX_SECTION_TEXT);
      await client.chat.postEphemeral({ channel, user: view.customerId, text: line }).catch((error) => {
        throw deliveryError(error);
      });
    },
  };
}

/**
 * The case's customer, mentioned: they follow a thread only once they are mentioned in it (or write in it),
 * so every line meant for them names them. Only a Slack user id makes a mention; anything else is dropped.
 */
const mention = (view: CaseView) => (/^[UW][A-Z0-9]+$/.test(view.customerId) ? `<@${view.customerId}>` : '');

/** A line for the customer: their mention, then the words, escaped. */
function toCustomer(view: CaseView, line: string): { text: string; blocks: types.KnownBlock[] } {
  const text = clip(`${mention(view)} ${escapeMrkdwn(line)}`.trim(), MAX_SECTION_TEXT);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

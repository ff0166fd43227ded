// Renders support cases for Discord: the forum post's title, the case card (who asked, a link to the Slack
// thread, the question, the status; the bot's answer, its diagnostics and the live check), the customer's
// relayed messages, the bot's notes, and what a staff member sent. Everything that came from a person or a
// provider is escaped (no pings, no masked links) and every Discord limit is kept.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import {
  type CaseView,
  checkToReply,
  clip,
  describeQuestion,
  neutralizeText,
  type RelayedText,
  settingsToReply,
  splitText,
} from '../../src/index.js';
import { CASE_IDS } from './command.js';
import { DESK_IDS } from './desk-command.js';
import { DISCORD_UNIT, escapeDiscordText } from './escape.js';
import { MAX_DESCRIPTION, MAX_TOTAL, replyToEmbed, reportsToEmbed } from './render.js';

/** A forum post's name: at most 100 characters. */
const MAX_POST_NAME = 100;
/** A message's content: at most 2000 characters. */
export const MAX_CONTENT = 2000;
const SUMMARY_BUDGET = 800;
const SETTINGS_BUDGET = 2200;
const DIAGNOSTICS_BUDGET = 1000;
const NO_MENTIONS = { parse: [] as [] };

export const STATUS_NAMES: Record<CaseView['status'], string> = {
  new: 'New',
  claimed: 'Claimed',
  waiting: 'Waiting on customer',
  resolved: 'Resolved',
};
const STATUS_COLORS: Record<CaseView['status'], number> = {
  new: 0xe67e22,
  claimed: 0x2c7be5,
  waiting: 0x95a5a6,
  resolved: 0x2ecc71,
};

export const postName = (view: CaseView) =>
  clip(`${describeQuestion(view.question)} · ${view.customerName}`, MAX_POST_NAME);

/** The card's first embed: the case itself, brought up to date on every status change. */
export function caseSummaryEmbed(view: CaseView): APIEmbed {
  const threadLink = view.customerThreadLink;
  const status = [
    STATUS_NAMES[view.status],
    view.claimedBy ? `claimed by ${escapeDiscordText(view.claimedBy)}` : '',
    view.resolvedBy && view.status === 'resolved' ? `resolved by ${escapeDiscordText(view.resolvedBy)}` : '',
    view.rating ? `rated ${view.rating === 'helpful' ? 'helpful' : 'not helpful'}` : '',
    // Discord shows these times in each reader's own zone, and "in 2 hours" as it passes.
    view.snoozedUntil ? `snoozed until <t:${Math.floor(view.snoozedUntil / 1000)}:f>` : '',
    view.nextReplyDue !== undefined ? `next reply due <t:${Math.floor(view.nextReplyDue / 1000)}:R>` : '',
  ].filter(Boolean);
  const customer =
    view.customerName === view.customerId ? view.customerId : `${view.customerName} (${view.customerId})`;
  return {
    title: clip(`Case ${view.id}: ${describeQuestion(view.question)}`, 256),
    color: STATUS_COLORS[view.status],
    fields: [
      { name: 'Customer', value: clip(escapeDiscordText(customer), 300), inline: true },
      { name: 'Status', value: clip(status.join(', '), 300), inline: true },
      { name: 'Question', value: clip(escapeDiscordText(view.question) || '(none)', 300) },
      ...(threadLink ? [{ name: 'Slack thread', value: threadLink }] : []),
    ],
    footer: { text: 'Reply sends to the customer. Anything else written here stays with staff.' },
  };
}

/** The first message of the forum post: the case, the bot's answer and what it checked, and the buttons. */
export function caseCardMessage(view: CaseView) {
  const card = view.card ?? {};
  const embeds: APIEmbed[] = [caseSummaryEmbed(view)];
  if (card.answer) {
    embeds.push(replyToEmbed(settingsToReply(card.answer.settings), SETTINGS_BUDGET));
    embeds.push(reportsToEmbed(card.answer, DIAGNOSTICS_BUDGET));
  }
  if (card.check) {
    const used = SUMMARY_BUDGET + (card.answer ? SETTINGS_BUDGET + DIAGNOSTICS_BUDGET : 0);
    embeds.push(replyToEmbed(checkToReply(card.check), MAX_TOTAL - used));
  }
  return { embeds, components: [caseButtons()], allowed_mentions: NO_MENTIONS };
}

function caseButtons(): APIActionRowComponent<APIButtonComponent> {
  const button = (
    custom_id: string,
    label: string,
    style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success,
  ): APIButtonComponent => ({ type: ComponentType.Button, custom_id, label, style });
  return {
    type: ComponentType.ActionRow,
    components: [
      button(CASE_IDS.claim, 'Claim', ButtonStyle.Secondary),
      button(CASE_IDS.reply, 'Reply', ButtonStyle.Primary),
      button(CASE_IDS.snooze, 'Snooze', ButtonStyle.Secondary),
      button(CASE_IDS.resolve, 'Resolve', ButtonStyle.Success),
      button(DESK_IDS.handOver, 'Hand over', ButtonStyle.Secondary),
    ],
  };
}

/**
 * A message from the customer's thread in the post, split into as many messages as it takes after escaping,
 * so nothing is cut: as the customer's, or, written by anyone else, marked as not the customer's.
 */
export function customerMessageContents(message: RelayedText): string[] {
  const who = message.notCustomer ? 'not the customer' : 'customer';
  const ping = message.ping && /^\d+$/.test(message.ping) ? `<@${message.ping}> ` : '';
  const prefix = `${ping}**${escapeDiscordText(message.author)} (${who}):** `;
  const body = escapeDiscordText(message.text || '(empty message)');
  return splitText(body, MAX_CONTENT - MAX_PREFIX, { unit: DISCORD_UNIT }).map(
    (chunk, index) => `${index === 0 ? clip(prefix, MAX_PREFIX) : ''}${chunk}`,
  );
}
/** Room kept in a message for the name before the words. */
const MAX_PREFIX = 200;

/** Mentions only the member a ping is for: nobody else, whatever the text says. */
export const mentioning = (ping?: string) =>
  ping && /^\d+$/.test(ping) ? { parse: [] as [], users: [ping] } : NO_MENTIONS;

export const noteContent = (text: string) => clip(`*${escapeDiscordText(text)}*`, MAX_CONTENT);

/** What a staff member sent to the customer, as the post's record of it. */
export function staffReplyMessage(staff: string, text: string) {
  return {
    embeds: [
      {
        author: { name: clip(`${neutralizeText(staff)} → customer`, 256) },
        description: clip(escapeDiscordText(text), MAX_DESCRIPTION),
        footer: { text: 'Sent to the customer in Slack' },
      },
    ],
    allowedMentions: NO_MENTIONS,
  };
}

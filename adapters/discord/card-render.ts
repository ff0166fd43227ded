// Draws the case card, the first message of a case's forum post, from the case's view (its card is stored, so
// every redraw shows the same): first who asked (their Slack name, email address and thread), the domain, the
// mail program and what the bot already sent them; then their own words and what an error in them means; then
// the open cases sharing a failing check and the customer's and the domain's earlier cases; then, shorter, the
// settings, the diagnostics and the live check (card-parts.ts). Everything a person or a provider wrote is
// escaped; every Discord embed limit is kept (render.ts names them), and the whole card stays well under them.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import {
  type CaseView,
  cardWords,
  clip,
  describeQuestion,
  PROGRAM_NAMES,
  type Program,
} from '../../src/index.js';
import { answerEmbeds, sharedCases } from './card-parts.js';
import { CASE_IDS } from './command.js';
import { DESK_IDS } from './desk-command.js';
import { MAX_FIELD_VALUE, MAX_TITLE } from './embeds.js';
import { escapeDiscordText } from './escape.js';
import { threadIdOf } from './refs.js';

/**
 * What the first embed's parts may take: the customer's words get the most (a whole field: the form takes 1,000
 * characters), the rest a line or a few; with the answer's embeds, all stay within a message's 6,000.
 */
const WHO_BUDGET = 700;
const WORDS_BUDGET = MAX_FIELD_VALUE;
const DIAGNOSIS_BUDGET = 600;
const SHARED_BUDGET = 400;
const HISTORY_BUDGET = 500;
/** Discord's limit of buttons in one row. */
const MAX_BUTTONS = 5;
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

/** A post of the staff side as Discord shows a channel: a link that pings nobody. */
export const postLink = (ref: string | null) => (ref ? `<#${threadIdOf(ref)}>` : '(no post)');

/** The first message of the forum post: the card and its buttons. */
export function caseCardMessage(view: CaseView) {
  return {
    embeds: [caseSummaryEmbed(view), ...answerEmbeds(view.card ?? {})],
    components: caseButtons(view),
    allowed_mentions: NO_MENTIONS,
  };
}

/** The card's first embed: who asked about what, what they got and said, and the cases around this one. */
export function caseSummaryEmbed(view: CaseView): APIEmbed {
  const card = view.card ?? {};
  const fields: APIEmbedField[] = [];
  const field = (name: string, value: string, budget: number) =>
    value && fields.push({ name, value: clip(value, Math.min(budget, MAX_FIELD_VALUE)) });
  // Clipped before escaping too, so an escape is never cut in half.
  const words = view.customerWords ? escapeDiscordText(clip(view.customerWords, WORDS_BUDGET)) : '';
  field('What they say', words, WORDS_BUDGET);
  const { diagnosis } = card;
  if (diagnosis)
    field(
      `Diagnosis: ${cardWords.causeTitle(diagnosis.cause)}`,
      [
        `${cardWords.CONFIRMED[`${diagnosis.confirmed}`]} · from ${escapeDiscordText(diagnosis.by)}` +
          (diagnosis.recognised ? ` · recognised: ${escapeDiscordText(diagnosis.recognised)}` : ''),
        escapeDiscordText(diagnosis.summary),
        `**What to do:** ${escapeDiscordText(diagnosis.fix)}`,
      ].join('\n'),
      DIAGNOSIS_BUDGET,
    );
  field('Shares a cause', sharedCases(card.shared), SHARED_BUDGET);
  const earlier = (card.history ?? []).map((other) => {
    const status =
      other.status === 'resolved' && other.resolvedBy
        ? `Resolved by ${other.resolvedBy}`
        : STATUS_NAMES[other.status];
    const whose = other.sameCustomer ? '' : ' · same domain';
    return `<t:${Math.floor(other.at / 1000)}:d> · ${escapeDiscordText(status)} · ${postLink(other.staffThread)}${whose}`;
  });
  field('Earlier cases', earlier.join('\n'), HISTORY_BUDGET);
  return {
    // The question as typed when it does not parse: escaped, as everything a customer wrote.
    title: clip(
      escapeDiscordText(clip(`Case ${view.id}: ${describeQuestion(view.question)}`, MAX_TITLE)),
      MAX_TITLE,
    ),
    color: STATUS_COLORS[view.status],
    description: clip(whoLines(view).join('\n'), WHO_BUDGET),
    fields,
    footer: { text: 'Reply sends to the customer. Anything else written here stays with staff.' },
  };
}

/** Who asked (name, email address, their thread), the domain, program and status, and what the bot sent. */
function whoLines(view: CaseView): string[] {
  const { answer } = view.card ?? {};
  const name =
    view.customerName === view.customerId ? view.customerId : `${view.customerName} (${view.customerId})`;
  const link = view.customerThreadLink;
  const who = [
    `**${escapeDiscordText(name)}**`,
    ...(view.customerEmail ? [escapeDiscordText(view.customerEmail)] : []),
    ...(link
      ? [/^https:\/\/[^\s()<>]+$/.test(link) ? `[Slack thread](${link})` : escapeDiscordText(link)]
      : []),
  ];
  const program = view.program ? (PROGRAM_NAMES[view.program as Program] ?? view.program) : 'not named';
  const status = [
    STATUS_NAMES[view.status],
    view.claimedBy ? `claimed by ${escapeDiscordText(view.claimedBy)}` : '',
    view.resolvedBy && view.status === 'resolved' ? `resolved by ${escapeDiscordText(view.resolvedBy)}` : '',
    view.rating ? `rated ${view.rating === 'helpful' ? 'helpful' : 'not helpful'}` : '',
    // Discord shows these times in each reader's own zone, and "in 2 hours" as it passes.
    view.snoozedUntil ? `snoozed until <t:${Math.floor(view.snoozedUntil / 1000)}:f>` : '',
    view.nextReplyDue !== undefined ? `next reply due <t:${Math.floor(view.nextReplyDue / 1000)}:R>` : '',
  ].filter(Boolean);
  const domain = view.domain ?? answer?.settings.query.domain;
  return [
    who.join(' · '),
    `**Domain** ${domain ? escapeDiscordText(domain) : '(not understood)'} · **Program** ${program} · **Status** ${status.join(', ')}`,
    answer
      ? `**The bot sent** the settings from ${escapeDiscordText(clip(answer.settings.source.detail, 200))}`
      : `**The bot sent** no settings: it did not understand “${escapeDiscordText(clip(view.question, 100))}”`,
  ];
}

/**
 * The case's own buttons, and on a row of their own those for its live check and the cases sharing its cause
 * (a row holds five buttons).
 */
function caseButtons(view: CaseView): APIActionRowComponent<APIButtonComponent>[] {
  const button = (
    custom_id: string,
    label: string,
    style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success,
  ): APIButtonComponent => ({ type: ComponentType.Button, custom_id, label, style });
  const row = (components: APIButtonComponent[]): APIActionRowComponent<APIButtonComponent> => ({
    type: ComponentType.ActionRow,
    components: components.slice(0, MAX_BUTTONS),
  });
  const others = new Set((view.card?.shared ?? []).flatMap((cause) => cause.cases.map((other) => other.id)));
  const checks = [
    ...(view.card?.check ? [button(CASE_IDS.checkAgain, 'Check again', ButtonStyle.Secondary)] : []),
    ...(others.size > 0 && view.status !== 'resolved'
      ? [button(CASE_IDS.answerAll, `Answer all ${others.size + 1}`, ButtonStyle.Primary)]
      : []),
  ];
  return [
    row([
      button(CASE_IDS.claim, 'Claim', ButtonStyle.Secondary),
      button(CASE_IDS.reply, 'Reply', ButtonStyle.Primary),
      button(CASE_IDS.snooze, 'Snooze', ButtonStyle.Secondary),
      button(CASE_IDS.resolve, 'Resolve', ButtonStyle.Success),
      button(DESK_IDS.handOver, 'Hand over', ButtonStyle.Secondary),
    ]),
    ...(checks.length > 0 ? [row(checks)] : []),
  ];
}

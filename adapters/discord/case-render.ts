// Renders support cases for Discord: the forum post's title, the customer's relayed messages, the bot's notes,
// and what a staff member sent (the case card itself is card-render.ts). Everything that came from a person or
// a provider is escaped (no pings, no masked links) and every Discord limit is kept.
import {
  type CaseView,
  cardWords,
  caseWords,
  clip,
  describeQuestion,
  neutralizeText,
  type RelayedText,
  type Reminder,
  splitText,
} from '../../src/index.js';
import { MAX_DESCRIPTION, MAX_TOTAL } from './embeds.js';
import { escapeDiscordText } from './escape.js';

/** A forum post's name: at most 100 characters. */
const MAX_POST_NAME = 100;
/** A message's content: at most 2000 characters. */
export const MAX_CONTENT = 2000;
const NO_MENTIONS = { parse: [] as [] };

/** Discord shows a post's name as plain text (no markdown, no mentions): only what reorders text is taken out. */
export const postName = (view: CaseView) =>
  clip(neutralizeText(`${describeQuestion(view.question)} · ${view.customerName}`), MAX_POST_NAME);

/**
 * A message from the customer's thread in the post, split into as many messages as it takes after escaping,
 * so nothing is cut: as the customer's, or, written by anyone else, marked as not the customer's.
 */
export function customerMessageContents(message: RelayedText): string[] {
  const who = `${escapeDiscordText(message.author)} (${message.notCustomer ? 'not the customer' : 'customer'})`;
  const ping = message.ping && /^\d+$/.test(message.ping) ? `<@${message.ping}> ` : '';
  const body = message.text || '(empty message)';
  // Every part says whose it is: a part an edit adds comes after what was written since.
  return splitText(body, MAX_CONTENT - MAX_PREFIX, escapeDiscordText).map(
    (chunk, index) =>
      `${clip(index === 0 ? `${ping}**${who}:** ` : `**${who}, continued:** `, MAX_PREFIX)}${chunk}`,
  );
}
/** Room kept in a message for the name before the words. */
const MAX_PREFIX = 200;

/** Mentions only the member a ping is for: nobody else, whatever the text says. */
export const mentioning = (ping?: string) =>
  ping && /^\d+$/.test(ping) ? { parse: [] as [], users: [ping] } : NO_MENTIONS;

export const noteContent = (text: string) => clip(`*${escapeDiscordText(text)}*`, MAX_CONTENT);

/** A line from the bot in the post; one for a member (a case handed to them) mentions them, and nobody else. */
export function noteMessage(text: string, ping?: string) {
  const mention = ping && /^\d+$/.test(ping) ? `<@${ping}> ` : '';
  return { content: `${mention}${noteContent(text)}`, allowed_mentions: mentioning(ping) };
}

/**
 * A reminder, with the only mentions the bot makes: whoever has the case, else the staff role; the lead (else
 * the staff role) when overdue.
 */
export function reminderMessage(reminder: Reminder, roles: { staffRoleId?: string; leadRoleId?: string }) {
  const { level, what, dueAt, ping } = reminder;
  const member = level !== 'overdue' && ping && /^\d+$/.test(ping) ? ping : undefined;
  const role = member
    ? undefined
    : level === 'overdue'
      ? (roles.leadRoleId ?? roles.staffRoleId)
      : roles.staffRoleId;
  const line =
    level === 'snooze-over'
      ? caseWords.SNOOZE_OVER
      : level === 'overdue'
        ? caseWords.overdue(what)
        : caseWords.dueSoon(what);
  const due = level === 'snooze-over' || dueAt === undefined ? '' : ` <t:${Math.floor(dueAt / 1000)}:R>`;
  return {
    content: `${member ? `<@${member}> ` : role ? `<@&${role}> ` : ''}${noteContent(line)}${due}`,
    allowed_mentions: member ? mentioning(member) : role ? { parse: [] as [], roles: [role] } : NO_MENTIONS,
  };
}

/** By when, after it came in, an interaction is answered: Discord's 3 s, less the answer's own way there. */
const ANSWER_WITHIN_MS = 2000;
/**
 * How long a reply's record may wait for the customer's side to take the reply, the interaction having come in
 * at `since`: what is left until it must be answered (nothing, when storing the reply took that long).
 */
export const confirmWithin = (since: number) => Math.max(0, since + ANSWER_WITHIN_MS - Date.now());
/** A reply Slack has not taken yet: the outbox keeps trying, and the post hears if it never gets through. */
export const REPLY_ON_ITS_WAY =
  'On its way to the customer: Slack has not taken it yet. This post will say so if it cannot be delivered.';
export const SETTINGS_ON_THEIR_WAY =
  'On their way to the customer: Slack has not taken them yet. The post will say so if they cannot be delivered.';

/**
 * What a staff member sent to the customer, as the post's record of it; `together`: the other posts it was also
 * sent from (answered at once), or `from` the post it was written in; `pending`: Slack has not taken it yet.
 */
export function staffReplyMessage(
  staff: string,
  text: string,
  also: { together?: string[]; from?: string; pending?: boolean } = {},
) {
  const together = also.together?.length ? `Also sent to the customers of ${also.together.join(' ')}.` : '';
  const from = also.from
    ? `${escapeDiscordText(cardWords.answeredFrom(staff))} Written in ${also.from}.`
    : '';
  const author = { name: clip(`${neutralizeText(staff)} → customer`, 256) };
  const footer = { text: also.pending ? REPLY_ON_ITS_WAY : 'Sent to the customer in Slack' };
  // Escaping can make the words longer than one embed holds: they go on in the next, every word kept up to the
  // 6,000 characters one message's embeds may hold (only a text of nearly nothing but markup comes near).
  let room = MAX_TOTAL - author.name.length - footer.text.length;
  const descriptions: string[] = [];
  for (const piece of splitText(text, MAX_DESCRIPTION, escapeDiscordText)) {
    if (room <= 0) break;
    descriptions.push(clip(piece, room));
    room -= piece.length;
  }
  const last = descriptions.length - 1;
  return {
    ...(together || from ? { content: clip(together || from, MAX_CONTENT) } : {}),
    embeds: descriptions.map((description, index) => ({
      ...(index === 0 ? { author } : {}),
      description,
      ...(index === last ? { footer } : {}),
    })),
    allowedMentions: NO_MENTIONS,
  };
}

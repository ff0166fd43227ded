// Staff handle a support case from its forum post: the card's Claim, Reply (a modal, with the saved replies)
// and Resolve buttons, `/reply text:… snippet:…`, "Send to customer" under a /mailsettings answer given in the
// post, and "Take it over" when someone else has the case. Only staff may (staff-access.ts): anyone else gets
// a private refusal and nothing changes. Each action is stored (with the interaction's id, so it is done once)
// before Discord gets its response; what reaches the customer goes through the relay's outbox. Nothing else
// written in the post is ever sent: it stays with staff.
import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { type CaseProblem, type Cases, caseWords, type Staff, traceRelay } from '../../src/index.js';
import { cardActionOf } from './card-interactions.js';
import { confirmWithin, SETTINGS_ON_THEIR_WAY, staffReplyMessage } from './case-render.js';
import { askSnooze, snooze } from './case-snooze.js';
import { CASE_IDS, REPLY_COMMAND } from './command.js';
import { SNIPPET_OPTION } from './desk-command.js';
import { escapeDiscordText } from './escape.js';
import { postRef } from './refs.js';
import { isStaff, type StaffAccess } from './staff-access.js';
import { composeReply, modalReply, NOT_A_CASE, privately, replyModal } from './staff-reply.js';

const NO_MENTIONS = { parse: [] as [] };

type CaseInteraction =
  | ButtonInteraction
  | StringSelectMenuInteraction
  | ModalSubmitInteraction
  | ChatInputCommandInteraction;

/** Handles the interaction when it is a case's; false when it is not one of these. */
export async function handleCaseInteraction(
  interaction: Interaction,
  cases: Cases,
  access: StaffAccess,
): Promise<boolean> {
  const act = actionOf(interaction);
  if (!act) return false;
  traceRelay({ stage: 'received', key: key(interaction) });
  const acting = interaction as CaseInteraction;
  if (!isStaff(acting, access)) await acting.reply(privately(caseWords.NOT_STAFF));
  else await act(cases);
  return true;
}

/** What the interaction does, when it is a case's. */
function actionOf(interaction: Interaction): ((cases: Cases) => Promise<unknown>) | undefined {
  if (interaction.isButton()) {
    const { customId } = interaction;
    if (customId === CASE_IDS.claim) return (cases) => claim(interaction, cases, false);
    if (customId === CASE_IDS.takeover) return (cases) => claim(interaction, cases, true);
    if (customId === CASE_IDS.resolve) return (cases) => resolve(interaction, cases);
    if (customId === CASE_IDS.snooze) return () => askSnooze(interaction);
    if (customId === CASE_IDS.reply)
      return async (cases) => interaction.showModal(replyModal(await cases.snippets.list()));
    if (customId.startsWith(`${CASE_IDS.send}:`)) return (cases) => sendSettings(interaction, cases);
  }
  if (interaction.isStringSelectMenu() && interaction.customId === CASE_IDS.snoozeFor)
    return (cases) => snooze(interaction, cases, inPost(interaction));
  if (interaction.isModalSubmit() && interaction.customId === CASE_IDS.replyModal)
    return (cases) => reply(interaction, modalReply(interaction), cases);
  if (interaction.isChatInputCommand() && interaction.commandName === REPLY_COMMAND) {
    const [text, snippet] = [
      interaction.options.getString('text'),
      interaction.options.getString(SNIPPET_OPTION),
    ];
    return (cases) => reply(interaction, { text: text ?? '', ...(snippet ? { snippet } : {}) }, cases);
  }
  return cardActionOf(interaction, staffOf); // the card's buttons for cases sharing a cause
}

/** The staff member as customers and colleagues see them: their server nickname, else their name. */
export function staffOf(interaction: Interaction): Staff {
  const member = interaction.member;
  const nick = member && 'displayName' in member ? member.displayName : (member?.nick ?? undefined);
  return { id: interaction.user.id, name: nick ?? interaction.user.globalName ?? interaction.user.username };
}

const key = (interaction: Interaction) => `discord:${interaction.id}`;
/** Who acts on which case post, under the interaction's id (so it is done once). */
export const inPost = (interaction: Interaction) => ({
  key: key(interaction),
  staffThread: postRef(interaction.channelId ?? ''),
  staff: staffOf(interaction),
});
/** Names are escaped wherever they are shown: a nickname can be written as markup (a disguised link). */
const named = (staff: Staff) => escapeDiscordText(staff.name);

/** Tells the staff member, privately, why nothing changed. */
async function refused(interaction: CaseInteraction, problem: CaseProblem, cases: Cases): Promise<void> {
  if (problem === 'duplicate') return;
  if (problem === 'claimed-by-other') {
    const view = await cases.findByStaffThread(postRef(interaction.channelId ?? ''));
    const takeOver = new ButtonBuilder()
      .setCustomId(CASE_IDS.takeover)
      .setLabel(caseWords.TAKE_OVER)
      .setStyle(ButtonStyle.Danger);
    await interaction.reply({
      ...privately(escapeDiscordText(caseWords.claimedByOther(view?.claimedBy ?? 'Someone'))),
      components: [new ActionRowBuilder<ButtonBuilder>().addComponents(takeOver)],
    });
    return;
  }
  const words = {
    'not-a-case': NOT_A_CASE,
    'already-yours': caseWords.ALREADY_YOURS,
    'already-resolved': caseWords.ALREADY_RESOLVED,
    forgotten: caseWords.CUSTOMER_FORGOTTEN,
    'not-snoozable': caseWords.NOT_SNOOZABLE,
    'not-yours': caseWords.NOT_STAFF,
    'not-resolved': caseWords.OPEN_AGAIN, // a customer's rating: never a staff action's
  } as const;
  await interaction.reply(privately(words[problem]));
}

async function claim(interaction: ButtonInteraction, cases: Cases, takeover: boolean): Promise<void> {
  const claimed = await cases.claim({ ...inPost(interaction), takeover });
  if (!claimed.ok) return refused(interaction, claimed.error, cases);
  const said = `${named(staffOf(interaction))} claimed this case.`;
  // A take-over answers the private question it came from; the post's note says who took it from whom.
  if (takeover) await interaction.update({ content: said, components: [], allowedMentions: NO_MENTIONS });
  else await interaction.reply({ content: said, allowedMentions: NO_MENTIONS });
}

async function resolve(interaction: ButtonInteraction, cases: Cases): Promise<void> {
  const resolved = await cases.resolve(inPost(interaction));
  if (!resolved.ok) return refused(interaction, resolved.error, cases);
  await interaction.reply({
    content: `${named(staffOf(interaction))} resolved this case. The customer can rate the help.`,
    allowedMentions: NO_MENTIONS,
  });
}

/** A reply for the customer: the words, or a saved reply filled in for the case (refused before sending). */
async function reply(
  interaction: ModalSubmitInteraction | ChatInputCommandInteraction,
  asked: { text: string; snippet?: string },
  cases: Cases,
): Promise<void> {
  const since = Date.now();
  const text = await composeReply(interaction, asked, cases, staffOf(interaction));
  if (text === undefined) return;
  const sent = await cases.staffReply({ ...inPost(interaction), text });
  if (!sent.ok) return refused(interaction, sent.error, cases);
  // The post's record of what went to the customer, visible to every colleague in the case: said once Slack took
  // it (or, when it has not yet, that it is on its way), never before.
  const delivered = await cases.sentToCustomer(sent.value.id, sent.value, confirmWithin(since));
  await interaction.reply(staffReplyMessage(staffOf(interaction).name, text, { pending: !delivered }));
}

async function sendSettings(interaction: ButtonInteraction, cases: Cases): Promise<void> {
  const since = Date.now();
  const question = interaction.customId.slice(CASE_IDS.send.length + 1);
  // Under the private answer's id: a second press before the button is gone sends nothing more.
  const sent = await cases.sendSettings({
    ...inPost(interaction),
    key: `discord:send:${interaction.message.id}`,
    question,
  });
  if (!sent.ok && sent.error === 'duplicate') return void (await interaction.deferUpdate());
  if (!sent.ok) return refused(interaction, sent.error, cases);
  // The private answer then says what became of them, without the button: said once Slack took them, never before.
  const delivered = await cases.sentToCustomer(sent.value.id, { question }, confirmWithin(since));
  await interaction.update({
    content: delivered ? 'Sent to the customer.' : SETTINGS_ON_THEIR_WAY,
    components: [],
    allowedMentions: NO_MENTIONS,
  });
}

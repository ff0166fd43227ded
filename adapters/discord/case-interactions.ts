// Staff handle a support case from its forum post: the card's Claim, Reply (a modal) and Resolve buttons,
// `/reply text:…`, and "Send to customer" under a /mailsettings answer given in the post. Each is stored
// (with the interaction's id, so it is done once) before Discord gets its response; what reaches the customer
// goes through the relay's outbox. Nothing else written in the post is ever sent: it stays with staff.
import {
  ActionRowBuilder,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import type { Cases, Staff } from '../../src/index.js';
import { staffReplyMessage } from './case-render.js';
import { CASE_IDS, MAX_STAFF_REPLY, REPLY_COMMAND } from './command.js';
import { postRef } from './refs.js';

const NO_MENTIONS = { parse: [] as [] };
const NOT_A_CASE = 'This is not a case post: use it inside a post of the cases channel.';

/** Handles the interaction when it is a case's; false when it is not one of these. */
export async function handleCaseInteraction(interaction: Interaction, cases: Cases): Promise<boolean> {
  if (interaction.isButton()) {
    const { customId } = interaction;
    if (customId === CASE_IDS.claim) return claim(interaction, cases);
    if (customId === CASE_IDS.resolve) return resolve(interaction, cases);
    if (customId === CASE_IDS.reply) return showReplyModal(interaction);
    if (customId.startsWith(`${CASE_IDS.send}:`)) return sendSettings(interaction, cases);
    return false;
  }
  if (interaction.isModalSubmit() && interaction.customId === CASE_IDS.replyModal)
    return reply(interaction, interaction.fields.getTextInputValue(CASE_IDS.replyText), cases);
  if (interaction.isChatInputCommand() && interaction.commandName === REPLY_COMMAND)
    return reply(interaction, interaction.options.getString('text', true), cases);
  return false;
}

/** The staff member as customers and colleagues see them: their server nickname, else their name. */
export function staffOf(interaction: Interaction): Staff {
  const member = interaction.member;
  const nick = member && 'displayName' in member ? member.displayName : (member?.nick ?? undefined);
  return { id: interaction.user.id, name: nick ?? interaction.user.globalName ?? interaction.user.username };
}

const key = (interaction: Interaction) => `discord:${interaction.id}`;
const privately = (content: string) => ({
  content,
  flags: MessageFlags.Ephemeral as const,
  allowedMentions: NO_MENTIONS,
});

async function claim(interaction: ButtonInteraction, cases: Cases): Promise<true> {
  const staff = staffOf(interaction);
  const claimed = await cases.claim({
    key: key(interaction),
    staffThread: postRef(interaction.channelId),
    staff,
  });
  if (!claimed.ok) {
    if (claimed.error === 'not-a-case') await interaction.reply(privately(NOT_A_CASE));
    return true;
  }
  await interaction.reply({ content: `${staff.name} claimed this case.`, allowedMentions: NO_MENTIONS });
  return true;
}

async function resolve(interaction: ButtonInteraction, cases: Cases): Promise<true> {
  const staff = staffOf(interaction);
  const resolved = await cases.resolve({
    key: key(interaction),
    staffThread: postRef(interaction.channelId),
    staff,
  });
  if (!resolved.ok) {
    if (resolved.error === 'not-a-case') await interaction.reply(privately(NOT_A_CASE));
    return true;
  }
  await interaction.reply({
    content: `${staff.name} resolved this case. The customer can rate the help.`,
    allowedMentions: NO_MENTIONS,
  });
  return true;
}

async function showReplyModal(interaction: ButtonInteraction): Promise<true> {
  const text = new TextInputBuilder()
    .setCustomId(CASE_IDS.replyText)
    .setLabel('Your reply to the customer')
    .setStyle(TextInputStyle.Paragraph)
    .setMaxLength(MAX_STAFF_REPLY)
    .setRequired(true);
  await interaction.showModal(
    new ModalBuilder()
      .setCustomId(CASE_IDS.replyModal)
      .setTitle('Reply to the customer')
      .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(text)),
  );
  return true;
}

async function reply(
  interaction: ModalSubmitInteraction | ChatInputCommandInteraction,
  text: string,
  cases: Cases,
): Promise<true> {
  const staff = staffOf(interaction);
  const staffThread = postRef(interaction.channelId ?? '');
  const sent = await cases.staffReply({ key: key(interaction), staffThread, staff, text });
  if (!sent.ok) {
    if (sent.error === 'not-a-case') await interaction.reply(privately(NOT_A_CASE));
    return true;
  }
  // The post's record of what went to the customer: visible to every colleague in the case.
  await interaction.reply(staffReplyMessage(staff.name, text));
  return true;
}

async function sendSettings(interaction: ButtonInteraction, cases: Cases): Promise<true> {
  const question = interaction.customId.slice(CASE_IDS.send.length + 1);
  const staff = staffOf(interaction);
  const sent = await cases.sendSettings({
    key: key(interaction),
    staffThread: postRef(interaction.channelId),
    staff,
    question,
  });
  if (!sent.ok) {
    if (sent.error === 'not-a-case') await interaction.reply(privately(NOT_A_CASE));
    return true;
  }
  // The private answer now says so, without the button: pressing again cannot send it twice.
  await interaction.update({
    content: 'Sent to the customer.',
    components: [],
    allowedMentions: NO_MENTIONS,
  });
  return true;
}

// The case card's buttons for cases that share a failing check: "Check again" runs the live check again for the
// post's case and every open case sharing a cause with it (the outcome goes into each post), and "Answer all"
// opens one modal whose reply goes to each of those customers, in their own thread. Only staff get here
// (case-interactions.ts checks every case action); each is stored under the interaction's id before Discord
// gets its response, so a retried interaction does nothing twice.
import {
  ActionRowBuilder,
  type ButtonInteraction,
  type Interaction,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { type Cases, cardWords, caseWords, type Staff } from '../../src/index.js';
import { postLink } from './card-render.js';
import { confirmWithin, staffReplyMessage } from './case-render.js';
import { CASE_IDS, MAX_STAFF_REPLY } from './command.js';
import { postRef } from './refs.js';
import { NOT_A_CASE, privately } from './staff-reply.js';

const NO_MENTIONS = { parse: [] as [] };

/** What the interaction does when it is one of the card's buttons for shared causes (or its modal). */
export function cardActionOf(
  interaction: Interaction,
  staffOf: (interaction: Interaction) => Staff,
): ((cases: Cases) => Promise<unknown>) | undefined {
  if (interaction.isButton() && interaction.customId === CASE_IDS.checkAgain)
    return (cases) => checkAgain(interaction, cases, staffOf(interaction));
  if (interaction.isButton() && interaction.customId === CASE_IDS.answerAll)
    return () => showAnswerAllModal(interaction);
  if (interaction.isModalSubmit() && interaction.customId === CASE_IDS.answerAllModal)
    return (cases) => answerAll(interaction, cases, staffOf(interaction));
  return undefined;
}

const inPost = (interaction: Interaction, staff: Staff) => ({
  key: `discord:${interaction.id}`,
  staffThread: postRef(interaction.channelId ?? ''),
  staff,
});

/** Checks take seconds: the answer is deferred, privately, and says where the outcome went. */
async function checkAgain(interaction: ButtonInteraction, cases: Cases, staff: Staff): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const checked = await cases.checkAgain(inPost(interaction, staff));
  const refusals = {
    'checks-off': cardWords.CHECKS_OFF,
    checking: cardWords.CHECKING,
    'not-a-case': NOT_A_CASE,
    'slow-down': cardWords.CHECKS_SLOW_DOWN,
  };
  const said = checked.ok ? cardWords.checkedCases(checked.value.checked) : refusals[checked.error];
  await interaction.editReply({ content: said, allowedMentions: NO_MENTIONS });
}

async function showAnswerAllModal(interaction: ButtonInteraction): Promise<void> {
  const text = new TextInputBuilder()
    .setCustomId(CASE_IDS.replyText)
    .setLabel('Your reply to every one of these customers')
    .setStyle(TextInputStyle.Paragraph)
    .setMaxLength(MAX_STAFF_REPLY)
    .setRequired(true);
  await interaction.showModal(
    new ModalBuilder()
      .setCustomId(CASE_IDS.answerAllModal)
      .setTitle('Answer the cases sharing this cause')
      .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(text)),
  );
}

async function answerAll(interaction: ModalSubmitInteraction, cases: Cases, staff: Staff): Promise<void> {
  const since = Date.now();
  const text = interaction.fields.getTextInputValue(CASE_IDS.replyText);
  const sent = await cases.answerTogether({ ...inPost(interaction, staff), text });
  if (!sent.ok) {
    if (sent.error === 'duplicate') return;
    await interaction.reply(
      privately(sent.error === 'forgotten' ? caseWords.CUSTOMER_FORGOTTEN : NOT_A_CASE),
    );
    return;
  }
  // The post's record of what went to its customer, naming the posts it also went to (they each keep theirs),
  // said once Slack took it or that it is on its way (case-interactions.ts).
  const { own, others } = sent.value;
  const together = others.map((other) => postLink(other.staffThread));
  const delivered = await cases.sentToCustomer(own.id, own, confirmWithin(since));
  await interaction.reply(staffReplyMessage(staff.name, text, { together, pending: !delivered }));
}

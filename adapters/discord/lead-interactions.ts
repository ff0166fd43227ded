// The lead's side of /cases in Discord: `report` (privately: the embed, its chart and the CSV) and `forget`
// (privately: what would be erased, then "Forget them" or "Cancel"). The lead's only: the lead role when
// DISCORD_LEAD_ROLE_ID is set, else staff (staff-access.ts), checked on the command and again on the button,
// since anyone who sees a message may press its buttons. The other subcommands of /cases are the desk's.
import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
} from 'discord.js';
import {
  caseWords,
  clip,
  type LeadDesk,
  type Logger,
  parseCustomerId,
  reportWords as words,
} from '../../src/index.js';
import { CASES_COMMAND } from './desk-command.js';
import { escapeDiscordText } from './escape.js';
import { LEAD_IDS, REPORT_PERIODS } from './lead-command.js';
import { reportMessage } from './report-render.js';
import { isLead, type StaffAccess } from './staff-access.js';
import { privately } from './staff-reply.js';

const NO_MENTIONS = { parse: [] as [] };

/** Handles the interaction when it is the lead's; false when it is not one of these. */
export async function handleLeadInteraction(
  interaction: Interaction,
  lead: LeadDesk,
  access: StaffAccess,
  log: Logger,
): Promise<boolean> {
  const act = actionOf(interaction, lead, log);
  if (!act) return false;
  const acting = interaction as ChatInputCommandInteraction | ButtonInteraction;
  const refusal = access.leadRoleId ? caseWords.NOT_LEAD : caseWords.NOT_STAFF;
  await (isLead(acting, access) ? act() : acting.reply(privately(refusal)));
  return true;
}

function actionOf(interaction: Interaction, lead: LeadDesk, log: Logger) {
  if (interaction.isButton()) {
    if (interaction.customId.startsWith(`${LEAD_IDS.forget}:`)) return () => forget(interaction, lead);
    if (interaction.customId === LEAD_IDS.cancel)
      return () => interaction.update({ content: words.FORGET_CANCELLED, components: [] });
    return undefined;
  }
  if (!interaction.isChatInputCommand() || interaction.commandName !== CASES_COMMAND) return undefined;
  const sub = interaction.options.getSubcommand(false);
  if (sub === 'report') return () => report(interaction, lead, log);
  if (sub === 'forget') return () => askForget(interaction, lead);
  return undefined;
}

async function report(interaction: ChatInputCommandInteraction, lead: LeadDesk, log: Logger) {
  const period = (interaction.options.getString('period') ?? '30d') as keyof typeof REPORT_PERIODS;
  const days = REPORT_PERIODS[period] ?? REPORT_PERIODS['30d'];
  // Reading every case of a quarter and drawing the chart may take longer than Discord's 3 seconds.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const message = await reportMessage(await lead.report(days), `${words.TITLE}: last ${days} days`, (line) =>
    log.warn(line),
  );
  await interaction.editReply({
    embeds: message.embeds,
    files: message.files.map((file) => ({ attachment: file.data, name: file.name })),
    allowedMentions: NO_MENTIONS,
  });
}

const NAMES_SHOWN = 3;

/** Says what forgetting would erase, and asks; nothing is erased before "Forget them" is pressed. */
async function askForget(interaction: ChatInputCommandInteraction, lead: LeadDesk) {
  const typed = interaction.options.getString('customer', true);
  const id = parseCustomerId(typed);
  if (!id) return interaction.reply(privately(words.CUSTOMER_ID_HELP));
  const kept = await lead.kept(id);
  // A few of the names they went by, each clipped: the question stays within one Discord message.
  const [shown, more] = [
    kept.names.slice(0, NAMES_SHOWN).map((name) => clip(name, 80)),
    kept.names.length - NAMES_SHOWN,
  ];
  const names = more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
  const who = escapeDiscordText(kept.names.length > 0 ? `${names} (${id})` : id);
  if (kept.cases + kept.messages === 0) {
    await lead.forget(id); // what may wait about them (an event not yet handled, counters) goes all the same
    return interaction.reply(privately(words.nothingKept(who)));
  }
  const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`${LEAD_IDS.forget}:${id}`)
      .setLabel(words.FORGET_BUTTON)
      .setStyle(ButtonStyle.Danger),
    new ButtonBuilder()
      .setCustomId(LEAD_IDS.cancel)
      .setLabel(words.CANCEL_BUTTON)
      .setStyle(ButtonStyle.Secondary),
  );
  return interaction.reply({
    ...privately(words.forgetAsk(who, kept.cases, kept.messages)),
    components: [buttons],
  });
}

/** The confirmed forgetting; the question is replaced by what was done, so it cannot be pressed twice. */
async function forget(interaction: ButtonInteraction, lead: LeadDesk) {
  const id = parseCustomerId(interaction.customId.slice(LEAD_IDS.forget.length + 1));
  if (!id) return interaction.update({ content: words.CUSTOMER_ID_HELP, components: [] });
  const done = await lead.forget(id);
  const content =
    done.cases + done.messages === 0
      ? words.nothingKept(escapeDiscordText(id))
      : words.forgotten(escapeDiscordText(id), done.cases, done.messages);
  return interaction.update({ content, components: [], allowedMentions: NO_MENTIONS });
}

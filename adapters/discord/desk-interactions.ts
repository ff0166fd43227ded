// The agent's desk in Discord beside the card's own buttons: "Hand over" (a private user select; the case goes
// to the member chosen, who must be staff, and they are pinged in the post), and /cases open and /cases find
// (private lists linking to the posts). Only staff may (staff-access.ts); the member chosen is checked from the
// interaction's resolved members, so a member who is not staff, or a bot, is never handed a case.
import {
  ActionRowBuilder,
  type APIGuildMember,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  GuildMember,
  type Interaction,
  type User,
  UserSelectMenuBuilder,
  type UserSelectMenuInteraction,
} from 'discord.js';
import { type CaseProblem, type Cases, caseWords, deskWords } from '../../src/index.js';
import { inPost } from './case-interactions.js';
import { CASES_COMMAND, DESK_IDS, QUERY_OPTION } from './desk-command.js';
import { foundCasesContent, openCasesContent } from './desk-render.js';
import { escapeDiscordText } from './escape.js';
import { isStaff, isStaffMember, type StaffAccess } from './staff-access.js';
import { NOT_A_CASE, privately } from './staff-reply.js';

/** How many cases a list reads; the message shows what fits of them and counts the rest. */
const LIST_LIMIT = 60;
const NO_MENTIONS = { parse: [] as [] };

type DeskInteraction = ButtonInteraction | UserSelectMenuInteraction | ChatInputCommandInteraction;

/** Handles the interaction when it is the desk's; false when it is not one of these. */
export async function handleDeskInteraction(
  interaction: Interaction,
  cases: Cases,
  access: StaffAccess,
): Promise<boolean> {
  const act = actionOf(interaction, cases, access);
  if (!act) return false;
  const acting = interaction as DeskInteraction;
  await (isStaff(acting, access) ? act() : acting.reply(privately(caseWords.NOT_STAFF)));
  return true;
}

function actionOf(interaction: Interaction, cases: Cases, access: StaffAccess) {
  if (interaction.isButton() && interaction.customId === DESK_IDS.handOver)
    return () => interaction.reply({ ...privately(deskWords.HAND_OVER_TO), components: [whomMenu()] });
  if (interaction.isUserSelectMenu() && interaction.customId === DESK_IDS.handOverTo)
    return () => handOver(interaction, cases, access);
  if (!interaction.isChatInputCommand() || interaction.commandName !== CASES_COMMAND) return undefined;
  // Other subcommands of /cases belong to other parts of the desk.
  const sub = interaction.options.getSubcommand(false);
  if (sub === 'open')
    return async () => interaction.reply(privately(openCasesContent(await cases.openCases(LIST_LIMIT))));
  if (sub === 'find') {
    const term = interaction.options.getString(QUERY_OPTION, true);
    return async () =>
      interaction.reply(privately(foundCasesContent(term, await cases.findCases(term, LIST_LIMIT))));
  }
  return undefined;
}

const whomMenu = () =>
  new ActionRowBuilder<UserSelectMenuBuilder>().addComponents(
    new UserSelectMenuBuilder()
      .setCustomId(DESK_IDS.handOverTo)
      .setPlaceholder('A member of the support staff'),
  );

/** How the member chosen is shown: their server nickname, else their name. */
function nameOf(member: GuildMember | APIGuildMember | undefined, user: User): string {
  if (member instanceof GuildMember) return member.displayName;
  return member?.nick ?? user.globalName ?? user.username;
}

/** The case goes to the member chosen, when they are staff; the private question is answered in place. */
async function handOver(interaction: UserSelectMenuInteraction, cases: Cases, access: StaffAccess) {
  const [id = ''] = interaction.values;
  const user = interaction.users.get(id);
  const member = interaction.members.get(id);
  const answer = (content: string, again: boolean) =>
    interaction.update({ content, components: again ? [whomMenu()] : [], allowedMentions: NO_MENTIONS });
  if (!user) return answer(deskWords.HAND_OVER_TO, true);
  const name = nameOf(member, user);
  if (!member || !isStaffMember(member, interaction.channelId, access))
    return answer(escapeDiscordText(deskWords.notStaffMember(name)), true);
  const assigned = await cases.assign({ ...inPost(interaction), to: { id, name } });
  if (assigned.ok) return answer(escapeDiscordText(deskWords.handedOverTo(name)), false);
  const words: Partial<Record<CaseProblem, string>> = {
    'not-a-case': NOT_A_CASE,
    'already-yours': escapeDiscordText(deskWords.alreadyTheirs(name)),
    'already-resolved': deskWords.RESOLVED_NO_HAND_OVER,
    forgotten: caseWords.CUSTOMER_FORGOTTEN,
  };
  // A retried interaction (`duplicate`) was answered the first time.
  const said = words[assigned.error];
  if (said) return answer(said, false);
}

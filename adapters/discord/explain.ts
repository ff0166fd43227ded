// `/mailsettings domain: error:`: a staff member pastes the error a customer's mail program shows, and the
// reply puts what it means first (confirmed by the live check where it can see the cause), then the settings
// and the check. Private unless share:true; problems and apologies are always private. Asked in a case post,
// the diagnosis also goes on the case card. An interaction that expired (10062) or was already answered
// (40060) is logged, never fatal.
import {
  type ChatInputCommandInteraction,
  DiscordAPIError,
  type Interaction,
  MessageFlags,
} from 'discord.js';
import {
  checkToReply,
  type ExplainResponder,
  type ExplainSaid,
  reasonOf,
  settingsToReply,
} from '../../src/index.js';
import { staffOf } from './case-interactions.js';
import { inCasePost } from './case-post.js';
import { COMMAND_NAME, ERROR_OPTION } from './command.js';
import { replaceDeferral } from './deferred.js';
import { MAX_TOTAL, replyToEmbed } from './embeds.js';
import { escapeDiscordText } from './escape.js';
import type { DiscordDeps } from './interactions.js';
import { postRef } from './refs.js';
import type { DiscordMessage } from './render.js';
import { audienceOf, isStaff, staffAccessOf } from './staff-access.js';

const GONE = new Set([10062, 40060]);
/** Of the 6000 characters of a message's embeds: the diagnosis, then the settings, then the check. */
const DIAGNOSIS_SHARE = 2200;
const SETTINGS_SHARE = 2000;

function render(said: ExplainSaid): DiscordMessage {
  if (said.kind === 'line')
    return { content: escapeDiscordText(said.text), embeds: [], allowedMentions: { parse: [] } };
  const { explained, reply } = said;
  const { report } = explained;
  const settingsRoom = report ? SETTINGS_SHARE : MAX_TOTAL - DIAGNOSIS_SHARE;
  return {
    embeds: [
      replyToEmbed(reply, DIAGNOSIS_SHARE),
      replyToEmbed(settingsToReply(explained.answer.settings), settingsRoom),
      ...(report ? [replyToEmbed(checkToReply(report), MAX_TOTAL - DIAGNOSIS_SHARE - SETTINGS_SHARE)] : []),
    ],
    allowedMentions: { parse: [] },
  };
}

/** Whether the interaction is /mailsettings with an error: option (checked without waiting for anything). */
export const isExplainCommand = (interaction: Interaction): boolean =>
  interaction.isChatInputCommand() &&
  interaction.commandName === COMMAND_NAME &&
  Boolean(interaction.options.getString(ERROR_OPTION));

/** Explains the error: option of a command isExplainCommand accepted. */
export async function explainCommand(command: Interaction, deps: DiscordDeps): Promise<void> {
  const interaction = command as ChatInputCommandInteraction;
  const paste = interaction.options.getString(ERROR_OPTION) ?? '';
  // In a case post nobody but staff reads along: the explanation stays private there, as answers do.
  const share =
    (interaction.options.getBoolean('share') ?? false) &&
    !(await inCasePost(interaction, deps.cases, deps.log));
  const flags = share ? {} : { flags: MessageFlags.Ephemeral as const };
  const guard =
    <Args extends unknown[]>(send: (...args: Args) => Promise<unknown>) =>
    async (...args: Args) => {
      try {
        await send(...args);
      } catch (error) {
        if (!(error instanceof DiscordAPIError && GONE.has(Number(error.code)))) throw error;
        deps.log.warn('discord: interaction expired or already answered', { interaction: interaction.id });
      }
    };
  // In a case post, asked by staff, the diagnosis goes on the card too (elsewhere the relay finds no case): after
  // the answer, which needs no database, and without taking it back when the card cannot be written.
  const onCard = async (said: ExplainSaid) => {
    if (said.kind !== 'explained' || !deps.cases || !isStaff(interaction, deps.staff ?? staffAccessOf({})))
      return;
    const { explanation, diagnosis } = said.explained;
    const { recognised } = diagnosis;
    await deps.cases
      .diagnosed({
        key: `discord:${interaction.id}`,
        staffThread: postRef(interaction.channelId ?? ''),
        staff: staffOf(interaction),
        diagnosis: { ...explanation, ...(recognised ? { recognised } : {}) },
      })
      .catch((error: unknown) =>
        deps.log.warn('discord: the diagnosis could not go on the case card', {
          interaction: interaction.id,
          reason: reasonOf(error),
        }),
      );
  };
  const responder: ExplainResponder = {
    answer: guard(async (said: ExplainSaid) => {
      await interaction.reply({
        ...render(said),
        ...(said.kind === 'line' ? { flags: MessageFlags.Ephemeral } : flags),
      });
      await onCard(said);
    }),
    acknowledge: guard(() => interaction.deferReply(flags)),
    replace: guard(async (said: ExplainSaid) => {
      await replaceDeferral(interaction, render(said), share && said.kind === 'line');
      await onCard(said);
    }),
  };
  const question = [interaction.options.getString('domain', true), interaction.options.getString('protocol')]
    .filter(Boolean)
    .join(' ');
  await deps.conversation.explain(
    {
      text: question,
      user: interaction.user.id,
      audience: audienceOf(interaction, deps),
      via: 'discord explain',
    },
    paste,
    responder,
  );
}

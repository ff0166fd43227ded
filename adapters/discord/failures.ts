// What becomes of an interaction that failed: one that expired or was answered already (10062, 40060) is
// logged and left alone, since there is nobody to tell; otherwise the failure is logged with its context and
// whoever acted is told privately that it did not happen, so staff never take an action the bot could not
// store (the database away or full) for one that went through.
import { DiscordAPIError, type Interaction, MessageFlags } from 'discord.js';
import {
  caseWords,
  databaseTrouble,
  INTERNAL_ERROR,
  type Logger,
  notStored,
  reasonOf,
} from '../../src/index.js';
import { REPLY_COMMAND } from './command.js';
import { CASES_COMMAND, SNIPPET_COMMAND } from './desk-command.js';

/** Discord's codes for an interaction that expired (10062) or was already acknowledged (40060). */
const GONE = new Set([10062, 40060]);

export function isGone(error: unknown, interaction: Interaction, log: Logger): boolean {
  if (!(error instanceof DiscordAPIError && GONE.has(Number(error.code)))) return false;
  log.warn('discord: interaction expired or already answered', {
    interaction: interaction.id,
    code: error.code,
  });
  return true;
}

export async function answerFailure(error: unknown, interaction: Interaction, log: Logger): Promise<void> {
  if (isGone(error, interaction, log)) return;
  const trouble = databaseTrouble(error);
  log.error('discord: failed to answer', {
    interaction: interaction.id,
    ...(trouble ? { database: trouble, reason: reasonOf(error) } : { error }),
  });
  if (!interaction.isRepliable()) return;
  const message = {
    content: trouble ? notStored(trouble) : INTERNAL_ERROR,
    flags: MessageFlags.Ephemeral as const,
    allowedMentions: { parse: [] as [] },
  };
  try {
    if (interaction.replied || interaction.deferred) await interaction.followUp(message);
    else await interaction.reply(message);
  } catch (failed) {
    if (!isGone(failed, interaction, log))
      log.warn('discord: could not say that it failed', {
        interaction: interaction.id,
        reason: reasonOf(failed),
      });
  }
}

/** Commands registered whatever the configuration, that only support cases answer. */
const CASE_COMMANDS = new Set([REPLY_COMMAND, SNIPPET_COMMAND, CASES_COMMAND]);

/** /reply, /snippet and /cases while support cases are off: said privately, instead of no answer at all. */
export async function answerCasesOff(interaction: Interaction): Promise<boolean> {
  if (!('commandName' in interaction) || !CASE_COMMANDS.has(interaction.commandName)) return false;
  if (interaction.isAutocomplete()) await interaction.respond([]);
  else if (interaction.isChatInputCommand())
    await interaction.reply({ content: caseWords.CASES_OFF, flags: MessageFlags.Ephemeral });
  else return false;
  return true;
}

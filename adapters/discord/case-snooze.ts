// Snoozing a case from its post: the card's Snooze button asks, privately, for how long (a menu of presets);
// the choice puts the case aside, its clocks wait, and whoever has it hears when the time is up. Staff only,
// like every case action (case-interactions.ts checks before anything here runs).
import {
  ActionRowBuilder,
  type ButtonInteraction,
  MessageFlags,
  StringSelectMenuBuilder,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { type Cases, caseWords, SNOOZE_PRESETS, type SnoozePreset } from '../../src/index.js';
import { CASE_IDS } from './command.js';

const NO_MENTIONS = { parse: [] as [] };

/** The private question: for how long. */
export async function askSnooze(interaction: ButtonInteraction): Promise<void> {
  const menu = new StringSelectMenuBuilder()
    .setCustomId(CASE_IDS.snoozeFor)
    .setPlaceholder('For how long?')
    .addOptions(Object.entries(SNOOZE_PRESETS).map(([value, label]) => ({ value, label })));
  await interaction.reply({
    content: 'Put this case aside: its reminders wait until then.',
    components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

/** The answer: the case snoozed, or why not; the private question is replaced, so it cannot be sent twice. */
export async function snooze(
  interaction: StringSelectMenuInteraction,
  cases: Cases,
  event: Omit<Parameters<Cases['snooze']>[0], 'preset'>,
): Promise<void> {
  const preset = interaction.values[0] as SnoozePreset;
  // Own keys only: `in` also finds what every object has (toString), which a forged value can name.
  if (!Object.hasOwn(SNOOZE_PRESETS, preset))
    return void (await interaction.update({ content: 'Choose one of the times.' }));
  const snoozed = await cases.snooze({ ...event, preset });
  const content = snoozed.ok
    ? 'Snoozed.'
    : snoozed.error === 'not-snoozable'
      ? caseWords.NOT_SNOOZABLE
      : 'This is not a case post.';
  await interaction.update({ content, components: [], allowedMentions: NO_MENTIONS });
}

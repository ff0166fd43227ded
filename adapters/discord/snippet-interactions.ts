// Saved replies kept from Discord: /snippet add and edit take the text in a modal (edit prefilled with it),
// remove deletes one, list shows each name with its first line; the names are offered as staff type them
// (autocomplete, in /snippet and /reply). Only staff (staff-access.ts): anyone else is refused privately and
// offered no names. Sending one is /reply's or the Reply modal's (staff-reply.ts).
import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  LabelBuilder,
  ModalBuilder,
  type ModalSubmitInteraction,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import {
  type Cases,
  caseWords,
  clip,
  deskWords,
  MAX_SNIPPET,
  MAX_SNIPPET_NAME,
  PLACEHOLDERS,
  type SnippetProblem,
  type Staff,
  snippetName,
} from '../../src/index.js';
import { staffOf } from './case-interactions.js';
import { REPLY_COMMAND } from './command.js';
import { DESK_IDS, NAME_OPTION, SNIPPET_COMMAND } from './desk-command.js';
import { snippetsContent } from './desk-render.js';
import { escapeDiscordText } from './escape.js';
import { isStaff, type StaffAccess } from './staff-access.js';
import { firstLine, privately } from './staff-reply.js';

/** Autocomplete answers with at most 25 choices, each name at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_CHOICE_NAME = 100;

/** Handles the interaction when it is about saved replies; false when it is not. */
export async function handleSnippetInteraction(
  interaction: Interaction,
  cases: Cases,
  access: StaffAccess,
): Promise<boolean> {
  if (interaction.isAutocomplete()) {
    if (![SNIPPET_COMMAND, REPLY_COMMAND].includes(interaction.commandName)) return false;
    await interaction.respond(isStaff(interaction, access) ? await namesFor(interaction, cases) : []);
    return true;
  }
  const act =
    interaction.isChatInputCommand() && interaction.commandName === SNIPPET_COMMAND
      ? () => command(interaction, cases)
      : interaction.isModalSubmit() && interaction.customId.startsWith(`${DESK_IDS.snippetModal}:`)
        ? () => save(interaction, cases, staffOf(interaction))
        : undefined;
  if (!act) return false;
  const acting = interaction as ChatInputCommandInteraction | ModalSubmitInteraction;
  await (isStaff(acting, access) ? act() : acting.reply(privately(caseWords.NOT_STAFF)));
  return true;
}

/** The saved replies whose names start with what was typed, then those containing it. */
async function namesFor(interaction: AutocompleteInteraction, cases: Cases) {
  const typed = interaction.options.getFocused().trim().toLowerCase();
  const snippets = await cases.snippets.list();
  const ranked = [
    ...snippets.filter((snippet) => snippet.name.startsWith(typed)),
    ...snippets.filter((snippet) => !snippet.name.startsWith(typed) && snippet.name.includes(typed)),
  ];
  return ranked.slice(0, MAX_CHOICES).map((snippet) => ({
    name: clip(`${snippet.name}: ${firstLine(snippet.text, MAX_CHOICE_NAME)}`, MAX_CHOICE_NAME),
    value: snippet.name,
  }));
}

async function command(interaction: ChatInputCommandInteraction, cases: Cases): Promise<void> {
  const sub = interaction.options.getSubcommand();
  const tell = (content: string) => interaction.reply(privately(content));
  if (sub === 'list') {
    await tell(snippetsContent(await cases.snippets.list()));
    return;
  }
  const typed = interaction.options.getString(NAME_OPTION, true);
  const name = snippetName(typed);
  if (!name.ok) {
    await tell(problemOf(name.error, typed));
  } else if (sub === 'remove') {
    const removed = await cases.snippets.remove(name.value);
    await tell(removed.ok ? deskWords.snippetRemoved(removed.value) : problemOf(removed.error, typed));
  } else {
    const existing = await cases.snippets.get(name.value);
    // Said before the text is written: nobody types a reply only to hear that its name is taken.
    if (sub === 'add' ? existing : !existing)
      await tell(problemOf({ problem: sub === 'add' ? 'exists' : 'missing' }, typed));
    else await interaction.showModal(textModal(sub === 'add' ? 'add' : 'edit', name.value, existing?.text));
  }
}

/** The modal that takes a saved reply's text; to edit one, prefilled with what it says now. */
function textModal(mode: 'add' | 'edit', name: string, text?: string): ModalBuilder {
  const input = new TextInputBuilder()
    .setCustomId(DESK_IDS.snippetText)
    .setStyle(TextInputStyle.Paragraph)
    .setMaxLength(MAX_SNIPPET)
    .setRequired(true);
  if (text) input.setValue(text);
  return new ModalBuilder()
    .setCustomId(`${DESK_IDS.snippetModal}:${mode}:${name}`)
    .setTitle(clip(`Saved reply ${name}`, 45))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel('What the customer will read')
        .setDescription('Placeholders such as {imap.host} or {customer} are filled per case.')
        .setTextInputComponent(input),
    );
}

async function save(interaction: ModalSubmitInteraction, cases: Cases, staff: Staff): Promise<void> {
  const [mode = '', name = ''] = interaction.customId.slice(DESK_IDS.snippetModal.length + 1).split(':');
  const text = interaction.fields.getTextInputValue(DESK_IDS.snippetText);
  const saved =
    mode === 'add'
      ? await cases.snippets.add(name, text, staff)
      : await cases.snippets.edit(name, text, staff);
  await interaction.reply(
    privately(saved.ok ? deskWords.snippetSaved(saved.value.name) : problemOf(saved.error, name)),
  );
}

/** Why a saved reply was not kept, escaped: it names what the staff member typed. */
function problemOf(problem: SnippetProblem, typed: string): string {
  const name = clip(typed, MAX_SNIPPET_NAME + 8);
  const words = {
    'bad-name': () => deskWords.badName(MAX_SNIPPET_NAME),
    empty: () => deskWords.EMPTY_SNIPPET,
    exists: () => deskWords.snippetExists(name),
    missing: () => deskWords.noSnippet(name),
    'too-long': () => deskWords.snippetTooLong('length' in problem ? problem.length : 0, MAX_SNIPPET),
    unknown: () => deskWords.unknownOnSave('names' in problem ? problem.names : [], PLACEHOLDERS),
  } as const;
  return escapeDiscordText(words[problem.problem]());
}

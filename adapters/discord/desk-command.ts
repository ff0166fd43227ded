// The agent's desk commands as data, registered with the others by `npm run discord:register`: /snippet (saved
// replies: add, edit, remove, list) and /cases (open, find; the lead's report and forget), both for staff only, in servers only, like
// /mailsettings; and the custom ids of the desk's buttons, menus and modals.
import { InteractionContextType, SlashCommandBuilder, type SlashCommandStringOption } from 'discord.js';
import { MAX_SNIPPET_NAME } from '../../src/index.js';
import { forgetSubcommand, reportSubcommand } from './lead-command.js';

export const SNIPPET_COMMAND = 'snippet';
export const CASES_COMMAND = 'cases';
/** The option naming a saved reply, in /snippet and /reply: names are offered as the staff member types. */
export const SNIPPET_OPTION = 'snippet';
export const NAME_OPTION = 'name';
export const QUERY_OPTION = 'query';

export const DESK_IDS = {
  /** The card's "Hand over" button, and the user select it answers with (privately). */
  handOver: 'case:handover',
  handOverTo: 'case:handover-to',
  /** The modal that takes a saved reply's text: `snippet:save:add:<name>` or `snippet:save:edit:<name>`. */
  snippetModal: 'snippet:save',
  snippetText: 'text',
  /** The saved reply chosen in the Reply modal. */
  replySnippet: 'snippet',
} as const;

const slug = (option: SlashCommandStringOption, autocomplete: boolean) =>
  option
    .setName(NAME_OPTION)
    .setDescription('The saved reply’s short name, e.g. imap-ports')
    .setRequired(true)
    .setMaxLength(MAX_SNIPPET_NAME)
    .setAutocomplete(autocomplete);

/** Saved replies, shared by the whole support team: their text is written in a form, so it may span lines. */
export const snippetCommand = (staffPermission: bigint) =>
  new SlashCommandBuilder()
    .setName(SNIPPET_COMMAND)
    .setDescription('Saved replies for customers')
    .setDefaultMemberPermissions(staffPermission)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((add) =>
      add
        .setName('add')
        .setDescription('Save a new reply: a form asks for its text')
        .addStringOption((option) => slug(option, false)),
    )
    .addSubcommand((edit) =>
      edit
        .setName('edit')
        .setDescription('Change a saved reply’s text')
        .addStringOption((option) => slug(option, true)),
    )
    .addSubcommand((remove) =>
      remove
        .setName('remove')
        .setDescription('Delete a saved reply')
        .addStringOption((option) => slug(option, true)),
    )
    .addSubcommand((list) => list.setName('list').setDescription('The saved replies and their first lines'));

/** Finding cases (the open ones, past ones by domain, address or customer), and the lead's report and forget. */
export const casesCommand = (staffPermission: bigint) =>
  new SlashCommandBuilder()
    .setName(CASES_COMMAND)
    .setDescription('Support cases')
    .setDefaultMemberPermissions(staffPermission)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((open) =>
      open.setName('open').setDescription('The open cases, by status and age, with links to their posts'),
    )
    .addSubcommand((find) =>
      find
        .setName('find')
        .setDescription('Cases by domain, email address, or the customer’s Slack id or name')
        .addStringOption((option) =>
          option
            .setName(QUERY_OPTION)
            .setDescription('example.com, alice@example.com, U0123ABCD or alice')
            .setRequired(true)
            .setMaxLength(200),
        ),
    )
    .addSubcommand(reportSubcommand)
    .addSubcommand(forgetSubcommand);

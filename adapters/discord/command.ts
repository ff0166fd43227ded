// The /mailsettings command as data: what `npm run discord:register` sends to Discord, and the option
// names the interaction handler reads. Registering is a separate step, never done on every start.
import { InteractionContextType, SlashCommandBuilder, type SlashCommandSubcommandBuilder } from 'discord.js';
import { MAX_PASTE, PROGRAM_NAMES, PROGRAMS } from '../../src/index.js';

export const COMMAND_NAME = 'mailsettings';
export const POST_FOR_CUSTOMER = 'mailsettings:post';
/** The mail program menu under an answer; its custom id carries the question a chosen program is added to. */
export const PROGRAM_SELECT = 'mailsettings:program';
/** The option that turns the command into an explanation of the error pasted in it (explain.ts). */
export const ERROR_OPTION = 'error';

/**
 * The answer shows staff diagnostics, so by default only members holding `staffPermission` see the command
 * (server admins can widen or narrow that under Integrations), and only in servers: in a DM with the bot
 * Discord checks no permissions at all.
 */
export const mailsettingsCommand = (staffPermission: bigint) =>
  new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setDescription('Mail server settings for a domain or email address')
    .setDefaultMemberPermissions(staffPermission)
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName('domain')
        .setDescription('The customer’s domain or email address, e.g. example.com or alice@example.com')
        .setRequired(true)
        .setMaxLength(300),
    )
    .addStringOption((option) =>
      option
        .setName('protocol')
        .setDescription('Which settings to show (default: all)')
        .addChoices(
          { name: 'IMAP', value: 'imap' },
          { name: 'POP', value: 'pop' },
          { name: 'SMTP', value: 'smtp' },
          { name: 'All', value: 'all' },
        ),
    )
    .addStringOption((option) =>
      option
        .setName('client')
        .setDescription('The customer’s mail program: adds step-by-step set-up for it')
        .addChoices(PROGRAMS.map((program) => ({ name: PROGRAM_NAMES[program], value: program }))),
    )
    .addBooleanOption((option) =>
      option
        .setName('share')
        .setDescription('Post the customer view in this channel instead of a private answer'),
    )
    .addBooleanOption((option) =>
      option
        .setName('check')
        .setDescription('Also test the servers live: connection, TLS, certificate, logins (a few seconds)'),
    )
    .addStringOption((option) =>
      option
        .setName(ERROR_OPTION)
        .setDescription('The error the customer’s mail program shows: what it means comes first')
        .setMaxLength(MAX_PASTE),
    );

export const REPLY_COMMAND = 'reply';
/** The custom ids of the case card's buttons and of the reply modal; `case:send:<question>` sends settings. */
export const CASE_IDS = {
  claim: 'case:claim',
  takeover: 'case:takeover',
  snooze: 'case:snooze',
  snoozeFor: 'case:snooze-for',
  reply: 'case:reply',
  resolve: 'case:resolve',
  replyModal: 'case:reply-modal',
  replyText: 'text',
  send: 'case:send',
} as const;
/** What a staff member may write to a customer at once (Discord's modal text input allows 4000). */
export const MAX_STAFF_REPLY = 4000;

/** `/reply text:…` inside a case post: the same as the card's Reply button, for those who prefer typing. */
export const replyCommand = (staffPermission: bigint) =>
  new SlashCommandBuilder()
    .setName(REPLY_COMMAND)
    .setDescription('Reply to the customer of this case (in their Slack thread)')
    .setDefaultMemberPermissions(staffPermission)
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName('text')
        .setDescription('What the customer will read')
        .setRequired(true)
        .setMaxLength(MAX_STAFF_REPLY),
    );

export const CASES_COMMAND = 'cases';
/** The periods /cases report offers, in days. */
export const REPORT_PERIODS = { '7d': 7, '30d': 30, '90d': 90 } as const;
/** The forget confirmation's buttons: `cases:forget:<customer id>` forgets, `cases:forget-cancel` does not. */
export const LEAD_IDS = { forget: 'cases:forget', cancel: 'cases:forget-cancel' } as const;

/** `/cases report [period]`: the lead's report, privately, with its chart and CSV. */
export const reportSubcommand = (sub: SlashCommandSubcommandBuilder) =>
  sub
    .setName('report')
    .setDescription('The support report: cases, response times, targets, ratings, staff, domains, hours')
    .addStringOption((option) =>
      option
        .setName('period')
        .setDescription('How far back (default: 30 days)')
        .addChoices(...Object.keys(REPORT_PERIODS).map((name) => ({ name, value: name }))),
    );

/** `/cases forget customer:<id>`: erases one customer's words and identity, after a confirmation. */
export const forgetSubcommand = (sub: SlashCommandSubcommandBuilder) =>
  sub
    .setName('forget')
    .setDescription('Erase one customer’s messages and identity from what the bot keeps (asks first)')
    .addStringOption((option) =>
      option
        .setName('customer')
        .setDescription('Their Slack member id, e.g. U0123ABCD')
        .setRequired(true)
        .setMaxLength(100),
    );

/**
 * /cases for staff. (The agent's desk adds `open` and `find` to the same command: these two subcommands are
 * builders so that one definition can carry all four.)
 */
export const casesCommand = (staffPermission: bigint) =>
  new SlashCommandBuilder()
    .setName(CASES_COMMAND)
    .setDescription('Support cases')
    .setDefaultMemberPermissions(staffPermission)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand(reportSubcommand)
    .addSubcommand(forgetSubcommand);

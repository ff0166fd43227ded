// The lead's subcommands of /cases as data: `report` and `forget` (lead-interactions.ts handles them). The agent's
// desk defines /cases itself (desk-command.ts) and adds these two to it.
import type { SlashCommandSubcommandBuilder } from 'discord.js';

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

// Support cases need both platforms at once: the customer's Slack and the staff's Discord, joined through
// the core's case relay and its database. This wires them when Slack, Discord and the cases channel are all
// configured; each front end still works alone without it. (Like main.ts, this file may import both front
// ends; they never import each other.)
import { webApi } from '@slack/bolt';
import { REST } from 'discord.js';
import {
  type Cases,
  type CasesOptions,
  type Config,
  clocksFromConfig,
  createCases,
  createDigest,
  createInbox,
  createLeadDesk,
  type Database,
  type Inbox,
  isShared,
  type LeadDesk,
  type Logger,
  parseDigestAt,
  rateLimiter,
  type Services,
  setupFromConfig,
} from '../src/index.js';
import type { DiscordConfig } from './discord/config.js';
import { forumAccess } from './discord/forum-access.js';
import { discordDigestSender } from './discord/report-digest.js';
import { restOptions } from './discord/rest.js';
import { discordStaffSide } from './discord/staff-side.js';
import type { SlackIdentity } from './slack/app.js';
import type { SlackConfig } from './slack/config.js';
import { slackCustomerSide } from './slack/customer-side.js';

/** Support cases are off, and why, in words for the admin. */
export interface CasesOff {
  off: string;
}

/** Scopes cases cannot do without: posting in threads, and hearing the customer's replies in channels. */
const REQUIRED_SCOPES = ['chat:write', 'channels:history'];
/** Scopes cases are better with, and what each gives. */
const OPTIONAL_SCOPES = [
  ['groups:history', 'cases in private channels'],
  ['im:history', 'cases in direct messages'],
  ['users:read', "customers' names instead of their ids"],
  ['users:read.email', "customers' email addresses on the case card"],
  ['chat:write.customize', "staff replies under the staff member's name"],
] as const;

/**
 * A post's tag and card are redrawn this long after the change, behind the words relayed meanwhile, once for
 * every change made meanwhile: they share Discord's 50 requests a second with the relayed text, and a burst of
 * customers writing at once must not wait for their cards.
 */
const STATUS_DELAY_MS = 1000;

export interface Relay {
  cases: Cases;
  /** The report and data care over all cases (/cases report and forget; the retention period). */
  lead: LeadDesk;
  inbox: Inbox;
  /** The cases forum's server: staff act there only (adapters/discord/staff-access.ts). */
  staffServer: string;
  /** Whether Slack lets the bot read display names (users:read). */
  canReadUsers: boolean;
  /** And email addresses (users:read.email), for the case card. */
  canReadEmail: boolean;
  /** Starts delivering (and reminding); resolves to how to stop, after the front ends have stopped. */
  start(): () => Promise<void>;
}

export async function relayFromConfig(
  config: Config,
  slack: SlackConfig,
  identity: SlackIdentity,
  discord: DiscordConfig & { DISCORD_CASES_CHANNEL_ID: string },
  services: Services,
  database: Database,
  log: Logger,
  /** The outbox's and the clocks' timings (tests make them short). */
  timings: Pick<
    CasesOptions,
    'pollMs' | 'warnAfterMs' | 'maxBackoffMs' | 'clockEveryMs' | 'statusDelayMs' | 'now'
  > = {},
): Promise<Relay | CasesOff> {
  const lacking = REQUIRED_SCOPES.filter((scope) => !identity.scopes.includes(scope));
  if (lacking.length > 0)
    return {
      off: `the Slack token lacks ${lacking.join(' and ')}: reinstall the app from adapters/slack/manifest.yaml`,
    };
  const thin = OPTIONAL_SCOPES.filter(([scope]) => !identity.scopes.includes(scope));
  if (thin.length > 0)
    log.warn(`cases: the Slack token lacks ${thin.map(([scope, what]) => `${scope} (${what})`).join(', ')}`);
  // Its own client, retrying little: a delivery that fails goes back to the outbox, which retries with backoff.
  const slackClient = new webApi.WebClient(slack.SLACK_BOT_TOKEN, {
    ...(slack.SLACK_API_URL ? { slackApiUrl: slack.SLACK_API_URL } : {}),
    retryConfig: { retries: 1 },
    // A Slack (or proxy) that stops answering fails the delivery, which the outbox retries, instead of holding it.
    timeout: 10_000,
  });
  const rest = new REST(restOptions(discord.DISCORD_API_URL)).setToken(discord.DISCORD_TOKEN);
  const staff = await discordStaffSide(rest, {
    forumId: discord.DISCORD_CASES_CHANNEL_ID,
    ...(discord.DISCORD_STAFF_ROLE_ID ? { staffRoleId: discord.DISCORD_STAFF_ROLE_ID } : {}),
    ...(discord.DISCORD_LEAD_ROLE_ID ? { leadRoleId: discord.DISCORD_LEAD_ROLE_ID } : {}),
    log,
  });
  const { server, missing } = await forumAccess(rest, discord.DISCORD_CASES_CHANNEL_ID);
  if (!server)
    return {
      off: `DISCORD_CASES_CHANNEL_ID ${discord.DISCORD_CASES_CHANNEL_ID} is not a forum channel in a server: copy a forum's ID`,
    };
  if (missing.length > 0)
    return {
      off: `the bot lacks ${missing.join(', ')} in DISCORD_CASES_CHANNEL_ID ${discord.DISCORD_CASES_CHANNEL_ID}: grant them to its role there`,
    };
  const setup = setupFromConfig(config, services);
  const clocks = clocksFromConfig(config);
  const cases = createCases({
    database,
    customer: slackCustomerSide(slackClient, identity),
    staff,
    resolver: services.resolver,
    checker: services.checker,
    checkLimiter: rateLimiter(
      'check-again',
      config.MAILSETTINGS_CHECK_RATE_LIMIT,
      log,
      isShared(config) ? database : undefined,
    ),
    log,
    clocks,
    ...(setup ? { setup } : {}),
    statusDelayMs: STATUS_DELAY_MS,
    ...timings,
  });
  const now = timings.now ?? Date.now;
  const lead = createLeadDesk({
    database,
    clocks,
    log,
    now,
    ...(config.MAILSETTINGS_RETENTION_DAYS ? { retentionDays: config.MAILSETTINGS_RETENTION_DAYS } : {}),
  });
  const schedule = parseDigestAt(config.MAILSETTINGS_DIGEST_AT);
  const digest =
    discord.DISCORD_REPORT_CHANNEL_ID && schedule.ok
      ? createDigest({
          db: database.db,
          timeZone: clocks.hours.timeZone,
          schedule: schedule.value,
          report: lead.reportFor,
          send: discordDigestSender(rest, discord.DISCORD_REPORT_CHANNEL_ID, log),
          log,
          now,
          ...(timings.clockEveryMs ? { everyMs: timings.clockEveryMs } : {}),
        })
      : undefined;
  return {
    cases,
    lead,
    inbox: createInbox(database.db, Date.now, database.locks),
    staffServer: server,
    canReadUsers: identity.scopes.includes('users:read'),
    canReadEmail: identity.scopes.includes('users:read.email'),
    start() {
      cases.start();
      const stopRetention = lead.start();
      digest?.start();
      log.info('cases: relaying between Slack and Discord', { database: database.engine });
      return () => {
        digest?.stop();
        stopRetention();
        return cases.stop();
      };
    },
  };
}

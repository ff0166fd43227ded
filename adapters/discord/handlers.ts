// Answers Discord interactions: the /mailsettings command (private staff view with diagnostics and a
// "Post for customer" button, or the customer view in the channel with share:true) and that button.
// The first response always comes within Discord's 3 seconds: the answer itself when it is quick,
// otherwise a deferral followed by an edit. Expired or already-answered interactions are logged, never fatal.
import { randomUUID } from 'node:crypto';
import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  DiscordAPIError,
  type Interaction,
  type InteractionReplyOptions,
  MessageFlags,
} from 'discord.js';
import type { Checker } from '../../src/check/check.js';
import {
  answerSoon,
  checkToReply,
  INTERNAL_ERROR,
  type Logger,
  parseQuery,
  type Query,
  type RateLimiter,
  type Resolver,
  settingsToReply,
  slowDownMessage,
  USAGE,
} from '../../src/index.js';
import type { Answer } from '../../src/resolve/answer.js';
import { COMMAND_NAME, POST_FOR_CUSTOMER } from './command.js';
import { escapeDiscordText } from './escape.js';
import { DIAGNOSTICS_SHARE, MAX_TOTAL, replyToEmbed, reportsToEmbed } from './render.js';

export interface DiscordDeps {
  resolver: Resolver;
  limiter: RateLimiter;
  log: Logger;
  /** How long to wait for an answer before deferring. @default 300 */
  inlineWaitMs?: number;
  /** Live checks (`check:true`): staff may always run them, within their own rate limit. */
  check?: { run: Checker; limiter: RateLimiter };
}

/** Discord's codes for an interaction that expired (10062) or was already acknowledged (40060). */
const GONE = new Set([10062, 40060]);
const NO_MENTIONS = { parse: [] };
const POSTED = 'Posted in this channel for the customer.';
/** Of the 6000 characters, what the settings get when a check report shares the message. */
const SETTINGS_SHARE = 2500;

export async function handleInteraction(interaction: Interaction, deps: DiscordDeps): Promise<void> {
  try {
    if (interaction.isChatInputCommand() && interaction.commandName === COMMAND_NAME)
      await answerCommand(interaction, deps);
    else if (interaction.isButton() && interaction.customId === POST_FOR_CUSTOMER)
      await postForCustomer(interaction);
  } catch (error) {
    const context = {
      interaction: interaction.id,
      user: interaction.user.id,
      command: describe(interaction),
    };
    if (error instanceof DiscordAPIError && GONE.has(Number(error.code))) {
      deps.log.warn('discord: interaction expired or already answered', { ...context, code: error.code });
      return;
    }
    const requestId = randomUUID().slice(0, 8);
    deps.log.error('discord: failed to answer', { ...context, requestId, error });
    await apologize(interaction, `${INTERNAL_ERROR} (reference ${requestId})`).catch((reason: unknown) =>
      deps.log.warn('discord: could not send the apology', { ...context, error: reason }),
    );
  }
}

async function answerCommand(interaction: ChatInputCommandInteraction, deps: DiscordDeps): Promise<void> {
  const share = interaction.options.getBoolean('share') ?? false;
  const protocol = interaction.options.getString('protocol');
  const question = `${interaction.options.getString('domain', true)}${protocol ? ` ${protocol}` : ''}`;
  const limited = deps.limiter(interaction.user.id);
  if (!limited.allowed)
    return void (await interaction.reply(privateLine(slowDownMessage(limited.retryAfterMs))));
  const parsed = parseQuery(question);
  if (!parsed.ok)
    return void (await interaction.reply(
      privateLine(`${escapeDiscordText(parsed.error.message)}\nUsage: /${USAGE}`),
    ));
  if (interaction.options.getBoolean('check') || parsed.check)
    return runCheck(interaction, parsed.query, share, deps);

  const { quick, pending } = await answerSoon(deps.resolver, parsed.query, deps.inlineWaitMs ?? 300);
  if (quick) return void (await interaction.reply(answerMessage(quick, share)));
  await interaction.deferReply(share ? {} : { flags: MessageFlags.Ephemeral });
  const { flags: _flags, ...edit } = answerMessage(await pending, share);
  await interaction.editReply(edit);
}

/** Defers at once (a check takes seconds), then edits in the settings and what the probes saw. */
async function runCheck(
  interaction: ChatInputCommandInteraction,
  query: Query,
  share: boolean,
  deps: DiscordDeps,
): Promise<void> {
  if (!deps.check) return void (await interaction.reply(privateLine('Live checks are not enabled here.')));
  const limited = deps.check.limiter(interaction.user.id);
  if (!limited.allowed)
    return void (await interaction.reply(privateLine(slowDownMessage(limited.retryAfterMs))));
  await interaction.deferReply(share ? {} : { flags: MessageFlags.Ephemeral });
  const { settings } = await deps.resolver.answer(query);
  const report = await deps.check.run(settings);
  await interaction.editReply({
    embeds: [
      replyToEmbed(settingsToReply(settings), SETTINGS_SHARE),
      replyToEmbed(checkToReply(report), MAX_TOTAL - SETTINGS_SHARE),
    ],
    allowedMentions: NO_MENTIONS,
  });
}

/** The staff view (private, with diagnostics and the button) or the customer view (shared). */
function answerMessage(
  answer: Answer,
  share: boolean,
): InteractionReplyOptions & { flags?: MessageFlags.Ephemeral } {
  const reply = settingsToReply(answer.settings);
  if (share) return { embeds: [replyToEmbed(reply)], allowedMentions: NO_MENTIONS };
  const button = new ButtonBuilder()
    .setCustomId(POST_FOR_CUSTOMER)
    .setLabel('Post for customer')
    .setStyle(ButtonStyle.Primary);
  return {
    embeds: [replyToEmbed(reply, MAX_TOTAL - DIAGNOSTICS_SHARE), reportsToEmbed(answer)],
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  };
}

/**
 * Posts the settings embed of the private answer (the customer view) in the channel. The private answer loses
 * its button first, in the interaction's own response, so pressing again cannot post the answer twice.
 */
async function postForCustomer(interaction: ButtonInteraction): Promise<void> {
  const [settings] = interaction.message.embeds;
  if (!settings)
    return void (await interaction.reply(privateLine('That answer is no longer available; ask again.')));
  await interaction.update({ content: POSTED, components: [], allowedMentions: NO_MENTIONS });
  await interaction.followUp({ embeds: [settings.toJSON()], allowedMentions: NO_MENTIONS });
}

function privateLine(content: string): InteractionReplyOptions & { flags: MessageFlags.Ephemeral } {
  return { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS };
}

async function apologize(interaction: Interaction, content: string): Promise<void> {
  if (!interaction.isRepliable()) return;
  if (interaction.deferred || interaction.replied)
    await interaction.editReply({ content, embeds: [], components: [] });
  else await interaction.reply(privateLine(content));
}

function describe(interaction: Interaction): string {
  if (interaction.isChatInputCommand())
    return `/${interaction.commandName} ${interaction.options.data.map((o) => `${o.name}:${o.value}`).join(' ')}`;
  return interaction.isButton() ? `button ${interaction.customId}` : `interaction type ${interaction.type}`;
}

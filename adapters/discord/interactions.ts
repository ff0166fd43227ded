// Turns Discord interactions into questions for the core's conversation: the /mailsettings command (a
// private staff view, or the customer view with share:true), the "Post for customer" button and the menu of
// mail programs. Each gets a Responder over discord.js (reply, deferReply/editReply, update/followUp). An
// interaction that expired (10062) or was already answered (40060) is logged, never fatal; any other failure is
// told privately to whoever acted (failures.ts).
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  type StringSelectMenuInteraction,
} from 'discord.js';
import {
  type Cases,
  type Conversation,
  keepRendered,
  type LeadDesk,
  type Logger,
  type Responder,
  type Saying,
} from '../../src/index.js';
import { handleCaseInteraction } from './case-interactions.js';
import { inCasePost } from './case-post.js';
import { COMMAND_NAME, POST_FOR_CUSTOMER, PROGRAM_SELECT } from './command.js';
import { replaceDeferral } from './deferred.js';
import { handleDeskInteraction } from './desk-interactions.js';
import { escapeDiscordText } from './escape.js';
import { explainCommand, isExplainCommand } from './explain.js';
import { answerCasesOff, answerFailure, isGone } from './failures.js';
import { handleLeadInteraction } from './lead-interactions.js';
import { sayingToDiscord } from './render.js';
import { handleSnippetInteraction } from './snippet-interactions.js';
import { audienceOf, type StaffAccess, staffAccessOf } from './staff-access.js';

export interface DiscordDeps {
  conversation: Conversation;
  log: Logger;
  /** Support cases, when the relay from Slack is configured: the case posts' buttons, modal and /reply. */
  cases?: Cases;
  /** Who counts as staff for a case's buttons and modals. @default the ManageGuild permission in staffServer */
  staff?: StaffAccess;
  /** The cases forum's server, with the relay: the only one where anyone is staff. */
  staffServer?: string;
  /** The lead's report and data care over all cases (/cases report, /cases forget), with the relay. */
  lead?: LeadDesk;
}

/** What support cases add: the case post's own actions, the agent's desk, saved replies. */
const CASE_HANDLERS = [handleCaseInteraction, handleDeskInteraction, handleSnippetInteraction];

export async function handleInteraction(interaction: Interaction, deps: DiscordDeps): Promise<void> {
  try {
    const staff = deps.staff ?? staffAccessOf({});
    const { cases } = deps;
    if (cases) for (const handle of CASE_HANDLERS) if (await handle(interaction, cases, staff)) return;
    if (deps.lead && (await handleLeadInteraction(interaction, deps.lead, staff, deps.log))) return;
    if (!cases && (await answerCasesOff(interaction))) return;
    if (isExplainCommand(interaction)) return await explainCommand(interaction, deps);
    if (interaction.isChatInputCommand() && interaction.commandName === COMMAND_NAME)
      await answerCommand(interaction, deps);
    else if (interaction.isButton() && interaction.customId.startsWith(`${POST_FOR_CUSTOMER}:`))
      await postForCustomer(interaction, deps);
    else if (interaction.isStringSelectMenu() && interaction.customId.startsWith(`${PROGRAM_SELECT}:`))
      await chooseProgram(interaction, deps);
  } catch (error) {
    await answerFailure(error, interaction, deps.log);
  }
}

/** The responder with every call guarded: a gone interaction ends the conversation quietly. */
function guarded(responder: Responder, interaction: Interaction, deps: DiscordDeps): Responder {
  const guard =
    (send: Responder['answer'] | undefined) =>
    async (...args: Parameters<Responder['answer']>) => {
      try {
        await send?.(...args);
      } catch (error) {
        if (!isGone(error, interaction, deps.log)) throw error;
      }
    };
  return {
    answer: guard(responder.answer),
    replace: guard(responder.replace),
    ...(responder.acknowledge ? { acknowledge: guard(responder.acknowledge) } : {}),
    ...(responder.post ? { post: guard(responder.post) } : {}),
  };
}

async function answerCommand(interaction: ChatInputCommandInteraction, deps: DiscordDeps): Promise<void> {
  const render = await staffView(interaction, deps);
  const audience = audienceOf(interaction, deps);
  // In a case post no customer reads along: the answer stays private, with "Send to customer" under it.
  const share = (interaction.options.getBoolean('share') ?? false) && !render.inCase;
  const privately = !share && audience === 'staff';
  const text = [
    interaction.options.getString('domain', true),
    interaction.options.getString('protocol'),
    interaction.options.getString('client'),
  ]
    .filter(Boolean)
    .join(' ');
  const check = interaction.options.getBoolean('check') ?? false;
  const flags = share ? {} : { flags: MessageFlags.Ephemeral as const };
  // Problems, refusals and apologies are for the asker alone, even when the answer would have been shared.
  const responder: Responder = {
    answer: async (saying) => {
      const privately = saying.said.kind === 'line' ? { flags: MessageFlags.Ephemeral as const } : flags;
      await interaction.reply({ ...render(saying), ...privately });
    },
    acknowledge: async () => {
      await interaction.deferReply(flags);
    },
    replace: (saying) => replaceDeferral(interaction, render(saying), share && saying.said.kind === 'line'),
  };
  return deps.conversation.ask(
    { text, user: interaction.user.id, audience, private: privately, check, via: 'discord command' },
    guarded(responder, interaction, deps),
  );
}

/**
 * A program chosen in the menu under a private answer: the question again with that program, and the answer
 * with its steps takes the place of the one it was chosen under. Lines (slow down, an apology) come beside it.
 */
async function chooseProgram(interaction: StringSelectMenuInteraction, deps: DiscordDeps): Promise<void> {
  const question = interaction.customId.slice(PROGRAM_SELECT.length + 1);
  const render = await staffView(interaction, deps);
  const responder: Responder = {
    answer: async (saying) => {
      if (saying.said.kind === 'line')
        await interaction.reply({ ...render(saying), flags: MessageFlags.Ephemeral });
      else await interaction.update(render(saying));
    },
    acknowledge: async () => {
      await interaction.deferUpdate();
    },
    replace: async (saying) => {
      await interaction.editReply(render(saying));
    },
  };
  return deps.conversation.ask(
    {
      text: `${question} ${interaction.values[0] ?? ''}`,
      user: interaction.user.id,
      audience: audienceOf(interaction, deps),
      private: true,
      via: 'discord program menu',
    },
    guarded(responder, interaction, deps),
  );
}

/** The staff view, a cached answer rendered once (render-cache.ts): in a case post or elsewhere. */
const staffMessage = keepRendered(
  (saying: Saying, where: 'case' | 'elsewhere') =>
    sayingToDiscord(saying, { sendToCustomer: where === 'case' }),
  (text) => escapeDiscordText(text) === text,
);

/** The staff view's renderer: inside a case post it offers to send the settings to that case's customer. */
async function staffView(interaction: Interaction, deps: DiscordDeps) {
  const inCase = await inCasePost(interaction, deps.cases, deps.log);
  return Object.assign((saying: Saying) => staffMessage(saying, inCase ? 'case' : 'elsewhere'), { inCase });
}

/** Posts the customer view in the channel; the private answer loses its button, so it cannot post twice. */
async function postForCustomer(interaction: ButtonInteraction, deps: DiscordDeps): Promise<void> {
  const question = interaction.customId.slice(POST_FOR_CUSTOMER.length + 1);
  await interaction.deferUpdate();
  const responder: Responder = {
    post: async (saying) => {
      await interaction.followUp(sayingToDiscord(saying));
    },
    replace: async (saying) => {
      await interaction.editReply(sayingToDiscord(saying));
    },
    answer: async (saying) => {
      await interaction.followUp({ ...sayingToDiscord(saying), flags: MessageFlags.Ephemeral });
    },
  };
  const by = interaction.user.username;
  await deps.conversation.share(
    {
      question,
      by,
      user: interaction.user.id,
      via: 'discord post for customer',
      key: `discord:${interaction.message.id}`,
    },
    guarded(responder, interaction, deps),
  );
}

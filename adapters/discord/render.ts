// Renders what the conversation says as one Discord message: the answer's embeds (embeds.ts), the steps for the
// customer's mail program with their set-up offer (setup-render.ts), the buttons, and files; within Discord's
// limits, and no mentions are ever parsed.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type AttachmentPayload,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import {
  checkToReply,
  POSTED_FOR_CUSTOMER as POSTED_FOR_CUSTOMER_LINE,
  type Saying,
  type SetupOffer,
  settingsToReply,
} from '../../src/index.js';
import { CASE_IDS, POST_FOR_CUSTOMER } from './command.js';
import { DIAGNOSTICS_SHARE, GUIDE_SHARE, MAX_TOTAL, replyToEmbed, reportsToEmbed } from './embeds.js';
import { escapeDiscordText } from './escape.js';
import { guideReplyOf, linkButton, noStepsLine, profileFiles, programMenu } from './setup-render.js';

/** A Discord message: what the interaction calls take (a reply, an edit, a follow-up, an update). */
export interface DiscordMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files?: AttachmentPayload[];
  allowedMentions: { parse: [] };
}

const NO_MENTIONS = { parse: [] as [] };
/** Of the 6000 characters, what the settings get when a check report shares the message. */
const SETTINGS_SHARE = 2500;
/** Discord's limit on a button's custom id; the question rides in it. */
const MAX_CUSTOM_ID = 100;

/**
 * What the conversation says, as one Discord message: a private answer is the staff view (settings,
 * diagnostics and the "Post for customer" button, or in a case post "Send to customer"), a public or shared
 * one the customer view.
 */
export function sayingToDiscord(
  { said }: Saying,
  options: { sendToCustomer?: boolean } = {},
): DiscordMessage {
  switch (said.kind) {
    case 'line': {
      const text = escapeDiscordText(said.text);
      return {
        content: said.usage ? `${text}\n${said.usage}` : text,
        embeds: [],
        components: [],
        allowedMentions: NO_MENTIONS,
      };
    }
    case 'answer': {
      const reply = settingsToReply(said.answer.settings);
      const room = MAX_TOTAL - guideRoom(said.setup);
      if (!said.private) {
        const view: DiscordMessage = { embeds: [replyToEmbed(reply, room)], allowedMentions: NO_MENTIONS };
        return withSetup(view, said.setup, { files: true, menu: false });
      }
      // The question (with its program) rides in the buttons' ids; one too long for Discord's 100 characters
      // gets no button. In a case post the customer is in Slack: only "Send to customer" reaches them there.
      const buttons = [
        options.sendToCustomer
          ? { id: `${CASE_IDS.send}:${said.shareAs ?? ''}`, label: 'Send to customer' }
          : { id: `${POST_FOR_CUSTOMER}:${said.shareAs ?? ''}`, label: 'Post for customer' },
      ].filter(({ id }) => said.shareAs && id.length <= MAX_CUSTOM_ID);
      const message: DiscordMessage = {
        embeds: [replyToEmbed(reply, room - DIAGNOSTICS_SHARE), reportsToEmbed(said.answer)],
        components: buttons.length > 0 ? [buttonRow(buttons)] : [],
        allowedMentions: NO_MENTIONS,
      };
      return withSetup(message, said.setup, { files: true, menu: true });
    }
    case 'checked':
      return withSetup(
        {
          embeds: [
            replyToEmbed(settingsToReply(said.answer.settings), SETTINGS_SHARE),
            replyToEmbed(checkToReply(said.report), MAX_TOTAL - SETTINGS_SHARE - guideRoom(said.setup)),
          ],
          allowedMentions: NO_MENTIONS,
        },
        said.setup,
        { files: true, menu: said.private },
      );
    case 'shared':
      return withSetup(
        {
          embeds: [replyToEmbed(settingsToReply(said.answer.settings), MAX_TOTAL - guideRoom(said.setup))],
          allowedMentions: NO_MENTIONS,
        },
        said.setup,
        { files: false, menu: false },
      );
    case 'was-shared':
      return { content: POSTED_FOR_CUSTOMER_LINE, components: [], allowedMentions: NO_MENTIONS };
  }
}

const guideRoom = (setup: SetupOffer) => (setup.guide?.ok ? GUIDE_SHARE : 0);

/**
 * Adds the set-up offer to a message whose embeds leave GUIDE_SHARE for the steps: the steps' embed after
 * the settings, why there are none as the content, the set-up page as a link button beside the message's
 * buttons, the menu of programs (only where staff alone can choose: a private answer), the profile file.
 */
function withSetup(
  message: DiscordMessage,
  setup: SetupOffer,
  options: { files: boolean; menu: boolean },
): DiscordMessage {
  const guide = guideReplyOf(setup, options.files);
  const [settings, ...others] = message.embeds ?? [];
  const embeds = [
    ...(settings ? [settings] : []),
    ...(guide ? [replyToEmbed(guide, GUIDE_SHARE)] : []),
    ...others,
  ];
  const line = noStepsLine(setup);
  const link = linkButton(setup);
  const [row, ...rest] = message.components ?? [];
  const buttons = link ? { ...(row ?? emptyRow()), components: [...(row?.components ?? []), link] } : row;
  const menu = options.menu ? programMenu(setup) : undefined;
  const files = options.files ? profileFiles(setup) : [];
  return {
    ...message,
    ...(line ? { content: escapeDiscordText(line) } : {}),
    embeds,
    components: [...(buttons ? [buttons] : []), ...rest, ...(menu ? [menu] : [])],
    ...(files.length > 0 ? { files } : {}),
  };
}

const emptyRow = (): APIActionRowComponent<APIComponentInMessageActionRow> => ({
  type: ComponentType.ActionRow,
  components: [],
});

function buttonRow(buttons: { id: string; label: string }[]): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: buttons.map(({ id, label }) => ({
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      custom_id: id,
      label,
    })),
  };
}

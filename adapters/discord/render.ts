// Renders the neutral reply as Discord embeds (https://discord.com/developers/docs/resources/message#embed-object-embed-limits):
// the settings embed (the customer view), the steps for the customer's mail program with their set-up
// offer (setup-render.ts) and, for staff, a diagnostics embed. Every limit is enforced here
// by clipping, so long provider notes are shortened rather than rejected by the API; every text that can carry
// markdown is escaped (no masked links, see escape.ts) and no mentions are ever parsed.
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
  type Answer,
  checkToReply,
  clip,
  notNeededReason,
  POSTED_FOR_CUSTOMER as POSTED_FOR_CUSTOMER_LINE,
  type Reply,
  reportStatus,
  type Saying,
  type SetupOffer,
  type SourceReport,
  settingsToReply,
} from '../../src/index.js';
import { CASE_IDS, POST_FOR_CUSTOMER } from './command.js';
import { escapeDiscordText } from './escape.js';
import { guideReplyOf, linkButton, noStepsLine, profileFiles, programMenu } from './setup-render.js';

export const MAX_TITLE = 256;
export const MAX_DESCRIPTION = 4096;
export const MAX_FIELDS = 25;
export const MAX_FIELD_NAME = 256;
export const MAX_FIELD_VALUE = 1024;
export const MAX_FOOTER = 2048;
export const MAX_TOTAL = 6000;
/** Diagnostics get what the settings leave of the 6000 characters, but never crowd them out. */
export const DIAGNOSTICS_SHARE = 1500;
/** What the steps for a mail program get of the 6000 characters when they come with the answer. */
export const GUIDE_SHARE = 2500;

const COLOR = 0x2c7be5;
const STATUS_MARK: Record<SourceReport['status'], string> = {
  found: 'found',
  none: 'nothing',
  failed: 'failed',
  timeout: 'timed out',
  pending: 'still running at the deadline',
};

/** Escapes markdown within `max` characters; clipping first bounds the work to what can be shown. */
function escaped(text: string, max: number): string {
  return clip(escapeDiscordText(clip(text, max)), max);
}

/** The customer view: settings, notes and source, nothing else. */
export function replyToEmbed(reply: Reply, budget = MAX_TOTAL): APIEmbed {
  const title = clip(reply.title, MAX_TITLE);
  const footer = clip(reply.source, MAX_FOOTER);
  let left = budget - title.length - footer.length;
  const fields = reply.sections.slice(0, MAX_FIELDS).flatMap((section) => {
    if (left <= 0) return [];
    const name = escaped(section.title, MAX_FIELD_NAME);
    const lines = section.fields.map(
      (field) => `**${escaped(field.label, 100)}:** ${escaped(field.value, MAX_FIELD_VALUE)}`,
    );
    const value = clip(lines.join('\n'), MAX_FIELD_VALUE);
    if (name.length + value.length > left) return [];
    left -= name.length + value.length;
    return [{ name, value }];
  });
  const notes = reply.notes.map((note) => `• ${escaped(note, MAX_DESCRIPTION)}`).join('\n');
  const description = clip(notes, Math.min(MAX_DESCRIPTION, Math.max(left, 0)));
  return { title, color: COLOR, fields, footer: { text: footer }, ...(description ? { description } : {}) };
}

/** The staff view's second part: which source won and why, and what every other source said. */
export function reportsToEmbed(answer: Answer, budget = DIAGNOSTICS_SHARE): APIEmbed {
  const { source } = answer.settings;
  const hosted = source.kind === 'profile' ? 'yes' : 'no';
  const title = 'Diagnostics';
  const description = clip(
    `**Answer from:** ${source.kind}, ${escaped(source.detail, 400)}\n**Hosted on our servers:** ${hosted}`,
    500,
  );
  let left = budget - title.length - description.length;
  const fields = answer.reports.slice(0, MAX_FIELDS).flatMap((report) => {
    const status = reportStatus(report, answer); // stopped because a better one answered: not needed
    const mark =
      status === 'not-needed' ? notNeededReason(answer) : `${STATUS_MARK[status]} (${report.ms} ms)`;
    const name = `${report.source}: ${mark}`;
    const value = escaped(report.detail || '-', 300);
    if (name.length + value.length > left) return [];
    left -= name.length + value.length;
    return [{ name, value }];
  });
  return { title, color: 0x95a5a6, description, fields };
}

/** Total characters Discord counts towards the 6000 limit of one message's embeds. */
export function embedLength(embed: APIEmbed): number {
  const fields = (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  return (
    (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + fields
  );
}

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

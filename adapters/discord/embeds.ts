// The answer as Discord embeds (https://discord.com/developers/docs/resources/message#embed-object-embed-limits):
// the settings embed (the customer view) and, for staff, the diagnostics embed, with Discord's embed limits
// that every renderer keeps. Every limit is enforced by clipping, so long provider notes are shortened rather
// than rejected by the API; every text that can carry markdown is escaped (no masked links, see escape.ts).
import type { APIEmbed } from 'discord.js';
import {
  type Answer,
  clip,
  notNeededReason,
  type Reply,
  reportStatus,
  type SourceReport,
} from '../../src/index.js';
import { escapeDiscordText } from './escape.js';

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
  // The source line names the provider as its own file calls itself: a quarter of the room at most.
  const footer = clip(reply.source, Math.min(MAX_FOOTER, Math.floor(budget / 4)));
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

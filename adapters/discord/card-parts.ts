// The case card's lower parts for Discord: the settings the bot sent, its diagnostics and the live check, each
// as short labelled lines (src/cases/card-text.ts) in an embed of its own with a budget of its own, and the
// open cases that share a failing check as links to their posts. Escaped and clipped like everything on the card.
import type { APIEmbed } from 'discord.js';
import {
  type CardLine,
  type CaseCard,
  cardWords,
  checkLines,
  clip,
  reportLines,
  type SharedCause,
  settingsLines,
} from '../../src/index.js';
import { MAX_DESCRIPTION, MAX_TITLE } from './embeds.js';
import { escapeDiscordText } from './escape.js';
import { threadIdOf } from './refs.js';

/** What each embed may take: together with the first embed, well under Discord's 6000 per message. */
export const SETTINGS_BUDGET = 700;
export const DIAGNOSTICS_BUDGET = 500;
export const CHECK_BUDGET = 900;
/** Open cases named per shared cause; the count says how many there are. */
const LINKS_PER_CAUSE = 5;
/** Lines of the check and of the settings shown at most, the failed ones first. */
const MAX_LINES = 12;

const GREY = 0x95a5a6;
const RED = 0xe74c3c;

/** Lines as `**label** text`, failed ones first and marked, as many as the budget takes (the rest counted). */
function linesToText(lines: CardLine[], budget: number): string {
  const ordered = [...lines.filter((line) => line.failed), ...lines.filter((line) => !line.failed)];
  const shown: string[] = [];
  let left = budget - ROOM_FOR_MORE;
  for (const line of ordered) {
    const label = `${line.failed ? '✗ ' : ''}**${escapeDiscordText(line.label)}**`;
    const text = `${label} ${escapeDiscordText(clip(line.text, MAX_LINE))}`;
    if (shown.length === MAX_LINES || text.length + 1 > left) break;
    shown.push(text);
    left -= text.length + 1;
  }
  const more = ordered.length - shown.length;
  return clip(
    [...shown, ...(more > 0 ? [`… ${more} more`] : [])].join('\n'),
    Math.min(budget, MAX_DESCRIPTION),
  );
}
const ROOM_FOR_MORE = 20;
const MAX_LINE = 300;

const embedOf = (title: string, lines: CardLine[], budget: number, failed = false): APIEmbed => ({
  title: clip(title, MAX_TITLE),
  color: failed ? RED : GREY,
  description: linesToText(lines, budget - title.length),
});

/** The settings, the diagnostics and the live check, as far as the card has them. */
export function answerEmbeds(card: CaseCard): APIEmbed[] {
  const { answer, check } = card;
  const embeds: APIEmbed[] = [];
  if (answer) {
    embeds.push(embedOf('Settings the bot sent', settingsLines(answer.settings), SETTINGS_BUDGET));
    embeds.push(embedOf('Diagnostics', reportLines(answer), DIAGNOSTICS_BUDGET));
  }
  if (check) {
    const lines = checkLines(check);
    const ports = check.results.length;
    const title = `Live check (${ports} ${ports === 1 ? 'port' : 'ports'}, ${check.ms} ms)`;
    embeds.push(
      embedOf(
        title,
        lines,
        CHECK_BUDGET,
        lines.some((line) => line.failed),
      ),
    );
  }
  return embeds;
}

/**
 * What the case shares with other open cases: each cause on a server (its ports together when the same cases
 * share them), how many other cases have it, and links to their posts.
 */
export function sharedCases(shared: SharedCause[] = []): string {
  const groups = new Map<
    string,
    { host: string; cause: SharedCause['cause']; ports: number[]; cases: SharedCause['cases'] }
  >();
  for (const { host, port, cause, cases } of shared) {
    const key = `${host} ${cause} ${cases.map((other) => other.id).join(',')}`;
    const group = groups.get(key) ?? { host, cause, ports: [], cases };
    group.ports.push(port);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((group) => {
      const links = group.cases
        .slice(0, LINKS_PER_CAUSE)
        .map((other) => `<#${threadIdOf(other.staffThread)}>`);
      const more = group.cases.length > LINKS_PER_CAUSE ? ' …' : '';
      return `${escapeDiscordText(cardWords.failureLine(group))}: ${cardWords.sharedWith(group.cases.length)}, ${links.join(' ')}${more}`;
    })
    .join('\n');
}

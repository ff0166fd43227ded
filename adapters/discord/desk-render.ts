// Renders an agent's desk for Discord: the open cases (by status, the oldest first), the cases a search found,
// and the saved replies, each as one message of at most 2000 characters; what does not fit is counted ("…and 4
// more."). A case links to its post as a channel mention (<#id>); dates are Discord timestamps, shown in each
// reader's own time zone. Everything a person wrote (names, questions, replies) is escaped.
import {
  type CaseList,
  type CaseListing,
  describeQuestion,
  deskWords,
  PLACEHOLDERS,
  type Snippet,
} from '../../src/index.js';
import { STATUS_NAMES } from './card-render.js';
import { MAX_CONTENT } from './case-render.js';
import { escapeDiscordText } from './escape.js';
import { threadIdOf } from './refs.js';
import { firstLine } from './staff-reply.js';

const when = (ms: number, style: 'R' | 'd') => `<t:${Math.floor(ms / 1000)}:${style}>`;
const postOf = ({ view }: CaseListing) =>
  view.staffThread ? `<#${threadIdOf(view.staffThread)}>` : '(no post)';
const about = ({ view }: CaseListing) =>
  `${escapeDiscordText(describeQuestion(view.question))}, ${escapeDiscordText(view.customerName)}`;

/** Entries (lines) while they fit in `budget`, then how many did not (with those the list left out). */
function fitted(head: string[], entries: string[], left: number, budget = MAX_CONTENT): string {
  const kept = [...head];
  let length = kept.join('\n').length;
  const reserve = deskWords.andMore(entries.length + left).length + 1;
  for (const [index, entry] of entries.entries()) {
    const last = index === entries.length - 1 && left === 0;
    if (length + entry.length + 1 + (last ? 0 : reserve) > budget)
      return [...kept, deskWords.andMore(entries.length - index + left)].join('\n');
    kept.push(entry);
    length += entry.length + 1;
  }
  return [...kept, ...(left > 0 ? [deskWords.andMore(left)] : [])].join('\n');
}

/** The open cases under their status, each with its age and whoever has it. */
export function openCasesContent(list: CaseList): string {
  if (list.cases.length === 0) return deskWords.NO_OPEN_CASES;
  const entries = list.cases.map((listing, index) => {
    const { view } = listing;
    // The first case of each status comes under its heading (one entry: never a heading alone at the end).
    const heading =
      list.cases[index - 1]?.view.status === view.status ? '' : `**${STATUS_NAMES[view.status]}**\n`;
    const owner = view.claimedBy ? `, with ${escapeDiscordText(view.claimedBy)}` : '';
    return `${heading}• ${postOf(listing)} case ${view.id}: ${about(listing)}${owner}, opened ${when(listing.openedAt, 'R')}`;
  });
  return fitted([], entries, list.more);
}

/** Cases found for a search: the newest first, with their date, status and who resolved them. */
export function foundCasesContent(term: string, list: CaseList): string {
  if (list.cases.length === 0) return escapeDiscordText(deskWords.noCasesFound(term));
  const lines = list.cases.map((listing) => {
    const { view } = listing;
    const status =
      view.status === 'resolved' && view.resolvedBy
        ? `resolved by ${escapeDiscordText(view.resolvedBy)} ${when(listing.changedAt, 'R')}`
        : STATUS_NAMES[view.status].toLowerCase();
    return `• ${postOf(listing)} case ${view.id}, ${when(listing.openedAt, 'd')}: ${about(listing)}; ${status}`;
  });
  return fitted([`**Cases for ${escapeDiscordText(term)}**`], lines, list.more);
}

/** The saved replies: each name with its first line and who changed it last, then the placeholders. */
export function snippetsContent(snippets: Snippet[]): string {
  if (snippets.length === 0) return deskWords.NO_SNIPPETS;
  const placeholders = escapeDiscordText(deskWords.placeholdersAre(PLACEHOLDERS));
  const lines = snippets.map(
    (snippet) =>
      `• **${snippet.name}**: ${escapeDiscordText(firstLine(snippet.text, 120))} (${escapeDiscordText(snippet.updatedBy)}, ${when(snippet.updatedAt, 'R')})`,
  );
  return `${fitted([], lines, 0, MAX_CONTENT - placeholders.length - 1)}\n${placeholders}`;
}

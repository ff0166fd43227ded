// Fills a saved reply's `{placeholders}` from the case's own answer (the card's, as the post shows it) and the
// case itself. A placeholder nobody knows, or one this case cannot fill (no POP server in its answer, no set-up
// links configured), refuses the whole reply, naming each, before anything is sent. Filling is one pass: what a
// placeholder puts in (a customer's name, a host name from their domain's autoconfig) is never read for
// placeholders again, and each side escapes the result for its own markup when it sends it.

import { fail, ok, type Result } from '../model/result.js';
import { ENCRYPTION_NAMES, type Server } from '../model/settings.js';
import { parseQuery } from '../question/parse-question.js';
import { describeUsername } from '../reply/reply.js';
import type { Staff } from './lifecycle.js';
import type { CaseView } from './ports.js';

export const PLACEHOLDERS = [
  'imap.host',
  'imap.port',
  'imap.security',
  'pop.host',
  'pop.port',
  'smtp.host',
  'smtp.port',
  'smtp.security',
  'username',
  'domain',
  'customer',
  'case',
  'setup_link',
  'staff',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Partial<Record<Placeholder, string>>;

export interface PlaceholderProblem {
  /** Written like a placeholder, but none of ours. */
  unknown: string[];
  /** Ours, but this case has nothing to fill them with. */
  unfilled: string[];
}

/** `{name}`: braces around one word of letters, digits, dots, dashes or underscores. */
const PLACEHOLDER = /\{([\w.-]{1,40})\}/g;
const KNOWN: ReadonlySet<string> = new Set(PLACEHOLDERS);

/** What this case fills each placeholder with; `link` is its signed set-up page, when links are configured. */
export function placeholderValues(view: CaseView, staff: Staff, link?: string): PlaceholderValues {
  const settings = view.card?.answer?.settings;
  const servers = [...(settings?.incoming ?? []), ...(settings?.outgoing ?? [])];
  const server = (type: Server['type']) => servers.find((candidate) => candidate.type === type);
  const [imap, pop, smtp] = [server('imap'), server('pop3'), server('smtp')];
  const asked = parseQuery(view.question);
  const domain = settings?.query.domain ?? (asked.ok ? asked.value.query.domain : undefined);
  const first = servers[0];
  const values: PlaceholderValues = {
    'imap.host': imap?.hostname,
    'imap.port': imap && String(imap.port),
    'imap.security': imap && ENCRYPTION_NAMES[imap.security],
    'pop.host': pop?.hostname,
    'pop.port': pop && String(pop.port),
    'smtp.host': smtp?.hostname,
    'smtp.port': smtp && String(smtp.port),
    'smtp.security': smtp && ENCRYPTION_NAMES[smtp.security],
    username: first && describeUsername(first.username, settings?.query.email),
    domain,
    customer: view.customerName,
    case: String(view.id),
    setup_link: link,
    staff: staff.name,
  };
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

const namedIn = (text: string) => [
  ...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string)),
];

/** What the text writes like a placeholder but is none of ours. */
export const unknownPlaceholders = (text: string) => namedIn(text).filter((name) => !KNOWN.has(name));

/** The text with every placeholder filled, or which ones are unknown or cannot be filled here. */
export function fillPlaceholders(
  text: string,
  values: PlaceholderValues,
): Result<string, PlaceholderProblem> {
  const named = namedIn(text);
  const unknown = named.filter((name) => !KNOWN.has(name));
  const unfilled = named.filter((name) => KNOWN.has(name) && values[name as Placeholder] === undefined);
  if (unknown.length > 0 || unfilled.length > 0) return fail({ unknown, unfilled });
  return ok(text.replace(PLACEHOLDER, (_, name: string) => values[name as Placeholder] ?? ''));
}

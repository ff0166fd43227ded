// What a source is (a module that describes itself: name, label, own time limit, lookup), what every source
// gets to work with, and the one way sources fetch and parse a provider file.

import { passwordNote } from '../../messages/answer.js';
import { BlockedAddressError, LookupFailedError, NoAddressError } from '../../model/errors.js';
import { fail, ok, type Result } from '../../model/result.js';
import type { ProviderConfig } from '../../model/settings.js';
import { fillPlaceholders, type ParsedConfig, parseConfigXml } from '../lookup/autoconfig-xml.js';
import type { Dns } from '../lookup/dns.js';
import type { FetchResult } from '../lookup/safe-fetch.js';
import type { ProviderIndex } from '../providers/dataset.js';
import type { Profile } from './operator-profile.js';

/** What a source found: the provider's configuration and one line on exactly where it came from. */
export interface Found {
  config: ProviderConfig;
  detail: string;
}

export interface Source<Name extends string = string> {
  /** Stable: the `source.kind` of the answers it gives, and its key in options and diagnostics. */
  name: Name;
  /** How a note names it when it did not complete ("DNS SRV records"). */
  label: string;
  /**
   * What it found, or why there is nothing (a value, not an error). Throws when the lookup could not be
   * made (DNS or network trouble): that is not "nothing found".
   */
  lookup(context: SourceContext): Promise<Result<Found, string>>;
}

export interface SourceContext {
  domain: string;
  dns: Dns;
  /** Fetches XML; `trusted` for the operator's own URLs. Bound to the resolution's abort signal. */
  fetchXml(url: string, trusted?: boolean): Promise<FetchResult>;
  /** Base URL of the ISP database, ending in `/`. */
  ispdbUrl: string;
  profile?: Profile;
  /** The project's provider dataset, loaded on first use. */
  providers(): Promise<ProviderIndex>;
}

type Attempt = Result<ParsedConfig, { reason: string; failed: boolean }>;

/**
 * Fetches and parses one config-v1.1.xml. A missing or broken file is a reason, not an error; so is a name
 * that does not exist, a refused connection or a certificate for another name. A lookup that could not be
 * made (DNS or network trouble, or any failure of the operator's own service) is `failed`: it says nothing
 * about whether the file exists.
 */
async function fetchConfig(context: SourceContext, url: string, trusted: boolean): Promise<Attempt> {
  try {
    const fetched = await context.fetchXml(url, trusted);
    if (!fetched.ok) return fail({ reason: `${url}: ${fetched.error}`, failed: false });
    const parsed = parseConfigXml(fetched.value);
    if (!parsed.ok) return fail({ reason: `${url}: ${parsed.error}`, failed: false });
    return ok(fillPlaceholders(parsed.value, context.domain));
  } catch (error) {
    return fail({ reason: `${url}: ${(error as Error).message}`, failed: trusted || !isAnswer(error) });
  }
}

/** Errors that are an answer about the customer's name: it does not exist, refuses, or is not theirs. */
function isAnswer(error: unknown): boolean {
  if (error instanceof BlockedAddressError || error instanceof NoAddressError) return true;
  const { code = '', syscall } = error as NodeJS.ErrnoException;
  if (code === 'ENOTFOUND' || code === 'ENODATA') return true;
  if (code === 'ECONNREFUSED') return syscall === 'connect';
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code);
}

/**
 * An ISP database entry as shown: its plain-HTTP help links are dropped (they are the retired ones, like
 * Gmail's old mail.google.com/support pages, and Yandex's page to enable IMAP, its instruction kept) and the
 * dataset's current page, when it has one, comes first.
 * Where the dataset knows the provider wants an app password and the entry says the usual one (iCloud), the
 * servers say so, with the dataset's note.
 */
export async function withDatasetFixes(
  context: SourceContext,
  config: ProviderConfig,
  entry: string,
): Promise<ProviderConfig> {
  const index = await context.providers();
  const current = index.helpFor(entry);
  const kept = config.documentation.filter((link) => link.url.startsWith('https:'));
  const name = config.name ? `${config.name} help` : current;
  const password = index.passwordFor(entry);
  const note = password && passwordNote(password, config.name ?? entry);
  const { enable, ...rest } = config;
  const enabling = enable?.url?.startsWith('https:')
    ? enable
    : enable && { instructions: enable.instructions };
  return {
    ...rest,
    ...(enabling?.url || enabling?.instructions.length ? { enable: enabling } : {}),
    servers:
      password === 'app-password'
        ? config.servers.map((server) => ({ ...server, appPassword: true as const }))
        : config.servers,
    documentation: current ? [{ url: current, description: name ?? current }, ...kept] : kept,
    notes: note ? [...config.notes, note] : config.notes,
  };
}

/** Whether the project's dataset replaces the ISP database's entry for this domain (a stale one). */
export async function supersededBy(context: SourceContext, entry: string): Promise<string | undefined> {
  return (await context.providers()).superseding(entry)?.name;
}

export function ispdbEntryUrl(context: SourceContext, domain: string): string {
  return `${context.ispdbUrl}${encodeURIComponent(domain)}`;
}

/** The preferred MX host (lowest preference, ties broken by name so answers are stable), if any. */
/**
 * A host name as an answer or a URL may hold one: DNS allows any byte in a label, and Node's resolver hands over
 * ':', '/', '?' or '#' as they are.
 */
export const PLAIN_HOST = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/;

export async function preferredMx(context: SourceContext): Promise<string | undefined> {
  const records = await context.dns.mx(context.domain);
  const [best] = [...records].sort((a, b) => a.priority - b.priority || a.exchange.localeCompare(b.exchange));
  return best?.exchange.toLowerCase().replace(/\.$/, '') || undefined;
}

/**
 * Fetches every URL at once and returns the first one, in the given order, that holds a valid file: a
 * better-ranked URL that is slow still wins over a worse one that was quick.
 */
export async function firstConfig(
  context: SourceContext,
  urls: { url: string; trusted: boolean }[],
): Promise<Result<{ index: number; config: ParsedConfig }, string>> {
  const attempts = urls.map(({ url, trusted }) => fetchConfig(context, url, trusted));
  const reasons: string[] = [];
  let failed = false;
  for (const [index, attempt] of attempts.entries()) {
    const result = await attempt;
    if (result.ok) return ok({ index, config: result.value });
    reasons.push(result.error.reason);
    failed ||= result.error.failed;
  }
  if (failed) throw new LookupFailedError(reasons.join('; '));
  return fail(reasons.join('; '));
}

// What every source gets to work with, and the one way sources fetch and parse a provider file.

import type { Found } from '../build-settings.js';
import { fillPlaceholders, type ParsedConfig, parseConfigXml } from '../lookup/autoconfig-xml.js';
import type { Dns } from '../lookup/dns.js';
import { BlockedAddressError } from '../lookup/net-policy.js';
import type { FetchResult } from '../lookup/safe-fetch.js';
import type { Profile } from './operator-profile.js';

export interface SourceContext {
  domain: string;
  dns: Dns;
  /** Fetches XML; `trusted` for the operator's own URLs. Bound to the resolution's abort signal. */
  fetchXml(url: string, trusted?: boolean): Promise<FetchResult>;
  /** Base URL of the ISP database, ending in `/`. */
  ispdbUrl: string;
  profile?: Profile;
}

export type SourceResult = { status: 'found'; found: Found } | { status: 'none'; reason: string };

export const none = (reason: string): SourceResult => ({ status: 'none', reason });

type Attempt = { config: ParsedConfig } | { reason: string; failed: boolean };

/**
 * Fetches and parses one config-v1.1.xml. A missing or broken file is a reason, not an error; so is a name
 * that does not exist, a refused connection or a certificate for another name. A lookup that could not be
 * made (DNS or network trouble, or any failure of the operator's own service) is `failed`: it says nothing
 * about whether the file exists.
 */
async function fetchConfig(context: SourceContext, url: string, trusted: boolean): Promise<Attempt> {
  try {
    const fetched = await context.fetchXml(url, trusted);
    if (fetched.status === 'missing') return { reason: `${url}: ${fetched.reason}`, failed: false };
    const parsed = parseConfigXml(fetched.body);
    if (!parsed.ok) return { reason: `${url}: ${parsed.error}`, failed: false };
    return { config: fillPlaceholders(parsed.config, context.domain) };
  } catch (error) {
    return { reason: `${url}: ${(error as Error).message}`, failed: trusted || !isAnswer(error) };
  }
}

/** Errors that are an answer about the customer's name: it does not exist, refuses, or is not theirs. */
function isAnswer(error: unknown): boolean {
  if (error instanceof BlockedAddressError) return true;
  const { code = '', syscall } = error as NodeJS.ErrnoException;
  if (code === 'ENOTFOUND' || code === 'ENODATA') return true;
  if (code === 'ECONNREFUSED') return syscall === 'connect';
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code);
}

export function ispdbEntryUrl(context: SourceContext, domain: string): string {
  return `${context.ispdbUrl}${encodeURIComponent(domain)}`;
}

/** The preferred MX host (lowest preference, ties broken by name so answers are stable), if any. */
export async function preferredMx(context: SourceContext): Promise<string | undefined> {
  const records = await context.dns.mx(context.domain);
  const [best] = [...records].sort((a, b) => a.priority - b.priority || a.exchange.localeCompare(b.exchange));
  return best?.exchange.toLowerCase().replace(/\.$/, '') || undefined;
}

/** Thrown when no URL held a file and at least one could not be asked: the source failed, it did not find "none". */
export class LookupFailedError extends Error {
  override readonly name = 'LookupFailedError';
}

/**
 * Fetches every URL at once and returns the first one, in the given order, that holds a valid file: a
 * better-ranked URL that is slow still wins over a worse one that was quick.
 */
export async function firstConfig(
  context: SourceContext,
  urls: { url: string; trusted: boolean }[],
): Promise<{ index: number; config: ParsedConfig } | { reason: string }> {
  const attempts = urls.map(({ url, trusted }) => fetchConfig(context, url, trusted));
  const reasons: string[] = [];
  let failed = false;
  for (const [index, attempt] of attempts.entries()) {
    const result = await attempt;
    if ('config' in result) return { index, config: result.config };
    reasons.push(result.reason);
    failed ||= result.failed;
  }
  if (failed) throw new LookupFailedError(reasons.join('; '));
  return { reason: reasons.join('; ') };
}

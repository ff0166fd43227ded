// What every source gets to work with, and the one way sources fetch and parse a provider file.

import type { Found } from '../answer.js';
import { type ParsedConfig, parseConfigXml } from '../autoconfig-xml.js';
import type { Dns } from '../dns.js';
import type { Profile } from '../profile.js';
import type { FetchResult } from '../safe-fetch.js';

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

/** Fetches and parses one config-v1.1.xml; a missing or broken file is a reason, not an error. */
async function fetchConfig(
  context: SourceContext,
  url: string,
  trusted = false,
): Promise<{ config: ParsedConfig } | { reason: string }> {
  const fetched = await context.fetchXml(url, trusted);
  if (fetched.status === 'missing') return { reason: `${url}: ${fetched.reason}` };
  const parsed = parseConfigXml(fetched.body);
  return parsed.ok ? { config: parsed.config } : { reason: `${url}: ${parsed.error}` };
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

/**
 * Fetches every URL at once and returns the first one, in the given order, that holds a valid file: a
 * better-ranked URL that is slow still wins over a worse one that was quick.
 */
export async function firstConfig(
  context: SourceContext,
  urls: { url: string; trusted: boolean }[],
): Promise<{ index: number; config: ParsedConfig } | { reason: string }> {
  const attempts = urls.map(({ url, trusted }) =>
    fetchConfig(context, url, trusted).catch((error: Error) => ({ reason: `${url}: ${error.message}` })),
  );
  const reasons: string[] = [];
  for (const [index, attempt] of attempts.entries()) {
    const result = await attempt;
    if ('config' in result) return { index, config: result.config };
    reasons.push(result.reason);
  }
  return { reason: reasons.join('; ') };
}

// What the domain publishes itself (Mail Autoconfig draft §4): autoconfig.<domain>, then the well-known
// path on the domain, over HTTPS; the plain-HTTP variants rank below and the answer says so.
import { firstConfig, none, type SourceContext, type SourceResult } from './source.js';

export function autoconfigUrls(domain: string): string[] {
  const paths = [
    `autoconfig.${domain}/mail/config-v1.1.xml`,
    `${domain}/.well-known/autoconfig/mail/config-v1.1.xml`,
  ];
  return [...paths.map((path) => `https://${path}`), ...paths.map((path) => `http://${path}`)];
}

export async function lookupAutoconfig(context: SourceContext): Promise<SourceResult> {
  const urls = autoconfigUrls(context.domain);
  const result = await firstConfig(
    context,
    urls.map((url) => ({ url, trusted: false })),
  );
  if ('reason' in result) return none(result.reason);
  const url = urls[result.index] as string;
  const warning = url.startsWith('http:')
    ? [
        `These settings came from ${url} without encryption, so they could have been altered on the way: compare them with the provider's own documentation.`,
      ]
    : [];
  return {
    status: 'found',
    found: {
      config: { ...result.config, notes: [...result.config.notes, ...warning] },
      source: { kind: 'autoconfig', detail: `Published by ${context.domain} at ${url}` },
    },
  };
}

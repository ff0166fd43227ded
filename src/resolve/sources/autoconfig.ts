// What the domain publishes itself (Mail Autoconfig draft §4): autoconfig.<domain>, then the well-known
// path on the domain, over HTTPS; the plain-HTTP variants rank below and the answer says so.
import { fetchedWithoutEncryption } from '../../messages/answer.js';
import { ok } from '../../model/result.js';
import { firstConfig, type Source } from './source.js';

export function autoconfigUrls(domain: string): string[] {
  const paths = [
    `autoconfig.${domain}/mail/config-v1.1.xml`,
    `${domain}/.well-known/autoconfig/mail/config-v1.1.xml`,
  ];
  return [...paths.map((path) => `https://${path}`), ...paths.map((path) => `http://${path}`)];
}

export const autoconfig: Source<'autoconfig'> = {
  name: 'autoconfig',
  label: "the domain's published settings",
  async lookup(context) {
    const urls = autoconfigUrls(context.domain);
    const result = await firstConfig(
      context,
      urls.map((url) => ({ url, trusted: false })),
    );
    if (!result.ok) return result;
    const { index, config } = result.value;
    const url = urls[index] as string;
    const warning = url.startsWith('http:') ? [fetchedWithoutEncryption(url)] : [];
    return ok({
      config: { ...config, notes: [...config.notes, ...warning] },
      detail: `Published by ${context.domain} at ${url}`,
    });
  },
};

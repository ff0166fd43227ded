// Finds the provider behind the domain's MX host: the host without its first label, then its registrable
// domain (Public Suffix List), each looked up in the ISP database and at its own autoconfig host.
// aspmx.l.google.com → l.google.com, google.com; x.mail.protection.outlook.com → mail.protection.outlook.com.
import { fail, ok } from '../../model/result.js';
import { publicSuffixList } from '../../question/public-suffix.js';
import {
  firstConfig,
  ispdbEntryUrl,
  PLAIN_HOST,
  preferredMx,
  type Source,
  supersededBy,
  withDatasetFixes,
} from './source.js';

export async function mxCandidates(mxHost: string, domain: string): Promise<string[]> {
  const parent = mxHost.split('.').slice(1).join('.');
  const registrable = publicSuffixList().getDomain(mxHost) ?? '';
  const candidates = [parent, registrable].filter((name) => name.includes('.') && name !== domain);
  return [...new Set(candidates)];
}

export const mx: Source<'mx'> = {
  name: 'mx',
  label: 'the MX lookup',
  async lookup(context) {
    const mxHost = await preferredMx(context);
    if (!mxHost) return fail(`${context.domain} has no MX record`);
    // Its name goes into a URL: one that could choose the URL's port or path is no mail host's.
    if (!PLAIN_HOST.test(mxHost)) return fail(`MX ${mxHost} is not a plain host name`);
    const found = await mxCandidates(mxHost, context.domain);
    // A candidate whose ISP database entry the dataset replaces is the dataset's to answer (ranked above).
    const replaced = await Promise.all(found.map((candidate) => supersededBy(context, candidate)));
    const candidates = found.filter((_, index) => !replaced[index]);
    if (candidates.length === 0)
      return fail(
        found.length > 0
          ? `MX ${mxHost}: left to the provider list`
          : `MX ${mxHost} belongs to ${context.domain} itself`,
      );

    const lookups = candidates.flatMap((candidate) => [
      { candidate, where: 'the ISP database', url: ispdbEntryUrl(context, candidate), trusted: true },
      {
        candidate,
        where: `autoconfig.${candidate}`,
        url: `https://autoconfig.${candidate}/mail/config-v1.1.xml`,
        trusted: false,
      },
    ]);
    const result = await firstConfig(context, lookups);
    if (!result.ok) return fail(`MX ${mxHost}: ${result.error}`);
    const { index } = result.value;
    const { candidate, where } = lookups[index] as (typeof lookups)[number];
    const config = await withDatasetFixes(context, result.value.config, candidate);
    const name = config.name ? ` (${config.name})` : '';
    return ok({
      config,
      detail: `Mail for ${context.domain} goes to ${mxHost}: settings for ${candidate} from ${where}${name}`,
    });
  },
};

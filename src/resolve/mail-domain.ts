// Decides what a name with a server label (mail.example.com, www.example.com) is asked about: the name as
// written when it is a mail domain itself (the ISP database or the project's dataset lists it, or it has MX
// records of its own: mail.gunmanet.jp, mail.am0.yahoodns.net), else the domain below it, as the parser read it.
import type { Query } from '../model/settings.js';
import { parseConfigXml } from './lookup/autoconfig-xml.js';
import type { Dns } from './lookup/dns.js';
import type { FetchResult } from './lookup/safe-fetch.js';
import type { ProviderIndex } from './providers/dataset.js';

export interface MailDomainContext {
  dns: Dns;
  providers(): Promise<ProviderIndex>;
  /** Asks the ISP database for a domain (the resolver's own fetch, bounded by its deadline). */
  ispdbEntry(name: string): Promise<FetchResult>;
}

/** True when `name` is a mail domain of its own. A lookup that fails counts as "no": the parser's reading stands. */
export async function isMailDomain(name: string, context: MailDomainContext): Promise<boolean> {
  const no = () => false;
  const checks = [
    context.providers().then((index) => index.byDomain(name) !== undefined, no),
    // MX records of its own: www.example.com as an alias of example.com answers with example.com's MX.
    Promise.all([context.dns.mx(name), context.dns.cname(name)]).then(
      ([records, aliases]) => records.length > 0 && aliases.length === 0,
      no,
    ),
    context.ispdbEntry(name).then((fetched) => fetched.ok && parseConfigXml(fetched.value).ok, no),
  ];
  // The first "yes" decides; all "no" means no.
  return new Promise<boolean>((resolve) => {
    let left = checks.length;
    for (const check of checks)
      check.then((yes) => {
        left -= 1;
        if (yes || left === 0) resolve(yes);
      });
  });
}

/** The query as it should be answered: for the name as written when it is a mail domain itself. */
export function asWritten(query: Query): Query {
  const { givenHost, ...rest } = query;
  return { ...rest, domain: givenHost ?? query.domain };
}

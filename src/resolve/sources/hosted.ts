// Is the domain hosted on the operator's own servers? Yes when its preferred MX host (or the domain itself
// when it has no MX) is one of them, is a CNAME to one, or resolves to one of their addresses. The answer
// then names the server itself: shared hosting certificates cover the server's name, not mail.<domain>.

import { hostedServerName } from '../../messages/answer.js';
import { fail, ok } from '../../model/result.js';
import type { Profile } from './operator-profile.js';
import { preferredMx, type Source, type SourceContext } from './source.js';
import { templateServers } from './template.js';

type HostedOn = { server: Profile['servers'][number]; how: string };

/** Named `profile` in answers and options: the operator profile (MAILSETTINGS_PROFILE) is what it checks. */
export const hosted: Source<'profile'> = {
  name: 'profile',
  label: "the check for the company's own servers",
  async lookup(context) {
    const { profile, domain } = context;
    if (!profile) return fail('no operator profile configured');
    const mx = await preferredMx(context);
    const host = mx ?? domain;
    const hosted = await findServer(context, profile, host);
    if (!hosted) return fail(`${host} is not one of ${profile.provider}'s servers`);

    const { server, how } = hosted;
    const notes = [hostedServerName(domain, server.hostname), ...profile.notes];
    return ok({
      config: {
        name: profile.provider,
        servers: templateServers(server.hostname, profile.ports),
        notOffered: [],
        documentation: profile.supportUrl
          ? [{ url: profile.supportUrl, description: `${profile.provider} help` }]
          : [],
        notes,
      },
      detail: `Hosted by ${profile.provider} on ${server.hostname} (${mx ? `MX ${how}` : how})`,
    });
  },
};

async function findServer(
  context: SourceContext,
  profile: Profile,
  host: string,
): Promise<HostedOn | undefined> {
  const byName = (name: string) => profile.servers.find((server) => server.hostname === name);
  const direct = byName(host);
  if (direct) return { server: direct, how: `${host} is that server` };

  const [cnames, addresses] = await Promise.all([context.dns.cname(host), context.dns.addresses(host)]);
  for (const target of cnames.map((name) => name.toLowerCase().replace(/\.$/, ''))) {
    const server = byName(target);
    if (server) return { server, how: `${host} is an alias of it` };
  }
  for (const address of addresses) {
    const server = profile.servers.find((candidate) => candidate.addresses.includes(address));
    if (server) return { server, how: `${host} resolves to its address ${address}` };
  }
  return undefined;
}

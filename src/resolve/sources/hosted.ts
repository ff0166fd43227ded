// Is the domain hosted on the operator's own servers? Yes when its preferred MX host (or the domain itself
// when it has no MX) is one of them, is a CNAME to one, or resolves to one of their addresses. The answer
// then names the server itself: shared hosting certificates cover the server's name, not mail.<domain>.
import type { Profile } from './operator-profile.js';
import { none, preferredMx, type SourceContext, type SourceResult } from './source.js';
import { templateServers } from './template.js';

type HostedOn = { server: Profile['servers'][number]; how: string };

export async function lookupProfile(context: SourceContext): Promise<SourceResult> {
  const { profile, domain } = context;
  if (!profile) return none('no operator profile configured');
  const mx = await preferredMx(context);
  const host = mx ?? domain;
  const hosted = await findServer(context, profile, host);
  if (!hosted) return none(`${host} is not one of ${profile.provider}'s servers`);

  const { server, how } = hosted;
  const notes = [
    `mail.${domain} may reach the same server, but use it only if its certificate matches that name; ${server.hostname} always matches.`,
    ...profile.notes,
  ];
  return {
    status: 'found',
    found: {
      config: {
        name: profile.provider,
        servers: templateServers(server.hostname, profile.ports),
        notOffered: [],
        documentation: profile.supportUrl
          ? [{ url: profile.supportUrl, description: `${profile.provider} help` }]
          : [],
        notes,
      },
      source: {
        kind: 'profile',
        detail: `Hosted by ${profile.provider} on ${server.hostname} (${mx ? `MX ${how}` : how})`,
      },
    },
  };
}

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

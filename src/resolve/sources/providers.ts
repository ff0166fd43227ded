// The project's own provider dataset (src/resolve/providers): the domain itself when it is one of a
// provider's mail domains (alice@fastmail.fm), else the preferred MX host when it ends in one of a provider's
// MX suffixes (a customer's domain hosted at Hostinger). Ranked below the ISP database's entry for the domain
// itself and above the generic MX guess (ranked.ts says why). A server whose host is %MXHOST% is the
// customer's own MX host, for providers that document exactly that rule (MXroute).
import { enableInMailSettings, passwordNote } from '../../messages/answer.js';
import { fail, ok } from '../../model/result.js';
import { PROTOCOLS, type ProviderConfig, type Server } from '../../model/settings.js';
import { MX_HOST, type PasswordKind, type Provider } from '../providers/dataset.js';
import { PLAIN_HOST, preferredMx, type Source } from './source.js';

const AUTHENTICATION: Record<PasswordKind, string[]> = {
  password: ['password-cleartext'],
  'app-password': ['password-cleartext'],
  'app-password-with-2fa': ['password-cleartext'],
  'modern-or-app-password': ['OAuth2', 'password-cleartext'],
  'modern-only': ['OAuth2'],
  bridge: ['password-cleartext'],
  'webmail-only': [],
};

/** The entry as the resolver's configuration; `mxHost` fills a %MXHOST% server (the entry was found by it). */
export function providerConfig(provider: Provider, mxHost?: string): ProviderConfig {
  const servers: Server[] = provider.servers.map((server) => ({
    type: server.type,
    hostname: server.host === MX_HOST && mxHost ? mxHost : server.host,
    port: server.port,
    security: server.security === 'ssl' ? 'tls' : 'starttls',
    username: server.username === 'address' ? '%EMAILADDRESS%' : '%EMAILLOCALPART%',
    authentication: AUTHENTICATION[provider.password],
    ...(provider.password === 'app-password' ? { appPassword: true as const } : {}),
  }));
  const note = passwordNote(provider.password, provider.name);
  // A protocol without a server is one the provider does not offer; a bridge's or webmail's note says it all.
  const ownWay = provider.password === 'bridge' || provider.password === 'webmail-only';
  const notOffered = ownWay
    ? []
    : PROTOCOLS.filter((type) => !servers.some((server) => server.type === type));
  return {
    name: provider.name,
    servers,
    notOffered,
    ...(provider.enableFirst
      ? { enable: { instructions: [enableInMailSettings(provider.name)], ...helpUrl(provider) } }
      : {}),
    documentation: provider.help ? [{ url: provider.help.url, description: `${provider.name} help` }] : [],
    notes: note ? [note] : [],
  };
}

const helpUrl = (provider: Provider) => (provider.help ? { url: provider.help.url } : {});

export const providers: Source<'providers'> = {
  name: 'providers',
  label: "the bot's own list of mail providers",
  async lookup(context) {
    const index = await context.providers();
    // A domain whose stale ISP database entry the dataset replaces is answered by the replacement.
    const own = index.byDomain(context.domain) ?? index.superseding(context.domain);
    if (own)
      return ok({
        config: providerConfig(own),
        detail: `${own.name}'s published settings (${context.domain} is its own mail domain)`,
      });
    const mxHost = await preferredMx(context);
    if (!mxHost) return fail(`${context.domain} is no provider's own domain and has no MX record`);
    const hosting = index.byMx(mxHost);
    if (!hosting) return fail(`MX ${mxHost} is not one of the listed providers'`);
    const ownServer = hosting.servers.some((server) => server.host === MX_HOST);
    // The MX host becomes a server name in the answer: only a plain host name may (DNS allows any byte).
    if (ownServer && !PLAIN_HOST.test(mxHost)) return fail(`MX ${mxHost} is not a plain host name`);
    return ok({
      config: providerConfig(hosting, mxHost),
      detail: ownServer
        ? `${hosting.name}'s published rule: the mail server is the one ${context.domain}'s MX names (${mxHost})`
        : `${hosting.name}'s published settings (mail for ${context.domain} goes to ${mxHost})`,
    });
  },
};

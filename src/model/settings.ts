// The vocabulary every part of the bot shares: protocols, servers, what a source knows about a provider, the
// question asked, and how people sign in. The answer itself (the `--json` contract) is src/resolve/answer.ts.

export const PROTOCOLS = ['imap', 'pop3', 'smtp'] as const;
export type ServerType = (typeof PROTOCOLS)[number];
export const PROTOCOL_NAMES: Record<ServerType, string> = { imap: 'IMAP', pop3: 'POP', smtp: 'SMTP' };
/** What the user asked for (`pop3` is typed as `pop`); `all` means IMAP, POP and SMTP. */
export const QUESTION_PROTOCOLS = ['imap', 'pop', 'smtp', 'all'] as const;
export type Protocol = (typeof QUESTION_PROTOCOLS)[number];
export type Security = 'tls' | 'starttls' | 'none';
/** How each security setting is named in mail programs' screens. */
export const ENCRYPTION_NAMES: Record<Security, string> = {
  tls: 'SSL/TLS',
  starttls: 'STARTTLS',
  none: 'None (not encrypted)',
};
/** SASL mechanisms that mean "normal password": the setting with SPA unchecked works. */
export const NORMAL_PASSWORD_MECHANISMS: readonly string[] = ['PLAIN', 'LOGIN'];

export interface Server {
  type: ServerType;
  hostname: string;
  port: number;
  security: Security;
  /** The provider's form: `%EMAILADDRESS%`, `%EMAILLOCALPART%`, … or a literal name. */
  username: string;
  /** In the provider's order, as config-v1.1.xml spells them (`password-cleartext`, `OAuth2`, …). */
  authentication: string[];
  /**
   * The provider's password here is an app password, never the usual one (VK, QQ Mail, iCloud): config-v1.1
   * has no word for it, the project's dataset says so (src/resolve/providers).
   */
  appPassword?: true;
}

/**
 * How a person signs in to these servers, from the providers' ordered authentication lists: a normal
 * password; an app password and never the usual one (Server.appPassword); modern sign-in (OAuth2) preferred
 * with a password as the fallback, which at such providers (Gmail, Yahoo, AOL, Fastmail…) means an app
 * password; or modern sign-in only (Microsoft 365).
 */
export type SignIn = 'password' | 'app-password' | 'modern-or-app-password' | 'modern-only';

export function signInOf(servers: Server[]): SignIn {
  const isPassword = (method: string) => method.startsWith('password');
  const prefersModern = (server: Server) => {
    const modern = server.authentication.indexOf('OAuth2');
    const password = server.authentication.findIndex(isPassword);
    return modern >= 0 && (password < 0 || modern < password);
  };
  if (!servers.some(prefersModern))
    return servers.some((server) => server.appPassword) ? 'app-password' : 'password';
  const passwordWorks = servers.some((server) => server.authentication.some(isPassword));
  return passwordWorks ? 'modern-or-app-password' : 'modern-only';
}

/**
 * The provider says this (outgoing) server takes mail without a sign-in: config-v1.1's `none`, or
 * `client-IP-address` (by the network the mail comes from). A server whose methods are not known wants one.
 */
export const takesMailWithoutSignIn = (server: Server): boolean =>
  server.authentication.length > 0 &&
  server.authentication.every((method) => method === 'none' || method === 'client-IP-address');

export interface Link {
  url: string;
  description: string;
}

/** Everything one source knows about a domain's mail, before the question's protocol is applied. */
export interface ProviderConfig {
  /** Human name of the provider ("Google Mail"), when the source gives one. */
  name?: string;
  /** Servers in the provider's order of preference. */
  servers: Server[];
  /** Protocols the source says are not offered (an SRV target of `.`, a provider file without them). */
  notOffered: ServerType[];
  /** "Allow IMAP in your account settings first", with the page where that is done. */
  enable?: { instructions: string[]; url?: string };
  documentation: Link[];
  /** Extra sentences the source wants shown (operator notes, "not encrypted" warnings). */
  notes: string[];
}

export interface Query {
  /** The domain, address or URL as typed. */
  input: string;
  /** ASCII (punycode) domain, lowercase. */
  domain: string;
  email?: string;
  /** The host name typed when the answer is for the domain below it (www.example.com → example.com). */
  givenHost?: string;
  protocol: Protocol;
}

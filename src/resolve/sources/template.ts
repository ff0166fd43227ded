// The hosting template from the company's knowledge-base article: one host, implicit TLS first, STARTTLS
// as the alternative (RFC 8314), the full address as username and a normal password.
import type { ProviderConfig, Security, Server, ServerType } from '../../model/settings.js';

export interface PortChoice {
  port: number;
  security: Security;
}

export const TEMPLATE_PORTS: Record<ServerType, PortChoice[]> = {
  imap: [
    { port: 993, security: 'tls' },
    { port: 143, security: 'starttls' },
  ],
  pop3: [
    { port: 995, security: 'tls' },
    { port: 110, security: 'starttls' },
  ],
  smtp: [
    { port: 465, security: 'tls' },
    { port: 587, security: 'starttls' },
  ],
};

/** Every protocol on one host, with the given (default: the article's) ports. */
export function templateServers(
  hostname: string,
  ports: Record<ServerType, PortChoice[]> = TEMPLATE_PORTS,
): Server[] {
  return (Object.keys(ports) as ServerType[]).flatMap((type) =>
    ports[type].map(({ port, security }) => ({
      type,
      hostname,
      port,
      security,
      username: '%EMAILADDRESS%',
      authentication: ['password-cleartext'],
    })),
  );
}

export function templateConfig(domain: string): ProviderConfig {
  return { servers: templateServers(`mail.${domain}`), notOffered: [], documentation: [], notes: [] };
}

// Converts an answer into the Mozilla autoconfig document (config-v1.1.xml, the IETF "Mail Autoconfig"
// draft) that Thunderbird and other clients read: every server of the answer in its order, usernames kept as
// placeholders (%EMAILADDRESS%), so one document serves every address of the domain.
import type { XMLBuilder } from 'fast-xml-parser';
import type { Security, Server } from '../model/settings.js';
import { xmlLibrary } from '../model/xml.js';
import type { MailSettings } from '../resolve/answer.js';

export interface ConfigXmlOptions {
  /** Shown by the mail program as the provider's name. @default the domain */
  displayName?: string;
}

const SOCKET_TYPES: Record<Security, string> = { tls: 'SSL', starttls: 'STARTTLS', none: 'plain' };

// Text and attribute values are escaped by the builder (processEntities), so no host name can inject markup.
let builder: XMLBuilder | undefined;
const documentBuilder = () =>
  (builder ??= new (xmlLibrary().XMLBuilder)({
    ignoreAttributes: false,
    format: true,
    suppressEmptyNode: true,
  }));

export function settingsToConfigXml(settings: MailSettings, options: ConfigXmlOptions = {}): string {
  const { domain } = settings.query;
  const name = options.displayName ?? domain;
  return documentBuilder().build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    clientConfig: {
      '@_version': '1.1',
      emailProvider: {
        '@_id': domain,
        domain: [domain],
        displayName: name,
        displayShortName: name,
        incomingServer: settings.incoming.map(serverNode),
        outgoingServer: settings.outgoing.map(serverNode),
      },
    },
  });
}

function serverNode(server: Server) {
  return {
    '@_type': server.type,
    hostname: server.hostname,
    port: server.port,
    socketType: SOCKET_TYPES[server.security],
    username: server.username,
    authentication: server.authentication,
  };
}

// Outlook's POX Autodiscover for IMAP/POP/SMTP accounts ([MS-OXDSCLI]; learn.microsoft.com "POX Autodiscover
// XML elements"): reads the address from a request and writes the Account/Protocol response. The request is
// parsed by a real XML parser after every document type declaration is refused, so no entity is expanded.
import type { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { fail, ok, type Result } from '../model/result.js';
import { type Security, type Server, takesMailWithoutSignIn } from '../model/settings.js';
import { xmlLibrary } from '../model/xml.js';
import { describeUsername } from '../reply/reply.js';
import type { MailSettings } from '../resolve/answer.js';

const RESPONSE_ROOT = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
export const OUTLOOK_SCHEMA =
  'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';
const TYPES = { imap: 'IMAP', pop3: 'POP3', smtp: 'SMTP' } as const;
/** [MS-OXDSCLI] Encryption, which newer Outlook reads instead of SSL: "TLS" is STARTTLS. */
const ENCRYPTION: Record<Security, string> = { tls: 'SSL', starttls: 'TLS', none: 'None' };

let parser: XMLParser | undefined;
let builder: XMLBuilder | undefined;
const requestParser = () =>
  (parser ??= new (xmlLibrary().XMLParser)({ removeNSPrefix: true, parseTagValue: false, trimValues: true }));
const responseBuilder = () =>
  (builder ??= new (xmlLibrary().XMLBuilder)({ ignoreAttributes: false, format: true }));

/** The address asked about, or a short reason the request is not one Outlook would send. */
export function parseAutodiscoverRequest(body: string): Result<string> {
  if (/<!(doctype|entity)/i.test(body)) return fail('XML with a document type declaration is not accepted.');
  const text = body.replace(/^\uFEFF/, '');
  if (text.trim() === '') return fail('The request body is empty: send an Autodiscover request.');
  if (xmlLibrary().XMLValidator.validate(text) !== true)
    return fail('The request body is not well-formed XML.');
  let parsed: { Autodiscover?: { Request?: Record<string, unknown> } };
  try {
    parsed = requestParser().parse(text);
  } catch {
    // Valid XML the parser still refuses (nested past its limit): no request Outlook sends.
    return fail('The request body is not well-formed XML.');
  }
  const request = parsed.Autodiscover?.Request;
  if (typeof request !== 'object' || request === null) {
    return fail('This is not an Autodiscover request: expected <Autodiscover><Request>.');
  }
  const schema = request.AcceptableResponseSchema;
  if (schema !== undefined && schema !== OUTLOOK_SCHEMA) {
    return fail(`Only the Outlook response schema (${OUTLOOK_SCHEMA}) is offered here.`);
  }
  const address = request.EMailAddress;
  if (typeof address !== 'string' || !address.includes('@')) {
    return fail('The request has no EMailAddress: put the address to set up in <EMailAddress>.');
  }
  return ok(address);
}

/** The response for `email`: the best server of each type, IMAP before POP3, then SMTP. */
export function settingsToAutodiscoverXml(settings: MailSettings, email: string): string {
  const servers = (['imap', 'pop3', 'smtp'] as const).flatMap((type) => {
    const best = [...settings.incoming, ...settings.outgoing].find((server) => server.type === type);
    return best ? [best] : [];
  });
  return responseBuilder().build({
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    Autodiscover: {
      '@_xmlns': RESPONSE_ROOT,
      Response: {
        '@_xmlns': OUTLOOK_SCHEMA,
        Account: {
          AccountType: 'email',
          Action: 'settings',
          Protocol: servers.map((server) => protocolNode(server, email)),
        },
      },
    },
  });
}

function protocolNode(server: Server, email: string) {
  return {
    Type: TYPES[server.type],
    Server: server.hostname,
    Port: server.port,
    ...(takesMailWithoutSignIn(server) ? {} : { LoginName: describeUsername(server.username, email) }),
    DomainRequired: 'off',
    SPA: 'off',
    SSL: server.security === 'none' ? 'off' : 'on',
    Encryption: ENCRYPTION[server.security],
    AuthRequired: takesMailWithoutSignIn(server) ? 'off' : 'on',
  };
}

// Converts a Mozilla autoconfig file (config-v1.1.xml, the IETF "Mail Autoconfig" draft) into a ProviderConfig.
import type { XMLParser } from 'fast-xml-parser';
import { fail, ok, type Result } from '../../model/result.js';
import {
  type Link,
  PROTOCOLS,
  type ProviderConfig,
  type Security,
  type Server,
  type ServerType,
} from '../../model/settings.js';
import { xmlLibrary } from '../../model/xml.js';

export interface ParsedConfig extends ProviderConfig {
  id?: string;
  domains: string[];
}

export type ParseResult = Result<ParsedConfig, string>;

type XmlNode = Record<string, unknown>;

const REPEATED = new Set([
  'emailProvider',
  'domain',
  'incomingServer',
  'outgoingServer',
  'authentication',
  'documentation',
  'descr',
  'instruction',
  'enable',
]);
/** A provider's name, as long as any real one's. */
const MAX_NAME = 100;
const INCOMING: readonly ServerType[] = ['imap', 'pop3'];
const OUTGOING: readonly ServerType[] = ['smtp'];
// RFC 8314 implicit-TLS ports: a client speaking plaintext there just hangs, so TLS is the only setting that works.
const IMPLICIT_TLS_PORTS = new Set([993, 995, 465]);
const SOCKET_TYPES: Record<string, Security> = { ssl: 'tls', starttls: 'starttls', plain: 'none' };

let parser: XMLParser | undefined;
const configParser = () =>
  (parser ??= new (xmlLibrary().XMLParser)({
    ignoreAttributes: false,
    parseTagValue: false,
    trimValues: true,
    isArray: (tagName, _jPath, _isLeaf, isAttribute) => !isAttribute && REPEATED.has(tagName),
  }));

/** Parses a Mozilla autoconfig file (config-v1.1.xml, the IETF "Mail Autoconfig" draft / Thunderbird ISP database format). */
export function parseConfigXml(xml: string): ParseResult {
  // Refusing every DTD up front means no entity, internal or external, can ever be expanded.
  if (/<!(doctype|entity)/i.test(xml)) {
    return fail('XML with a document type declaration is not accepted');
  }
  const text = xml.replace(/^\uFEFF/, '');
  if (text.trim() === '') return fail('empty document');
  const valid = xmlLibrary().XMLValidator.validate(text);
  if (valid !== true) return fail(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);

  let doc: unknown;
  try {
    doc = configParser().parse(text);
  } catch (err) {
    return fail(`not well-formed XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  // The validator accepts several top-level elements, so the single root is checked here.
  const roots = isNode(doc) ? Object.keys(doc).filter((key) => !key.startsWith('?')) : [];
  const root =
    isNode(doc) && roots.length === 1 && roots[0] === 'clientConfig' ? doc.clientConfig : undefined;
  const provider = isNode(root) ? listOf(root.emailProvider).find(isNode) : undefined;
  if (!isNode(root) || !provider) return fail('not a mail autoconfig file');

  const declared = [...listOf(provider.incomingServer), ...listOf(provider.outgoingServer)].map((node) =>
    attrOf(node, 'type')?.toLowerCase(),
  );
  const servers = [
    ...readServers(provider.incomingServer, INCOMING),
    ...readServers(provider.outgoingServer, OUTGOING),
  ];
  const id = attrOf(provider, 'id');
  // A name, not a text: a file's longer one (anyone may publish one) is cut where no provider's is.
  const named = textOf(provider.displayName) || textOf(provider.displayShortName);
  const name = named && [...named].slice(0, MAX_NAME).join('');
  const enable = readEnable([...listOf(provider.enable), ...listOf(root.enable)]);
  const config: ParsedConfig = {
    ...(id ? { id } : {}),
    domains: listOf(provider.domain)
      .map((node) => textOf(node)?.toLowerCase() ?? '')
      .filter(Boolean),
    ...(name ? { name } : {}),
    servers,
    // Judged by what the file declares, not by what survived validation: a broken IMAP entry is not "no IMAP".
    notOffered: PROTOCOLS.filter((protocol) => !declared.includes(protocol)),
    ...(enable ? { enable } : {}),
    documentation: listOf(provider.documentation).flatMap(readDocumentation),
    notes: [],
  };
  return ok(config);
}

/**
 * Fills the placeholders a provider file may use in what people read (display name, host names, instructions,
 * links) for the domain asked about. Usernames keep theirs: they are forms, filled per asker later.
 */
export function fillPlaceholders(config: ParsedConfig, domain: string): ParsedConfig {
  const fill = (text: string) =>
    text
      .replaceAll('%EMAILDOMAIN%', domain)
      .replaceAll('%EMAILADDRESS%', 'your email address')
      .replaceAll('%EMAILLOCALPART%', 'your user name');
  const { name, enable } = config;
  return {
    ...config,
    ...(name ? { name: fill(name) } : {}),
    servers: config.servers.map((server) => ({
      ...server,
      hostname: server.hostname.replaceAll('%EMAILDOMAIN%', domain),
    })),
    ...(enable
      ? {
          enable: {
            instructions: enable.instructions.map(fill),
            ...(enable.url ? { url: fill(enable.url) } : {}),
          },
        }
      : {}),
    documentation: config.documentation.map((link) => ({
      url: fill(link.url),
      description: fill(link.description),
    })),
  };
}

function readServers(nodes: unknown, types: readonly ServerType[]): Server[] {
  return listOf(nodes).flatMap((node) => {
    const declared = attrOf(node, 'type')?.toLowerCase();
    const type = types.find((known) => known === declared);
    if (!isNode(node) || !type) return [];
    const server = readServer(node, type);
    return server ? [server] : [];
  });
}

function readServer(node: XmlNode, type: ServerType): Server | undefined {
  const hostname = keepPlaceholders(textOf(node.hostname)?.trim().toLowerCase() ?? '');
  const port = readPort(textOf(node.port));
  if (!hostname || port === undefined) return undefined;
  return {
    type,
    hostname,
    port,
    security: readSecurity(textOf(node.socketType), port),
    username: closePlaceholders(textOf(node.username) || '%EMAILADDRESS%'),
    authentication: listOf(node.authentication)
      .map((item) => textOf(item) ?? '')
      .filter(Boolean),
  };
}

function readPort(text: string | undefined): number | undefined {
  if (!text || !/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function readSecurity(socketType: string | undefined, port: number): Security {
  const known = socketType ? SOCKET_TYPES[socketType.toLowerCase()] : undefined;
  return known ?? (IMPLICIT_TLS_PORTS.has(port) ? 'tls' : 'none');
}

/** Real files contain `%EMAILADDRESS` without its closing percent; Thunderbird tolerates it, a naive substitution would not. */
function closePlaceholders(username: string): string {
  return username.replace(/%(EMAILADDRESS|EMAILLOCALPART|EMAILDOMAIN)(?!%)/g, '%$1%');
}

/** Lower-casing a hostname must not turn `mail.%EMAILDOMAIN%` into an unrecognised `%emaildomain%`. */
function keepPlaceholders(hostname: string): string {
  return hostname.replace(/%email(address|localpart|domain)%/g, (placeholder) => placeholder.toUpperCase());
}

function readEnable(nodes: unknown[]): ProviderConfig['enable'] {
  const instructions = nodes.flatMap((node) =>
    isNode(node) ? listOf(node.instruction).filter(isEnglish).map(textOf).filter(isPresent) : [],
  );
  const url = nodes.map((node) => attrOf(node, 'visiturl')).find(isPresent);
  if (instructions.length === 0 && !url) return undefined;
  return url ? { instructions, url } : { instructions };
}

function readDocumentation(node: unknown): Link[] {
  const url = attrOf(node, 'url');
  if (!isNode(node) || !url) return [];
  const descrs = listOf(node.descr);
  const description = textOf(descrs.find(isEnglish)) || textOf(descrs[0]) || url;
  return [{ url, description }];
}

/** No `lang` means the default (English) text; `en-US` is English too (uol.com.br uses it). */
function isEnglish(node: unknown): boolean {
  const lang = attrOf(node, 'lang')?.toLowerCase();
  return lang === undefined || lang === 'en' || lang.startsWith('en-');
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPresent(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * An element's text on one line: every value of the format is a line (a name, a host, a sentence), and a line
 * break a file slips into one must not start a line of the answer ("Incoming mail server: …") of its own.
 */
function textOf(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  const text = isNode(first) ? first['#text'] : first;
  return typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : undefined;
}

function attrOf(value: unknown, name: string): string | undefined {
  const attr = isNode(value) ? value[`@_${name}`] : undefined;
  return typeof attr === 'string' ? attr : undefined;
}

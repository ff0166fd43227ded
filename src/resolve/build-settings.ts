// Applies a question to what a source found: keeps only the asked protocols, orders each by RFC 8314
// (implicit TLS, then STARTTLS, cleartext only when nothing else exists) and collects the notes to show.

import { givenHostNote } from '../messages/question.js';
import {
  type MailSettings,
  PROTOCOL_NAMES,
  type ProviderConfig,
  type Query,
  type Server,
  type ServerType,
  type Source,
  signInOf,
} from '../model/settings.js';

export interface Found {
  config: ProviderConfig;
  source: Source;
}

const SECURITY_RANK = { tls: 0, starttls: 1, none: 2 } as const;
const INCOMING: Record<Query['protocol'], ServerType[]> = {
  imap: ['imap'],
  pop: ['pop3'],
  smtp: [],
  all: ['imap', 'pop3'],
};

export function buildSettings(
  query: Query,
  { config, source }: Found,
  extraNotes: string[] = [],
): MailSettings {
  const pick = (type: ServerType) => orderServers(config.servers.filter((server) => server.type === type));
  const incoming = INCOMING[query.protocol].flatMap(pick);
  const outgoing = pick('smtp');
  const asked: ServerType[] = [...INCOMING[query.protocol], 'smtp'];
  return {
    query,
    incoming,
    outgoing,
    source,
    notes: [
      ...config.notes,
      ...availabilityNotes(config, asked, query),
      ...providerNotes(config, [...incoming, ...outgoing]),
      ...extraNotes,
      ...(query.givenHost ? [givenHostNote(query.givenHost, query.domain)] : []),
    ],
  };
}

/** Stable sort keeps the provider's order among equals; cleartext is dropped when TLS is on offer. */
function orderServers(servers: Server[]): Server[] {
  const secure = servers.filter((server) => server.security !== 'none');
  const kept = secure.length > 0 ? secure : servers;
  return [...kept].sort((a, b) => SECURITY_RANK[a.security] - SECURITY_RANK[b.security]);
}

function availabilityNotes(config: ProviderConfig, asked: ServerType[], query: Query): string[] {
  const notes: string[] = [];
  const who = config.name ?? query.domain;
  for (const type of asked) {
    const servers = config.servers.filter((server) => server.type === type);
    if (servers.length === 0 && config.notOffered.includes(type)) {
      const instead = query.protocol === 'all' || type === 'smtp' ? '' : alternative(config, type);
      notes.push(`${who} does not offer ${PROTOCOL_NAMES[type]}.${instead}`);
    } else if (servers.length > 0 && servers.every((server) => server.security === 'none')) {
      notes.push(
        `${who} only offers ${PROTOCOL_NAMES[type]} without encryption: the password travels in clear text. Use it only if there is no other way.`,
      );
    }
  }
  return notes;
}

function alternative(config: ProviderConfig, type: ServerType): string {
  const other: ServerType = type === 'imap' ? 'pop3' : 'imap';
  return config.servers.some((server) => server.type === other)
    ? ` Use ${PROTOCOL_NAMES[other]} instead (ask for "${other === 'pop3' ? 'pop' : 'imap'}").`
    : '';
}

function providerNotes(config: ProviderConfig, shown: Server[]): string[] {
  const notes: string[] = [];
  const who = config.name ?? 'This provider';
  if (config.enable && config.enable.instructions.length > 0) {
    const where = config.enable.url ? ` (${config.enable.url})` : '';
    notes.push(`Before you start: ${config.enable.instructions.join(' ')}${where}`);
  }
  const signIn = signInOf(shown);
  if (signIn === 'modern-only') {
    notes.push(
      `${who} needs modern sign-in (OAuth2): a password alone will not work. Use a mail program that can sign in with ${who}.`,
    );
  } else if (signIn === 'modern-or-app-password') {
    notes.push(
      `${who} prefers modern sign-in (OAuth2): choose "Sign in with ${who}" or OAuth2 in your mail program. If it only asks for a password, create an app password in your account's security settings and use that; your usual password is usually refused.`,
    );
  }
  const [doc] = config.documentation;
  if (doc)
    notes.push(
      `Provider's help: ${doc.description === doc.url ? doc.url : `${doc.description}: ${doc.url}`}`,
    );
  return notes;
}

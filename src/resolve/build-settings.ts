// Applies a question to what a source found: keeps only the asked protocols, orders each by RFC 8314
// (implicit TLS, then STARTTLS, cleartext only when nothing else exists) and collects the notes to show.
import * as words from '../messages/answer.js';
import {
  type ProviderConfig,
  type Query,
  type Server,
  type ServerType,
  signInOf,
} from '../model/settings.js';
import type { MailSettings } from './answer.js';

const SECURITY_RANK = { tls: 0, starttls: 1, none: 2 } as const;
const INCOMING: Record<Query['protocol'], ServerType[]> = {
  imap: ['imap'],
  pop: ['pop3'],
  smtp: [],
  all: ['imap', 'pop3'],
};

export function buildSettings(
  query: Query,
  config: ProviderConfig,
  source: MailSettings['source'],
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
      ...(query.givenHost ? [words.givenHostNote(query.givenHost, query.domain)] : []),
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
      const instead = query.protocol === 'all' || type === 'smtp' ? undefined : alternative(config, type);
      notes.push(words.notOffered(who, type, instead));
    } else if (servers.length > 0 && servers.every((server) => server.security === 'none')) {
      notes.push(words.onlyCleartext(who, type));
    }
  }
  return notes;
}

function alternative(config: ProviderConfig, type: ServerType): ServerType | undefined {
  const other: ServerType = type === 'imap' ? 'pop3' : 'imap';
  return config.servers.some((server) => server.type === other) ? other : undefined;
}

function providerNotes(config: ProviderConfig, shown: Server[]): string[] {
  const notes: string[] = [];
  const who = config.name ?? 'This provider';
  if (config.enable && config.enable.instructions.length > 0) {
    notes.push(words.enableFirst(config.enable.instructions, config.enable.url));
  }
  const signIn = words.signInNote(signInOf(shown), who);
  if (signIn) notes.push(signIn);
  const [doc] = config.documentation;
  if (doc) notes.push(words.providerHelp(doc.url, doc.description));
  return notes;
}

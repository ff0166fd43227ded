// Turns an answer into the platform-neutral reply every front end renders: a title, one section per server
// role with the knowledge-base wording, notes and a source line. Also the plain-text rendering, which is
// the CLI's output and every chat reply's fallback text.

import { noSettingsSource, noSettingsTitle } from '../messages/answer.js';
import {
  ENCRYPTION_NAMES,
  PROTOCOL_NAMES,
  type Server,
  type SignIn,
  signInOf,
  takesMailWithoutSignIn,
} from '../model/settings.js';
import type { MailSettings } from '../resolve/answer.js';

export interface ReplyField {
  label: string;
  value: string;
}
export interface ReplySection {
  title: string;
  fields: ReplyField[];
}
export interface Reply {
  title: string;
  sections: ReplySection[];
  notes: string[];
  /** Where the answer came from, one short line. */
  source: string;
}

const PASSWORD: Record<SignIn, string> = {
  password: 'your email password (normal password)',
  'app-password': 'an app password, not your usual password (see the notes)',
  'modern-or-app-password':
    'modern sign-in (OAuth2) if your mail program offers it, otherwise an app password (see the notes)',
  'modern-only': 'modern sign-in (OAuth2), see the notes',
};
/** A provider whose outgoing server takes mail without a sign-in refuses one (AUTH not offered). */
const NO_SEND_SIGN_IN = 'unchecked: your provider’s outgoing server takes mail without a sign-in';
const NO_PASSWORD = 'none: your provider’s outgoing server takes mail without a sign-in';
const ASKED = { imap: 'IMAP', pop: 'POP', smtp: 'SMTP', all: 'IMAP, POP and SMTP' } as const;
/** At most this many alternatives per role: the reply is for copying into a mail program, not a survey. */
const MAX_ALTERNATIVES = 2;

export function settingsToReply(settings: MailSettings): Reply {
  const { query } = settings;
  // A domain that does not exist (a case's staff may still send it): the sentence instead of settings.
  if (settings.source.kind === 'missing')
    return {
      title: noSettingsTitle(query.domain),
      sections: [],
      notes: [settings.source.detail],
      source: noSettingsSource(query.domain),
    };
  const incomingTypes = [...new Set(settings.incoming.map((server) => server.type))];
  const sections = [
    ...incomingTypes.map((type) =>
      serverSection(
        `Incoming mail server (${PROTOCOL_NAMES[type]})`,
        'Incoming',
        settings.incoming.filter((server) => server.type === type),
        query.email,
      ),
    ),
    ...(settings.outgoing.length > 0
      ? [serverSection('Outgoing mail server (SMTP)', 'Outgoing', settings.outgoing, query.email)]
      : []),
  ];
  if (sections.length > 0) sections.push(signInSection(settings));
  return {
    title: `Mail settings for ${query.domain} (${ASKED[query.protocol]})`,
    sections,
    notes: settings.notes,
    source: `Source: ${settings.source.detail}`,
  };
}

function serverSection(title: string, role: string, servers: Server[], email?: string): ReplySection {
  const [first, ...rest] = servers as [Server, ...Server[]];
  const fields: ReplyField[] = [
    { label: `${role} mail server`, value: first.hostname },
    { label: `${role} mail port`, value: String(first.port) },
    { label: 'Encryption method', value: ENCRYPTION_NAMES[first.security] },
  ];
  const alternatives = rest.slice(0, MAX_ALTERNATIVES).map((server) => {
    const where =
      server.hostname === first.hostname ? `port ${server.port}` : `${server.hostname} port ${server.port}`;
    return `${where} with ${ENCRYPTION_NAMES[server.security]}`;
  });
  if (alternatives.length > 0) fields.push({ label: 'Alternative', value: alternatives.join('; ') });
  fields.push({ label: 'Username', value: describeUsername(first.username, email) });
  return { title, fields };
}

function signInSection(settings: MailSettings): ReplySection {
  const [incoming] = settings.incoming;
  const [outgoing, ...alternatives] = settings.outgoing;
  // An answer for sending alone, to a server that takes mail without a sign-in, has no password to type.
  const signing = [...settings.incoming, ...settings.outgoing].filter(
    (server) => !takesMailWithoutSignIn(server),
  );
  const fields: ReplyField[] = [
    { label: 'Password', value: signing.length > 0 ? PASSWORD[signInOf(signing)] : NO_PASSWORD },
    { label: 'Require logon using Secure Password Authentication (SPA)', value: 'unchecked' },
  ];
  if (outgoing) {
    // "Same as incoming" is a setting of its own in Outlook: only where the username is the same.
    const same = !incoming || incoming.username === outgoing.username;
    const as = describeUsername(outgoing.username, settings.query.email);
    const checked = same ? 'checked, same as incoming' : `checked, with ${as} as the username`;
    // The alternatives the answer lists may want a sign-in where the first does not (port 587 beside 25).
    const alternative = alternatives
      .slice(0, MAX_ALTERNATIVES)
      .find((server) => !takesMailWithoutSignIn(server));
    fields.push({
      label: 'My outgoing server (SMTP) requires authentication',
      value: !takesMailWithoutSignIn(outgoing)
        ? checked
        : alternative
          ? `${NO_SEND_SIGN_IN} on port ${outgoing.port}; ${checked} for port ${alternative.port}`
          : NO_SEND_SIGN_IN,
    });
  }
  return { title: 'Sign-in', fields };
}

/** An address without its sub-address tag (RFC 5233): alice+news@example.com → alice@example.com. */
export const withoutTag = (address: string) => address.replace(/(?<=^[^@+]+)\+[^@]*(?=@)/, '');

/** Fills the provider's username form with the asker's address, or explains it when none was given. */
export function describeUsername(form: string, email?: string): string {
  if (email) {
    // A tag only sorts mail: the mailbox signs in without it.
    const mailbox = withoutTag(email);
    const [local = '', domain = ''] = mailbox.split('@');
    return form
      .replaceAll('%EMAILADDRESS%', mailbox)
      .replaceAll('%EMAILLOCALPART%', local)
      .replaceAll('%EMAILDOMAIN%', domain);
  }
  if (form === '%EMAILADDRESS%') return 'your full email address (name@domain)';
  if (form === '%EMAILLOCALPART%') return 'the part of your email address before the @';
  return form
    .replaceAll('%EMAILADDRESS%', '<your email address>')
    .replaceAll('%EMAILLOCALPART%', '<the part before the @>')
    .replaceAll('%EMAILDOMAIN%', '<your domain>');
}

/** Shortens text to `max` characters, marking the cut, so a renderer can keep a platform's limit. */
export function clip(text: string, max: number): string {
  if (max <= 0) return '';
  return text.length <= max ? text : `${text.slice(0, whole(text, max - 1))}…`;
}

/** `at`, or one before when it falls between the halves of a character beyond the BMP (an emoji); never 0. */
const whole = (text: string, at: number) => {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff && at > 1 ? at - 1 : at;
};

/**
 * Splits text into pieces of at most `max` characters once each is escaped for its platform (`escaped`), at a line
 * break or a space when there is one, so a renderer can send a long message as several instead of cutting it.
 * Each piece is escaped on its own: an escape is never cut in two, and a piece never starts inside markup the
 * one before it opened (a URL cut in two is two texts, the second escaped like any other).
 */
export function splitText(text: string, max: number, escaped: (text: string) => string = (t) => t): string[] {
  const pieces: string[] = [];
  let rest = text;
  // Escaping never shortens text: what is longer than `max` does not fit, and only a start of it is escaped.
  const fitting = (length: number) => escaped(rest.slice(0, length)).length <= max;
  while (rest.length > max || !fitting(rest.length)) {
    // The longest start of the rest whose escape fits: all of `max` characters (plain text), or found by halves.
    let [fits, tooLong] = [0, Math.min(rest.length, max) + 1];
    if (fitting(tooLong - 1)) fits = tooLong - 1;
    while (tooLong - fits > 1) {
      const middle = (fits + tooLong) >> 1;
      if (fitting(middle)) fits = middle;
      else tooLong = middle;
    }
    const window = rest.slice(0, fits);
    const cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const at = cut > fits / 2 ? cut : whole(rest, Math.max(fits, 1));
    pieces.push(escaped(rest.slice(0, at)));
    rest = rest.slice(at).replace(/^[\n ]/, '');
  }
  pieces.push(escaped(rest));
  return pieces;
}

/** Plain text: what the CLI prints and every chat message's notification/screen-reader fallback. */
export function replyToText(reply: Reply): string {
  const lines = [reply.title];
  for (const section of reply.sections) {
    lines.push('', section.title);
    for (const field of section.fields) lines.push(`  ${field.label}: ${field.value}`);
  }
  if (reply.notes.length > 0) lines.push('', 'Notes:', ...reply.notes.map((note) => `  - ${note}`));
  lines.push('', reply.source);
  return lines.join('\n');
}

/**
 * As much of a reply as the first `max` characters of its text can show (`replyToText` of it begins as that of
 * the whole reply does): a renderer's fallback text costs what it shows, however huge the reply.
 */
export function replyHead(reply: Reply, max: number): Reply {
  const cut = (text: string) => text.slice(0, max + 1);
  return {
    ...reply,
    title: cut(reply.title),
    sections: reply.sections.slice(0, max).map((section) => ({
      ...section,
      title: cut(section.title),
      fields: section.fields
        .slice(0, max)
        .map((field) => ({ ...field, label: cut(field.label), value: cut(field.value) })),
    })),
    notes: reply.notes.slice(0, max).map(cut),
    source: cut(reply.source),
  };
}

// Just enough of each mail protocol to check a server without logging in: read the greeting, ask what it
// offers (IMAP CAPABILITY, POP3 CAPA, SMTP EHLO), ask for STARTTLS/STLS, and say goodbye (LOGOUT, QUIT).
// A greeting is only trusted (and shown) once it is recognised as one of the three.
import type { ServerType } from '../model/settings.js';
import { type MailSession, SessionError } from './session.js';

export interface Offer {
  starttls: boolean;
  /** SASL mechanisms, plus LOGIN where the protocol's own plain login is allowed (IMAP LOGIN, POP3 USER). */
  mechanisms: string[];
}

export interface Dialect {
  /** Reads the greeting's last line, whatever it says (readGreeting judges it). */
  greet(session: MailSession): Promise<string>;
  offer(session: MailSession): Promise<Offer>;
  /** Asks to start TLS; true when the server agreed. */
  askStartTls(session: MailSession): Promise<boolean>;
  goodbye(session: MailSession): Promise<void>;
}

export interface Greeting {
  type: ServerType;
  /** False when the server turns the client away (IMAP BYE, POP3 -ERR, SMTP 4xx/5xx such as 554). */
  welcome: boolean;
}

const GREETINGS: [RegExp, Greeting][] = [
  [/^\* (OK|PREAUTH)\b/i, { type: 'imap', welcome: true }],
  [/^\* BYE\b/i, { type: 'imap', welcome: false }],
  [/^\+OK\b/i, { type: 'pop3', welcome: true }],
  [/^-ERR\b/i, { type: 'pop3', welcome: false }],
  [/^220([ -]|$)/, { type: 'smtp', welcome: true }],
  [/^[45]\d\d([ -]|$)/, { type: 'smtp', welcome: false }],
];

/** Which mail protocol a greeting line belongs to; undefined for anything else (SSH, HTTP, a database). */
export function readGreeting(line: string): Greeting | undefined {
  return GREETINGS.find(([pattern]) => pattern.test(line))?.[1];
}

const last = (lines: string[]): string => lines.at(-1) ?? '';
const unique = (values: string[]) => [...new Set(values.map((value) => value.toUpperCase()))];

const imap: Dialect = {
  greet: async (session) => last(await session.reply(() => true)),
  async offer(session) {
    session.send('c1 CAPABILITY');
    const words = (await session.reply((line) => line.startsWith('c1 ')))
      .filter((line) => /^\* CAPABILITY /i.test(line))
      .flatMap((line) => line.split(' ').slice(2));
    const upper = words.map((word) => word.toUpperCase());
    const sasl = upper.filter((word) => word.startsWith('AUTH=')).map((word) => word.slice(5));
    return {
      starttls: upper.includes('STARTTLS'),
      mechanisms: unique([...sasl, ...(upper.includes('LOGINDISABLED') ? [] : ['LOGIN'])]),
    };
  },
  async askStartTls(session) {
    session.send('c2 STARTTLS');
    return /^c2 OK/i.test((await session.reply((line) => line.startsWith('c2 '))).at(-1) ?? '');
  },
  async goodbye(session) {
    session.send('c9 LOGOUT');
    await session.reply((line) => line.startsWith('c9 '));
  },
};

const pop3: Dialect = {
  greet: async (session) => last(await session.reply(() => true)),
  async offer(session) {
    session.send('CAPA');
    const [status, ...lines] = await session.reply((line) => line === '.' || line.startsWith('-ERR'));
    if (!status?.startsWith('+OK')) return { starttls: false, mechanisms: [] };
    const upper = lines.map((line) => line.toUpperCase());
    const sasl = upper.filter((line) => line.startsWith('SASL ')).flatMap((line) => line.split(' ').slice(1));
    return {
      starttls: upper.includes('STLS'),
      mechanisms: unique([...sasl, ...(upper.includes('USER') ? ['LOGIN'] : [])]),
    };
  },
  async askStartTls(session) {
    session.send('STLS');
    return /^\+OK/i.test((await session.reply(() => true))[0] ?? '');
  },
  async goodbye(session) {
    session.send('QUIT');
    await session.reply(() => true);
  },
};

const smtpLast = (line: string) => /^\d{3}( |$)/.test(line);
const smtp: Dialect = {
  // A multi-line greeting continues with "220-"; any other line ends it (or shows it is not SMTP).
  greet: async (session) => last(await session.reply((line) => !/^\d{3}-/.test(line))),
  async offer(session) {
    session.send('EHLO mailsettings.invalid');
    const lines = await session.reply(smtpLast);
    if (!lines.some((line) => /^250[- ]/.test(line))) {
      // A mail server that turns EHLO down says so as SMTP does: an enhanced status code ("550 5.7.1 …"), 421,
      // or 500/502 from one that knows only HELO. Anything else (an FTP server's "530 Please login") is none.
      const reply = lines.at(-1) ?? '';
      const smtp = /^\d{3}[ -][245]\.\d{1,3}\.\d{1,3}\b/.test(reply) || /^(?:421|500|502)\b/.test(reply);
      if (!smtp) throw new SessionError('no-ehlo', 'it does not answer EHLO as a mail server does');
      throw new SessionError('ehlo-refused', `it turned our EHLO down (${reply.slice(0, 120)})`);
    }
    const keywords = lines.filter((line) => /^250[- ]/.test(line)).map((line) => line.slice(4).toUpperCase());
    const auth = keywords
      .filter((line) => /^AUTH[ =]/.test(line))
      .flatMap((line) => line.slice(5).split(' '));
    return { starttls: keywords.includes('STARTTLS'), mechanisms: unique(auth.filter(Boolean)) };
  },
  async askStartTls(session) {
    session.send('STARTTLS');
    return /^220/.test((await session.reply(smtpLast)).at(-1) ?? '');
  },
  async goodbye(session) {
    session.send('QUIT');
    await session.reply(smtpLast);
  },
};

export const DIALECTS: Record<ServerType, Dialect> = { imap, pop3, smtp };

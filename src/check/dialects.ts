// Just enough of each mail protocol to check a server without logging in: read the greeting, ask what it
// offers (IMAP CAPABILITY, POP3 CAPA, SMTP EHLO), ask for STARTTLS/STLS, and say goodbye (LOGOUT, QUIT).
import type { ServerType } from '../settings.js';
import type { MailSession } from './session.js';

export interface Offer {
  starttls: boolean;
  /** SASL mechanisms, plus LOGIN where the protocol's own plain login is allowed (IMAP LOGIN, POP3 USER). */
  mechanisms: string[];
}

export interface Dialect {
  /** Reads the greeting; throws when the server does not greet like this protocol. */
  greet(session: MailSession): Promise<string>;
  offer(session: MailSession): Promise<Offer>;
  /** Asks to start TLS; true when the server agreed. */
  askStartTls(session: MailSession): Promise<boolean>;
  goodbye(session: MailSession): Promise<void>;
}

const expectStart = (lines: string[], prefix: RegExp, what: string): string => {
  const line = lines.at(-1) ?? '';
  if (!prefix.test(line)) throw new Error(`unexpected ${what}: ${line.slice(0, 120)}`);
  return line;
};
const unique = (values: string[]) => [...new Set(values.map((value) => value.toUpperCase()))];

const imap: Dialect = {
  greet: async (session) =>
    expectStart(await session.reply(() => true), /^\* (OK|PREAUTH)/i, 'IMAP greeting'),
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
  greet: async (session) => expectStart(await session.reply(() => true), /^\+OK/i, 'POP3 greeting'),
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
  greet: async (session) =>
    expectStart(await session.reply((line) => !/^\d{3}-/.test(line)), /^220/, 'SMTP greeting'),
  async offer(session) {
    session.send('EHLO mailsettings.invalid');
    const lines = await session.reply(smtpLast);
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

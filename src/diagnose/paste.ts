// Reads what a customer pasted before anything else looks at it: a paste far longer than any error message is
// refused by its length alone; terminal escapes and other control characters become spaces; and passwords are
// cut out (a "password: …" or "pass=…" field, a URL's user:password, IMAP LOGIN's and POP3 PASS's last word,
// and the base64 of SMTP AUTH PLAIN / AUTH LOGIN and IMAP AUTHENTICATE), so they are never matched, echoed,
// logged or stored. Every pattern is one linear pass.
import { fail, ok, type Result } from '../model/result.js';

/** Longer pastes are refused: a whole error message, server reply included, fits easily. */
export const MAX_PASTE = 4000;

export type PasteProblem = { code: 'too-long'; length: number } | { code: 'empty' };

export interface Paste {
  text: string;
  /** Something that looked like a password was cut out. */
  redacted: boolean;
}

const REMOVED = '[removed]';
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes are what is removed here
const ESCAPES = /\u001b\[[0-?]{0,32}[ -/]{0,8}[@-~]|\u001b[@-_]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above; tab and newline stay
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Each one keeps its first group and replaces the second (the secret). */
const SECRETS: RegExp[] = [
  /\b((?:pass(?:word|wd)?|pwd|passwort|kennwort)\s{0,8}[:=]\s{0,8})("[^"\n]{0,200}"|\S+)/gi,
  /\b(my\s{1,8}password\s{1,8}(?:is|was)\s{1,8})(\S+)/gi,
  /(\/\/[^\s:@/]{1,200}:)([^\s@/]{1,200})(?=@)/g,
  // Commands as clients send them, in capitals: "Login to server …" in a message is no command.
  /^([ \t]{0,8}\S{1,40}[ \t]{1,8}LOGIN[ \t]{1,8}(?:"[^"\n]{0,200}"|\S+)[ \t]{1,8})(.+)$/gm,
  /^([ \t]{0,8}PASS[ \t]{1,8})(.+)$/gm,
  /\b(AUTH(?:ENTICATE)?[ \t]{1,8}(?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER)[ \t]{1,8})([A-Za-z0-9+/=]{4,})/gi,
  // The client's answer to a server's challenge (SMTP "334 …", IMAP "+ …"): only ever credentials.
  /^((?:334|\+)(?:[ \t][^\n]{0,200})?\n)([ \t]{0,8}[A-Za-z0-9+/]{2,}={0,2}[ \t]{0,8})$/gm,
];

export function readPaste(raw: string): Result<Paste, PasteProblem> {
  if (raw.length > MAX_PASTE) return fail({ code: 'too-long', length: raw.length });
  const { text, redacted } = cutPasswords(
    raw.replace(/\r\n?/g, '\n').replace(ESCAPES, ' ').replace(CONTROLS, ' '),
  );
  return text.trim() === '' ? fail({ code: 'empty' }) : ok({ text: text.trim(), redacted });
}

/** Cuts out what looks like a password, and says whether there was one (any length: each pattern is linear). */
export function cutPasswords(raw: string): Paste {
  let redacted = false;
  let text = raw;
  for (const secret of SECRETS) {
    text = text.replace(secret, (_whole, kept: string) => {
      redacted = true;
      return `${kept}${REMOVED}`;
    });
  }
  return { text, redacted };
}

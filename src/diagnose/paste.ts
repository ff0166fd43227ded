// Reads what a customer pasted before anything else looks at it: a paste far longer than any error message is
// refused by its length alone; terminal escapes and other control characters become spaces; and passwords are
// cut out (a "password: …" or "pass=…" field in several languages and quotings, a URL's user:password, IMAP
// LOGIN's and POP3 PASS's last word, and the base64 of SMTP AUTH PLAIN / AUTH LOGIN and IMAP AUTHENTICATE,
// client transcripts' "C:" prefixes included), so they are never matched, echoed, logged or stored. Every
// pattern is one pass, each try bounded.
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

/** A log line's time first, as PHPMailer writes it ("2019-05-01 10:00:00 CLIENT -> SERVER: …"). */
const STAMP = String.raw`(?:\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\S{0,16}[ \t]{1,8})?`;
/**
 * A line as a transcript may show it: the client's side after "C:", ">", ">>", "->" or "~>" (swaks), "CLIENT ->
 * SERVER:" (PHPMailer) or "send: '" (Python's smtplib and imaplib).
 */
const SENT = String.raw`[ \t]{0,8}${STAMP}(?:(?:C:|[-~]>|>{1,2}|CLIENT -> SERVER:|send: b?['"])[ \t]{0,8})?`;
/** The server's side: "S:", or "<", "<-", "<~" (curl -v, swaks), "SERVER -> CLIENT:", "reply: b'". */
const RECEIVED = String.raw`[ \t]{0,8}${STAMP}(?:(?:S:|<[-~]?|SERVER -> CLIENT:|reply: b?['"])[ \t]{0,8})?`;
/** The words a password field is named by, in the languages customers paste in. */
const FIELD = [
  'pass(?:word|wd|phrase)?|pwd|pw|passwort|kennwort|wachtwoord',
  'mot de passe|contrase(?:ñ|n)a|senha|l(?:ö|o)senord|salasana',
].join('|');
/** A field's name as configuration writes it: alone, or after a prefix (MAIL_PASSWORD, WPMS_SMTP_PASS). */
const FIELD_NAME = `(?<![A-Za-z0-9])(?:[A-Za-z0-9]{1,30}[_.-]){0,3}(?:${FIELD})`;
/** A value: quoted (an escaped quote inside kept), a quote never closed (the rest of the line), or a word on. */
const VALUE = String.raw`"(?:[^"\\\n]|\\.){0,200}"|'(?:[^'\\\n]|\\.){0,200}'|["'][^\n]{0,200}|[^\s"'][^\n]{0,200}`;

/** "password is" and what may stand between it and the password said. */
const PASSWORD_IS = String.raw`password\s{1,8}(?:is|was)\s{0,8}:?\s{0,8}`;
/** What is said of a password rather than the password itself, as the next word. */
const NOT_A_PASSWORD = [
  'incorrect|wrong|invalid|not|no|correct|expired|expiring|required|needed|too|missing|empty|rejected|case|being',
  'still|now|the|a|an|fine|ok|okay|right|same|valid|accepted|changed|reset|saved|set|also|definitely|probably',
  'sent|stored|correctly|typed|entered|shown|locked|blocked|disabled|about|weak|strong|short|long|known|unknown',
].join('|');
/** The password said: quoted, an app password's four groups, or a word (not the colon before it). */
const SAID_VALUE = String.raw`(?!(?:${NOT_A_PASSWORD})\b)("[^"\n]{0,200}"|'[^'\n]{0,200}'|[a-z]{4}(?: [a-z]{4}){3}\b|[^\s:]\S*)`;

/** Each one keeps its first group and replaces the second (the secret). */
const SECRETS: RegExp[] = [
  // A field, quoted or not ("password": "…", 'pw': …, MAIL_PASSWORD=…, define('SMTP_PASS', '…')).
  new RegExp(
    String.raw`(["']?${FIELD_NAME}["']?\s{0,8}[:=\uff1a]\s{0,8}|["']${FIELD_NAME}["']\s{0,8},\s{0,8})(${VALUE})`,
    'gi',
  ),
  // camelCase keys (smtpPassword, mailPass), told apart from words such as "bypass" by the capital.
  new RegExp(String.raw`(["']?[a-z0-9]{1,30}(?:Pass(?:word|wd)?|Pwd)["']?\s{0,8}[:=]\s{0,8})(${VALUE})`, 'g'),
  // An element: <password>…</password>, <smtp:pass>…
  /(<[\w:.-]{0,40}(?:pass(?:word|wd)?|pwd)>)([^<\n]{1,200})/gi,
  // "My (email) password is …", "the (app) password is …", and "Password is …" starting a line (an app password's
  // four groups of four whole), but not what an error says of it ("the password is incorrect"), nor "your …".
  new RegExp(String.raw`\b((?:my|the)\s{1,8}(?:[a-z-]{1,20}\s{1,8})?${PASSWORD_IS})${SAID_VALUE}`, 'gi'),
  new RegExp(String.raw`^([ \t]{0,8}${PASSWORD_IS})${SAID_VALUE}`, 'gim'),
  // Commands as clients send them: "Login to server …" in a message is no command, so LOGIN in capitals, or in
  // small letters after a tag with a digit (a1 login …); PASS in capitals, or alone with one word on its line.
  // A server's reply ("250-AUTH LOGIN PLAIN …") is no tag and its methods are no password.
  new RegExp(
    String.raw`^(${SENT}(?!\d{3}[- ])(?:\S{1,40}[ \t]{1,8}LOGIN|[A-Za-z.]{0,8}\d{1,8}[ \t]{1,8}login)[ \t]{1,8}(?:"[^"\n]{0,200}"|\S+)[ \t]{1,8})(.+)$`,
    'gm',
  ),
  new RegExp(String.raw`^(${SENT}PASS[ \t]{1,8})(.+)$`, 'gm'),
  new RegExp(String.raw`^(${SENT}pass[ \t]{1,8})(\S+)(?=[ \t]*$)`, 'gm'),
  // A client's AUTH with its credentials, not a server's list of methods (EHLO's "250-AUTH PLAIN LOGIN").
  /(?<!\b\d{3}[- ][ \t]{0,8})\b(AUTH(?:ENTICATE)?[ \t]{1,8}(?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER)[ \t]{1,8})(?!(?:PLAIN|LOGIN|XOAUTH2?|OAUTHBEARER|CRAM-MD5|DIGEST-MD5|GSSAPI|NTLM|ANONYMOUS|EXTERNAL|SCRAM-[\w-]+|PLAIN-CLIENTTOKEN)(?![\w+/=-]))([A-Za-z0-9+/=]{4,})/gi,
  // The client's answer to a server's challenge (SMTP "334 …", IMAP "+ …"): only ever credentials.
  // Python's debug lines end in the sent text's own "\r\n" and quote.
  new RegExp(
    String.raw`^(${RECEIVED}\*?[ \t]{0,8}(?:334|\+)(?:[ \t][^\n]{0,200})?\n${SENT})([A-Za-z0-9+/]{2,}={0,2})(?=[ \t]{0,8}(?:\\r\\n)?['"]?[ \t]{0,8}$)`,
    'gm',
  ),
];

/**
 * A URL's user and password (`//user:password@host`): the user may be an address with an @ of its own, the
 * password holds anything up to the last @ before the host, slashes included (pasted as typed, not encoded). A
 * port and a path (`//host:443/owa/alice@example.com`) are not a password.
 */
const URL_LOGIN = /\/\/([^\s/:]{1,400}:(?!\d{1,5}(?:\/|$))(?:[^\s/]|\/(?!\/)){1,256})(?=@[^\s@/]{1,253})/g;

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
  text = text.replace(URL_LOGIN, (whole, login: string) => {
    const colon = login.indexOf(':');
    if (colon < 0 || login.slice(colon + 1) === REMOVED) return whole;
    redacted = true;
    return `//${login.slice(0, colon + 1)}${REMOVED}`;
  });
  return { text, redacted };
}

// Turns what a person typed ("Alice@Example.COM pop", "https://www.bücher.example/", "`example.com`,") into a
// Query, or says in one short line what was wrong. Host name rules follow RFC 1035 §2.3.1 / RFC 5890 (IDNA
// via punycode); "mail.example.com" and "www.example.com" are read as the domain below them (Public Suffix
// List), unless the resolver finds the name is a mail domain itself (src/resolve/mail-domain.ts).
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { type QueryProblem, type QueryProblemCode, queryProblem } from '../messages/question.js';
import { ok, type Result } from '../model/result.js';
import type { Protocol, Query } from '../model/settings.js';
import { publicSuffixList } from './public-suffix.js';
import { editDistance } from './suggest.js';

/** `check`: the question ended in "check", asking for a live test of the servers too. */
export type QueryResult = Result<{ query: Query; check: boolean }, QueryProblem>;
type Failure = { ok: false; error: QueryProblem };

const PROTOCOL_WORDS: Record<string, Protocol> = {
  imap: 'imap',
  pop: 'pop',
  pop3: 'pop',
  smtp: 'smtp',
  all: 'all',
};
const MAX_INPUT = 1000;
/** First labels that name a server or a website, not the mail domain ("mail.example.com" → example.com). */
const SERVER_LABELS = new Set(['mail', 'imap', 'pop', 'pop3', 'smtp', 'webmail', 'www']);
/** What chat pastes around a word: quotes, backticks, Discord's no-preview <…>, brackets; and the comma after it. */
const WRAPPING = /^["'`“”‘’<(]+|["'`“”‘’>),;:!?]+$/g;
/** Bold, italic and strike marks on both ends (Slack's *…*, _…_, ~…~; Discord's **…**): one end alone is text. */
const EMPHASIS = /^([*_~]+)(.+)\1$/;
/** Full-width letters, digits and signs (an input method's full-width mode: ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ). */
const FULL_WIDTH = /[\uff01-\uff5e]/g;
const COMMAND_WORD = 'mailsettings';
/**
 * net.isIP as a yes or no, without running Node's IPv6 pattern on names that cannot be IPv6 addresses (every one
 * has a colon): compiling that pattern is a few milliseconds of a command-line answer.
 */
const isIpAddress = (text: string) => (text.includes(':') ? isIPv6(text) : isIPv4(text));

const fail = (code: QueryProblemCode, detail = '', suggestion = ''): Failure => ({
  ok: false,
  error: queryProblem(code, detail, suggestion),
});

/** Parses `<domain | email | URL> [imap | pop | pop3 | smtp | all] [check]`. */
export function parseQuery(input: string): QueryResult {
  if (input.length > MAX_INPUT) return fail('too-long');
  // As the ASCII they stand for, and the other full stops IDNA reads as dots (UTS #46), before anything is read.
  const ascii = input
    .replace(FULL_WIDTH, (wide) => String.fromCharCode(wide.charCodeAt(0) - 0xfee0))
    .replace(/[\u3002\uff61]/g, '.');
  const words = ascii
    .split(/\s+/)
    .map((word) => word.replace(WRAPPING, '').replace(EMPHASIS, '$2').replace(WRAPPING, ''))
    .filter(Boolean);
  if (words.length === 0) return fail('empty');
  // A word after the name may end a sentence ("… pop."); the name's own trailing dot is parseTarget's.
  const keyword = (word: string) => word.toLowerCase().replace(/\.+$/, '');
  const check = words.length > 1 && keyword(words.at(-1) ?? '') === 'check';
  if (check) words.pop();
  const [first = '', second] = words;
  if (first.startsWith('-')) return fail('option', first);
  if (second !== undefined && isCommandWord(first)) return fail('command', first);

  let protocol: Protocol = 'all';
  if (second !== undefined) {
    const asked = PROTOCOL_WORDS[keyword(second)];
    if (asked && words.length > 2) return fail('extra-words', words.slice(2).join(' '));
    if (!asked) {
      // "exa mple.com" is a domain with a space in it; "example.com imapp" is a mistyped protocol.
      const looksLikeName = words.slice(1).some((word) => /[.@]/.test(word));
      if (looksLikeName) return fail('space', words.join(' '));
      if (words.length > 2) return fail('extra-words', words.slice(1).join(' '));
      return fail('protocol', second);
    }
    protocol = asked;
  }
  const target = parseTarget(first, protocol);
  return target.ok ? ok({ query: target.value, check }) : target;
}

/** "/mailsetings example.com": a mistyped command word, not a domain with a space in it. */
function isCommandWord(word: string): boolean {
  if (word.startsWith('/')) return true;
  return !word.includes('.') && editDistance(word.toLowerCase(), COMMAND_WORD) <= 2;
}

function parseTarget(target: string, protocol: Protocol): Result<Query, QueryProblem> {
  let name = target
    .toLowerCase()
    .replace(/^mailto:/, '')
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '');
  // An address literal ([::1], [::1]:993, ::1, 10.0.0.1:25) before its port is cut off.
  if (/^\[[^\]]*\](:\d*)?$/.test(name) || isIpAddress(name)) return fail('ip-address', target);
  name = name.replace(/:\d*$/, '');

  let email: string | undefined;
  const at = name.split('@');
  if (at.length > 2) return fail('at-signs', target);
  if (at.length === 2) {
    const [quoted = '', host = ''] = at;
    // "alice"@example.com: the quotes are no part of the name (the first may be gone already, as wrapping).
    const local = quoted.replace(/^"|"$/g, '');
    if (local === '') return fail('empty-local', target);
    // Control characters, format ones (bidi overrides, zero-width) that make an address read as another, and
    // what no text may hold (lone surrogates, U+FFFE and U+FFFF): no profile or page could carry them.
    if (/[\p{Cc}\p{Cf}\p{Cs}\uFFFE\uFFFF]/u.test(local)) return fail('address-characters', target);
    name = host;
    email = local;
  }
  if (name.endsWith('.') && !name.endsWith('..')) name = name.slice(0, -1);

  const checked = checkDomain(name, target);
  if (!checked.ok) return checked;
  if (email) {
    // An address's domain is taken as written: alice@mail.example.com gets mail.example.com's settings.
    return ok({ input: target, domain: checked.value, email: `${email}@${checked.value}`, protocol });
  }
  const domain = dropServerLabels(checked.value);
  return ok({
    input: target,
    domain,
    ...(domain === checked.value ? {} : { givenHost: checked.value }),
    protocol,
  });
}

function checkDomain(name: string, target: string): Result<string, QueryProblem> {
  if (name === '') return fail('no-domain', target);
  // "customer,com": a comma typed for a dot. Asked about, not fixed silently: the answer would be for a name
  // the person did not write.
  if (name.includes(',') && checkDomain(name.replaceAll(',', '.'), target).ok)
    return fail('comma', target, target.replaceAll(',', '.'));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching non-ASCII is the point
  const ascii = /^[\x00-\x7f]*$/.test(name) ? name : domainToASCII(name);
  if (ascii === '') return fail('characters', target);
  if (ascii.length > 253) return fail('name-length', target);
  if (isIpAddress(ascii)) return fail('ip-address', target);
  const labels = ascii.split('.');
  if (labels.length < 2) return fail('no-dot', target);
  if (/^\d+$/.test(labels.at(-1) ?? '')) return fail('ip-address', target);
  const problem = labels.map(labelProblem).find((found) => found !== undefined);
  if (!problem) return ok(ascii);
  // "customer,com": a comma typed for a dot. Asked about, not fixed silently: the answer would be for a name
  // the person did not write.
  const dotted = name.replaceAll(',', '.');
  if (dotted !== name && checkDomain(dotted, target).ok)
    return fail('comma', target, target.replaceAll(',', '.'));
  return fail(problem, target);
}

function labelProblem(label: string) {
  if (label === '') return 'empty-label' as const;
  if (label.length > 63) return 'label-length' as const;
  if (!/^[a-z0-9-]+$/.test(label)) return 'characters' as const;
  if (label.startsWith('-') || label.endsWith('-')) return 'hyphen' as const;
  return undefined;
}

/**
 * www.example.com, mail.example.com, imap.mail.example.co.uk → the domain below the server labels, but never
 * above the registrable domain: mail.ru and www.co.uk stay as they are.
 */
function dropServerLabels(domain: string): string {
  if (!SERVER_LABELS.has(domain.slice(0, domain.indexOf('.')))) return domain;
  const registrable = publicSuffixList().getDomain(domain) ?? domain;
  let name = domain;
  while (name !== registrable && name.endsWith(`.${registrable}`)) {
    const dot = name.indexOf('.');
    if (!SERVER_LABELS.has(name.slice(0, dot))) break;
    name = name.slice(dot + 1);
  }
  return name;
}

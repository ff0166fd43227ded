// Turns what a person typed ("Alice@Example.COM pop", "https://bücher.example/") into a Query, or says in
// one short line what was wrong. Host name rules follow RFC 1035 §2.3.1 / RFC 5890 (IDNA via punycode).
import { domainToASCII } from 'node:url';
import { type QueryProblem, queryProblem } from './messages.js';
import type { Protocol, Query } from './settings.js';

/** `check`: the question ended in "check", asking for a live test of the servers too. */
export type QueryResult = { ok: true; query: Query; check: boolean } | { ok: false; error: QueryProblem };

const PROTOCOL_WORDS: Record<string, Protocol> = {
  imap: 'imap',
  pop: 'pop',
  pop3: 'pop',
  smtp: 'smtp',
  all: 'all',
};
const MAX_INPUT = 1000;

const fail = (...args: Parameters<typeof queryProblem>): QueryResult => ({
  ok: false,
  error: queryProblem(...args),
});

/** Parses `<domain | email | URL> [imap | pop | pop3 | smtp | all] [check]`. */
export function parseQuery(input: string): QueryResult {
  const text = input.trim();
  if (text === '') return fail('empty');
  if (text.length > MAX_INPUT) return fail('too-long');
  const words = text.split(/\s+/);
  const check = words.length > 1 && words.at(-1)?.toLowerCase() === 'check';
  if (check) words.pop();
  const [first = '', second] = words;
  if (first.startsWith('-')) return fail('option', first);

  let protocol: Protocol = 'all';
  if (second !== undefined) {
    const asked = PROTOCOL_WORDS[second.toLowerCase()];
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
  return target.ok ? { ...target, check } : target;
}

function parseTarget(
  target: string,
  protocol: Protocol,
): { ok: true; query: Query } | { ok: false; error: QueryProblem } {
  let name = target
    .toLowerCase()
    .replace(/^mailto:/, '')
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d*$/, '');

  let email: string | undefined;
  const at = name.split('@');
  if (at.length > 2) return fail('at-signs', target);
  if (at.length === 2) {
    const [local = '', host = ''] = at;
    if (local === '') return fail('empty-local', target);
    name = host;
    email = local;
  }
  name = name.replace(/\.$/, '');

  const checked = checkDomain(name, target);
  if (!checked.ok) return checked;
  const domain = checked.domain;
  return {
    ok: true,
    query: { input: target, domain, ...(email ? { email: `${email}@${domain}` } : {}), protocol },
  };
}

function checkDomain(
  name: string,
  target: string,
): { ok: true; domain: string } | Extract<QueryResult, { ok: false }> {
  if (name === '') return { ok: false, error: queryProblem('no-domain', target) };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching non-ASCII is the point
  const ascii = /^[\x00-\x7f]*$/.test(name) ? name : domainToASCII(name);
  if (ascii === '') return { ok: false, error: queryProblem('characters', name) };
  if (ascii.length > 253) return { ok: false, error: queryProblem('name-length', name) };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, error: queryProblem('no-dot', name) };
  if (/^\d+$/.test(labels.at(-1) ?? '')) return { ok: false, error: queryProblem('ip-address', name) };
  const problem = labels.map(labelProblem).find((found) => found !== undefined);
  if (problem) return { ok: false, error: queryProblem(problem, name) };
  return { ok: true, domain: ascii };
}

function labelProblem(label: string) {
  if (label === '') return 'empty-label' as const;
  if (label.length > 63) return 'label-length' as const;
  if (!/^[a-z0-9-]+$/.test(label)) return 'characters' as const;
  if (label.startsWith('-') || label.endsWith('-')) return 'hyphen' as const;
  return undefined;
}

// Finds the catalogue entry a pasted error belongs to. Linear in the paste: it is cut to MAX_SCAN characters,
// normalised in one pass, its codes are collected by a few patterns without nested or overlapping repetition
// (so no backtracking blow-up), and each phrase is one substring search. A phrase counts more than a code (it
// says more), an entry's signals add up, and a program's wrapper around a server's reply counts only when
// nothing else is recognised. Nothing recognised is `undefined`: the caller says so instead of guessing.
import { CATALOGUE } from './catalogue.js';
import type { Entry, Phrase } from './entry.js';

/** Past this the paste is not looked at: no error message comes close. */
export const MAX_SCAN = 8000;

const PHRASE_WEIGHT = 3;
const CODE_WEIGHT = 2;

export interface Match {
  entry: Entry;
  /** What was recognised, in the catalogue's own words (a code or a phrase): never the paste itself. */
  recognised: string;
}

/** Lowercase, straight quotes, one space for any run of white space, `×` (pasted from web pages) as `x`. */
export function normalize(text: string): string {
  return text
    .slice(0, MAX_SCAN)
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033]/g, '"')
    .replace(/\u00d7/g, 'x')
    .replace(/\s+/g, ' ');
}

// Each pattern is a fixed sequence of single character classes with bounded counts: linear time.
const HEX = /0[x\u00d7]([0-9a-f]{8})(?![0-9a-f])/gi;
// An enhanced status code only where a server's reply puts it: after the reply code ("550 5.1.1", "535-5.7.8")
// or a "#" ("#5.1.0"); alone, "5.1.1" is as likely a version number.
const ENHANCED = /(?<=(?:^|[^\d])[245]\d\d[ -]|#)([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)/g;
const BRACKETED = /\[([a-z][a-z/-]{1,40})(?=[\] ])/gi;
const SYMBOL = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\bE[A-Z]{4,14}\b/g;

/** Every code in the paste, in the catalogue's spelling (0x800CCC0E, 5.7.8, AUTHENTICATIONFAILED, EAI_AGAIN). */
export function codesIn(text: string): Set<string> {
  const scanned = text.slice(0, MAX_SCAN);
  const codes = new Set<string>();
  for (const [, hex] of scanned.matchAll(HEX)) codes.add(`0x${(hex as string).toUpperCase()}`);
  for (const [, code] of scanned.matchAll(ENHANCED)) codes.add(code as string);
  for (const [, code] of scanned.matchAll(BRACKETED)) codes.add((code as string).toUpperCase());
  for (const [symbol] of scanned.matchAll(SYMBOL)) codes.add(symbol);
  return codes;
}

/** Whether the phrase is in the text; fragments must come in order. The matched words, for `recognised`. */
function findPhrase(text: string, phrase: Phrase): string | undefined {
  if (typeof phrase === 'string') return text.includes(phrase) ? phrase : undefined;
  let from = 0;
  for (const fragment of phrase) {
    const at = text.indexOf(fragment, from);
    if (at < 0) return undefined;
    from = at + fragment.length;
  }
  return phrase.join(' … ');
}

interface Scored extends Match {
  score: number;
  /** Longest phrase matched: a more specific phrase wins a tie. */
  length: number;
  order: number;
}

/** The best entry for the paste, or undefined when nothing in it is recognised. */
export function matchError(paste: string, catalogue: readonly Entry[] = CATALOGUE): Match | undefined {
  const text = normalize(paste);
  const codes = codesIn(paste);
  const scored: Scored[] = [];
  catalogue.forEach((entry, order) => {
    let score = 0;
    let length = 0;
    let recognised: string | undefined;
    for (const code of entry.codes ?? []) {
      if (!codes.has(code)) continue;
      score += CODE_WEIGHT;
      recognised ??= code;
    }
    for (const phrase of entry.phrases ?? []) {
      const found = findPhrase(text, phrase);
      if (found === undefined) continue;
      score += PHRASE_WEIGHT;
      length = Math.max(length, found.length);
      // A code names the error more exactly than words do, so it stays what is shown when there is one.
      recognised ??= `“${found}”`;
    }
    if (recognised) scored.push({ entry, recognised, score, length, order });
  });
  const specific = scored.filter(({ entry }) => !entry.wrapper);
  const candidates = specific.length > 0 ? specific : scored;
  const [best] = candidates.sort((a, b) => b.score - a.score || b.length - a.length || a.order - b.order);
  return best ? { entry: best.entry, recognised: best.recognised } : undefined;
}

// "Did you mean": the nearest known mail domain by edit distance (gmial.com → gmail.com), or the same name
// with the nearest real top-level domain when its own is not one (customer.cmo → customer.com).
import { publicSuffixList } from './public-suffix.js';

/** Top-level domains a slip of the finger usually meant; others are suggested only when written exactly. */
const COMMON_TLDS = [
  'com',
  'net',
  'org',
  'de',
  'uk',
  'co.uk',
  'fr',
  'it',
  'nl',
  'ch',
  'at',
  'es',
  'eu',
  'info',
  'io',
  'ca',
  'au',
  'com.au',
];
const MAX_DISTANCE = 2;

/**
 * Optimal string alignment distance (Levenshtein plus swapping two neighbours, the commonest typo); gives up
 * above `limit` and answers limit + 1, since only small distances matter.
 */
export function editDistance(a: string, b: string, limit = MAX_DISTANCE): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const same = a[i - 1] === b[j - 1];
      let best = Math.min(
        (rows[i - 1]?.[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (rows[i - 1]?.[j - 1] ?? 0) + (same ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return Math.min(rows[a.length]?.[b.length] ?? limit + 1, limit + 1);
}

/** The likely meant domain, or undefined when nothing is near enough to say so. */
export async function suggestDomain(domain: string, known: readonly string[]): Promise<string | undefined> {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    if (name === domain) continue;
    // Short names are near too many others: only a swap or one letter off counts for them.
    const limit = Math.min(MAX_DISTANCE, Math.floor(name.length / 5));
    const distance = editDistance(domain, name, limit);
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  if (best) return best.name;
  const { publicSuffix, isIcann, domainWithoutSuffix } = publicSuffixList().parse(domain);
  if (isIcann || !publicSuffix || !domainWithoutSuffix) return undefined;
  const tld = COMMON_TLDS.find((candidate) => editDistance(publicSuffix, candidate, 1) <= 1);
  return tld ? `${domain.slice(0, -publicSuffix.length)}${tld}` : undefined;
}

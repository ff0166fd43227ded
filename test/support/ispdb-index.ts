// Indexes a folder of Thunderbird ISP database files (`<id>.xml`) by the mail domains each one serves.
import fs from 'node:fs';
import path from 'node:path';

/** Good enough for our own fixtures; a real XML parser would be overkill for an index. */
const DOMAIN_ELEMENT = /<domain>\s*([^<\s]+)\s*<\/domain>/g;

/** Maps a lower-cased domain to the text of the file that serves it. */
export function indexIspdb(dir: string): Map<string, string> {
  const files = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.xml'))
    .sort();
  const byDomain = new Map<string, string>();
  const byFileName = new Map<string, string>();
  for (const file of files) {
    const xml = fs.readFileSync(path.join(dir, file), 'utf8');
    byFileName.set(file.slice(0, -'.xml'.length).toLowerCase(), xml);
    for (const [, domain = ''] of xml.matchAll(DOMAIN_ELEMENT)) {
      const key = domain.toLowerCase();
      // First file wins, so a domain listed twice always resolves the same way.
      if (!byDomain.has(key)) byDomain.set(key, xml);
    }
  }
  // A file's name is only a fallback: explicit <domain> lists are what the real ISPDB serves from.
  for (const [id, xml] of byFileName) {
    if (!byDomain.has(id)) byDomain.set(id, xml);
  }
  return byDomain;
}

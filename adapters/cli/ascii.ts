// Makes a bundle ASCII; `npm run build` runs it on both bundles (the command's, from code-cache.ts, and the
// bot's: `node dist/adapters/cli/ascii.js dist/adapters/main.js`). esbuild escapes strings and names but leaves
// comments and regular expressions as written, and one character beyond ASCII makes the whole text two bytes a
// character for V8: the bot's 10 MB bundle then held 20 MB, and a text is slower to read and to load (bundle.ts
// reads an ASCII bundle as Latin-1). `\uXXXX` is the same character in a regular expression as in a comment,
// except after a backslash or for a line separator (which ends a `//` comment): such a bundle is refused. (The
// bot's source map, written before, is a few columns off on those lines: comments and regular expressions.)
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function makeAscii(file: string): void {
  const text = readFileSync(file, 'utf8');
  if (/\\[^\0-\x7f]|[\u2028\u2029]/.test(text))
    throw new Error(`${file}: a character beyond ASCII that an escape would change`);
  // Each UTF-16 unit on its own: a character beyond the first plane becomes its two escapes, as JavaScript reads it.
  writeFileSync(
    file,
    text.replace(/[^\0-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}

// Run as a script: each file it is given.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of process.argv.slice(2)) makeAscii(file);
}

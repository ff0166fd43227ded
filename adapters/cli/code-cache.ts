// Writes the V8 code cache of the command's bundle; `npm run build` runs it (from tsc's output) right after
// bundling: `node dist/adapters/cli/code-cache.js dist/cli`. The bundle answers one question first, offline
// (DNS and the ISP database on a loopback port that refuses), so the code an answer runs is in the cache too.
// Before that, the bundle is made ASCII: esbuild escapes strings and names but leaves comments and regular
// expressions as written, and one character beyond ASCII makes the whole text two bytes a character for V8,
// slower to read and to load (bundle.ts reads an ASCII bundle as Latin-1). `\uXXXX` is the same character in
// a regular expression as in a comment, except after a backslash or for a line separator (which ends a `//`
// comment): such a bundle is refused.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { BUNDLE, CODE_CACHE, compileBundle } from './bundle.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node code-cache.js <folder of the bundle>');
const file = resolve(dir, BUNDLE);
const text = readFileSync(file, 'utf8');
if (/\\[^\0-\x7f]|[\u2028\u2029]/.test(text))
  throw new Error(`${file}: a character beyond ASCII that an escape would change`);
// Each UTF-16 unit on its own: a character beyond the first plane becomes its two escapes, as JavaScript reads it.
writeFileSync(
  file,
  text.replace(/[^\0-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`),
);
const { script, run } = compileBundle(file);
const nowhere = new Writable({ write: (_chunk, _encoding, done) => done() });
// Whatever the answer (the exit code), the code that gave it is compiled: that is all the cache is for.
await run().runCli(['example.com'], {
  stdin: process.stdin,
  stdout: nowhere,
  stderr: nowhere,
  env: { MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9', MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/' },
});
writeFileSync(join(dir, CODE_CACHE), script.createCachedData());

// Writes the V8 code cache of the command's bundle; `npm run build` runs it (from tsc's output) right after
// bundling: `node dist/adapters/cli/code-cache.js dist/cli`. The bundle is made ASCII first (ascii.ts), then
// answers one question, offline (DNS and the ISP database on a loopback port that refuses), so the code an
// answer runs is in the cache too.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { makeAscii } from './ascii.js';
import { BUNDLE, CODE_CACHE, compileBundle } from './bundle.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node code-cache.js <folder of the bundle>');
const file = resolve(dir, BUNDLE);
makeAscii(file);
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

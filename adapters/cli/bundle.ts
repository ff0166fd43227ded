// Loads the command itself (cli.ts) for the `mailsettings` bin. `npm run build` bundles it into one CommonJS
// file with the V8 code cache of a first run beside it: Node 20 keeps no compile cache of its own for modules
// (module.enableCompileCache came in Node 22), and compiling the command was most of its start-up, which V8 now
// reads back instead. A cache made by another Node or V8 is refused by V8 itself, and the bundle is then simply
// compiled. This file is bundled into the bin itself, so the bundle is looked for in cli/ beside the bin;
// without one there (the sources through tsx, tsc's output) the sources are imported.
import { isAscii } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

type Cli = typeof import('./cli.js');

/** The bundle and its code cache, in dist/cli/ beside the bin (dist/mailsettings.js). */
export const BUNDLE = 'mailsettings.cjs';
export const CODE_CACHE = 'mailsettings.code-cache';

/** The bundle compiled as Node compiles a CommonJS module, with the code cache when one is given. */
export function compileBundle(file: string, cachedData?: Buffer): { script: Script; run(): Cli } {
  // ASCII (code-cache.ts makes it so) read as Latin-1: the same text, a third faster than as UTF-8.
  const bytes = readFileSync(file);
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const run = () => {
    const module = { exports: {} as Cli };
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
    return module.exports;
  };
  return { script, run };
}

export async function loadCli(): Promise<Cli> {
  const file = fileURLToPath(new URL(`cli/${BUNDLE}`, import.meta.url));
  if (!existsSync(file)) {
    // Not the bundle: the sources, as tsx or tsc left them (a variable, so the bundler leaves it alone).
    const sources = './cli.js';
    return (await import(sources)) as Cli;
  }
  const cache = fileURLToPath(new URL(`cli/${CODE_CACHE}`, import.meta.url));
  return compileBundle(file, existsSync(cache) ? readFileSync(cache) : undefined).run();
}

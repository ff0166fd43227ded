// The Public Suffix List (tldts): large, so loaded on the first name that needs it, not at every start-up. One
// copy for every module, loaded through require from node_modules: an `import('tldts')` beside it would load
// the package a second time (its ES module build, or a bundled copy).
import { createRequire } from 'node:module';

let tldts: typeof import('tldts') | undefined;

export function publicSuffixList(): typeof import('tldts') {
  tldts ??= createRequire(import.meta.url)('tldts') as typeof import('tldts');
  return tldts;
}

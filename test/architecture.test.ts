import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function importsUnder(dir: string): { file: string; specifier: string }[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      const text = readFileSync(join(ROOT, dir, file), 'utf8');
      return [...text.matchAll(/^(?:import|export)[^;]*?from\s+'([^']+)'/gms)].map((match) => ({
        file: relative(ROOT, join(ROOT, dir, file)),
        specifier: match[1] as string,
      }));
    });
}

describe('architecture', () => {
  it('keeps the core free of chat SDKs and adapters', () => {
    const imports = importsUnder('src');
    expect(imports.length).toBeGreaterThan(30);
    const leaks = imports.filter(({ specifier }) => /^@slack\/|^discord\.js|adapters\//.test(specifier));
    expect(leaks).toEqual([]);
  });
});

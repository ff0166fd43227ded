// The boundaries the folder tree promises (README, "Architecture"), checked on the import lines themselves.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

interface Import {
  /** The importing file, relative to the project. */
  file: string;
  specifier: string;
  /** For relative imports: the imported file, relative to the project. */
  target?: string;
}

function importsUnder(dir: string): Import[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      const path = join(dir, file);
      const text = readFileSync(join(ROOT, path), 'utf8');
      return [...text.matchAll(/^(?:import|export)[^;]*?from\s+'([^']+)'|import\('([^']+)'\)/gms)].map(
        (match) => {
          const specifier = (match[1] ?? match[2]) as string;
          const target = specifier.startsWith('.')
            ? normalize(join(dirname(path), specifier)).replace(/\.js$/, '.ts')
            : undefined;
          return { file: path, specifier, ...(target ? { target } : {}) };
        },
      );
    });
}

const folderOf = (path: string) => dirname(path);

/** Folder-level import graph of src/, and every cycle in it. */
function folderCycles(imports: Import[]): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const { file, target } of imports) {
    if (!target) continue;
    const [from, to] = [folderOf(file), folderOf(target)];
    if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
  }
  const cycles: string[][] = [];
  // Each cycle is found once, from its alphabetically first folder.
  const visit = (start: string, node: string, path: string[]) => {
    for (const next of edges.get(node) ?? []) {
      if (next === start) cycles.push([...path, next]);
      else if (!path.includes(next) && next > start) visit(start, next, [...path, next]);
    }
  };
  for (const node of edges.keys()) visit(node, node, [node]);
  return cycles;
}

describe('architecture', () => {
  const core = importsUnder('src');
  const adapters = importsUnder('adapters');

  it('keeps the core free of chat SDKs and adapters', () => {
    expect(core.length).toBeGreaterThan(100);
    const leaks = core.filter(({ specifier }) => /^@slack\/|^discord\.js|adapters\//.test(specifier));
    expect(leaks).toEqual([]);
  });

  it('has no folder in src/ that imports a folder importing it back', () => {
    expect(folderCycles(core)).toEqual([]);
  });

  it('finds a folder cycle when there is one (the check above can fail)', () => {
    const planted: Import[] = [
      { file: 'src/a/x.ts', specifier: '../b/y.js', target: 'src/b/y.ts' },
      { file: 'src/b/y.ts', specifier: '../a/x.js', target: 'src/a/x.ts' },
    ];
    expect(folderCycles(planted)).toEqual([['src/a', 'src/b', 'src/a']]);
  });

  it('keeps the conversation and the cases platform-neutral: no SDK, no front end', () => {
    const neutral = core.filter(({ file }) => /^src\/(conversation|cases)\//.test(file));
    expect(neutral.length).toBeGreaterThan(10);
    expect(neutral.filter(({ specifier }) => /slack|discord/i.test(specifier))).toEqual([]);
  });

  it('lets front ends reach the core only through src/index.ts, and never each other', () => {
    const crossings = adapters.filter(({ file, target }) => {
      if (!target) return false;
      const front = file.split('/')[1];
      // --help answers without loading the core (CLI start-up): its words only.
      if (file === 'adapters/cli/help.ts' && target === 'src/messages/question.ts') return false;
      if (target.startsWith('src/')) return target !== 'src/index.ts';
      const other = target.split('/')[1];
      // The files at the top of adapters/ (main.ts, relay.ts) compose the front ends; inside a front end's
      // own folder everything is its own business.
      const composing = file.split('/').length === 2;
      return !composing && target.startsWith('adapters/') && other !== front && other !== undefined;
    });
    expect(
      crossings.map(({ file, specifier }) => `${relative(ROOT, join(ROOT, file))} → ${specifier}`),
    ).toEqual([]);
  });
});

// The boundaries the folder tree promises (docs/architecture.md), checked on the import lines themselves.
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
const folderCycles = (imports: Import[]) => cycles(imports, folderOf);

/** Every cycle in the import graph, with each file seen as `node(file)` (its folder, or itself). */
function cycles(imports: Import[], node: (path: string) => string): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const { file, target } of imports) {
    if (!target) continue;
    const [from, to] = [node(file), node(target)];
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

/**
 * The case core and its store, which speak of the customer's side and the staff side only. Migrations are
 * left out: they name the columns as they were when they shipped.
 */
function platformNeutralFiles(): { file: string; text: string }[] {
  const under = (dir: string) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.startsWith('migration'))
      .map((file) => join(dir, file));
  return [...under('src/cases'), ...under('src/store'), 'src/messages/cases.ts'].map((file) => ({
    file,
    text: readFileSync(join(ROOT, file), 'utf8'),
  }));
}

/** Every platform name in code (identifiers, strings), comments removed; as `file:line: word`. */
function platformNamesIn({ file, text }: { file: string; text: string }): string[] {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '))
    .replace(/\/\/.*$/gm, '');
  return code
    .split('\n')
    .flatMap((line, index) =>
      [...line.matchAll(/\w*(?:slack|discord)[\w:$]*/gi)].map((match) => `${file}:${index + 1}: ${match[0]}`),
    );
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

  it('has no file in src/ that imports a file importing it back, types included', () => {
    expect(cycles(core, (path) => path)).toEqual([]);
  });

  it('finds a folder cycle when there is one (the check above can fail)', () => {
    const planted: Import[] = [
      { file: 'src/a/x.ts', specifier: '../b/y.js', target: 'src/b/y.ts' },
      { file: 'src/b/y.ts', specifier: '../a/x.js', target: 'src/a/x.ts' },
    ];
    expect(folderCycles(planted)).toEqual([['src/a', 'src/b', 'src/a']]);
  });

  it('keeps files small: none over 300 lines in src/, none of 200 or more in adapters/', () => {
    const longer = (dir: string, most: number) =>
      readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .map((file) => {
          const lines = readFileSync(join(ROOT, dir, file), 'utf8')
            .trimEnd()
            .split('\n').length;
          return `${dir}/${file}: ${lines} lines`;
        })
        .filter((line) => Number(/(\d+) lines$/.exec(line)?.[1]) > most);
    expect(longer('src', 300)).toEqual([]);
    expect(longer('adapters', 199)).toEqual([]);
  });

  it('keeps test files fit to share a worker: no mocked module, stubbed environment or faked global timer', () => {
    const test = join(ROOT, 'test');
    const shared = readdirSync(test, { recursive: true, encoding: 'utf8' })
      // vitest's global setups run in its own process before any worker starts: what they set, workers inherit.
      .filter(
        (file) => file.endsWith('.ts') && file !== 'architecture.test.ts' && !file.endsWith('-setup.ts'),
      )
      .filter((file) =>
        /\bvi\.(mock|doMock|stubEnv|stubGlobal|useFakeTimers)\(|process\.env\.\w+ *=[^=]/.test(
          readFileSync(join(test, file), 'utf8'),
        ),
      );
    expect(shared).toEqual([]);
  });

  it('keeps the conversation and the cases platform-neutral: no SDK, no front end', () => {
    const neutral = core.filter(({ file }) => /^src\/(conversation|cases)\//.test(file));
    expect(neutral.length).toBeGreaterThan(10);
    expect(neutral.filter(({ specifier }) => /slack|discord/i.test(specifier))).toEqual([]);
  });

  it('names the case core by roles: no platform in the code or words of cases and their store', () => {
    const files = platformNeutralFiles();
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap(platformNamesIn)).toEqual([]);
  });

  it('finds a platform name outside comments (the check above can fail)', () => {
    const planted =
      "// Slack threads are fine to name here\nconst slackThread = 'x'; /* Discord */ const a = 'discord:' + b;";
    expect(platformNamesIn({ file: 'planted.ts', text: planted })).toEqual([
      'planted.ts:2: slackThread',
      'planted.ts:2: discord:',
    ]);
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

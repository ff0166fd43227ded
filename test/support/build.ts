// Makes sure dist/ holds what `npm run build` makes from the current sources, for the tests and benchmarks
// that run the built bot and the bundled command. Builds only when a source is newer than the output, and one
// build at a time: test files run in parallel, and two builds writing dist/ at once would trip each other.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = join(import.meta.dirname, '../..');
/** What the build makes that tests and benchmarks run, relative to ROOT. */
export const BUILT = {
  bot: 'dist/adapters/main.js',
  cli: 'dist/mailsettings.js',
  /** tsc's own output for the command, which the bin was before it was bundled. */
  cliTsc: 'dist/adapters/cli/bin.js',
} as const;
const LOCK = join(ROOT, 'node_modules/.cache/mailsettings-build.lock');

function newestInput(): number {
  const sources = ['src', 'adapters'].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(dir, file)),
  );
  return Math.max(
    ...[...sources, 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map(
      (file) => statSync(join(ROOT, file)).mtimeMs,
    ),
  );
}

function isFresh(): boolean {
  const newest = newestInput();
  return Object.values(BUILT).every((file) => {
    try {
      return statSync(join(ROOT, file)).mtimeMs > newest;
    } catch {
      return false;
    }
  });
}

/** Takes the build lock, or returns false while another live process holds it (a dead holder's is taken over). */
function tryLock(): boolean {
  try {
    mkdirSync(LOCK, { recursive: false });
  } catch {
    let holder = Number.NaN;
    try {
      holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    } catch {
      return false; // just taken: its pid is being written
    }
    try {
      process.kill(holder, 0);
      return false;
    } catch {
      rmSync(LOCK, { recursive: true, force: true });
      return tryLock();
    }
  }
  writeFileSync(join(LOCK, 'pid'), String(process.pid));
  return true;
}

/**
 * Runs `npm run build` unless dist/ is newer than every source; waits while another process builds. Resolves
 * with what happened, for a benchmark's note; rejects with tsc's errors when the build fails.
 */
export async function buildOnce(): Promise<string> {
  mkdirSync(join(LOCK, '..'), { recursive: true });
  while (!tryLock()) await sleep(200);
  try {
    if (isFresh()) return 'dist/ was up to date, build skipped';
    const started = performance.now();
    const build = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    build.stdout.on('data', (chunk) => {
      output += chunk;
    });
    build.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const [code] = await once(build, 'exit');
    if (code !== 0) throw new Error(`npm run build failed (exit ${code}):\n${output}`);
    return `npm run build took ${((performance.now() - started) / 1000).toFixed(1)} s`;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** The bundled command and `npm start`'s entry point, as absolute paths for `node <path>`. */
export const CLI = join(ROOT, BUILT.cli);
export const BOT = join(ROOT, BUILT.bot);
/** What built output runs `script` (a source entry point of adapters/). */
export const builtOf = (script: 'adapters/cli/bin.ts' | 'adapters/main.ts') =>
  script === 'adapters/main.ts' ? BOT : CLI;

/**
 * The source files the command's CommonJS bundle (dist/cli/mailsettings.cjs) runs when it loads. esbuild wraps
 * each module in a lazy `var init_… = __esm({ "path"() { … } })`, run by the entry's top-level code or by
 * another module's; an import() becomes `Promise.resolve().then(() => (init_…(), …))`, run only when reached.
 */
export function modulesRunOnLoad(): Set<string> {
  const bundle = readFileSync(join(ROOT, 'dist/cli/mailsettings.cjs'), 'utf8');
  const modules = new Map<string, { path: string; body: string }>();
  let topLevel = bundle;
  for (const [body, name, path] of bundle.matchAll(
    /^var (init_\w+) = __esm\(\{\n\s*"([^"]+)"\(\) \{\n[\s\S]*?\n\}\);$/gm,
  )) {
    modules.set(name as string, { path: path as string, body });
    topLevel = topLevel.replace(body, '');
  }
  if (modules.size === 0) throw new Error('no lazy modules in the bundle: has the build changed?');
  const calls = (code: string) =>
    [...code.matchAll(/(?<!then\(\(\) => \()\b(init_\w+)\(\)/g)].map(([, name]) => name as string);
  const run = new Set<string>();
  const visit = (name: string) => {
    const module = modules.get(name);
    if (!module || run.has(module.path)) return;
    run.add(module.path);
    for (const called of calls(module.body)) visit(called);
  };
  for (const name of calls(topLevel)) visit(name);
  return run;
}

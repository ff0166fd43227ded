// The built bot (`npm start`'s entry) as a process with nothing but the environment a test gives it, for the
// start-up and stop tests: what it writes, and how it ends. (bot-process.ts runs it against a whole relay world.)
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { onTestFinished } from 'vitest';
import { BOT } from './build.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** The bot with only `env` (and PATH); stdin from `input`, or /dev/null as systemd gives it. Killed at test end. */
export function startPlainBot(env: Record<string, string>, input?: string) {
  const child = spawn(process.execPath, [BOT], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  child.stdin?.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    lines: () => stderr.split('\n').filter(Boolean),
  };
}

/** How a process ended (at once, when it has already). */
export async function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return { code: child.exitCode, signal: child.signalCode };
  const [code, signal] = await once(child, 'exit');
  return { code, signal };
}

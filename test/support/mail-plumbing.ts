// Plumbing for the real mail servers in mail-servers.ts: binaries, ports, dirs, process groups, polling, logs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const HOST = '127.0.0.1';
const SEARCH_PATH = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const TERM_GRACE_MS = 1500;
const KILL_TIMEOUT_MS = 10_000;

export interface Stat {
  state: string;
  pgrp: number;
  /** Start time in clock ticks since boot: tells a reused pid apart. */
  start: string;
}

export function readStat(pid: number): Stat | undefined {
  if (!(pid > 0)) return undefined;
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state ppid pgrp session ... starttime (22nd).
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]), start: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/**
 * Live processes in these process groups. Zombies don't count: they hold no ports, and where PID 1 is no real
 * init (containers, sandboxes) the children orphaned by a stopping master are never reaped.
 */
export function processesInGroups(pgids: number[]): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      const stat = readStat(pid);
      return stat !== undefined && stat.state !== 'Z' && pgids.includes(stat.pgrp);
    });
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {} // already gone
}

/**
 * SIGTERM to a master's whole process group (the pid in its master.pid leads it), then wait until the group is
 * empty. Idle Dovecot login processes can outlive SIGTERM by ~5s (their master waits up to 6s for them), so
 * whatever is left after a short grace gets SIGKILL.
 */
export async function stopGroup(pgid: number): Promise<void> {
  const empty = (): true | undefined => (processesInGroups([pgid]).length === 0 ? true : undefined);
  signal(-pgid, 'SIGTERM');
  try {
    await waitUntil(empty, TERM_GRACE_MS, `process group ${pgid} to exit`);
  } catch {
    signal(-pgid, 'SIGKILL');
    await waitUntil(empty, KILL_TIMEOUT_MS, `process group ${pgid} to exit after SIGKILL`);
  }
}

// Daemons of a test file that never called close(), or whose worker is dying, go with the worker: on exit, and
// on the signals that end it. Nothing can wait there, so they get SIGKILL.
const live = new Map<number[], () => void>();
let hooksInstalled = false;

function killAllNow(): void {
  for (const [pgids, release] of live) {
    for (const pgid of pgids) signal(-pgid, 'SIGKILL');
    release();
  }
  live.clear();
}

/** Until forgetOnExit(pgids): these process groups are killed, and release() called, if the process ends. */
export function killOnExit(pgids: number[], release: () => void): void {
  if (!hooksInstalled) {
    process.once('exit', killAllNow);
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(name, () => {
        killAllNow();
        // Die of the signal as we would have, unless someone else handles it.
        if (process.listenerCount(name) === 0) process.kill(process.pid, name);
      });
    }
  }
  hooksInstalled = true;
  live.set(pgids, release);
}

export function forgetOnExit(pgids: number[]): void {
  live.delete(pgids);
}

/**
 * Polls `probe` until it returns a value. Fails at once when `failure` reports something, or at the timeout;
 * either error ends with `diagnostics` (log tails).
 */
export async function waitUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  failure?: () => string | undefined,
  diagnostics?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    const failed = failure?.();
    if (failed !== undefined || Date.now() > deadline) {
      const reason = failed ?? `timed out after ${timeoutMs / 1000}s`;
      throw new Error(`waiting for ${what}: ${reason}${diagnostics ? `\n${diagnostics()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The last lines of a log file, or a note that it's missing. */
export function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

export function findBinary(name: string): string | undefined {
  const executable = (file: string): boolean => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  return SEARCH_PATH.filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find(executable);
}

/** Makes parent/name with this mode and owner (a user name; its group stays root's unless chown says). */
export function mkdir(parent: string, name: string, owner: string, mode: number): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir);
  fs.chmodSync(dir, mode);
  if (owner !== 'root') execFileSync('chown', [`${owner}:`, dir]);
  return dir;
}

/** The preferred ports where free on 127.0.0.1 (all bound at once, then released), else any free port. */
export async function choosePorts(preferred: number[]): Promise<number[]> {
  const listen = (port: number): Promise<net.Server | undefined> =>
    new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, HOST, () => resolve(server));
    });
  const bind = async (port: number): Promise<net.Server> => {
    const server = (await listen(port)) ?? (await listen(0));
    if (server === undefined) throw new Error('no free port on 127.0.0.1');
    return server;
  };
  const servers = await Promise.all(preferred.map(bind));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Whether 127.0.0.1:port accepts a TCP connection now. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port, timeout: 1000 });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

// Slots: `postfix -c DIR` only accepts dirs listed in /etc/postfix/main.cf's alternate_config_directories, and
// test temp dirs are random, so each server set borrows one of a fixed set of slot dirs (holding just main.cf
// and master.cf), locked by a file naming the owning process. A slot also owns a block of ports below the
// ephemeral range, which no port-0 listener or outgoing connection of a parallel test can take meanwhile.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readStat } from './mail-plumbing.js';

/** Must match SLOT_ROOT and SLOT_COUNT in .ci/install-mail-servers. */
export const SLOT_ROOT = '/tmp/mailsettings-postfix';
export const SLOT_COUNT = 8;
const PORT_BASE = 24_000;
const PORTS_PER_SLOT = 10;

export interface Slot {
  /** A config dir listed in alternate_config_directories, ours until release(). */
  dir: string;
  /** This slot's own ports (count <= 10), to try before any free port. */
  ports(count: number): number[];
  /** Notes the daemons' process groups in the lock, so whoever finds it stale can stop them. */
  record(pgids: number[]): void;
  release(): void;
}

export function claimSlot(): Slot {
  ensureSlotsListed();
  fs.mkdirSync(SLOT_ROOT, { recursive: true, mode: 0o755 });
  // /tmp is world-writable: a slot root someone else made could feed root's Postfix their main.cf.
  const root = fs.lstatSync(SLOT_ROOT);
  if (!root.isDirectory() || root.uid !== 0 || (root.mode & 0o022) !== 0) {
    throw new Error(`${SLOT_ROOT} must be a directory owned by root and writable by root only`);
  }
  for (const [index, dir] of slotDirs().entries()) {
    const lock = `${dir}.lock`;
    if (!tryLock(lock)) continue;
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    let released = false;
    return {
      dir,
      ports: (count) => Array.from({ length: count }, (_, i) => PORT_BASE + index * PORTS_PER_SLOT + i),
      record(pgids) {
        const next = `${lock}.${process.pid}`;
        fs.writeFileSync(next, `${identity(process.pid)}\n${pgids.join(' ')}\n`);
        fs.renameSync(next, lock);
      },
      release() {
        if (!released) fs.rmSync(lock, { force: true });
        released = true;
      },
    };
  }
  throw new Error(
    `all ${SLOT_COUNT} Postfix config slots (${SLOT_ROOT}/slot-N.lock) are held by live processes`,
  );
}

function slotDirs(): string[] {
  return Array.from({ length: SLOT_COUNT }, (_, i) => path.join(SLOT_ROOT, `slot-${i}`));
}

/** What .ci/install-mail-servers does, redone (whole value, so the list never grows) if it was skipped. */
function ensureSlotsListed(): void {
  const current = execFileSync('postconf', ['-h', 'alternate_config_directories'], { encoding: 'utf8' });
  const listed = current.split(/[\s,]+/).filter(Boolean);
  if (slotDirs().every((dir) => listed.includes(dir))) return;
  const others = listed.filter((dir) => !dir.startsWith(`${SLOT_ROOT}/`));
  execFileSync('postconf', ['-e', `alternate_config_directories = ${[...others, ...slotDirs()].join(', ')}`]);
}

/** "pid starttime" of a live process, '' when it's gone. */
function identity(pid: number): string {
  const stat = readStat(pid);
  return stat && stat.state !== 'Z' ? `${pid} ${stat.start}` : '';
}

function tryLock(lock: string): boolean {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lock, identity(process.pid), { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner: string;
    try {
      owner = fs.readFileSync(lock, 'utf8');
    } catch {
      continue; // released meanwhile
    }
    // Held by a live process (or just being written): not ours.
    const [holder = '', groups = ''] = owner.split('\n');
    if (holder === '' || identity(Number.parseInt(holder, 10)) === holder) return false;
    stopLeftovers(groups);
    try {
      // Renamed away rather than deleted, so two processes can't both clear it and both take it.
      const stale = `${lock}.stale-${process.pid}`;
      fs.renameSync(lock, stale);
      fs.rmSync(stale, { force: true });
    } catch {}
  }
  return false;
}

/** Daemons left by a test process that died without close(): a Postfix would read this slot's next main.cf. */
function stopLeftovers(groups: string): void {
  for (const pgid of groups.split(' ').map(Number)) {
    let comm = '';
    try {
      comm = fs.readFileSync(`/proc/${pgid}/comm`, 'utf8').trim();
    } catch {}
    // Only a group still led by a Dovecot or Postfix master: the pid may have been reused since.
    if (readStat(pgid)?.pgrp !== pgid || (comm !== 'dovecot' && comm !== 'master')) continue;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  }
}

// A process and everything it started, read from Linux's /proc: which processes a start command really runs,
// whether any of them outlived it, and how much memory the whole tree holds.
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  /** Start time in clock ticks since boot: tells the process apart from a later one given the same pid. */
  start: string;
  command: string;
}

/** `/proc/<pid>/stat`'s fields after the command name (which may itself hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone
  }
}

/** Still running: not gone, not a zombie waiting to be reaped, and not another process given its pid since. */
export function isRunning(proc: Pick<Proc, 'pid' | 'start'>): boolean {
  const fields = statFields(proc.pid);
  return fields !== undefined && fields[0] !== 'Z' && fields[19] === proc.start;
}

/** The process `root` and every process below it, parents before children. */
export function processTree(root: number): Proc[] {
  const procs = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      const pid = Number(name);
      const fields = statFields(pid);
      if (!fields) return [];
      let command = '';
      try {
        command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      } catch {}
      return [{ pid, ppid: Number(fields[1]), start: fields[19] as string, command }];
    });
  const tree = procs.filter((proc) => proc.pid === root);
  for (let i = 0; i < tree.length; i++) {
    tree.push(...procs.filter((proc) => proc.ppid === (tree[i] as Proc).pid));
  }
  return tree;
}

export interface TreeMemory {
  processes: Proc[];
  /** Sum of VmRSS, bytes: what `ps` and `top` show, added up (pages shared between processes count twice). */
  rss: number;
  /** Sum of Pss, bytes: shared pages split between the processes that share them. */
  pss: number;
}

/** Resident memory of `root` and its descendants right now. */
export function treeMemory(root: number): TreeMemory {
  const processes = processTree(root);
  let rss = 0;
  let pss = 0;
  for (const { pid } of processes) {
    try {
      rss += kB(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
      pss += kB(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss');
    } catch {} // exited meanwhile
  }
  return { processes, rss, pss };
}

function kB(text: string, field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
}

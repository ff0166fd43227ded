// Real Dovecot (IMAP, POP3) and Postfix (submission) servers on 127.0.0.1 high ports, from private config dirs.
// Needs root and Debian's packages: bash .ci/install-mail-servers
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  checkKeyPair,
  type DovecotOptions,
  dovecotConfig,
  postfixAuthSocket,
  postfixMainCf,
  postfixMasterCf,
} from './mail-configs.js';
import {
  accepts,
  choosePorts,
  findBinary,
  forgetOnExit,
  killOnExit,
  mkdir,
  processesInGroups,
  readPid,
  stopGroup,
  tail,
  waitUntil,
} from './mail-plumbing.js';
import { claimSlot } from './mail-slots.js';

export interface MailServerSet {
  host: '127.0.0.1';
  /** Ports by role. */
  ports: {
    /**
     * Dovecot: implicit TLS, and plain with STARTTLS. Dovecot counts a client whose IP is the server's as
     * secured: from 127.0.0.1 it offers AUTH=PLAIN before STARTTLS; from 127.0.0.2, LOGINDISABLED as usual.
     */
    imaps: number;
    imap: number;
    /** Dovecot: implicit TLS, and plain with STLS. */
    pop3s: number;
    pop3: number;
    /** Postfix: implicit TLS (wrapper mode), and 587-style STARTTLS; AUTH PLAIN LOGIN only after TLS. */
    submissions: number;
    submission: number;
    /** A second Dovecot with `ssl = no`: no STARTTLS in CAPABILITY. */
    imapNoStarttls: number;
    /** A Postfix smtpd with smtpd_tls_security_level=none: no STARTTLS in EHLO. */
    smtpNoStarttls: number;
  };
  /** Temp dir with the configs and logs: dovecot-tls/dovecot.log, dovecot-plain/dovecot.log, postfix.log. */
  dir: string;
  /** Master pids of the two Dovecots and Postfix; each leads the process group of its daemons. */
  pids: number[];
  /** Stops every daemon and waits until none of their processes is left. Safe to call twice. */
  close(): Promise<void>;
}

type Ports = MailServerSet['ports'];
const ROLES = 'imaps imap pop3s pop3 submissions submission imapNoStarttls smtpNoStarttls'.split(' ');
const START_TIMEOUT_MS = 20_000;
const DH_FILE = '/usr/share/dovecot/dh.pem';
const LOGS = ['dovecot-tls/dovecot.log', 'dovecot-plain/dovecot.log', 'postfix.log'];

/** Whether the Debian mail servers are installed here, and we are root (which starting them needs). */
export function mailServersAvailable(): { ok: true } | { ok: false; reason: string } {
  const installed: Record<string, boolean> = {
    'dovecot-imapd': findBinary('dovecot') !== undefined && fs.existsSync('/usr/lib/dovecot/imap-login'),
    'dovecot-pop3d': fs.existsSync('/usr/lib/dovecot/pop3-login'),
    postfix: findBinary('postfix') !== undefined,
  };
  const missing = Object.keys(installed).filter((name) => !installed[name]);
  const hint = 'install them as root with: bash .ci/install-mail-servers';
  if (missing.length > 0) return { ok: false, reason: `Debian's ${missing.join(', ')} missing; ${hint}` };
  if (process.getuid?.() !== 0)
    return { ok: false, reason: 'the test mail servers need root to start: run npm test as root' };
  return { ok: true };
}

/** Starts Dovecot and Postfix from private config dirs under a temp dir, with this key+cert on every TLS port. */
export async function startMailServers(tls: { key: string; cert: string }): Promise<MailServerSet> {
  const available = mailServersAvailable();
  if (!available.ok) throw new Error(available.reason);
  checkKeyPair(tls);
  const pids: number[] = [];
  const slot = claimSlot();
  let postfix: ReturnType<typeof startPostfix> | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await Promise.all(pids.map(stopGroup));
      await postfix?.stop();
      slot.release();
      forgetOnExit(pids);
    })();
    return closing;
  };
  killOnExit(pids, () => slot.release());
  try {
    const chosen = await choosePorts(slot.ports(ROLES.length));
    const ports = Object.fromEntries(ROLES.map((role, i) => [role, chosen[i]])) as Ports;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailsettings-mail-'));
    fs.chmodSync(dir, 0o755); // the mail user must reach the homes below
    const certFile = path.join(dir, 'cert.pem');
    const keyFile = path.join(dir, 'key.pem');
    fs.writeFileSync(certFile, tls.cert);
    fs.writeFileSync(keyFile, tls.key, { mode: 0o600 });
    const mailDir = mkdir(dir, 'mail', 'mail', 0o700);
    const queueDir = mkdir(dir, 'postfix-queue', 'root', 0o755);
    mkdir(queueDir, 'private', 'postfix', 0o700); // made now, so Dovecot can put Postfix's auth socket in it
    const dataDir = mkdir(dir, 'postfix-data', 'postfix', 0o700);
    const tlsFiles = { certFile, keyFile, dhFile: fs.existsSync(DH_FILE) ? DH_FILE : undefined };

    fs.writeFileSync(
      path.join(slot.dir, 'main.cf'),
      postfixMainCf({ queueDir, dataDir, ...tlsFiles, ports }),
    );
    fs.writeFileSync(path.join(slot.dir, 'master.cf'), postfixMasterCf(ports));
    const run = startPostfix(slot.dir, queueDir, path.join(dir, 'postfix.log'));
    postfix = run;
    const authSocket = postfixAuthSocket(queueDir);
    // All three at once (Postfix's start-up checks take longest); each master is recorded as soon as it is up.
    const masters = [
      startDovecot({ dir: path.join(dir, 'dovecot-tls'), mailDir, tls: tlsFiles, ports, authSocket }),
      startDovecot({ dir: path.join(dir, 'dovecot-plain'), mailDir, ports: { imap: ports.imapNoStarttls } }),
      run.master,
    ];
    const started = await Promise.allSettled(masters.map((master) => master.then((pid) => pids.push(pid))));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    slot.record(pids);
    const all = Object.values(ports);
    await waitUntil(
      async () => ((await Promise.all(all.map(accepts))).every(Boolean) ? true : undefined),
      START_TIMEOUT_MS,
      `ports ${all.join(', ')} to accept connections`,
      () => run.exited() ?? (processesInGroups(pids).length < pids.length ? 'a master exited' : undefined),
      () => LOGS.map((log) => `--- ${log}:\n${tail(path.join(dir, log))}`).join('\n'),
    );
    return { host: '127.0.0.1', ports, dir, pids, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** `dovecot -c FILE` daemonizes; its output goes to a file, so no pipe is held open. Resolves to the master pid. */
async function startDovecot(options: DovecotOptions): Promise<number> {
  const { dir } = options;
  fs.mkdirSync(dir);
  const configFile = path.join(dir, 'dovecot.conf');
  const startupLog = path.join(dir, 'startup.log');
  fs.writeFileSync(configFile, dovecotConfig(options));
  const out = fs.openSync(startupLog, 'a');
  const child = spawn(findBinary('dovecot') ?? 'dovecot', ['-c', configFile], {
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const status = await new Promise<number | string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'no status'));
  });
  const logs = (): string => `${tail(startupLog)}\n${tail(path.join(dir, 'dovecot.log'))}`;
  if (status !== 0) throw new Error(`dovecot -c ${configFile} failed (${status}):\n${logs()}`);
  const pidFile = path.join(dir, 'run', 'master.pid');
  return waitUntil(() => readPid(pidFile), START_TIMEOUT_MS, pidFile, undefined, logs);
}

/**
 * `postfix -c SLOT start-fg` runs Postfix's checks, then waits on `master -s`, which leads its own process
 * group. Its output, and so maillog_file = /dev/stdout, goes to `log` (opened for append: both write to it).
 */
function startPostfix(slotDir: string, queueDir: string, log: string) {
  const out = fs.openSync(log, 'a');
  const args = ['-c', slotDir, 'start-fg'];
  const child = spawn(findBinary('postfix') ?? 'postfix', args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exit: string | undefined;
  const done = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exit = `postfix start-fg failed: ${error.message}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exit = `postfix start-fg exited (${signal ?? code})`;
      resolve();
    });
  });
  const exited = (): string | undefined => exit && `${exit}:\n${tail(log)}`;
  const pidFile = path.join(queueDir, 'pid', 'master.pid');
  return {
    master: waitUntil(() => readPid(pidFile), START_TIMEOUT_MS, pidFile, exited),
    exited,
    /** start-fg ends right after its master; a start-fg whose master never came up is stopped here. */
    async stop(): Promise<void> {
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 2000))]);
      if (exit === undefined) child.kill('SIGTERM');
      await done;
    },
  };
}

/**
 * True when the real-server tests should be skipped: the servers are missing and this is not CI. Prints
 * the one-line reason with the command that installs them. CI never skips: there the tests fail loudly.
 */
export function skipWithoutMailServers(what: string): boolean {
  const available = mailServersAvailable();
  if (available.ok || process.env.CI) return false;
  console.warn(`skipping ${what}: ${available.reason}`);
  return true;
}

// vitest's global setup: one temporary folder for the whole run, removed when it ends. The test files and
// every process they start (the bot, the command, the mail servers) make their own folders in it, because
// they inherit its TMPDIR, so nothing of a run is left behind in the system's /tmp.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-run-'));
  // The mail servers' own users reach their folders below it.
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

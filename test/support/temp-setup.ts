// vitest's global setup: one temporary folder for the whole run, removed when it ends. The test files (their
// workers inherit its TMPDIR, as do the processes they start with their environment) make their own folders
// in it, so nothing of a run is left behind in the system's /tmp: 200 folders a run were, before. What a test
// leaves for a person to look at after the run (the set-up page's screenshot) goes to the system's folder,
// MAILSETTINGS_TEST_OUTPUT_DIR.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  process.env.MAILSETTINGS_TEST_OUTPUT_DIR ??= tmpdir();
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-run-'));
  // The mail servers' own users reach their folders below it.
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

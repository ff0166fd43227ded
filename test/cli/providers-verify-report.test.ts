// `mailsettings providers verify` as the built command, on a dataset of the test's own whose servers are refused
// at once (reserved addresses, private networks not allowed): no network is touched. The report file is
// written whole or not at all, and a wrong configuration variable exits 1.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT, buildOnce, ROOT } from '../support/build.js';

let dir: string;
let dataset: string;

function datasetJson(count: number) {
  const server = (host: string, port: number) => ({
    type: 'imap',
    host,
    port,
    security: 'ssl',
    username: 'address',
    from: 'test',
  });
  return {
    sources: { test: { url: 'https://example.com/help', checked: '2026-12-07' } },
    help: {},
    wellKnownDomains: [],
    providers: Array.from({ length: count }, (_, at) => ({
      id: `entry${at}`,
      name: `entry${at}`,
      domains: [`entry${at}.test`],
      domainsFrom: 'test',
      mx: [],
      password: 'password',
      servers: [server(`192.0.2.${at + 1}`, 993)],
    })),
  };
}

beforeAll(async () => {
  await buildOnce();
  dir = mkdtempSync(join(tmpdir(), 'mailsettings-verify-report-'));
  dataset = join(dir, 'providers.json');
  writeFileSync(dataset, JSON.stringify(datasetJson(20)));
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The built command through sh, so a resource limit can be set first. */
async function sh(script: string, args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      '/bin/sh',
      ['-c', `${script}; exec "$0" "$@"`, process.execPath, BUILT.cli, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9' } },
    );
    return { code: 0 as number | string, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; signal: string; stdout: string; stderr: string };
    return { code: failed.code ?? failed.signal, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('providers verify', () => {
  it('exits 1 when entries are dead, and the report is the JSON printed', async () => {
    const report = join(dir, 'ok-report.json');
    const { code, stdout } = await sh('true', [
      'providers',
      'verify',
      '--json',
      '--dataset',
      dataset,
      '--report',
      report,
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual(JSON.parse(stdout));
  });

  it('keeps the previous report whole when the new one cannot be written completely (atomic write)', async () => {
    const report = join(dir, 'report.json');
    const previous = `${JSON.stringify({ checkedAt: 'yesterday', entries: [], counts: { ok: 1, dead: 0, changed: 0 } })}\n`;
    writeFileSync(report, previous);
    // A file size limit of 1 KiB: the new report (some 10 KiB) cannot be written in full.
    const run = await sh('ulimit -f 1', ['providers', 'verify', '--dataset', dataset, '--report', report]);
    expect(run.code).not.toBe(0);
    const kept = readFileSync(report, 'utf8');
    // Either the old report or a whole new one, never a torn file that monitoring cannot read.
    expect(() => JSON.parse(kept)).not.toThrow();
  });

  it('says a wrong configuration variable with exit 1, as the rest of the command does', async () => {
    const run = await promisify(execFile)(process.execPath, [BUILT.cli, 'providers', 'verify'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, MAILSETTINGS_DEADLINE_MS: 'abc' },
    }).then(
      () => ({ code: 0 }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(run).toEqual({
      code: 1,
      stderr: expect.stringMatching(/^MAILSETTINGS_DEADLINE_MS must be/),
    });
  });
});

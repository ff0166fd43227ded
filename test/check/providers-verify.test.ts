// `mailsettings providers verify` against real Dovecot and Postfix on loopback, a loopback DNS server and a
// dataset file of the test's own: healthy entries, dead ones (no such host, a closed port) and changed ones
// (a certificate for another name, STARTTLS gone), through the command itself.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/cli.js';
import type { VerifyReport } from '../../src/check/verify-providers.js';
import { type DnsServer, startDnsServer } from '../support/dns-server.js';
import { type MailServerSet, skipWithoutMailServers, startMailServers } from '../support/mail-servers.js';
import { createTestPki } from '../support/pki.js';

const skip = skipWithoutMailServers('providers verify against real Dovecot and Postfix');
const checked = '2026-12-07';

function dataset(ports: MailServerSet['ports']) {
  const server = (type: string, host: string, port: number, security: string) => ({
    type,
    host,
    port,
    security,
    username: 'address',
    from: 'test',
  });
  const entry = (id: string, servers: object[]) => ({
    id,
    name: id,
    domains: [`${id}.test`],
    domainsFrom: 'test',
    mx: [],
    password: 'password',
    servers,
  });
  return {
    sources: { test: { url: 'https://example.com/help', checked } },
    help: {},
    wellKnownDomains: [],
    providers: [
      entry('healthy', [
        server('imap', 'mail.test', ports.imaps, 'ssl'),
        server('pop3', 'mail.test', ports.pop3, 'starttls'),
        server('smtp', 'mail.test', ports.submissions, 'ssl'),
        server('smtp', 'mail.test', ports.submission, 'starttls'),
      ]),
      entry('gone', [server('imap', 'gone.test', ports.imaps, 'ssl')]),
      entry('closed', [server('imap', 'mail.test', 1, 'ssl')]),
      entry('renamed', [server('imap', 'other.test', ports.imaps, 'ssl')]),
      entry('downgraded', [server('imap', 'mail.test', ports.imapNoStarttls, 'starttls')]),
      // Each customer's own MX host has no one name to probe: only the shared server is checked.
      {
        ...entry('per-customer', [
          server('imap', '%MXHOST%', ports.imaps, 'ssl'),
          server('smtp', 'mail.test', ports.submissions, 'ssl'),
        ]),
        domains: [],
        mx: ['.mx.test'],
        mxFrom: 'test',
      },
    ],
  };
}

describe.skipIf(skip)('mailsettings providers verify', () => {
  let servers: MailServerSet;
  let dns: DnsServer;
  let dir: string;

  beforeAll(async () => {
    const pki = createTestPki();
    [servers, dns] = await Promise.all([
      startMailServers(pki.issue(['mail.test'])),
      startDnsServer({
        records: [
          { name: 'mail.test', type: 'A', address: '127.0.0.1' },
          { name: 'other.test', type: 'A', address: '127.0.0.1' },
        ],
      }),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'mailsettings-verify-'));
    writeFileSync(join(dir, 'ca.pem'), pki.ca);
    writeFileSync(join(dir, 'providers.json'), JSON.stringify(dataset(servers.ports)));
  }, 60_000);
  afterAll(() => Promise.all([servers?.close(), dns?.close()]));

  async function verify(
    extra: string[],
    env: NodeJS.ProcessEnv = { MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: 'true' },
  ) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: string[] = [];
    const err: string[] = [];
    stdout.on('data', (chunk) => out.push(String(chunk)));
    stderr.on('data', (chunk) => err.push(String(chunk)));
    const args = [
      'providers',
      'verify',
      '--dataset',
      join(dir, 'providers.json'),
      '--dns-servers',
      dns.address,
    ];
    const code = await runCli([...args, '--ca', join(dir, 'ca.pem'), ...extra], {
      stdin: new PassThrough(),
      stdout,
      stderr,
      env,
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  it('finds the healthy entry working and names what is dead or changed, exiting 1', async () => {
    const file = join(dir, 'report.json');
    const { code, stdout } = await verify(['--json', '--report', file]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as VerifyReport;
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(report);
    const verdicts = Object.fromEntries(report.entries.map((entry) => [entry.id, entry.verdict]));
    expect(verdicts).toEqual({
      healthy: 'ok',
      gone: 'dead',
      closed: 'dead',
      renamed: 'changed',
      downgraded: 'changed',
      'per-customer': 'ok',
    });
    expect(report.counts).toEqual({ ok: 2, dead: 2, changed: 2 });
    const perCustomer = report.entries.find((entry) => entry.id === 'per-customer');
    expect(perCustomer?.servers.map((check) => check.host)).toEqual(['mail.test']);
    const healthy = report.entries[0]?.servers ?? [];
    expect(healthy.map((check) => check.probe.tls?.matchesHost)).toEqual([true, true, true, true]);
    expect(healthy.find((check) => check.port === servers.ports.submission)?.probe.mechanisms).toContain(
      'PLAIN',
    );
    const problems = (id: string) => report.entries.find((entry) => entry.id === id)?.servers[0]?.problems;
    expect(problems('renamed')).toContain('the certificate no longer matches the host name');
    expect(problems('downgraded')).toContain('STARTTLS is no longer offered');
    expect(problems('gone')).toEqual(['the name has no address in DNS']);
  });

  it('prints a table a person can read', async () => {
    const { code, stdout } = await verify([]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^provider +protocol +server +security +result/);
    expect(stdout).toMatch(new RegExp(`healthy +imap +mail\\.test:${servers.ports.imaps} +ssl +OK`));
    expect(stdout).toMatch(/renamed .* CHANGED +the certificate no longer matches the host name/);
    expect(stdout).toMatch(/2 entries work, 2 dead, 2 changed/);
  });

  it('refuses to probe private addresses unless they are allowed, as the live check does', async () => {
    const { code, stdout } = await verify(['--json'], {});
    const report = JSON.parse(stdout) as VerifyReport;
    expect(code).toBe(1);
    expect(report.entries.find((entry) => entry.id === 'healthy')?.servers[0]?.probe.outcome).toBe('refused');
  });

  it('prints the outcome even when the report file cannot be written, and fails', async () => {
    const { code, stdout, stderr } = await verify(['--report', join(dir, 'missing', 'report.json')]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/2 entries work, 2 dead, 2 changed/);
    expect(stderr).toMatch(/^The report could not be written to .*report\.json: /);
  });

  it('says how to use it when the verb or an option is wrong', async () => {
    expect((await verify(['--frobnicate'])).code).toBe(2);
    // A port of 0 would abort the process in Node's resolver.
    const zeroPort = await runCli(['providers', 'verify', '--dns-servers', '127.0.0.1:0'], {
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      env: {},
    });
    expect(zeroPort).toBe(2);
    const stderr = new PassThrough();
    const said: string[] = [];
    stderr.on('data', (chunk) => said.push(String(chunk)));
    const code = await runCli(['providers', 'check'], {
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr,
      env: {},
    });
    expect(code).toBe(2);
    expect(said.join('')).toMatch(/^Usage: mailsettings providers verify/);
  });
});

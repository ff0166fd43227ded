import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { App } from '@slack/bolt';
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordClient, startDiscord } from '../../adapters/discord/client.js';
import { createSlackApp } from '../../adapters/slack/app.js';
import { createLogger } from '../../src/index.js';
import { checkSettings, createRateLimiter } from '../../src/testing.js';
import { builtOf } from '../support/build.js';
import { chatDeps } from '../support/chat.js';
import { type FakeDiscord, startFakeDiscord } from '../support/fake-discord.js';
import { commandBody, type FakeSlack, signedPost, startFakeSlack } from '../support/fake-slack.js';
import { type MailServerSet, skipWithoutMailServers, startMailServers } from '../support/mail-servers.js';
import { createTestPki, type TestPki } from '../support/pki.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

const skip = skipWithoutMailServers('the live-check front-end tests against real Dovecot and Postfix');
const ROOT = new URL('../..', import.meta.url).pathname;
const SECRET = 'check-secret';

describe.skipIf(skip)('live check from every front end', () => {
  let pki: TestPki;
  let mail: MailServerSet;
  let world: World;
  let slack: FakeSlack;
  let discord: FakeDiscord;
  let app: App | undefined;
  let client: Client | undefined;

  beforeAll(async () => {
    pki = createTestPki();
    mail = await startMailServers(pki.issue(['mail.test']));
    const srv = (label: string, port: number) => ({
      name: `${label}.check.test`,
      type: 'SRV' as const,
      target: 'mail.test',
      port,
      priority: 0,
      weight: 0,
    });
    // SRV records carry the test servers' ports, so the ordinary resolution leads to them.
    [world, slack, discord] = await Promise.all([
      startWorld({
        records: [
          { name: 'mail.test', type: 'A', address: '127.0.0.1' },
          srv('_imaps._tcp', mail.ports.imaps),
          srv('_imap._tcp', mail.ports.imap),
          srv('_pop3s._tcp', mail.ports.pop3s),
          srv('_pop3._tcp', mail.ports.pop3),
          srv('_submissions._tcp', mail.ports.submissions),
          srv('_submission._tcp', mail.ports.submission),
        ],
      }),
      startFakeSlack(),
      startFakeDiscord(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await client?.destroy();
    await app?.stop();
    await Promise.all([mail?.close(), world?.close(), slack?.close(), discord?.close()]);
  });

  const deps = (withCheck: boolean) => {
    const resolver = resolverIn(world);
    const options = world.resolverOptions();
    const run = (settings: Parameters<typeof checkSettings>[0]) =>
      checkSettings(settings, { lookup: options.dns.addresses, allowPrivate: true, ca: pki.ca });
    return chatDeps({
      resolver,
      limiter: createRateLimiter(),
      log: createLogger(() => {}),
      check: { run, limiter: createRateLimiter({ limit: 3 }) },
      customersMayCheck: withCheck,
    });
  };

  /** Runs a front end as a process against the loopback DNS, trusting the test CA. */
  async function run(script: 'adapters/cli/bin.ts' | 'adapters/main.ts', args: string[], stdin = '') {
    const ca = join(pki.dir, 'ca-for-cli.pem');
    writeFileSync(ca, pki.ca);
    const child = promisify(execFile)(process.execPath, [builtOf(script), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_EXTRA_CA_CERTS: ca,
        MAILSETTINGS_DNS_SERVERS: world.dns.address,
        MAILSETTINGS_ISPDB_URL: `${world.ispdb.url}/v1.1/`,
        MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: 'true',
      },
    });
    child.child.stdin?.end(stdin);
    return (await child).stdout;
  }

  it('CLI: --check adds what every probe saw to the JSON answer', async () => {
    const answer = JSON.parse(await run('adapters/cli/bin.ts', ['--json', '--check', 'check.test']));
    expect(answer.source.kind).toBe('srv');
    expect(answer.check.results).toHaveLength(6);
    expect(answer.check.results.map((r: { outcome: string }) => r.outcome)).toEqual(Array(6).fill('ok'));
    expect(answer.check.advice[0]).toMatch(/^Every recommended server answered with a valid certificate/);
  });

  it('CLI and console: a question ending in "check" runs the check too', async () => {
    const cli = await run('adapters/cli/bin.ts', ['check.test', 'smtp', 'check']);
    expect(cli).toContain('Live check of the mail servers for check.test');
    expect(cli).toContain(`SMTP mail.test port ${mail.ports.submission} (STARTTLS)`);
    const console = await run('adapters/main.ts', [], '/mailsettings check.test imap check\n');
    expect(console).toContain('Live check of the mail servers for check.test');
    expect(console).toContain(`IMAP mail.test port ${mail.ports.imaps} (SSL/TLS)`);
  });

  it('Slack: customers are told checks are for staff unless the operator allows them', async () => {
    app = createSlackApp(
      { SLACK_BOT_TOKEN: 'xoxb-check', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl },
      deps(false),
    );
    const port = ((await app.start({ port: 0, host: '127.0.0.1' })) as Server).address() as AddressInfo;
    const response = await signedPost(
      `http://127.0.0.1:${port.port}/slack/events`,
      SECRET,
      commandBody('check.test check', slack.responseUrl('staff')),
    );
    expect(JSON.parse(response.body).text).toMatch(/^Live checks are run by our support staff/);
    await app.stop();
    app = undefined;
  });

  it('Slack: with MAILSETTINGS_CHECK_AUDIENCE=everyone it acknowledges, then posts the check', async () => {
    app = createSlackApp(
      { SLACK_BOT_TOKEN: 'xoxb-check', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl },
      deps(true),
    );
    const port = ((await app.start({ port: 0, host: '127.0.0.1' })) as Server).address() as AddressInfo;
    const ack = await signedPost(
      `http://127.0.0.1:${port.port}/slack/events`,
      SECRET,
      commandBody('check.test imap check', slack.responseUrl('check')),
    );
    expect(JSON.parse(ack.body).text).toBe('Checking the mail servers for check.test…');
    const [posted] = await slack.waitFor((post) => post.path === '/response/check', 1, 15_000);
    expect(posted?.body).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(String(posted?.body.text)).toContain('Live check of the mail servers for check.test');
    expect(String(posted?.body.text)).toContain(`IMAP mail.test port ${mail.ports.imaps} (SSL/TLS)`);
    expect(String(posted?.body.text)).toMatch(/Every recommended server answered/);
  });

  it('Discord: check:true defers, then edits in the settings and the check', async () => {
    client = createDiscordClient(
      { DISCORD_TOKEN: 'test-token', DISCORD_API_URL: discord.apiUrl },
      deps(true),
    );
    await startDiscord(client, 'test-token');
    const sent = discord.sendCommand({
      options: [
        { name: 'domain', type: 3, value: 'check.test' },
        { name: 'protocol', type: 3, value: 'smtp' },
        { name: 'check', type: 5, value: true },
      ],
    });
    const [deferral] = await discord.waitFor(
      (call) => call.path === `/interactions/${sent.id}/${sent.token}/callback`,
    );
    // Private unless shared: the deferral is already ephemeral.
    expect(deferral?.body).toMatchObject({ type: 5, data: { flags: 64 } });
    const [edit] = await discord.waitFor(
      (call) => call.method === 'PATCH' && call.path.includes(sent.token),
      1,
      15_000,
    );
    const embeds =
      (
        edit?.body as
          | { embeds: { title: string; description?: string; fields: { name: string }[] }[] }
          | undefined
      )?.embeds ?? [];
    expect(embeds.map((embed) => embed.title)).toEqual([
      'Mail settings for check.test (SMTP)',
      'Live check of the mail servers for check.test',
    ]);
    expect(embeds[1]?.fields.map((field) => field.name)).toEqual([
      `SMTP mail.test port ${mail.ports.submissions} (SSL/TLS)`,
      `SMTP mail.test port ${mail.ports.submission} (STARTTLS)`,
    ]);
    expect(embeds[1]?.description).toMatch(/Every recommended server answered/);
    expect(edit?.body).toMatchObject({ allowed_mentions: { parse: [] } });
  });
});

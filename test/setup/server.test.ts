// The set-up page, autoconfig and Autodiscover where npm start serves them: on Slack's own HTTP server in HTTP
// mode (beside a working /slack/events), and on a port of their own otherwise. Real HTTP on loopback; the
// hosted domain's answers come from the real resolver in the set-up world.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from '../../adapters/setup-server.js';
import { createSlackApp } from '../../adapters/slack/app.js';
import { createLogger, type SetupHandler, StartError } from '../../src/index.js';
import { createSetupHandler, parseConfigXml, setupPageUrl, signSetupLink } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import { commandBody, type FakeSlack, signedPost, startFakeSlack } from '../support/fake-slack.js';
import { autodiscoverRequest, OPERATOR, type SetupWorld, startSetupWorld } from '../support/setup-world.js';

const SIGNING_SECRET = 'setup-server-signing-secret';
const LINK_SECRET = 'setup-server-link-secret-0123456789abcdef';

let setup: SetupWorld;
let slack: FakeSlack;
let handler: SetupHandler;
beforeAll(async () => {
  [setup, slack] = await Promise.all([startSetupWorld(), startFakeSlack()]);
  handler = createSetupHandler({ resolver: setup.resolver, secret: LINK_SECRET });
});
afterAll(() => Promise.all([setup?.close(), slack?.close()]));

/** What every place that serves set-up must answer, asked over HTTP at `base`. */
async function expectSetupServed(base: string) {
  const hosted = await fetch(`${base}/mail/config-v1.1.xml?emailaddress=alice%40hosted.test`);
  expect(hosted.status).toBe(200);
  const parsed = parseConfigXml(await hosted.text());
  if (!parsed.ok) throw new Error(parsed.error);
  expect(parsed.value.domains).toEqual(['hosted.test']);
  expect(parsed.value.servers[0]).toMatchObject({ type: 'imap', hostname: OPERATOR, port: 993 });

  // Not hosted here: no answer, so this is no oracle for other people's domains.
  expect((await fetch(`${base}/mail/config-v1.1.xml?emailaddress=bob%40elsewhere.test`)).status).toBe(404);

  const outlook = await fetch(`${base}/autodiscover/autodiscover.xml`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: autodiscoverRequest('alice@hosted.test'),
  });
  expect(outlook.status).toBe(200);
  expect(await outlook.text()).toContain(`<Server>${OPERATOR}</Server>`);

  const token = signSetupLink(
    { domain: 'hosted.test', email: 'alice@hosted.test', protocol: 'imap' },
    LINK_SECRET,
  );
  const page = await fetch(setupPageUrl(base, token));
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(await page.text()).toContain(OPERATOR);
  expect((await fetch(setupPageUrl(base, `${token}x`))).status).toBe(403);

  expect((await fetch(`${base}/anything-else`)).status).toBe(404);
}

describe('the set-up page and autoconfig on Slack’s HTTP server', () => {
  let app: App;
  afterAll(() => app?.stop());

  it('answers them on the port Slack’s events come to, and Slack’s events still work', async () => {
    app = createSlackApp(
      { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl },
      { ...chatDeps({ resolver: setup.resolver }), setup: handler },
    );
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expectSetupServed(base);
    const answer = await signedPost(
      `${base}/slack/events`,
      SIGNING_SECRET,
      commandBody('alice@hosted.test imap', slack.responseUrl('served')),
    );
    expect(JSON.parse(answer.body).text).toContain(`Incoming mail server: ${OPERATOR}`);
    // Unsigned, a Slack request is still refused: the set-up routes take nothing from Bolt's endpoint.
    const unsigned = await fetch(`${base}/slack/events`, { method: 'POST', body: 'command=/mailsettings' });
    expect(unsigned.status).toBe(401);
  });

  it('refuses a malformed address with one warning a minute that never holds the address', async () => {
    const lines: string[] = [];
    const quiet = createSlackApp(
      { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl },
      {
        ...chatDeps({ resolver: setup.resolver, log: createLogger((line) => lines.push(line)) }),
        setup: handler,
      },
    );
    const server = (await quiet.start({ port: 0, host: '127.0.0.1' })) as Server;
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const token = signSetupLink(
        { domain: 'hosted.test', email: 'alice@hosted.test', protocol: 'imap' },
        LINK_SECRET,
      );
      for (const path of [`/setup/${token}/%ff`, '/%E0%A4%A', `/setup/${token}/%ff`])
        expect((await fetch(`${base}${path}`)).status).toBe(400);
      expect(lines.filter((line) => line.includes('malformed address'))).toHaveLength(1);
      expect(lines.filter((line) => line.includes(token) || / error /.test(line))).toEqual([]);
    } finally {
      await quiet.stop();
    }
  });
});

describe('the set-up page and autoconfig on a port of their own', () => {
  it('answers them there, and stops listening when stopped', async () => {
    const lines: string[] = [];
    const stop = await setupServer(
      handler,
      { port: 0, host: '127.0.0.1' },
      createLogger((line) => lines.push(line)),
    ).start();
    const port = Number(/setup page: started port=(\d+)/.exec(lines.join('\n'))?.[1]);
    expect(port).toBeGreaterThan(0);
    await expectSetupServed(`http://127.0.0.1:${port}`);
    await stop();
    await expect(fetch(`http://127.0.0.1:${port}/mail/config-v1.1.xml`)).rejects.toThrow();
  });

  it('says which port is taken and which variable to change', async () => {
    const log = createLogger(() => {});
    const lines: string[] = [];
    const first = await setupServer(
      handler,
      { port: 0, host: '127.0.0.1' },
      createLogger((line) => lines.push(line)),
    ).start();
    const port = Number(/port=(\d+)/.exec(lines.join('\n'))?.[1]);
    const second = setupServer(handler, { port, host: '127.0.0.1' }, log).start();
    await expect(second).rejects.toThrow(StartError);
    await expect(second).rejects.toThrow(
      `The set-up page cannot listen on port ${port} (EADDRINUSE): choose another MAILSETTINGS_HTTP_PORT.`,
    );
    await first();
  });
});

import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from '../../adapters/setup-server.js';
import { createSlackApp, startSlack } from '../../adapters/slack/app.js';
import { createLogger } from '../../src/index.js';
import { createSetupHandler, signSetupLink } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { rawStatusLine } from '../support/http-server.js';
import { type SetupWorld, startSetupWorld } from '../support/setup-world.js';

const LINK_SECRET = 'review-slack-port-link-secret-0123456789';
let setup: SetupWorld;
let slack: FakeSlack;
let app: App;
let slackPort = 0;
let ownPort = 0;
const stops: (() => Promise<void>)[] = [];
const slackLines: string[] = [];
const ownLines: string[] = [];

beforeAll(async () => {
  [setup, slack] = await Promise.all([startSetupWorld(), startFakeSlack()]);
  const slackLog = createLogger((line) => slackLines.push(line));
  const ownLog = createLogger((line) => ownLines.push(line));
  const config = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'review-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    PORT: 0,
  };
  const handler = createSetupHandler({ resolver: setup.resolver, secret: LINK_SECRET, log: slackLog });
  app = createSlackApp(config, { ...chatDeps({ resolver: setup.resolver, log: slackLog }), setup: handler });
  stops.push(
    await startSlack(app, config as Parameters<typeof startSlack>[1], slackLog, { host: '127.0.0.1' }),
  );
  slackPort = Number(/slack: started .*port=(\d+)/.exec(slackLines.join('\n'))?.[1]);
  const own = createSetupHandler({ resolver: setup.resolver, secret: LINK_SECRET, log: ownLog });
  stops.push(await setupServer(own, { port: 0, host: '127.0.0.1' }, ownLog).start());
  ownPort = Number(/setup page: started port=(\d+)/.exec(ownLines.join('\n'))?.[1]);
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await Promise.all([setup?.close(), slack?.close()]);
});

/** The status code of a raw request (0 when the connection only closed). */
async function statusOf(port: number, method: string, path: string): Promise<number> {
  const line = await rawStatusLine(
    port,
    `${method} ${path} HTTP/1.1\r\nHost: bot.test\r\nConnection: close\r\n\r\n`,
  );
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(line)?.[1] ?? 0);
}

describe('odd requests on Slack’s HTTP port, next to the set-up page', () => {
  const token = () =>
    signSetupLink({ domain: 'hosted.test', email: 'alice@hosted.test', protocol: 'imap' }, LINK_SECRET);

  it.each([
    ['GET', '/'],
    ['HEAD', '/'],
    ['PROPFIND', '/setup/TOKEN'],
    ['TRACE', '/setup/TOKEN'],
    ['MKCOL', '/mail/config-v1.1.xml'],
  ])(
    'answers %s %s as the set-up port does (a 4xx), with no error line and no token logged',
    async (method, template) => {
      const path = template.replace('TOKEN', token());
      slackLines.length = 0;
      const own = await statusOf(ownPort, method, path);
      const onSlack = await statusOf(slackPort, method, path);
      expect(own).toBeGreaterThanOrEqual(400);
      expect(own).toBeLessThan(500);
      expect(onSlack).toBe(own);
      const logged = slackLines.join('\n');
      expect(logged).not.toMatch(/ error /);
      expect(logged).not.toContain(path.split('/')[2] ?? '\0');
    },
  );
});

describe('a set-up handler that throws', () => {
  it('gets a 500 and one error line on either port, through a route or the fallback, and the process goes on', async () => {
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line));
    const throwing = () => {
      throw new Error('set-up handler broke');
    };
    const config = {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'review-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      PORT: 0,
    };
    const thrower = createSlackApp(config, {
      ...chatDeps({ resolver: setup.resolver, log }),
      setup: throwing,
    });
    stops.push(await startSlack(thrower, config, log, { host: '127.0.0.1' }));
    stops.push(await setupServer(throwing, { port: 0, host: '127.0.0.1' }, log).start());
    const [slackAt, ownAt] = [...lines.join('\n').matchAll(/started .*?port=(\d+)/g)].map(([, port]) =>
      Number(port),
    );
    // GET / and PROPFIND reach the handler through the receiver's fallback, GET /setup/x through Bolt's route.
    const requests = [
      [slackAt, 'GET', '/'],
      [slackAt, 'PROPFIND', '/setup/x'],
      [slackAt, 'GET', '/setup/x'],
      [ownAt, 'GET', '/setup/x'],
    ] as const;
    for (const [port, method, path] of requests)
      expect(await statusOf(port as number, method, path)).toBe(500);
    expect(lines.filter((line) => / error set-up request failed /.test(line))).toHaveLength(requests.length);
  });
});

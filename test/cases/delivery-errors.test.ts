// What each side's delivery errors mean for the outbox (adapters/*/delivery-errors.ts), from what the real
// discord.js and Slack clients throw against loopback servers: a refusal no retry can fix is DeliveryRefused,
// the platform away (an outage, no answer at all) PlatformAway, anything else (a refusal the side does not know,
// a bug) stays as thrown, given up after the outbox's tries.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryError as discordError } from '../../adapters/discord/delivery-errors.js';
import { restOptions } from '../../adapters/discord/rest.js';
import { deliveryError as slackError } from '../../adapters/slack/delivery-errors.js';
import { DeliveryRefused, PlatformAway, unreachable } from '../../src/index.js';

/** A server answering every request with `status` and `body` (JSON). */
let answer = { status: 200, body: {} as unknown };
let server: http.Server;
let url = '';
/** A port nothing listens on. */
let closed = 0;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = http.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  closed = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(() => new Promise((resolve) => server?.close(resolve)));

/** What a call threw, or undefined. */
const thrownBy = (call: () => Promise<unknown>) =>
  call().then(
    () => undefined,
    (error: unknown) => error,
  );
const discord = (api: string, options: { headers?: Record<string, string> } = {}) =>
  thrownBy(() =>
    new REST({ ...restOptions(api), retries: 0 })
      .setToken('x'.repeat(30))
      .post('/channels/1/messages', { body: { content: 'x' }, ...options }),
  );
const slack = (api: string) =>
  thrownBy(() =>
    new webApi.WebClient('xoxb-test', {
      slackApiUrl: `${api}/api/`,
      retryConfig: { retries: 0 },
    }).chat.postMessage({
      channel: 'C1',
      text: 'x',
    }),
  );

describe('Discord’s errors', () => {
  it('an outage (5xx) and no answer at all are Discord away', async () => {
    answer = { status: 503, body: { message: 'Service Unavailable' } };
    expect(discordError(await discord(url))).toBeInstanceOf(PlatformAway);
    expect(discordError(await discord(`http://127.0.0.1:${closed}`))).toBeInstanceOf(PlatformAway);
  });

  it('a refusal no retry can fix is refused for good; one the side does not know stays as thrown', async () => {
    answer = { status: 403, body: { code: 50013, message: 'Missing Permissions' } };
    expect(discordError(await discord(url))).toBeInstanceOf(DeliveryRefused);
    answer = { status: 400, body: { code: 40_099, message: 'Something new' } };
    const unknown = await discord(url);
    expect(discordError(unknown)).toBe(unknown);
  });

  it('a request the client refuses to build (a bug of ours) is not Discord away', async () => {
    answer = { status: 200, body: {} };
    const bad = await discord(url, { headers: { 'X-Bad': 'a\nb' } });
    expect(discordError(bad)).not.toBeInstanceOf(PlatformAway);
  });
});

describe('Slack’s errors', () => {
  it('its outage answers and no answer at all are Slack away', async () => {
    answer = { status: 200, body: { ok: false, error: 'internal_error' } };
    expect(slackError(await slack(url))).toBeInstanceOf(PlatformAway);
    expect(slackError(await slack(`http://127.0.0.1:${closed}`))).toBeInstanceOf(PlatformAway);
  });

  it('a refusal no retry can fix is refused for good; one the side does not know stays as thrown', async () => {
    answer = { status: 200, body: { ok: false, error: 'channel_not_found' } };
    expect(slackError(await slack(url))).toBeInstanceOf(DeliveryRefused);
    answer = { status: 200, body: { ok: false, error: 'something_new' } };
    const unknown = await slack(url);
    expect(slackError(unknown)).toBe(unknown);
  });

  it('a bug, even one whose cause was a network error, and a rejection with no value are not Slack away', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')", {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    expect(slackError(bug)).toBe(bug);
    expect(slackError(undefined)).toBeUndefined();
  });
});

describe('the network’s own errors', () => {
  it('are those of the network, not of the file system', () => {
    expect(unreachable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    expect(unreachable(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }))).toBe(
      false,
    );
  });
});

// The public HTTP port's limits (src/app/http-limits.ts, adapters/slack/receiver.ts) against the real Bolt
// app as startSlack starts it, and the set-up page's own server, on loopback: bodies refused before they are
// read and the connection closed, slow senders cut off, the connection cap, and Slack's own signed requests
// answered all the while. The timeouts are shortened so the test is quick; their production values are in
// docs/operations.md.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from '../../adapters/setup-server.js';
import { createSlackApp, startSlack } from '../../adapters/slack/app.js';
import { SLACK_BODY_LIMIT } from '../../adapters/slack/receiver.js';
import { createLogger, HTTP_LIMITS, type HttpLimits } from '../../src/index.js';
import { createSetupHandler } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import {
  commandBody,
  eventCallback,
  type FakeSlack,
  messageChanged,
  personMessage,
  signedPost,
  slackSignature,
  startFakeSlack,
} from '../support/fake-slack.js';
import { autodiscoverRequest, type SetupWorld, startSetupWorld } from '../support/setup-world.js';

const SECRET = 'http-port-signing-secret';
const QUICK: HttpLimits = {
  ...HTTP_LIMITS,
  headersTimeout: 300,
  requestTimeout: 600,
  connectionsCheckingInterval: 50,
};

let setup: SetupWorld;
let slack: FakeSlack;
const stops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  [setup, slack] = await Promise.all([startSetupWorld(), startFakeSlack()]);
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await Promise.all([setup?.close(), slack?.close()]);
});

/** Starts the Slack app as npm start does (set-up page on its server), with `limits`; its port and log. */
async function startBot(limits: HttpLimits) {
  const logs: string[] = [];
  const log = createLogger((line) => logs.push(line));
  const config = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: 0,
  };
  const handler = createSetupHandler({
    resolver: setup.resolver,
    secret: 'http-port-link-secret-0123456789abcdef',
  });
  const app = createSlackApp(config, { ...chatDeps({ resolver: setup.resolver, log }), setup: handler });
  stops.push(await startSlack(app, config, log, { host: '127.0.0.1', limits }));
  const port = Number(/slack: started .*port=(\d+)/.exec(logs.join('\n'))?.[1]);
  return { port, logs, events: `http://127.0.0.1:${port}/slack/events` };
}

interface Exchange {
  /** Everything the server sent. */
  response: string;
  /** The status line's code, if a response came. */
  status?: number;
}

/**
 * Opens a connection, writes what `send` writes (and nothing after), and resolves once the server has closed
 * the connection: only the server ends these exchanges.
 */
function exchange(port: number, send: (socket: net.Socket) => void): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => send(socket));
    let response = '';
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString('latin1');
    });
    // A connection refused at once may end in a reset; what matters is what came before it.
    socket.on('error', () => {});
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1];
      resolve({ response, ...(status ? { status: Number(status) } : {}) });
    });
  });
}

/** A POST's request line and headers, Slack's signature headers included when `body` is given. */
function head(path: string, headers: Record<string, string | number>, signedBody?: string): string {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature =
    signedBody === undefined
      ? {}
      : {
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': slackSignature(SECRET, timestamp, signedBody),
        };
  const lines = Object.entries({ host: 'bot.test', ...headers, ...signature }).map(
    ([k, v]) => `${k}: ${v}\r\n`,
  );
  return `POST ${path} HTTP/1.1\r\n${lines.join('')}\r\n`;
}

/** Answer lines: one per response the server sent. */
const statusLines = (exchanged: Exchange) => exchanged.response.match(/^HTTP\/1\.1 \d{3}/gm);

/**
 * Once the server has answered, sends the body it refused and a second request after it: a server that read
 * on would answer that one too.
 */
function afterTheAnswer(socket: net.Socket, bytes: number, next: string): void {
  socket.once('data', () => {
    socket.write(Buffer.alloc(bytes, 'x'));
    socket.write(`GET ${next} HTTP/1.1\r\nhost: bot.test\r\n\r\n`);
  });
}

describe('Slack’s HTTP port', () => {
  let bot: Awaited<ReturnType<typeof startBot>>;
  beforeAll(async () => {
    bot = await startBot(QUICK);
  });
  const help = () => signedPost(bot.events, SECRET, commandBody('help', slack.responseUrl('help')));

  it('refuses a signed body declared larger than Slack sends with 413 before reading it, and closes the connection', async () => {
    const refused = await exchange(bot.port, (socket) => {
      socket.write(
        head(
          '/slack/events',
          { 'content-type': 'application/json', 'content-length': SLACK_BODY_LIMIT + 1 },
          '',
        ),
      );
      afterTheAnswer(socket, SLACK_BODY_LIMIT + 1, '/mail/config-v1.1.xml?emailaddress=alice%40hosted.test');
    });
    expect(statusLines(refused)).toEqual(['HTTP/1.1 413']);
    expect(refused.response).toMatch(/\r\nconnection: close\r\n/i);
    expect(bot.logs.join('\n')).toMatch(/warn slack: request body too large, refused unread bytes=1048577 /);
  });

  it('refuses an unsigned 4 MB body with 401 before reading it, and closes the connection', async () => {
    const refused = await exchange(bot.port, (socket) =>
      socket.write(
        head('/slack/events', { 'content-type': 'application/json', 'content-length': 4 * 1024 * 1024 }),
      ),
    );
    expect(refused.status).toBe(401);
  });

  it('stops reading a body sent without a length at the limit: 413, and the connection closed', async () => {
    const refused = await exchange(bot.port, (socket) => {
      socket.write(
        head('/slack/events', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, 'x'),
      );
      const part = Buffer.alloc(64 * 1024, 'x');
      for (let sent = 0; sent < SLACK_BODY_LIMIT; sent += part.length) socket.write(`10000\r\n${part}\r\n`);
      // The byte past the limit, and nothing after it: all that was sent is read, so the close is clean.
      socket.write('1\r\nx');
    });
    expect(refused.status).toBe(413);
  });

  it('refuses a forged signature with 401, and takes Slack’s largest real body: an edit of a 40,000-character message', async () => {
    const long = 'Ünïcödé '.repeat(5000);
    const message = personMessage(long, { channel: 'C1', user: 'U1', threadTs: '1700000000.000100' });
    const edit = eventCallback(messageChanged(message, `${long}!`));
    expect(Buffer.byteLength(edit)).toBeGreaterThan(64 * 1024);
    const forged = await signedPost(bot.events, 'not-the-secret', edit, { json: true });
    expect(forged.status).toBe(401);
    expect(bot.logs.join('\n')).toMatch(
      /warn slack: request signature does not match SLACK_SIGNING_SECRET times=1$/m,
    );
    expect((await signedPost(bot.events, SECRET, edit, { json: true })).status).toBe(200);
  });

  it('still answers Slack’s URL verification (signed) and its SSL check (unsigned, "ssl_check=1&token=…")', async () => {
    const challenge = '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P';
    const body = JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge, type: 'url_verification' });
    const verified = await signedPost(bot.events, SECRET, body, { json: true });
    expect([verified.status, JSON.parse(verified.body)]).toEqual([200, { challenge }]);
    const sslCheck = await fetch(bot.events, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'ssl_check=1&token=Jhj5dZrVaK7ZwHHjRyZWjbDl',
    });
    expect(sslCheck.status).toBe(200);
  });

  it('cuts off a sender that stalls in its headers or its body, and answers Slack meanwhile', async () => {
    const stalled = [
      exchange(bot.port, (socket) =>
        socket.write('POST /slack/events HTTP/1.1\r\nhost: bot.test\r\nx-slow: 1\r\n'),
      ),
      exchange(bot.port, (socket) =>
        socket.write(
          `${head('/slack/events', { 'content-type': 'application/json', 'content-length': 2000 }, 'x')}{"type":`,
        ),
      ),
    ];
    const answer = await help();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).text).toMatch(/^Usage: \/mailsettings/);
    for (const cut of await Promise.all(stalled)) expect(cut.status).toBe(408);
  });
});

describe('the connection cap', () => {
  it('refuses connections past it with one warning, and serves again once they close', async () => {
    const bot = await startBot({ ...HTTP_LIMITS, maxConnections: 2 });
    const open = await Promise.all(
      [1, 2].map(
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(bot.port, '127.0.0.1', () => resolve(socket));
          }),
      ),
    );
    const dropped = await Promise.all([1, 2].map(() => exchange(bot.port, () => {})));
    expect(dropped.map((end) => end.response)).toEqual(['', '']);
    expect(bot.logs.filter((line) => line.includes('http: connection limit reached'))).toEqual([
      expect.stringMatching(
        / warn http: connection limit reached, new connections are refused port=\d+ maxConnections=2 times=1$/,
      ),
    ]);
    for (const socket of open) socket.destroy();
    await expect
      .poll(() =>
        signedPost(bot.events, SECRET, commandBody('help', slack.responseUrl('after')))
          .then((r) => r.status)
          .catch(() => 0),
      )
      .toBe(200);
  });
});

describe('the set-up page on its own port', () => {
  it('refuses a body over its cap unread with 413, closes the connection, and cuts off a stalled sender', async () => {
    const logs: string[] = [];
    const handler = createSetupHandler({
      resolver: setup.resolver,
      secret: 'http-port-link-secret-0123456789abcdef',
    });
    const server = setupServer(
      handler,
      { port: 0, host: '127.0.0.1' },
      createLogger((line) => logs.push(line)),
      QUICK,
    );
    stops.push(await server.start());
    const port = Number(/setup page: started port=(\d+)/.exec(logs.join('\n'))?.[1]);
    const path = '/autodiscover/autodiscover.xml';
    const tooLarge = await exchange(port, (socket) => {
      socket.write(head(path, { 'content-type': 'text/xml', 'content-length': 1024 * 1024 }));
      afterTheAnswer(socket, 1024 * 1024, '/mail/config-v1.1.xml?emailaddress=alice%40hosted.test');
    });
    expect(statusLines(tooLarge)).toEqual(['HTTP/1.1 413']);
    expect(tooLarge.response).toContain('larger than 32768 bytes');
    const stalled = await exchange(port, (socket) =>
      socket.write(`${head(path, { 'content-type': 'text/xml', 'content-length': 500 })}<Autodiscover>`),
    );
    expect(stalled.status).toBe(408);
    const body = autodiscoverRequest('alice@hosted.test');
    const answered = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body });
    expect(answered.status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from '../../adapters/setup-server.js';
import { HTTP_LIMITS, type Logger } from '../../src/index.js';
import { createSetupHandler } from '../../src/testing.js';
import { rawStatusLine } from '../support/http-server.js';
import { type SetupWorld, startSetupWorld } from '../support/setup-world.js';

const SECRET = 'stranger-secret-that-is-long-enough-0123456789';
const errors: { message: string; context?: unknown }[] = [];
const log: Logger = {
  info() {},
  warn() {},
  error: (message, context) => errors.push({ message, context }),
} as Logger;

let setup: SetupWorld;
let port = 0;
let stop: () => Promise<void>;

beforeAll(async () => {
  setup = await startSetupWorld();
  const handler = createSetupHandler({ resolver: setup.resolver, secret: SECRET, log });
  // The real port of its own (adapters/setup-server.ts), with a short request timeout so a slow body is cut.
  const front = setupServer(handler, { port: 0, host: '127.0.0.1' }, log, {
    ...HTTP_LIMITS,
    headersTimeout: 1_000,
    requestTimeout: 1_000,
    connectionsCheckingInterval: 100,
  });
  const infoLog = log.info;
  let started = 0;
  log.info = (message, context) => {
    if (message === 'setup page: started') started = (context as { port: number }).port;
    infoLog.call(log, message, context);
  };
  stop = await front.start();
  port = started;
});
afterAll(async () => {
  await stop?.();
  await setup?.close();
});

/** A raw request: the status line the server answered with ('' when it only closed the connection). */
const raw = (request: string, options?: { hangUpAfterMs?: number }) => rawStatusLine(port, request, options);

const post = (body: string, declared = Buffer.byteLength(body)) =>
  `POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: ${declared}\r\nConnection: close\r\n\r\n${body}`;

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('Autodiscover bodies a stranger sends', () => {
  it('answers a well-formed request nested deeper than 100 elements with 400, not a 500 and an error log', async () => {
    errors.length = 0;
    // 101 levels, about 1 KB: XMLValidator accepts it, then XMLParser throws "Maximum nested tags exceeded".
    const body = `<Autodiscover><Request>${'<a>'.repeat(100)}${'</a>'.repeat(100)}<EMailAddress>alice@hosted.test</EMailAddress></Request></Autodiscover>`;
    const status = await raw(post(body));
    await settle();
    expect(status).toBe('HTTP/1.1 400 Bad Request');
    expect(errors).toEqual([]);
  });

  it('does not log a client that hangs up half-way through its body as a server error', async () => {
    errors.length = 0;
    await raw(post('<Autodiscover><Request>', 400), { hangUpAfterMs: 100 });
    await settle();
    expect(errors).toEqual([]);
  });

  it('cuts off a body sent too slowly, without an error log for it', async () => {
    errors.length = 0;
    const started = Date.now();
    // Declares 400 bytes and sends 23: the port's request timeout (1 s here) must end it.
    await raw(post('<Autodiscover><Request>', 400));
    expect(Date.now() - started).toBeLessThan(5_000); // the limit itself holds
    await settle();
    expect(errors).toEqual([]);
  });
});

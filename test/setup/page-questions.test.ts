// What a customer sees on the set-up page and gets in chat for questions people really ask (a bare domain: the
// device asks for the address and user name too, and the page says so) and for an address holding a character
// no text may carry (refused as a question; a link signed for one still gets its page, without a profile).
import http from 'node:http';
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupOffer } from '../../src/setup/setup-offer.js';
import { createSetupHandler, parseQuery, signSetupLink } from '../../src/testing.js';
import { startHttpServer, type TestHttpServer } from '../support/http-server.js';
import { type SetupWorld, startSetupWorld } from '../support/setup-world.js';

const SECRET = 'questions-secret-that-is-long-enough-0123456789';
const errors: unknown[] = [];
let setup: SetupWorld;
let server: TestHttpServer;

beforeAll(async () => {
  setup = await startSetupWorld();
  const handler = createSetupHandler({
    resolver: setup.resolver,
    secret: SECRET,
    log: { info() {}, warn() {}, error: (message, context) => errors.push({ message, context }) },
  });
  server = await startHttpServer((req, res) => {
    if (!handler(req, res)) res.writeHead(404).end();
  });
});
afterAll(async () => {
  await server?.close();
  await setup?.close();
});

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      })
      .on('error', reject);
  });
}

/** The link the bot signs for a question typed in chat. */
function linkFor(question: string): string {
  const parsed = parseQuery(question);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { domain, email, protocol } = parsed.value.query;
  return signSetupLink({ domain, ...(email ? { email } : {}), protocol }, SECRET);
}

describe('the set-up page for a bare domain ("/mailsettings hosted.test")', () => {
  it('does not promise that only the password is asked when the profile leaves address and user name to the device', async () => {
    const token = linkFor('hosted.test');
    const profile = await get(`/setup/${token}/apple.mobileconfig`);
    expect(profile.status).toBe(200);
    const account = (parsePlist(profile.body) as { PayloadContent: Record<string, unknown>[] })
      .PayloadContent[0] as Record<string, unknown>;
    // The profile has no address and no usernames: the device will ask for all three at installation.
    expect(account.EmailAddress).toBeUndefined();
    expect(account.IncomingMailServerUsername).toBeUndefined();

    const page = await get(`/setup/${token}`);
    expect(page.status).toBe(200);
    // …yet the page says: "It fills in every setting; only your password is asked for."
    expect(page.body).not.toMatch(/only your (app )?password is asked for/);
  });
});

describe('an address with U+FFFF in its local part', () => {
  const address = 'a\uffffb@hosted.test';

  it('is refused as a question, naming what is wrong with it', () => {
    const parsed = parseQuery(address);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error.code).toBe('address-characters');
  });

  it('still gets its set-up page from a link signed for it (the profile is refused, the page is no 500)', async () => {
    errors.length = 0;
    const token = signSetupLink({ domain: 'hosted.test', email: address, protocol: 'all' }, SECRET);
    const page = await get(`/setup/${token}`);
    expect(page.status).toBe(200);
    expect(errors).toEqual([]);
  });

  it('still gets its iPhone steps from setupOffer, without a profile', async () => {
    const asked = await setup.answer('ab@hosted.test');
    const settings = { ...asked, query: { ...asked.query, email: address } };
    await expect(setupOffer(settings, { question: address, program: 'iphone' })).resolves.toBeDefined();
  });
});

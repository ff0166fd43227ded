// The set-up page in a real browser: Debian's chromium driven by playwright-core (which never downloads a
// browser of its own here). The screenshot at phone width is written under the OS temp dir and its path printed.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSetupHandler, signSetupLink } from '../../src/testing.js';
import { startHttpServer, type TestHttpServer } from '../support/http-server.js';
import { OPERATOR, type SetupWorld, startSetupWorld } from '../support/setup-world.js';

const CHROMIUM = '/usr/bin/chromium';
const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#0b4fb3"/></svg>';
const SECRET = 'browser-test-secret-0123456789abcdef';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function skipWithoutChromium(): boolean {
  if (existsSync(CHROMIUM) || process.env.CI) return false;
  console.warn(`skipping the set-up page browser test: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  return true;
}

describe.skipIf(skipWithoutChromium())('the set-up page in a real browser', () => {
  let setup: SetupWorld;
  let server: TestHttpServer;
  let browser: Browser;
  let page: Page;
  const link = () =>
    `${server.url}/setup/${signSetupLink({ domain: 'hosted.test', email: 'alice@hosted.test', protocol: 'imap' }, SECRET)}`;

  beforeAll(async () => {
    setup = await startSetupWorld();
    let handler: ReturnType<typeof createSetupHandler> | undefined;
    server = await startHttpServer((req, res) => {
      if (req.url === '/logo.svg')
        return void res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(LOGO);
      if (!handler?.(req, res)) res.writeHead(404).end();
    });
    handler = createSetupHandler({
      resolver: setup.resolver,
      secret: SECRET,
      organization: 'Example Web Hosting',
      logoUrl: `${server.url}/logo.svg`,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      acceptDownloads: true,
    });
    page = await context.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await setup?.close();
  });

  it('renders the heading, the settings and the steps, readable at phone width', async () => {
    const response = await page.goto(link());
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Set up your email: alice@hosted.test');
    const headings = await page.locator('h2').allInnerTexts();
    expect(await page.locator('header.brand').textContent()).toBe('Example Web Hosting');
    const logo = page.locator('header.brand img');
    expect(await logo.getAttribute('alt')).toBe('Example Web Hosting logo');
    await expect
      .poll(() => logo.evaluate((img: unknown) => (img as { naturalWidth: number }).naturalWidth))
      .toBe(120);
    expect(headings).toEqual([
      'One-tap set-up on iPhone, iPad or Mac',
      'Step by step in your mail program',
      'Your settings',
    ]);
    // The settings are labelled values: each server value sits next to the label that names it.
    const server = page
      .locator('dt', { hasText: /^Incoming mail server$/ })
      .first()
      .locator('xpath=following-sibling::dd[1]');
    expect(await server.textContent()).toBe(OPERATOR);
    const port = page
      .locator('dt', { hasText: /^Incoming mail port$/ })
      .first()
      .locator('xpath=following-sibling::dd[1]');
    expect(await port.textContent()).toBe('993');

    // A program's steps open on a tap and name the values where its screens ask for them.
    await page.getByText('Outlook for Windows', { exact: true }).click();
    const outlook = page.locator('details', { has: page.getByText('Outlook for Windows', { exact: true }) });
    await expect.poll(() => outlook.getAttribute('open')).toBe('');
    const firstStep = outlook.locator('li').first();
    expect(await firstStep.isVisible()).toBe(true);
    expect(await firstStep.textContent()).toContain('Open Outlook');
    expect(await outlook.textContent()).toMatch(/Encryption method\s*SSL\/TLS/);

    // Nothing is wider than the phone.
    // A string expression: the tests are type-checked without the DOM library.
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);

    // Kept after the run (test/support/temp-setup.ts), for a person to look at.
    const dir = await mkdtemp(
      join(process.env.MAILSETTINGS_TEST_OUTPUT_DIR ?? tmpdir(), 'mailsettings-setup-page-'),
    );
    const shot = join(dir, 'setup-page-390x844.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`set-up page screenshot (390×844, full page): ${shot}`);
  });

  it('puts the app password first for Gmail, with its help page as a link that wraps at phone width', async () => {
    const gmail = `${server.url}/setup/${signSetupLink({ domain: 'gmail.com', email: 'alice@gmail.com', protocol: 'imap' }, SECRET)}`;
    expect((await page.goto(gmail))?.status()).toBe(200);
    const headings = await page.locator('h2').allInnerTexts();
    expect(headings[0]).toBe('First: create an app password');
    const help = page.locator('h2 + p a').first();
    expect(await help.getAttribute('href')).toMatch(/^https:\/\/support\.google\.com\/mail\//);
    // The notes' links are links too, and none of them sticks out of the phone's width.
    const noteLinks = page.locator('ul li a');
    expect(await noteLinks.count()).toBeGreaterThan(0);
    const widest = Number(
      await page.evaluate(
        'Math.max(...[...document.querySelectorAll("a")].map((a) => a.getBoundingClientRect().right))',
      ),
    );
    expect(widest).toBeLessThanOrEqual(390);
    expect(await page.locator('main').textContent()).toContain('type your app password when asked');
    expect(await page.locator('main').textContent()).not.toMatch(/type your password/i);
    // Tapping it opens the page; the browser is answered here, so the test never leaves loopback.
    await page.route('https://support.google.com/**', (route) => route.fulfill({ body: 'Gmail help' }));
    await help.click();
    await expect.poll(() => page.url()).toMatch(/^https:\/\/support\.google\.com\/mail\//);
    await page.unroute('https://support.google.com/**');
  });

  it('downloads the profile from the page link, as application/x-apple-aspen-config', async () => {
    await page.goto(link());
    const button = page.getByRole('link', { name: 'Download the profile' });
    const href = await button.getAttribute('href');
    expect(href).toMatch(/\/apple\.mobileconfig$/);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe('hosted.test.mobileconfig');

    const response = await page.request.get(new URL(href as string, page.url()).href);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/x-apple-aspen-config');
    const profile = parsePlist(await response.text()) as { PayloadContent: Record<string, unknown>[] };
    expect(profile.PayloadContent[0]?.IncomingMailServerHostName).toBe(OPERATOR);
  });

  it('shows the error page for a tampered link', async () => {
    const good = link();
    const [base, token = ''] = good.split('/setup/');
    const [body, mac = ''] = token.split('.');
    const tampered = `${base}/setup/${body}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    expect(tampered).not.toBe(good);
    const response = await page.goto(tampered);
    expect(response?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('This link is not valid');
    expect(await page.locator('p').textContent()).toContain('Copy the whole link');
    expect(await page.locator('a').count()).toBe(0);
  });
});

// Values the configuration could accept but the start cannot honour, through the real built bot as a process
// (the console, questions piped in, offline): refused, each in one line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitOf, startPlainBot } from './support/plain-bot.js';

const OFFLINE = { MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9', MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/' };

/** The console, offline, answering `input`: how it ended and what it wrote. */
async function consoleRun(env: Record<string, string>, input = 'example.com pop\n') {
  const bot = startPlainBot({ ...OFFLINE, ...env }, input);
  const { code } = await exitOf(bot.child);
  return { code, stderr: bot.stderr(), lines: bot.lines() };
}

describe('MAILSETTINGS_CACHE_SIZE=0', () => {
  it('is either refused or means no cache, never a cache without a bound', async () => {
    const { code, stderr } = await consoleRun({ MAILSETTINGS_CACHE_SIZE: '0' });
    // lru-cache with max 0 keeps every entry until its TTL: each distinct domain asked stays for ten minutes.
    expect(stderr).not.toContain('UnboundedCacheWarning');
    if (code !== 0) expect(stderr).toMatch(/^MAILSETTINGS_CACHE_SIZE /);
  }, 20_000);

  it('with MAILSETTINGS_CACHE_TTL_MS=0 too (each accepted alone) says what is wrong in one line', async () => {
    const { code, lines } = await consoleRun({
      MAILSETTINGS_CACHE_SIZE: '0',
      MAILSETTINGS_CACHE_TTL_MS: '0',
    });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^MAILSETTINGS_CACHE_(SIZE|TTL_MS) /);
  }, 20_000);
});

describe('an operator profile that is not valid YAML', () => {
  it('is named in one line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mailsettings-profile-')), 'profile.yaml');
    writeFileSync(file, 'provider: X\nservers:\n  - hostname: a\n   addresses: [1\n');
    const { code, lines } = await consoleRun({ MAILSETTINGS_PROFILE: file });
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^MAILSETTINGS_PROFILE: /);
    expect(lines).toHaveLength(1);
  }, 20_000);
});

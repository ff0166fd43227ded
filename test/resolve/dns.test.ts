import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDns } from '../../src/index.js';
import { type DnsServer, startDnsServer } from '../support/dns-server.js';

let slow: DnsServer;
let dead: DnsServer;
const MX = { name: 'slow.test', type: 'MX', priority: 1, exchange: 'mx.slow.test' } as const;

beforeAll(async () => {
  [slow, dead] = await Promise.all([
    startDnsServer({ records: [MX], delayMs: 300 }),
    startDnsServer({ silent: true }),
  ]);
});
afterAll(() => Promise.all([slow?.close(), dead?.close()]));

describe('DNS queries for a piece of work that ends', () => {
  it('cancels the queries still out once nobody waits for them', async () => {
    // A minute per try: only cancelling ends this query before the test's own timeout.
    const dns = createDns({ servers: [dead.address], timeoutMs: 60_000 });
    const work = new AbortController();
    const pending = dns.until(work.signal).mx('nobody-answers.test');
    const outcome = pending.catch((error: NodeJS.ErrnoException) => error.code);
    work.abort();
    expect(await outcome).toBe('ECANCELLED');
  });

  it('keeps a shared query going while another piece of work still waits for it', async () => {
    const dns = createDns({ servers: [slow.address] });
    const before = slow.queries.length;
    const [first, second] = [new AbortController(), new AbortController()];
    const abandoned = dns.until(first.signal).mx('slow.test');
    const wanted = dns.until(second.signal).mx('slow.test');
    first.abort();
    expect(await wanted).toEqual([{ exchange: 'mx.slow.test', priority: 1 }]);
    expect(await abandoned).toEqual(await wanted); // one query, shared
    expect(slow.queries.slice(before)).toEqual(['MX slow.test']);
  });

  it('keeps a query going for a caller without a signal (the live check)', async () => {
    const dns = createDns({ servers: [slow.address] });
    const work = new AbortController();
    const fromWork = dns.until(work.signal).mx('slow.test');
    const fromCheck = dns.mx('slow.test');
    work.abort();
    expect(await fromCheck).toEqual([{ exchange: 'mx.slow.test', priority: 1 }]);
    await fromWork;
  });

  it('refuses new queries once the work has ended', async () => {
    const dns = createDns({ servers: [slow.address] });
    const work = new AbortController();
    work.abort();
    const before = slow.queries.length;
    await expect(dns.until(work.signal).addresses('slow.test')).rejects.toThrow(/abort/i);
    expect(slow.queries.length).toBe(before);
  });
});

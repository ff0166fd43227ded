// IPv4-compatible IPv6 addresses (::/96) as the DNS client really writes them: c-ares prints an AAAA answer of
// ::5db8:d822 as "::93.184.216.34", which ipaddr.js would read as IPv4-mapped; the policy refuses it either way.
// Nothing here connects anywhere: only the loopback DNS server is asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDns } from '../../src/index.js';
import { checkHost, isPublicAddress } from '../../src/resolve/lookup/net-policy.js';
import { BlockedAddressError } from '../../src/testing.js';
import { type DnsServer, startDnsServer } from '../support/dns-server.js';

let dns: DnsServer;
beforeAll(async () => {
  dns = await startDnsServer({
    records: [
      { name: 'compat-hex.test', type: 'AAAA', address: '::7f00:1' },
      { name: 'compat-public.test', type: 'AAAA', address: '::5db8:d822' },
    ],
  });
});
afterAll(() => dns?.close());

describe('IPv4-compatible IPv6 (::/96), refused by the policy', () => {
  it('gives one verdict for one address, whichever way it is written', () => {
    // The same 128-bit address: ::93.184.216.34 === ::5db8:d822.
    expect(isPublicAddress('::5db8:d822')).toBe(false);
    expect(isPublicAddress('::93.184.216.34')).toBe(isPublicAddress('::5db8:d822'));
  });

  it('refuses an AAAA answer in ::/96 as the DNS client hands it over (dotted)', async () => {
    const lookup = createDns({ servers: [dns.address], timeoutMs: 500, tries: 1 }).addresses;
    // As the resolver sees them: the hex form comes back dotted.
    expect(await lookup('compat-hex.test')).toEqual(['::127.0.0.1']);
    expect(await lookup('compat-public.test')).toEqual(['::93.184.216.34']);
    await expect(checkHost('compat-public.test', lookup, false)).rejects.toBeInstanceOf(BlockedAddressError);
  });
});

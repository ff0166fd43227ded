// Proves the test DNS server answers node's real resolver, and raw UDP/TCP clients, the way a real one would.
import type { promises as dns } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DnsRecord, type DnsServer, resolverFor, startDnsServer } from '../support/dns-server.js';
import { encodeQuery, frameTcp, queryTcp, queryUdp, rcodeOf } from '../support/raw-dns-client.js';

const RECORDS: DnsRecord[] = [
  { name: 'example.test', type: 'MX', exchange: 'mx2.example.test', priority: 20 },
  { name: 'example.test', type: 'MX', exchange: 'mx1.example.test', priority: 10 },
  { name: 'example.test', type: 'TXT', text: 'v=spf1 -all' },
  {
    name: '_imaps._tcp.example.test',
    type: 'SRV',
    target: 'imap.example.test',
    port: 993,
    priority: 0,
    weight: 1,
  },
  { name: '_pop3s._tcp.example.test', type: 'SRV', target: '.', port: 0, priority: 0, weight: 0 },
  { name: 'imap.example.test', type: 'A', address: '127.0.0.2' },
  { name: 'imap.example.test', type: 'AAAA', address: '::1' },
  { name: 'mail.example.test', type: 'CNAME', target: 'imap.example.test' },
  { name: 'hop1.example.test', type: 'CNAME', target: 'mail.example.test.' },
];

describe('test DNS server', () => {
  let server: DnsServer;
  let resolver: dns.Resolver;
  beforeAll(async () => {
    server = await startDnsServer({ records: RECORDS });
    resolver = resolverFor(server);
  });
  afterAll(() => server.close());

  it('listens on loopback and gives an address node can use', () => {
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('answers MX queries with every exchange and its priority', async () => {
    const mx = await resolver.resolveMx('example.test');
    expect(mx.sort((a, b) => a.priority - b.priority)).toEqual([
      { exchange: 'mx1.example.test', priority: 10 },
      { exchange: 'mx2.example.test', priority: 20 },
    ]);
  });

  it('answers SRV queries with target, port, priority and weight', async () => {
    const srv = await resolver.resolveSrv('_imaps._tcp.example.test');
    expect(srv).toEqual([{ name: 'imap.example.test', port: 993, priority: 0, weight: 1 }]);
  });

  it('encodes an SRV "." target, which node hands back as an empty name', async () => {
    const srv = await resolver.resolveSrv('_pop3s._tcp.example.test');
    expect(srv).toEqual([{ name: '', port: 0, priority: 0, weight: 0 }]);
  });

  it('answers A, AAAA and TXT queries', async () => {
    expect(await resolver.resolve4('imap.example.test')).toEqual(['127.0.0.2']);
    expect(await resolver.resolve6('imap.example.test')).toEqual(['::1']);
    expect(await resolver.resolveTxt('example.test')).toEqual([['v=spf1 -all']]);
  });

  it('answers CNAME queries with the alias target', async () => {
    expect(await resolver.resolveCname('mail.example.test')).toEqual(['imap.example.test']);
  });

  it('follows a CNAME chain to the records of the asked type', async () => {
    expect(await resolver.resolve4('hop1.example.test')).toEqual(['127.0.0.2']);
  });

  // Raw queries here: node's resolver lower-cases names before sending, which would hide a case-sensitive server.
  it('matches names case-insensitively, with or without a trailing dot, echoing the name as asked', async () => {
    const reply = await queryUdp(server.port, [encodeQuery(9, 'A', 'IMAP.Example.TEST.')]);
    expect(reply.questions).toMatchObject([{ name: 'IMAP.Example.TEST' }]);
    expect(reply.answers).toMatchObject([{ type: 'A', data: '127.0.0.2' }]);
  });

  it('answers NXDOMAIN (ENOTFOUND) for a name it has no records for', async () => {
    await expect(resolver.resolveMx('nowhere.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('answers NODATA (ENODATA) for a known name without records of the asked type', async () => {
    await expect(resolver.resolveMx('imap.example.test')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('records each question as "TYPE name", lower-cased without the trailing dot', async () => {
    await queryUdp(server.port, [encodeQuery(10, 'TXT', 'Example.Test.')]);
    expect(server.queries).toContain('TXT example.test');
    expect(server.queries).not.toContain('TXT Example.Test');
  });

  it('answers authoritatively over UDP, echoing the id and the question', async () => {
    const reply = await queryUdp(server.port, [encodeQuery(4242, 'A', 'imap.example.test')]);
    expect(reply).toMatchObject({ id: 4242, type: 'response', flag_aa: true, flag_rd: true });
    expect(reply.questions).toEqual([{ type: 'A', name: 'imap.example.test', class: 'IN' }]);
    expect(reply.answers).toMatchObject([{ type: 'A', name: 'imap.example.test', data: '127.0.0.2' }]);
  });

  it('answers over TCP with length-prefixed frames, several on one connection', async () => {
    const frames = [encodeQuery(1, 'MX', 'example.test'), encodeQuery(2, 'A', 'nowhere.example.test')];
    const replies = await queryTcp(server.port, frames.map(frameTcp), 2);
    const summary = replies.map((reply) => ({ id: reply.id, aa: reply.flag_aa, rcode: rcodeOf(reply) }));
    expect(summary.sort((a, b) => (a.id ?? 0) - (b.id ?? 0))).toEqual([
      { id: 1, aa: true, rcode: 0 },
      { id: 2, aa: true, rcode: 3 },
    ]);
    expect(replies.find((reply) => reply.id === 1)?.answers).toHaveLength(2);
  });

  it('truncates a reply too big for UDP, so the resolver retries over TCP', async () => {
    const big = Array.from(
      { length: 20 },
      (_, i): DnsRecord => ({
        name: 'big.example.test',
        type: 'TXT',
        text: `${i}`.padEnd(200, 'x'),
      }),
    );
    server.addRecords(big);
    const before = server.queries.length;
    expect(await resolver.resolveTxt('big.example.test')).toHaveLength(20);
    expect(server.queries.slice(before)).toEqual(['TXT big.example.test', 'TXT big.example.test']);
  });

  it('ignores malformed packets and keeps answering', async () => {
    const garbage = Buffer.from([1, 2, 3]);
    const udpReply = await queryUdp(server.port, [garbage, encodeQuery(7, 'A', 'imap.example.test')]);
    expect(udpReply.id).toBe(7);
    const tcpReplies = await queryTcp(
      server.port,
      [frameTcp(garbage), frameTcp(encodeQuery(8, 'A', 'x.test'))],
      1,
    );
    expect(tcpReplies.map((reply) => reply.id)).toEqual([8]);
  });
});

describe('test DNS server options and run-time changes', () => {
  it('replaces records with setRecords and extends them with addRecords', async () => {
    const server = await startDnsServer({ records: [{ name: 'a.test', type: 'A', address: '127.0.0.3' }] });
    try {
      const resolver = resolverFor(server);
      server.setRecords([{ name: 'b.test', type: 'A', address: '127.0.0.4' }]);
      await expect(resolver.resolve4('a.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      server.addRecords([{ name: 'b.test', type: 'A', address: '127.0.0.5' }]);
      expect((await resolver.resolve4('b.test')).sort()).toEqual(['127.0.0.4', '127.0.0.5']);
    } finally {
      await server.close();
    }
  });

  it('refuses a record with a malformed address up front', async () => {
    const server = await startDnsServer();
    try {
      expect(() => server.addRecords([{ name: 'a.test', type: 'A', address: 'nope' }])).toThrow(
        /bad address/,
      );
    } finally {
      await server.close();
    }
  });

  it('uses the configured TTL and waits delayMs before answering', async () => {
    const server = await startDnsServer({
      records: [{ name: 'a.test', type: 'A', address: '127.0.0.3' }],
      ttl: 42,
      delayMs: 150,
    });
    try {
      const started = performance.now();
      const answers = await resolverFor(server).resolve4('a.test', { ttl: true });
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(answers).toEqual([{ address: '127.0.0.3', ttl: 42 }]);
    } finally {
      await server.close();
    }
  });

  it('never answers when silent, so resolvers time out with ETIMEOUT', async () => {
    const server = await startDnsServer({
      records: [{ name: 'a.test', type: 'A', address: '127.0.0.3' }],
      silent: true,
    });
    try {
      const resolver = resolverFor(server, { timeout: 200 });
      await expect(resolver.resolve4('a.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
      expect(server.queries).toContain('A a.test');
      await expect(
        queryTcp(server.port, [frameTcp(encodeQuery(1, 'A', 'a.test'))], 1, 300),
      ).rejects.toThrow();
    } finally {
      await server.close();
    }
  });
});

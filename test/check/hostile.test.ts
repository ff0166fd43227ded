// The live check against servers that misbehave on purpose (test/support/hostile-mail.ts) and a DNS server
// that answers late: what the check concludes, what it tells the user, and that it always hangs up.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeServer } from '../../src/check/probe.js';
import { answerToText } from '../../src/index.js';
import type { ServerType } from '../../src/testing.js';
import { checkLoopback as check, serverAt as pair } from '../support/check-settings.js';
import { type DnsServer, resolverFor, startDnsServer } from '../support/dns-server.js';
import { type Behaviour, type HostileServer, startHostileServer } from '../support/hostile-mail.js';

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function hostile(behaviour: Behaviour, type: ServerType = 'imap', floodBytes?: number) {
  const server = await startHostileServer(behaviour, { type, ...(floodBytes ? { floodBytes } : {}) });
  running.push(server);
  return server;
}

async function dnsServer(options: Parameters<typeof startDnsServer>[0]): Promise<DnsServer> {
  const server = await startDnsServer(options);
  running.push(server);
  return server;
}

/** The whole answer as the CLI prints it: every word a user could see. */
const shown = (report: Awaited<ReturnType<typeof check>>) => answerToText(report.settings, report);

/** MaxListenersExceededWarning and any other process warning raised while `run` goes. */
async function warningsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const warnings: string[] = [];
  const collect = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', collect);
  try {
    await run();
    // Warnings are emitted on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', collect);
  }
  return warnings;
}

const RAW_CODE = /E[A-Z]{4,}|ERR_|SSL routines|queryA|\d+\.\d+\.\d+\.\d+:\d+/;

describe('a server that sends too much', () => {
  it.each(['imap', 'pop3', 'smtp'] as const)(
    'hangs up on a %s server answering its capability question with 64 KiB of bare newlines',
    async (type) => {
      const server = await hostile('newline-flood', type);
      const report = await check([pair(type, server.port)]);
      expect(report.results[0]).toMatchObject({ outcome: 'too-much' });
      await server.connections[0]?.closed;
      expect(shown(report)).toContain('Result: the server sent too much');
      expect(report.advice).toEqual([
        `mail.test port ${server.port} sent far more than a mail server would, so the check hung up: it is probably not a mail server.`,
      ]);
    },
  );

  it('hangs up on a server sending 256 MiB after its greeting, having taken only a small part of it', async () => {
    const flood = 256 << 20;
    const server = await hostile('flood', 'imap', flood);
    const report = await check([pair('imap', server.port)]);
    expect(report.results[0]?.outcome).toBe('too-much');
    const connection = server.connections[0];
    await connection?.closed;
    // What the server got out is what fits in the socket buffers on both sides (a few MiB), not the flood.
    expect(connection?.bytesSent()).toBeLessThan(64 << 20);
  });

  it('still reads a long but real answer: 300 EHLO extension lines', async () => {
    const server = net.createServer((socket) => {
      socket.write('220 mail.test ESMTP\r\n');
      socket.on('data', (chunk) => {
        const line = chunk.toString();
        if (line.startsWith('EHLO')) {
          const extensions = Array.from({ length: 299 }, (_, i) => `250-X-EXTENSION-${i}\r\n`).join('');
          socket.write(`${extensions}250 AUTH PLAIN LOGIN\r\n`);
        } else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    running.push({ close: () => new Promise((resolve) => server.close(() => resolve())) });
    const report = await check([pair('smtp', (server.address() as net.AddressInfo).port)]);
    expect(report.results[0]).toMatchObject({ outcome: 'ok', mechanisms: ['PLAIN', 'LOGIN'] });
  });
});

describe('a port that is not a mail server', () => {
  it.each(['imap', 'pop3', 'smtp'] as const)(
    'never repeats an SSH banner on a %s port, and sends it nothing',
    async (type) => {
      const server = await hostile('ssh-banner', type);
      const report = await check([pair(type, server.port)]);
      expect(report.results[0]).toMatchObject({ outcome: 'not-mail' });
      expect(report.results[0]?.greeting).toBeUndefined();
      const text = shown(report);
      expect(text).toContain('Result: this port does not answer like a mail server');
      expect(text).not.toMatch(/SSH|OpenSSH|Debian/);
      expect(report.advice).toEqual([
        `mail.test port ${server.port} does not answer like a mail server: check the server name and port.`,
      ]);
      await server.connections[0]?.closed;
    },
  );
});

describe('the check deadline', () => {
  it('closes a connection stalled in the STARTTLS handshake at the deadline, however long each step may take', async () => {
    const server = await hostile('stall-starttls');
    const report = await check([pair('imap', server.port, 'starttls')], {
      deadlineMs: 400,
      timeoutMs: 120_000,
    });
    expect(report.results[0]).toMatchObject({
      outcome: 'failed',
      error: 'agreed to STARTTLS but did not start TLS in time',
    });
    // With two minutes per step, only the deadline can have ended it (the test would time out first).
    await server.connections[0]?.closed;
    expect(server.connections).toHaveLength(1);
  });

  it('gives the TLS start after STARTTLS a step time of its own', async () => {
    const server = await hostile('stall-starttls', 'smtp');
    const report = await check([pair('smtp', server.port, 'starttls')], {
      deadlineMs: 120_000,
      timeoutMs: 300,
    });
    expect(report.results[0]?.error).toBe('agreed to STARTTLS but did not start TLS in time');
    await server.connections[0]?.closed;
  });

  it('never connects when the DNS answer arrives after the deadline', async () => {
    const server = await hostile('healthy');
    const dns = await dnsServer({
      records: [{ name: 'mail.test', type: 'A', address: '127.0.0.1' }],
      delayMs: 600,
    });
    const resolver = resolverFor(dns, { timeout: 5000 });
    let answered: Promise<string[]> | undefined;
    const lookup = (name: string) => {
      answered = resolver.resolve4(name);
      return answered;
    };
    const report = await check([pair('imap', server.port)], { lookup, deadlineMs: 200 });
    expect(await answered).toEqual(['127.0.0.1']);
    // Give a connection made on that late answer time to arrive before saying none came.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.connections).toHaveLength(0);
    expect(report.results[0]).toMatchObject({
      outcome: 'unresolved',
      error: "no DNS answer before the check's time ran out",
    });
  });
});

describe('how many servers one check probes', () => {
  it('probes only the first two pairs of each kind a file lists, without a listener warning', async () => {
    const servers: { type: ServerType; server: HostileServer }[] = [];
    for (const type of ['imap', 'pop3', 'smtp'] as const) {
      for (let i = 0; i < 4; i++) servers.push({ type, server: await hostile('healthy', type) });
    }
    let report: Awaited<ReturnType<typeof check>> | undefined;
    const warnings = await warningsDuring(async () => {
      report = await check(servers.map(({ type, server }) => pair(type, server.port)));
    });
    expect(warnings).toEqual([]);
    expect(report?.results.map((result) => result.outcome)).toEqual(Array(6).fill('ok'));
    expect(report?.skipped).toBe(6);
    const connected = servers.map(({ server }) => server.connections.length);
    expect(connected).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
    expect(shown(report as NonNullable<typeof report>)).toContain(
      '6 more pairs are listed but not checked: a mail program only tries the first 2 of each kind.',
    );
  });

  it('lets go of the check signal when a probe ends: one signal outlives many probes without a warning', async () => {
    const server = await hostile('healthy');
    const controller = new AbortController();
    const warnings = await warningsDuring(async () => {
      for (let i = 0; i < 15; i++) {
        const result = await probeServer(pair('imap', server.port), {
          lookup: async () => ['127.0.0.1'],
          allowPrivate: true,
          signal: controller.signal,
        });
        expect(result.outcome).toBe('ok');
      }
    });
    expect(warnings).toEqual([]);
  });
});

describe('what the user is told when probes fail', () => {
  it('says a closed port is closed, without the socket error', async () => {
    const port = await freePort();
    const report = await check([pair('imap', port, 'tls')]);
    expect(report.results[0]).toMatchObject({ outcome: 'closed' });
    expect(report.results[0]?.error).toBeUndefined();
    expect(shown(report)).toContain('Result: closed (connection refused)');
    expect(shown(report)).not.toMatch(RAW_CODE);
  });

  it('says in words that a port does not speak TLS, not OpenSSL’s message', async () => {
    const server = await hostile('healthy');
    const report = await check([pair('imap', server.port, 'tls')]);
    expect(report.results[0]).toMatchObject({
      outcome: 'failed',
      error: 'this port does not speak TLS from the start (it may want STARTTLS, or no encryption)',
    });
    expect(shown(report)).not.toMatch(RAW_CODE);
  });

  it('says the DNS servers did not answer, not "queryA ETIMEOUT", and concludes that nothing was reached', async () => {
    const dns = await dnsServer({ silent: true });
    const resolver = resolverFor(dns, { timeout: 200, tries: 1 });
    const report = await check([pair('imap', 993, 'tls'), pair('smtp', 465, 'tls')], {
      lookup: (name) => resolver.resolve4(name),
    });
    expect(report.results.map((result) => [result.outcome, result.error])).toEqual([
      ['unresolved', 'the DNS servers did not answer in time'],
      ['unresolved', 'the DNS servers did not answer in time'],
    ]);
    expect(report.advice).toEqual([
      'mail.test could not be looked up: the DNS servers did not answer in time.',
      'In short: mail.test could not be looked up, so no mail server was reached.',
    ]);
    expect(shown(report)).not.toMatch(RAW_CODE);
  });

  it('concludes that nothing answers when every mail port is closed or silent', async () => {
    const [closedImap, closedSmtp] = [await freePort(), await freePort()];
    // Reads and never answers; reading is what lets it see the check hang up, so close() can finish.
    const silent = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    running.push({ close: () => new Promise((resolve) => silent.close(() => resolve())) });
    const report = await check(
      [
        pair('imap', closedImap, 'tls'),
        pair('imap', (silent.address() as net.AddressInfo).port, 'tls'),
        pair('smtp', closedSmtp, 'tls'),
      ],
      { deadlineMs: 300 },
    );
    expect(report.results.map((result) => result.outcome)).toEqual(['closed', 'silent', 'closed']);
    expect(report.advice.at(-1)).toBe(
      'In short: nothing answers on any mail port of mail.test. The server may be down, or a firewall may block these ports.',
    );
    expect(shown(report)).not.toMatch(RAW_CODE);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

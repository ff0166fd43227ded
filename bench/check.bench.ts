// The live check's wall time for six server/port pairs (real Dovecot and Postfix on loopback), then with
// one of them a port that accepts and never answers: concurrent probes should cost the slowest probe, not
// the sum of them.
// Then what a check against a hostile server costs the process running it (worst event-loop stall, peak
// memory), each check in a fresh process, against a check of a well-behaved server in the same run.
import net from 'node:net';
import { probeServer } from '../src/check/probe.js';
import type { MailSettings, Server } from '../src/index.js';
import { checkSettings } from '../src/testing.js';
import { mailServersAvailable, startMailServers } from '../test/support/mail-servers.js';
import { createTestPki } from '../test/support/pki.js';
import { benchHostileCheck } from './check-hostile.bench.js';
import { ms, printTable, ratio } from './table.js';

const DEADLINE_MS = 2000;
const ROUNDS = 5;

export async function benchCheck(): Promise<void> {
  await benchConcurrency();
  await benchHostileCheck();
}

async function benchConcurrency(): Promise<void> {
  const available = mailServersAvailable();
  if (!available.ok) {
    console.log(`\nLive check: skipped (${available.reason})`);
    return;
  }
  const pki = createTestPki();
  const mail = await startMailServers(pki.issue(['mail.test']));
  // Reads and never answers; reading lets it see each check hang up.
  const silent = net.createServer((socket) => socket.resume()).listen(0, '127.0.0.1');
  await new Promise((resolve) => silent.once('listening', resolve));
  const silentPort = (silent.address() as net.AddressInfo).port;
  const options = { lookup: async () => ['127.0.0.1'], allowPrivate: true, ca: pki.ca };
  const make = (type: Server['type'], port: number, security: Server['security']): Server => ({
    type,
    hostname: 'mail.test',
    port,
    security,
    username: '%EMAILADDRESS%',
    authentication: [],
  });
  const six = [
    make('imap', mail.ports.imaps, 'tls'),
    make('imap', mail.ports.imap, 'starttls'),
    make('pop3', mail.ports.pop3s, 'tls'),
    make('pop3', mail.ports.pop3, 'starttls'),
    make('smtp', mail.ports.submissions, 'tls'),
    make('smtp', mail.ports.submission, 'starttls'),
  ];
  const settings = (servers: Server[]): MailSettings => ({
    query: { input: 'mail.test', domain: 'mail.test', protocol: 'all' },
    incoming: servers.filter((server) => server.type !== 'smtp'),
    outgoing: servers.filter((server) => server.type === 'smtp'),
    source: { kind: 'default', detail: 'bench' },
    notes: [],
  });

  try {
    const rows = [];
    for (const [label, servers] of [
      ['six healthy pairs', six],
      // A check probes two pairs of each kind: the silent port takes the IMAP STARTTLS pair's place.
      [
        'six pairs, one of them silent',
        [make('imap', silentPort, 'tls'), ...six.slice(0, 1), ...six.slice(2)],
      ],
    ] as const) {
      for (let round = 0; round < ROUNDS; round++) {
        // Baseline in the same run: the same probes one after another, each bounded like in the check.
        const single: number[] = [];
        for (const server of servers) {
          const started = performance.now();
          await Promise.race([
            probeServer(server, { ...options, timeoutMs: DEADLINE_MS }),
            new Promise((r) => setTimeout(r, DEADLINE_MS)),
          ]);
          single.push(performance.now() - started);
        }
        const report = await checkSettings(settings([...servers]), { ...options, deadlineMs: DEADLINE_MS });
        const sum = single.reduce((a, b) => a + b, 0);
        const slowest = Math.max(...single);
        rows.push({
          set: label,
          round: round + 1,
          'check wall time': ms(report.ms),
          'slowest probe alone': ms(slowest),
          'sum of probes alone': ms(sum),
          'wall / slowest': ratio(report.ms / slowest),
          'wall / sum': ratio(report.ms / sum),
          ok: report.results.filter((result) => result.outcome === 'ok').length,
        });
      }
    }
    printTable(
      `Live check (deadline ${DEADLINE_MS} ms; probes of the same servers one at a time as the baseline)`,
      rows,
    );
  } finally {
    silent.close();
    await mail.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCheck();

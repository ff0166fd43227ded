// Authoritative DNS server on 127.0.0.1, answering over UDP and TCP on one port, for tests and benchmarks.
import dgram from 'node:dgram';
import { promises as dns } from 'node:dns';
import net from 'node:net';
import dnsPacket, { type DecodedPacket } from 'dns-packet';
import { frameMessage, readFrames } from './dns-framing.js';
import { createZone, type DnsRecord, normalizeName } from './dns-zone.js';

export type { DnsRecord } from './dns-zone.js';

export interface DnsServer {
  /** "127.0.0.1:PORT", ready for node's Resolver.setServers(). */
  readonly address: string;
  readonly port: number;
  /** Replace / add records at run time. */
  setRecords(records: DnsRecord[]): void;
  addRecords(records: DnsRecord[]): void;
  /** Names asked so far, e.g. "MX example.test", for assertions. */
  readonly queries: string[];
  close(): Promise<void>;
}

export interface DnsServerOptions {
  records?: DnsRecord[];
  /** Bind both transports but never answer: a dead DNS server. Queries are still recorded. */
  silent?: boolean;
  /** TTL of every answer, in seconds (default 300). */
  ttl?: number;
  /** Hold every answer back this long. */
  delayMs?: number;
}

const HOST = '127.0.0.1';
/** Port 0 picks a free UDP port, but the same TCP port may be taken; a few fresh tries settle it. */
const BIND_ATTEMPTS = 5;
/** The largest UDP answer a client without EDNS accepts (RFC 1035); bigger ones are truncated to force TCP. */
const CLASSIC_UDP_LIMIT = 512;
const OPCODE_MASK = 0x7800;
const RCODE_NOTIMP = 4;

type Transport = 'udp' | 'tcp';

export async function startDnsServer(options: DnsServerOptions = {}): Promise<DnsServer> {
  const zone = createZone(options.records);
  const ttl = options.ttl ?? 300;
  const queries: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const tcpSockets = new Set<net.Socket>();
  let closing: Promise<void> | undefined;

  const handle = (message: Buffer, transport: Transport, send: (response: Buffer) => void): void => {
    const query = decodeQuery(message);
    const question = query?.questions?.[0];
    if (!query || !question) return;
    queries.push(`${question.type} ${normalizeName(question.name)}`);
    if (options.silent) return;
    const response = buildResponse(query, transport, () => zone.answer(question, ttl));
    if (!response) return;
    const deliver = (): void => {
      if (!closing) send(response);
    };
    if (!options.delayMs) {
      deliver();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      deliver();
    }, options.delayMs);
    timers.add(timer);
  };

  const { udp, tcp } = await bindSamePort();
  const port = udp.address().port;
  // A late 'error' on a test server must never take the test process down with it.
  udp.on('error', () => {});
  tcp.on('error', () => {});
  udp.on('message', (message, peer) => {
    handle(message, 'udp', (response) => udp.send(response, peer.port, peer.address, () => {}));
  });
  tcp.on('connection', (socket) => {
    tcpSockets.add(socket);
    socket.on('close', () => tcpSockets.delete(socket));
    socket.on('error', () => {});
    readFrames(socket, (message) => {
      handle(message, 'tcp', (response) => {
        if (!socket.destroyed) socket.write(frameMessage(response));
      });
    });
  });

  return {
    address: `${HOST}:${port}`,
    port,
    setRecords: (records) => zone.setRecords(records),
    addRecords: (records) => zone.addRecords(records),
    queries,
    close() {
      closing ??= closeAll(udp, tcp, timers, tcpSockets);
      return closing;
    },
  };
}

/** A node Resolver that asks only this server; tries: 1 so a dead server fails fast instead of retrying. */
export function resolverFor(
  server: DnsServer,
  options: { timeout?: number; tries?: number } = {},
): dns.Resolver {
  const resolver = new dns.Resolver({ timeout: options.timeout ?? 2000, tries: options.tries ?? 1 });
  resolver.setServers([server.address]);
  return resolver;
}

function decodeQuery(message: Buffer): DecodedPacket | undefined {
  try {
    const packet = dnsPacket.decode(message);
    // Never answer answers: two servers pointed at each other would loop.
    return packet.type === 'query' ? packet : undefined;
  } catch {
    return undefined; // malformed: ignored, as a real server would drop it
  }
}

function buildResponse(
  query: DecodedPacket,
  transport: Transport,
  answer: () => { rcode: number; answers: dnsPacket.Answer[] },
): Buffer | undefined {
  const queryFlags = query.flags ?? 0;
  const opcode = queryFlags & OPCODE_MASK;
  const { rcode, answers } = opcode === 0 ? answer() : { rcode: RCODE_NOTIMP, answers: [] };
  const flags = dnsPacket.AUTHORITATIVE_ANSWER | opcode | (queryFlags & dnsPacket.RECURSION_DESIRED) | rcode;
  const response = { type: 'response' as const, id: query.id, flags, questions: query.questions, answers };
  try {
    const encoded = dnsPacket.encode(response);
    if (transport === 'tcp' || encoded.length <= udpLimit(query)) return encoded;
    return dnsPacket.encode({ ...response, flags: flags | dnsPacket.TRUNCATED_RESPONSE, answers: [] });
  } catch {
    return undefined; // e.g. an unknown question type dns-packet cannot echo back
  }
}

/** EDNS clients announce a bigger UDP buffer in their OPT record; everyone else gets 512 bytes. */
function udpLimit(query: DecodedPacket): number {
  const opt = query.additionals?.find((record) => record.type === 'OPT');
  return opt && 'udpPayloadSize' in opt ? Math.max(opt.udpPayloadSize, CLASSIC_UDP_LIMIT) : CLASSIC_UDP_LIMIT;
}

async function bindSamePort(): Promise<{ udp: dgram.Socket; tcp: net.Server }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, HOST, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    const tcp = net.createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(udp.address().port, HOST, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      return { udp, tcp };
    } catch (error) {
      lastError = error;
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    }
  }
  throw new Error(`test DNS server found no port free for both UDP and TCP`, { cause: lastError });
}

async function closeAll(
  udp: dgram.Socket,
  tcp: net.Server,
  timers: Set<NodeJS.Timeout>,
  tcpSockets: Set<net.Socket>,
): Promise<void> {
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
  const tcpClosed = new Promise<void>((resolve) => tcp.close(() => resolve()));
  // Resolvers keep TCP connections open; without this, tcp.close() would wait for them forever.
  for (const socket of tcpSockets) socket.destroy();
  await Promise.all([tcpClosed, new Promise<void>((resolve) => udp.close(() => resolve()))]);
}

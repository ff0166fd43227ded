// Sends raw DNS messages over UDP or TCP to a loopback server, for assertions on wire details a Resolver hides.
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket, { type DecodedPacket, type RecordType } from 'dns-packet';
import { readFrames } from './dns-framing.js';

export { frameMessage as frameTcp } from './dns-framing.js';

const HOST = '127.0.0.1';
const DEFAULT_TIMEOUT_MS = 2000;

export function encodeQuery(id: number, type: RecordType, name: string): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
  });
}

/** Sends each buffer as its own datagram and resolves with the first reply, or rejects on timeout. */
export function queryUdp(
  port: number,
  messages: Buffer[],
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<DecodedPacket> {
  const socket = dgram.createSocket('udp4');
  return new Promise<DecodedPacket>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no UDP reply')), timeoutMs);
    socket.on('error', reject);
    socket.on('message', (reply) => {
      clearTimeout(timer);
      resolve(dnsPacket.decode(reply));
    });
    for (const message of messages) socket.send(message, port, HOST);
  }).finally(() => socket.close());
}

/** Writes all frames in one go (so the server must split them) and resolves once `expected` replies are in. */
export function queryTcp(
  port: number,
  frames: Buffer[],
  expected: number,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<DecodedPacket[]> {
  const socket = net.connect(port, HOST);
  return new Promise<DecodedPacket[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('not enough TCP replies')), timeoutMs);
    const replies: DecodedPacket[] = [];
    socket.on('error', reject);
    readFrames(socket, (message) => {
      replies.push(dnsPacket.decode(message));
      if (replies.length >= expected) {
        clearTimeout(timer);
        resolve(replies);
      }
    });
    socket.write(Buffer.concat(frames));
  }).finally(() => socket.destroy());
}

/** The 4-bit response code (0 NOERROR, 3 NXDOMAIN, …), which dns-packet's types leave out. */
export function rcodeOf(packet: DecodedPacket): number {
  return (packet.flags ?? 0) & 0xf;
}

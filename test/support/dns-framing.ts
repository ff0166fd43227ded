// DNS-over-TCP framing (RFC 1035 4.2.2): each message is prefixed with its 2-byte length and may span reads.
import type net from 'node:net';

/** Prefixes any bytes, even garbage, with their 2-byte length. */
export function frameMessage(message: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(message.length);
  return Buffer.concat([length, message]);
}

/** Calls onMessage once per complete message, however the stream happens to be chunked. */
export function readFrames(socket: net.Socket, onMessage: (message: Buffer) => void): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const end = 2 + buffered.readUInt16BE(0);
      if (buffered.length < end) return;
      const message = buffered.subarray(2, end);
      buffered = buffered.subarray(end);
      onMessage(message);
    }
  });
}

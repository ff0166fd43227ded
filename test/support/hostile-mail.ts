// Misbehaving "mail servers" on 127.0.0.1 for the live check's tests and benchmarks: each greets (or not)
// like IMAP, POP3 or SMTP and then floods, stalls or speaks another protocol, and records what it saw of
// every connection: how many bytes it got out, and when the client hung up.
import net from 'node:net';
import type { ServerType } from '../../src/testing.js';

export type Behaviour =
  /** Answers like a small, plain mail server: the baseline. */
  | 'healthy'
  /** Greets, then answers the capability question (CAPABILITY, CAPA, EHLO) with bare newlines. */
  | 'newline-flood'
  /** Greets, then answers the capability question with text lines, as fast as the client reads. */
  | 'flood'
  /** An SSH server: its banner, then nothing. */
  | 'ssh-banner'
  /** Greets, offers STARTTLS, agrees to it, and never answers the TLS handshake. */
  | 'stall-starttls';

export interface HostileOptions {
  type?: ServerType;
  /** Flood size in bytes. @default 64 KiB for 'newline-flood', 128 MiB for 'flood' */
  floodBytes?: number;
}

export interface Connection {
  /** Bytes handed to the socket (written or queued) when it closed, or so far. */
  bytesSent(): number;
  /** Resolves when the connection is closed, whoever closed it. */
  closed: Promise<void>;
}

export interface HostileServer {
  port: number;
  connections: Connection[];
  close(): Promise<void>;
}

const SSH_BANNER = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3';
const CHUNK = 64 * 1024;

interface Speech {
  greeting: string;
  /** The question the probe asks first. */
  capability: RegExp;
  answers: [RegExp, (tag: string) => string][];
}

const SPEECH: Record<ServerType, Speech> = {
  imap: {
    greeting: '* OK ready',
    capability: /^\S+ CAPABILITY$/i,
    answers: [
      [/^(\S+) CAPABILITY$/i, (tag) => `* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n${tag} OK done`],
      [/^(\S+) STARTTLS$/i, (tag) => `${tag} OK begin TLS now`],
      [/^(\S+) LOGOUT$/i, (tag) => `* BYE\r\n${tag} OK bye`],
    ],
  },
  pop3: {
    greeting: '+OK ready',
    capability: /^CAPA$/i,
    answers: [
      [/^CAPA$/i, () => '+OK\r\nUSER\r\nSTLS\r\nSASL PLAIN\r\n.'],
      [/^STLS$/i, () => '+OK begin TLS now'],
      [/^QUIT$/i, () => '+OK bye'],
    ],
  },
  smtp: {
    greeting: '220 mail.test ESMTP',
    capability: /^EHLO /i,
    answers: [
      [/^EHLO /i, () => '250-mail.test\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN'],
      [/^STARTTLS$/i, () => '220 begin TLS now'],
      [/^QUIT$/i, () => '221 bye'],
    ],
  },
};

export async function startHostileServer(
  behaviour: Behaviour,
  options: HostileOptions = {},
): Promise<HostileServer> {
  const speech = SPEECH[options.type ?? 'imap'];
  const connections: Connection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    connections.push({
      bytesSent: () => socket.bytesWritten,
      closed: new Promise((resolve) =>
        socket.once('close', () => {
          sockets.delete(socket);
          resolve();
        }),
      ),
    });
    socket.on('error', () => {});
    if (behaviour === 'ssh-banner') {
      socket.write(`${SSH_BANNER}\r\n`);
      socket.resume(); // reads (and ignores) what comes, so it sees the client hang up
      return;
    }
    socket.write(`${speech.greeting}\r\n`);
    let stalled = false;
    onLines(socket, (line) => {
      if (stalled) return; // bytes after the STARTTLS go-ahead are a TLS ClientHello, left unanswered
      if (behaviour === 'newline-flood' && speech.capability.test(line)) {
        flood(socket, Buffer.alloc(CHUNK, '\n'), options.floodBytes ?? CHUNK);
        return;
      }
      if (behaviour === 'flood' && speech.capability.test(line)) {
        flood(socket, Buffer.from(`* ${'x'.repeat(1020)}\r\n`.repeat(64)), options.floodBytes ?? 128 << 20);
        return;
      }
      const answer = speech.answers.find(([pattern]) => pattern.test(line));
      if (!answer) return;
      const tag = line.split(' ')[0] ?? '';
      socket.write(`${answer[1](tag)}\r\n`);
      if (behaviour === 'stall-starttls' && /STARTTLS|STLS/i.test(line)) stalled = true;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Calls `online` for every CRLF- or LF-ended line the client sends. */
function onLines(socket: net.Socket, online: (line: string) => void): void {
  let buffer = '';
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    let end = buffer.indexOf('\n');
    while (end >= 0) {
      online(buffer.slice(0, end).replace(/\r$/, ''));
      buffer = buffer.slice(end + 1);
      end = buffer.indexOf('\n');
    }
  });
}

/** Writes `total` bytes of `chunk` repeated, only as fast as the client reads (so the server's memory stays flat). */
function flood(socket: net.Socket, chunk: Buffer, total: number): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !socket.destroyed) {
      const piece = total - sent < chunk.length ? chunk.subarray(0, total - sent) : chunk;
      sent += piece.length;
      if (!socket.write(piece)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

// A raw line-by-line IMAP/POP3/SMTP client over plain TCP or TLS, with STARTTLS upgrades, for wire-level asserts.
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';

const HOST = '127.0.0.1';
const TIMEOUT_MS = 5000;

export interface TlsOptions {
  servername: string;
  ca: string;
}

/** Lines a reply ends with: IMAP's tagged status, SMTP's last "NNN " line, POP3's multi-line "." (or -ERR). */
export const tagged = (tag: string) => (line: string) => line.startsWith(`${tag} `);
export const smtpLast = (line: string) => /^\d{3} /.test(line);
export const pop3Last = (line: string) => line === '.' || line.startsWith('-ERR');

/** A conversation over one socket, plain or TLS. */
export class RawMailClient {
  private buffer = '';
  private readonly lines: string[] = [];
  private wake: (() => void) | undefined;
  private ended: string | undefined;
  private readonly onData = (chunk: Buffer): void => {
    const parts = (this.buffer + chunk.toString('latin1')).split('\r\n');
    this.buffer = parts.pop() ?? '';
    this.lines.push(...parts);
    this.wake?.();
  };
  private readonly onEnd = (error?: Error): void => {
    this.ended ??= error?.message ?? 'connection closed';
    this.wake?.();
  };

  /** `localAddress` 127.0.0.2, say, for a client whose address differs from the server's. */
  static async plain(port: number, localAddress?: string): Promise<RawMailClient> {
    const socket = net.connect({ host: HOST, port, localAddress });
    await once(socket, 'connect');
    return new RawMailClient(socket);
  }

  /** Implicit TLS; rejects unless the certificate verifies against `ca` for `servername`. */
  static async tls(port: number, options: TlsOptions): Promise<RawMailClient> {
    const socket = tls.connect({ host: HOST, port, ...options });
    await once(socket, 'secureConnect');
    return new RawMailClient(socket);
  }

  constructor(readonly socket: net.Socket) {
    socket
      .on('data', this.onData)
      .on('error', this.onEnd)
      .on('close', () => this.onEnd());
  }

  /** The TLS socket, once there is one. */
  get tlsSocket(): tls.TLSSocket | undefined {
    return this.socket instanceof tls.TLSSocket ? this.socket : undefined;
  }

  /** Lines up to and including the first one `last` accepts (the greeting, say). */
  async until(last: (line: string) => boolean): Promise<string[]> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const index = this.lines.findIndex(last);
      if (index >= 0) return this.lines.splice(0, index + 1);
      const got = `; got ${JSON.stringify(this.lines)}`;
      if (this.ended !== undefined) throw new Error(`${this.ended}${got}`);
      if (Date.now() > deadline) throw new Error(`no matching line in ${TIMEOUT_MS / 1000}s${got}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now() + 1);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Sends one command line and reads its reply. */
  send(line: string, last: (line: string) => boolean): Promise<string[]> {
    this.socket.write(`${line}\r\n`);
    return this.until(last);
  }

  /** After the server's go-ahead for STARTTLS/STLS: hands the socket to TLS and talks over that from then on. */
  async startTls(options: TlsOptions): Promise<RawMailClient> {
    this.socket.off('data', this.onData).off('error', this.onEnd);
    const secure = tls.connect({ socket: this.socket, ...options });
    await once(secure, 'secureConnect');
    return new RawMailClient(secure);
  }

  close(): void {
    this.socket.destroy();
  }
}

// One line-based conversation with a mail server (IMAP RFC 9051, POP3 RFC 1939/2595, SMTP RFC 5321/3207)
// over TCP or TLS, with an in-place STARTTLS upgrade. Every read has a deadline; nothing here knows a
// protocol's words, only lines.
import net from 'node:net';
import tls from 'node:tls';

const MAX_BUFFER = 64 * 1024;

export interface TlsTarget {
  /** The name the certificate should be for (SNI). */
  servername: string;
  /** Extra trusted CAs (tests). */
  ca?: string | string[];
}

export class MailSession {
  private buffer = '';
  private lines: string[] = [];
  private wake: (() => void) | undefined;
  private closed: Error | undefined;
  private readonly onData = (chunk: Buffer) => {
    const parts = (this.buffer + chunk.toString('latin1')).split(/\r?\n/);
    this.buffer = (parts.pop() ?? '').slice(0, MAX_BUFFER);
    this.lines.push(...parts);
    this.wake?.();
  };
  private readonly onClose = (error?: Error) => {
    this.closed ??= error ?? new Error('the server closed the connection');
    this.wake?.();
  };

  private constructor(
    public socket: net.Socket,
    private readonly timeoutMs: number,
  ) {
    this.listen(socket);
  }

  /** Connects to an already checked address; with `tls`, implicit TLS (the certificate is judged, not enforced). */
  static connect(
    address: string,
    port: number,
    timeoutMs: number,
    target?: TlsTarget,
    signal?: AbortSignal,
  ): Promise<MailSession> {
    return new Promise((resolve, reject) => {
      const socket = target
        ? tls.connect({
            host: address,
            port,
            servername: target.servername,
            ca: target.ca,
            rejectUnauthorized: false,
          })
        : net.connect({ host: address, port });
      // The whole check's deadline ends every conversation still going, wherever it is.
      signal?.addEventListener('abort', () => socket.destroy(), { once: true });
      // A port that accepts the connection but never finishes the TLS handshake is silent, not unreachable.
      let accepted = false;
      socket.once('connect', () => {
        accepted = true;
      });
      const timer = setTimeout(() => {
        socket.destroy();
        const error = accepted
          ? Object.assign(new Error(`accepted the connection but no TLS handshake within ${timeoutMs} ms`), {
              code: 'ESILENT',
            })
          : Object.assign(new Error(`no connection within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
        reject(error);
      }, timeoutMs);
      socket.once(target ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new MailSession(socket, timeoutMs));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Reads lines until one satisfies `isLast`; rejects on timeout or when the server goes away. */
  async reply(isLast: (line: string) => boolean): Promise<string[]> {
    const collected: string[] = [];
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) {
        collected.push(line);
        if (isLast(line)) return collected;
        continue;
      }
      if (this.closed) throw this.closed;
      const left = deadline - Date.now();
      if (left <= 0)
        throw Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Upgrades the connection in place after the server agreed to STARTTLS. */
  startTls(target: TlsTarget): Promise<tls.TLSSocket> {
    const plain = this.socket;
    plain.off('data', this.onData);
    return new Promise((resolve, reject) => {
      const secure = tls.connect({
        socket: plain,
        servername: target.servername,
        ca: target.ca,
        rejectUnauthorized: false,
      });
      secure.once('secureConnect', () => {
        secure.removeAllListeners('error');
        this.socket = secure;
        this.listen(secure);
        resolve(secure);
      });
      secure.once('error', reject);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  /** Ends the conversation when the signal fires (the upgraded TLS socket included). */
  closeOn(signal?: AbortSignal): void {
    signal?.addEventListener('abort', () => this.close(), { once: true });
  }

  private listen(socket: net.Socket): void {
    socket
      .on('data', this.onData)
      .on('error', this.onClose)
      .on('close', () => this.onClose());
  }
}

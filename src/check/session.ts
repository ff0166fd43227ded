// One line-based conversation with a mail server (IMAP RFC 9051, POP3 RFC 1939/2595, SMTP RFC 5321/3207)
// over TCP or TLS, with an in-place STARTTLS upgrade. Every step (connecting, each reply, the TLS start)
// has a time limit, every reply a size limit, and the check's signal ends the conversation wherever it is.
// Nothing here knows a protocol's words, only lines.
import net, { isIP } from 'node:net';
import tls from 'node:tls';
import { MailSettingsError } from '../model/errors.js';

/**
 * Far above any real greeting or CAPABILITY, CAPA or EHLO answer (well under 4 KB and 30 lines), far below
 * what hurts: past either limit the session stops reading and hangs up.
 */
const MAX_REPLY_BYTES = 64 * 1024;
const MAX_REPLY_LINES = 500;
const NEWLINE = 0x0a;

export type SessionFailure =
  /** No TCP connection within the step's time. */
  | 'no-connection'
  /** Connected, but the TLS handshake did not finish within the step's time. */
  | 'no-handshake'
  /** No complete reply within the step's time. */
  | 'no-answer'
  /** A "220" greeting, but EHLO is not answered with 250 (RFC 5321 §4.1.1.1): an FTP server, say. */
  | 'no-ehlo'
  /** An SMTP server that turned EHLO down (a HELO check, or one that knows only HELO). */
  | 'ehlo-refused'
  /** A reply past MAX_REPLY_BYTES or MAX_REPLY_LINES. */
  | 'too-much'
  /** The whole check's time ran out (its signal fired). */
  | 'deadline'
  /** The server closed the connection. */
  | 'hung-up';

/** Why a session step failed. Socket and TLS errors (ECONNREFUSED, ERR_SSL_…) are passed on as they come. */
export class SessionError extends MailSettingsError {
  override readonly name = 'SessionError';
  constructor(
    override readonly code: SessionFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface TlsTarget {
  /** The name the certificate should be for (SNI). */
  servername: string;
  /** Extra trusted CAs (tests). */
  ca?: string | string[];
}

/** The name sent as SNI: a host name, never an address (RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted"). */
const sniOf = ({ servername }: TlsTarget) => (isIP(servername) ? {} : { servername });

export interface SessionOptions {
  /** Each step: connecting, each reply, the TLS start. */
  timeoutMs: number;
  /** Implicit TLS (the certificate is judged, not enforced). */
  tls?: TlsTarget;
  /** Ends the conversation, wherever it is, when it fires. */
  signal?: AbortSignal;
}

export class MailSession {
  /** What is read and written: the TCP socket, or TLS over it once started. */
  socket: net.Socket;
  /** Complete lines not read yet; `head` is the next one, so reading is O(1) per line. */
  private queue: string[] = [];
  private head = 0;
  /** Pieces of the line still being received, joined once when it ends (linear in its length). */
  private partial: string[] = [];
  private partialBytes = 0;
  /** Lines (and their bytes) of the reply being read: queued plus already taken by reply(). */
  private replyLines = 0;
  private replyBytes = 0;
  private received = 0;
  private ended: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly onData = (chunk: Buffer): void => this.take(chunk);
  private readonly onError = (error: Error): void => this.end(error);
  private readonly onClose = (): void =>
    this.end(new SessionError('hung-up', 'the server closed the connection'));
  private readonly onAbort = (): void => this.end(new SessionError('deadline', "the check's time ran out"));

  private constructor(
    /** The TCP connection under everything: destroying it ends the conversation. */
    private readonly tcp: net.Socket,
    private readonly timeoutMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.socket = tcp;
    // One listener per session, removed when it ends, however many sessions share the check's signal.
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.listen(tcp);
  }

  /** Connects to an already checked address; rejects at once when the signal has already fired. */
  static async connect(address: string, port: number, options: SessionOptions): Promise<MailSession> {
    if (options.signal?.aborted) throw new SessionError('deadline', "the check's time ran out");
    const target = options.tls;
    const socket = target
      ? tls.connect({
          host: address,
          port,
          ...sniOf(target),
          ca: target.ca,
          rejectUnauthorized: false,
        })
      : net.connect({ host: address, port });
    const session = new MailSession(socket, options.timeoutMs, options.signal);
    let connected = false;
    let secured = !target;
    socket.once('connect', () => {
      connected = true;
      session.wake?.();
    });
    socket.once('secureConnect', () => {
      secured = true;
      session.wake?.();
    });
    try {
      await session.waitFor(
        () => connected && secured,
        () => new SessionError('no-connection', `no connection within ${options.timeoutMs} ms`),
      );
    } catch (error) {
      session.close();
      // A port that accepts the connection but never finishes the TLS handshake is silent, not unreachable.
      const code = (error as SessionError).code;
      if (connected && (code === 'no-connection' || code === 'deadline'))
        throw new SessionError('no-handshake', 'accepted the connection but no TLS handshake in time');
      throw error;
    }
    return session;
  }

  /** Whether the server has sent anything at all. */
  get heard(): boolean {
    return this.received > 0;
  }

  /** The first whole line the server sent, if one came. */
  firstLine: string | undefined;

  /** Reads lines until one satisfies `isLast`; rejects on timeout, on too much, or when the session ends. */
  async reply(isLast: (line: string) => boolean): Promise<string[]> {
    const collected: string[] = [];
    const done = (): boolean => {
      while (this.head < this.queue.length) {
        const line = this.queue[this.head++] as string;
        collected.push(line);
        if (isLast(line)) return true;
      }
      return false;
    };
    try {
      await this.waitFor(done, () => new SessionError('no-answer', `no answer within ${this.timeoutMs} ms`));
      return collected;
    } finally {
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      // What is still queued belongs to the next reply.
      this.replyLines -= collected.length;
      for (const line of collected) this.replyBytes -= line.length + 1;
    }
  }

  send(line: string): void {
    if (!this.ended) this.socket.write(`${line}\r\n`);
  }

  /** Upgrades the connection in place after the server agreed to STARTTLS. */
  async startTls(target: TlsTarget): Promise<tls.TLSSocket> {
    this.socket.off('data', this.onData);
    // Nothing sent before the handshake may count as said under TLS (RFC 3207 §4.2 / RFC 9051 §11.1).
    this.queue = [];
    this.head = 0;
    this.partial = [];
    this.partialBytes = this.replyLines = this.replyBytes = 0;
    const secure = tls.connect({
      socket: this.tcp,
      ...sniOf(target),
      ca: target.ca,
      rejectUnauthorized: false,
    });
    this.socket = secure;
    let secured = false;
    secure.once('secureConnect', () => {
      secured = true;
      this.wake?.();
    });
    this.listen(secure);
    const stalled = () => new SessionError('no-handshake', 'agreed to STARTTLS but no TLS handshake in time');
    try {
      await this.waitFor(() => secured, stalled);
    } catch (error) {
      throw (error as SessionError).code === 'deadline' ? stalled() : error;
    }
    return secure;
  }

  close(): void {
    this.end(new SessionError('hung-up', 'the conversation was closed'));
  }

  private listen(socket: net.Socket): void {
    socket.on('data', this.onData).on('error', this.onError).on('close', this.onClose);
  }

  /** Splits a chunk into lines, scanning each byte once; past a reply's limits, hangs up instead. */
  private take(chunk: Buffer): void {
    if (this.ended) return;
    this.received += chunk.length;
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      this.partial.push(chunk.toString('latin1', start, end));
      const text = this.partial.join('');
      const line = text.endsWith('\r') ? text.slice(0, -1) : text;
      this.partial = [];
      this.partialBytes = 0;
      this.queue.push(line);
      this.firstLine ??= line;
      this.replyBytes += line.length + 1;
      start = end + 1;
      if (++this.replyLines > MAX_REPLY_LINES || this.replyBytes > MAX_REPLY_BYTES) break;
    }
    if (start < chunk.length) {
      this.partialBytes += chunk.length - start;
      this.partial.push(chunk.toString('latin1', start));
    }
    if (this.replyLines > MAX_REPLY_LINES || this.replyBytes + this.partialBytes > MAX_REPLY_BYTES) {
      const limits = `${MAX_REPLY_BYTES} bytes or ${MAX_REPLY_LINES} lines`;
      this.end(new SessionError('too-much', `more than ${limits} in one reply`));
    } else this.wake?.();
  }

  /** The first reason wins; every socket is destroyed and the check's signal is let go. */
  private end(reason: Error): void {
    this.ended ??= reason;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
    this.tcp.destroy();
    this.wake?.();
  }

  /** Waits until `done()` (checked first, so lines already received are read) or the step's time is up. */
  private async waitFor(done: () => boolean, timedOut: () => Error): Promise<void> {
    const deadline = performance.now() + this.timeoutMs;
    while (!done()) {
      if (this.ended) throw this.ended;
      const left = deadline - performance.now();
      if (left <= 0) throw timedOut();
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
}

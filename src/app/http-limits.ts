// How the bot's public HTTP port (Slack's HTTP mode, the set-up page) holds up against clients that send too
// much or too slowly: Node's own server options bound headers and the time a request may take to arrive, a
// cap on open connections bounds what they can hold at once, and a response sent before its request was read
// to the end (a refused body) closes the connection, so the rest is never read. docs/operations.md, "The HTTP
// port", gives the figures and why.
import type { Server, ServerOptions } from 'node:http';
import type { Logger } from '../model/logger.js';

export interface HttpLimits {
  /** Time from the connection (or the last response on it) to the end of the headers. @default 5000 */
  headersTimeout: number;
  /** Time for the whole request to arrive; Slack stops waiting for an answer after 3 s. @default 10000 */
  requestTimeout: number;
  /** Time an idle kept-alive connection stays open. @default 5000 (Node's own) */
  keepAliveTimeout: number;
  /** How often the two timeouts above are checked. @default 1000 (Node's own is 30 s) */
  connectionsCheckingInterval: number;
  /** Request line and headers together, in bytes. @default 16384 (Node's own) */
  maxHeaderSize: number;
  /** Open connections; past this, new ones are closed at once. @default 256 */
  maxConnections: number;
  /** Requests on one kept-alive connection before it is closed. @default 100 */
  maxRequestsPerSocket: number;
}

export const HTTP_LIMITS: HttpLimits = {
  headersTimeout: 5_000,
  requestTimeout: 10_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
  maxHeaderSize: 16 * 1024,
  maxConnections: 256,
  maxRequestsPerSocket: 100,
};

/** The options `http.createServer` (or Bolt's receiver, which passes them on) takes. */
export function serverOptions(limits: HttpLimits = HTTP_LIMITS): ServerOptions {
  const { headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval, maxHeaderSize } =
    limits;
  return { headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval, maxHeaderSize };
}

/** Applies what is set on the server rather than passed to it, once it is created. */
export function limitServer(server: Server, log: Logger, limits: HttpLimits = HTTP_LIMITS): void {
  server.maxConnections = limits.maxConnections;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  server.on('request', (req, res) => {
    // Whatever the handler refused unread (too large, unsigned) is not read after the answer either: Node
    // would otherwise pull the rest off the wire to keep the connection.
    res.once('finish', () => {
      if (!req.complete) req.socket.destroy();
    });
  });
  const refused = warnAtMostEveryMinute(log, 'http: connection limit reached, new connections are refused');
  server.on('drop', () =>
    refused({
      port: (server.address() as { port?: number } | null)?.port,
      maxConnections: limits.maxConnections,
    }),
  );
}

/**
 * A warning logged at most once a minute, with `times`: how often it happened since the last line. A stranger
 * can make these happen as often as they like, and must not flood the log.
 */
export function warnAtMostEveryMinute(
  log: Logger,
  message: string,
): (context?: Record<string, unknown>) => void {
  let times = 0;
  let warnedAt = Number.NEGATIVE_INFINITY;
  return (context = {}) => {
    times += 1;
    if (Date.now() - warnedAt < 60_000) return;
    warnedAt = Date.now();
    log.warn(message, { ...context, times });
    times = 0;
  };
}

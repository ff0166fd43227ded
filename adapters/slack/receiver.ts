// Slack's HTTP mode receiver: Bolt's HTTPReceiver behind a look at each request to /slack/events before Bolt
// reads it. A signature can only be checked once the whole body has arrived, so what a stranger can make the
// bot read first is bounded: a body without signature headers, one declared larger than Slack sends, and a
// large one while enough large ones are being read already are refused unread, the connection closed
// (src/app/http-limits.ts); any other is read with its signature checked as it arrives, so a forged body is
// never copied, decoded or parsed. What passes goes to Bolt, which checks the signature again, timestamp
// included.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Logger as BoltLogger, type CustomRoute, ErrorCode, HTTPReceiver } from '@slack/bolt';
import { type Logger, warnAtMostEveryMinute } from '../../src/index.js';

/**
 * The largest body taken at /slack/events. Slack publishes no limit for a whole request, only for its parts;
 * the largest it can send this bot is an edit of a 40,000-character message (message_changed carries the
 * message and its previous version, each as text and as rich-text blocks): about 170 KB of plain text, up to
 * about 960 KB if every character is JSON-escaped. docs/operations.md, "The HTTP port", has the sums.
 */
export const SLACK_BODY_LIMIT = 1024 * 1024;
/**
 * Slack's commands, button presses and message events are a few kilobytes; a larger body (a very long
 * message) is read only while fewer than MAX_LARGE_READS others are, so forged ones hold at most
 * MAX_LARGE_READS × SLACK_BODY_LIMIT, besides LARGE_BODY per open connection.
 */
export const LARGE_BODY = 64 * 1024;
export const MAX_LARGE_READS = 4;
/** Slack's SSL check comes unsigned ("ssl_check=1&token=…", about 40 bytes); Bolt answers it. */
const UNSIGNED_BODY_LIMIT = 1024;
const EVENTS_PATH = '/slack/events';

export interface SlackReceiverOptions {
  signingSecret: string;
  customRoutes?: CustomRoute[];
  /** What answers a request Bolt has no route for (GET /, a method the routes do not list); else a 404. */
  fallback?: (req: IncomingMessage, res: ServerResponse) => void;
  logger: BoltLogger;
  log: Logger;
}

export function slackReceiver(options: SlackReceiverOptions): HTTPReceiver {
  const { log } = options;
  const malformed = warnAtMostEveryMinute(log, 'slack: a request with a malformed address, refused');
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: [EVENTS_PATH],
    ...(options.customRoutes ? { customRoutes: options.customRoutes } : {}),
    logger: options.logger,
    bodyLimit: SLACK_BODY_LIMIT,
    // Bolt's own handler logs the whole address (a set-up link's token with it) as an error, for anyone's
    // request: a malformed one (`/%ff`) is refused here with one warning a minute, and never its address.
    dispatchErrorHandler: ({ error, request, response }) => {
      // Not Bolt's: a scanner's GET /, a PROPFIND, answered like the set-up page's own port, with no error line.
      if ((error as { code?: string }).code === ErrorCode.HTTPReceiverDeferredRequestError) {
        if (options.fallback) return options.fallback(request, response);
        return void response.writeHead(404).end();
      }
      if (error instanceof URIError) malformed({ method: request.method });
      else log.error('slack: a request failed before it was routed', { method: request.method, error });
      response.writeHead(error instanceof URIError ? 400 : 500).end();
    },
  });
  const bolt = receiver.requestListener;
  const tooLarge = warnAtMostEveryMinute(log, 'slack: request body too large, refused unread');
  const busy = warnAtMostEveryMinute(log, 'slack: too many large requests at once, one refused for now');
  const forged = warnAtMostEveryMinute(log, 'slack: request signature does not match SLACK_SIGNING_SECRET');
  let largeReads = 0;

  receiver.requestListener = (req, res) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== EVENTS_PATH)
      return bolt(req, res);
    const bytes = Number(req.headers['content-length'] ?? Number.NaN); // NaN: sent without a length
    const signature = req.headers['x-slack-signature'];
    const timestamp = req.headers['x-slack-request-timestamp'];
    if (typeof signature !== 'string' || typeof timestamp !== 'string')
      return bytes <= UNSIGNED_BODY_LIMIT ? bolt(req, res) : refuse(res, 401);
    if (bytes > SLACK_BODY_LIMIT) {
      tooLarge({ bytes, limit: SLACK_BODY_LIMIT });
      return refuse(res, 413);
    }
    if (!(bytes <= LARGE_BODY)) {
      if (largeReads >= MAX_LARGE_READS) {
        busy({ bytes });
        // Slack sends an event again later; a command's user sees that it failed and can try again.
        return refuse(res, 503, { 'retry-after': '1' });
      }
      largeReads += 1;
      res.once('close', () => {
        largeReads -= 1;
      });
    }
    readSigned(req, options.signingSecret, timestamp, signature)
      .then((body) => {
        if (body === undefined) return; // the client went away
        if (typeof body === 'number') {
          if (body === 413) tooLarge({ limit: SLACK_BODY_LIMIT });
          else forged();
          return refuse(res, body);
        }
        // Bolt takes a body already read as `rawBody` and reads nothing itself.
        bolt(Object.assign(req, { rawBody: body }), res);
      })
      .catch((error: unknown) => {
        log.error('slack: request failed', { error });
        if (!res.headersSent) refuse(res, 500);
      });
  };
  return receiver;
}

function refuse(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { connection: 'close', ...headers }).end();
}

/**
 * Reads the body while computing Slack's signature over it (HMAC-SHA256 of "v0:timestamp:body", "Verifying
 * requests from Slack"): the body when the signature matches, 401 or 413 otherwise, undefined when the client
 * went away. Only chunks as they arrived are kept until then; a forged body is dropped without a copy.
 */
function readSigned(
  req: IncomingMessage,
  secret: string,
  timestamp: string,
  signature: string,
): Promise<Buffer | 401 | 413 | undefined> {
  const hmac = createHmac('sha256', secret).update(`v0:${timestamp}:`);
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve) => {
    const settle = (outcome: Buffer | 401 | 413 | undefined) => {
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > SLACK_BODY_LIMIT) {
        req.pause();
        return settle(413);
      }
      hmac.update(chunk);
      chunks.push(chunk);
    };
    const onEnd = () => {
      const expected = Buffer.from(`v0=${hmac.digest('hex')}`);
      const given = Buffer.from(signature);
      const matches = given.length === expected.length && timingSafeEqual(given, expected);
      settle(matches ? Buffer.concat(chunks, size) : 401);
    };
    const onClose = () => settle(undefined);
    req.on('data', onData).on('end', onEnd).on('close', onClose);
  });
}

// Fetches a small XML document over HTTP(S) without letting a customer-controlled name reach an internal
// address: the host is resolved and every address checked first, then the connection goes to the checked
// address (so a second, different DNS answer cannot swap it). Responses are capped and must be XML. TLS is
// loaded by the first https fetch, not by every start-up: an answer from the cache or the local sources needs none.
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { fail, ok, type Result } from '../../model/result.js';
import { checkHost } from './net-policy.js';

export interface FetchOptions {
  /** Resolves a host name to addresses (the bot's DNS). */
  lookup: (name: string) => Promise<string[]>;
  /** Skip the address check (internal deployments, tests on loopback). @default false */
  allowPrivate?: boolean;
  /**
   * The operator's own URLs (the ISP database) are trusted and use the system resolver; a redirect to another
   * origin is not.
   */
  trusted?: boolean;
  signal?: AbortSignal;
  /** @default 128 KiB */
  maxBytes?: number;
  /** Extra CA certificates to trust (tests). */
  ca?: string | string[];
  /** Port overrides for http: and https: URLs without an explicit port (tests). */
  ports?: { http?: number; https?: number };
}

/** The document, or why there is none at that URL (not there, not XML, too big): that is not an error. */
export type FetchResult = Result<string, string>;

const MAX_REDIRECTS = 3;
const XML_TYPE = /^(text|application)\/([\w.+-]+\+)?xml\b/i;

/** GETs an XML document. "Not there" (404, wrong type, too big) is a result; network failures throw. */
export async function fetchXml(url: string, options: FetchOptions, redirects = 0): Promise<FetchResult> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const port = target.port
    ? Number(target.port)
    : secure
      ? (options.ports?.https ?? 443)
      : (options.ports?.http ?? 80);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const pinned = options.trusted
    ? undefined
    : await checkHost(host, options.lookup, options.allowPrivate ?? false);

  const client = secure ? (await import('node:https')).default : http;
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = client.get(target, {
      port,
      signal: options.signal,
      headers: { accept: 'application/xml, text/xml', 'user-agent': 'mailsettings' },
      ...(secure && options.ca ? { ca: options.ca } : {}),
      ...(pinned ? { lookup: pinLookup(pinned[0] as string) } : {}),
      // A fresh socket per request: an agent would let a pooled connection bypass the address check.
      agent: false,
    });
    request.once('response', resolve).once('error', reject);
  });

  const { statusCode = 0, headers } = response;
  // A body not read is not downloaded either: its socket is closed (no agent keeps it), however long it runs.
  if (statusCode >= 300 && statusCode < 400 && headers.location) {
    response.destroy();
    if (redirects >= MAX_REDIRECTS) return fail('too many redirects');
    const next = new URL(headers.location, target);
    // What was asked for over HTTPS is never taken over plain HTTP: the answer would say it was published
    // securely when anyone on the way could have changed it.
    if (secure && next.protocol !== 'https:') return fail(`redirected from HTTPS to ${next.protocol}`);
    // The operator's own URL is trusted, not wherever it sends the bot: off its origin, checked as any other.
    const trusted = options.trusted === true && next.origin === target.origin;
    return fetchXml(next.href, { ...options, trusted }, redirects + 1);
  }
  if (statusCode !== 200) {
    response.destroy();
    return fail(`HTTP ${statusCode}`);
  }
  if (!XML_TYPE.test(headers['content-type'] ?? '')) {
    response.destroy();
    return fail(`not XML (${headers['content-type'] ?? 'no content type'})`);
  }
  return readCapped(response, options.maxBytes ?? 128 * 1024);
}

function pinLookup(address: string): LookupFunction {
  const family = address.includes(':') ? 6 : 4;
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

async function readCapped(response: http.IncomingMessage, maxBytes: number): Promise<FetchResult> {
  const declared = Number(response.headers['content-length'] ?? 0);
  if (declared > maxBytes) {
    response.destroy();
    return fail(`larger than ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      response.destroy();
      return fail(`larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return ok(Buffer.concat(chunks).toString('utf8'));
}

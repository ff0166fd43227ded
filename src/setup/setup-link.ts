// Decides whether a set-up page link was made by this bot and is still fresh. A token is the question
// (domain, address, protocol) and an expiry, signed with HMAC-SHA256 under a secret from the configuration,
// so the page answers only what the bot was asked and is no open lookup service for anyone's domain.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { fail, ok, type Result } from '../model/result.js';
import type { Protocol, Query } from '../model/settings.js';

export type SetupQuestion = Pick<Query, 'domain' | 'email' | 'protocol'>;
export type LinkProblem = 'tampered' | 'expired';

export const LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;
const PROTOCOLS: readonly Protocol[] = ['imap', 'pop', 'smtp', 'all'];

interface Payload {
  d: string;
  e?: string;
  p: Protocol;
  /** Expiry, milliseconds since the epoch. */
  x: number;
}

/** A URL-safe token for the question, valid for a day from `now`. */
export function signSetupLink(question: SetupQuestion, secret: string, now = Date.now()): string {
  const payload: Payload = {
    d: question.domain,
    ...(question.email ? { e: question.email } : {}),
    p: question.protocol,
    x: now + LINK_LIFETIME_MS,
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${signature(body, secret).toString('base64url')}`;
}

/** The question a token was made for; `tampered` when this bot did not sign it, `expired` after a day. */
export function verifySetupLink(
  token: string,
  secret: string,
  now = Date.now(),
): Result<{ question: SetupQuestion; expiresAt: number }, LinkProblem> {
  const [body = '', mac = '', ...rest] = token.split('.');
  if (rest.length > 0 || !/^[\w-]+$/.test(body) || !/^[\w-]+$/.test(mac)) return fail('tampered');
  // Compared as written: decoding would let the last character's unused bits vary, one link in four spellings.
  const expected = Buffer.from(signature(body, secret).toString('base64url'));
  const given = Buffer.from(mac);
  // Equal lengths first: timingSafeEqual throws otherwise, and the length of a MAC is no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return fail('tampered');
  const payload = readPayload(body);
  if (!payload) return fail('tampered');
  if (now >= payload.x) return fail('expired');
  const question = { domain: payload.d, ...(payload.e ? { email: payload.e } : {}), protocol: payload.p };
  return ok({ question, expiresAt: payload.x });
}

/** The page's address under the bot's public base URL ("https://bot.example.com"). */
export function setupPageUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/setup/${token}`;
}

function signature(body: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/** A signed payload is ours, but its shape is still checked: a bug elsewhere must not become a crash here. */
function readPayload(body: string): Payload | undefined {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const { d, e, p, x } = (data ?? {}) as Record<string, unknown>;
  const valid =
    typeof d === 'string' &&
    (e === undefined || typeof e === 'string') &&
    PROTOCOLS.includes(p as Protocol) &&
    typeof x === 'number';
  return valid ? (data as Payload) : undefined;
}

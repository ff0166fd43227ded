// The set-up endpoints as one node:http request handler, to mount next to Slack's receiver or on a server of
// its own: the signed set-up page and its Apple profile, Thunderbird's autoconfig and Outlook's POX
// Autodiscover. Automatic configuration answers only for domains hosted on the company's servers (the
// resolver's `profile` answer); anything else is a 404, so this is no open oracle for other people's domains.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../model/errors.js';
import type { Logger } from '../model/logger.js';
import type { Result } from '../model/result.js';
import type { Query } from '../model/settings.js';
import { parseQuery } from '../question/parse-question.js';
import type { MailSettings } from '../resolve/answer.js';
import type { Resolver } from '../resolve/resolver.js';
import { parseAutodiscoverRequest, settingsToAutodiscoverXml } from './autodiscover.js';
import { settingsToConfigXml } from './config-xml.js';
import { readBody } from './http-body.js';
import { MOBILECONFIG_TYPE, settingsToMobileconfig } from './mobileconfig.js';
import { type SetupQuestion, verifySetupLink } from './setup-link.js';
import { renderErrorPage, renderSetupPage } from './setup-page.js';

export interface SetupHandlerOptions {
  resolver: Pick<Resolver, 'answer'>;
  /** The key set-up links are signed with; at least 32 characters. */
  secret: string;
  /** The company's name, shown in profiles and autoconfig documents, and at the top of the set-up page. */
  organization?: string;
  /** The company's logo (https), at the top of the set-up page. */
  logoUrl?: string;
  /** @default 32 KiB; Autodiscover requests are a few hundred bytes. */
  maxBodyBytes?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  log?: Logger;
  /**
   * Limits autoconfig and Autodiscover requests per client: each one may start a lookup of any domain.
   * A RateLimiter (conversation/rate-limit.ts), named by its shape: the conversation imports setup/, so setup/
   * does not import it back.
   * @default no limit
   */
  limiter?: (key: string) => Result<void, { retryAfterMs: number }>;
  /** Who a request is from, for the limiter; behind a reverse proxy, the address it forwards. @default the peer address */
  clientKey?: (req: IncomingMessage) => string;
}

/** Handles the request and returns true when it is one of the set-up routes; false leaves it to the caller. */
export type SetupHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

type Route =
  | { kind: 'page' | 'profile'; token: string }
  | { kind: 'autoconfig'; params: URLSearchParams }
  | { kind: 'autodiscover' };

const SETUP_PATH = /^\/setup\/([\w.-]+?)(\/apple\.mobileconfig)?\/?$/;
const AUTOCONFIG_PATHS = new Set(['/mail/config-v1.1.xml', '/.well-known/autoconfig/mail/config-v1.1.xml']);
const AUTODISCOVER_PATH = '/autodiscover/autodiscover.xml';
const XML_TYPE = 'application/xml; charset=utf-8';
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  // No scripts, no external anything: the page needs only its own inline style.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

export function createSetupHandler(options: SetupHandlerOptions): SetupHandler {
  if (options.secret.length < 32) {
    throw new ConfigError(
      'The set-up link secret must be at least 32 characters long (make one with: openssl rand -hex 32).',
    );
  }
  const now = options.now ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? 32 * 1024;

  async function serve(route: Route, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (route.kind === 'page' || route.kind === 'profile') return servePage(route, req, res);
    if (route.kind === 'autoconfig') return serveAutoconfig(route.params, req, res);
    const body = await readBody(req, maxBodyBytes);
    if (!body.ok) return sendText(res, 413, `The request body is larger than ${maxBodyBytes} bytes.`);
    const address = parseAutodiscoverRequest(body.value);
    if (!address.ok) return sendText(res, 400, address.error);
    const hosted = await hostedAnswer(address.value);
    if (!hosted.ok) return sendText(res, hosted.status, hosted.error);
    const { settings } = hosted;
    send(res, 200, XML_TYPE, settingsToAutodiscoverXml(settings, settings.query.email ?? address.value));
  }

  async function servePage(
    route: { kind: 'page' | 'profile'; token: string },
    req: IncomingMessage,
    res: ServerResponse,
  ) {
    const link = verifySetupLink(route.token, options.secret, now());
    if (!link.ok) {
      return link.error === 'expired'
        ? sendPage(
            res,
            410,
            'This link has expired',
            'Set-up links work for one day. Ask the bot again for a new one.',
          )
        : sendPage(
            res,
            403,
            'This link is not valid',
            'The link is incomplete or was changed. Copy the whole link from the bot’s message, or ask again.',
          );
    }
    const settings = await answerFor(link.value.question);
    const profile = await settingsToMobileconfig(settings, { organization: options.organization });
    if (route.kind === 'profile') {
      if (!profile.ok) return sendPage(res, 404, 'No profile for this address', profile.error);
      return send(res, 200, MOBILECONFIG_TYPE, profile.value, {
        'content-disposition': `attachment; filename="${settings.query.domain}.mobileconfig"`,
        'cache-control': 'no-store',
      });
    }
    // Relative, so a path in front (a proxy's prefix) is kept; from /setup/<token>/ the profile is beside it.
    const href = `${req.url?.split('?')[0]?.endsWith('/') ? '' : `${route.token}/`}apple.mobileconfig`;
    const html = renderSetupPage({
      settings,
      profile: profile.ok ? { href } : { problem: profile.error },
      expiresAt: link.value.expiresAt,
      ...(options.organization ? { organization: options.organization } : {}),
      ...(options.logoUrl ? { logoUrl: options.logoUrl } : {}),
    });
    // The company's logo is the one thing loaded from elsewhere, from its own origin only.
    const logo = options.logoUrl ? `; img-src ${new URL(options.logoUrl).origin}` : '';
    const headers = {
      ...PAGE_HEADERS,
      'content-security-policy': `${PAGE_HEADERS['content-security-policy']}${logo}`,
    };
    send(res, 200, PAGE_HEADERS['content-type'], html, headers);
  }

  async function serveAutoconfig(params: URLSearchParams, req: IncomingMessage, res: ServerResponse) {
    // Thunderbird names the address; without it, autoconfig.<domain> (or <domain> itself on the
    // well-known path) names the domain, which is how the bot's own resolver and older clients ask.
    const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    const onWellKnown = (req.url ?? '').startsWith('/.well-known/');
    const asked =
      params.get('emailaddress') ??
      (host.startsWith('autoconfig.') ? host.slice('autoconfig.'.length) : onWellKnown ? host : '');
    if (!asked) return sendText(res, 400, 'Add the address to set up: ?emailaddress=name@example.com');
    const hosted = await hostedAnswer(asked);
    if (!hosted.ok) return sendText(res, hosted.status, hosted.error);
    send(res, 200, XML_TYPE, settingsToConfigXml(hosted.settings, { displayName: options.organization }), {
      'cache-control': 'max-age=300',
    });
  }

  /** The answer for an address or domain, only when the domain's mail is on the company's servers. */
  async function hostedAnswer(
    asked: string,
  ): Promise<{ ok: true; settings: MailSettings } | { ok: false; status: 400 | 404; error: string }> {
    const parsed = parseQuery(asked);
    if (!parsed.ok || /\s/.test(asked.trim())) {
      return { ok: false, status: 400, error: 'That is not an email address or domain.' };
    }
    const settings = await answerFor({ ...parsed.value.query, protocol: 'all' });
    if (settings.source.kind !== 'profile') {
      return { ok: false, status: 404, error: 'No settings are published here for that domain.' };
    }
    return { ok: true, settings };
  }

  /** Set-up needs an incoming server, so a question for SMTP alone is answered for all protocols. */
  async function answerFor(question: SetupQuestion): Promise<MailSettings> {
    const query: Query = {
      input: question.email ?? question.domain,
      domain: question.domain,
      ...(question.email ? { email: question.email } : {}),
      protocol: question.protocol === 'smtp' ? 'all' : question.protocol,
    };
    return (await options.resolver.answer(query)).settings;
  }

  /** Milliseconds to wait when this client has asked too often, else undefined. */
  function limit(req: IncomingMessage): number | undefined {
    if (!options.limiter) return undefined;
    const key = options.clientKey?.(req) ?? req.socket.remoteAddress ?? 'unknown';
    const verdict = options.limiter(key);
    return verdict.ok ? undefined : verdict.error.retryAfterMs;
  }

  return (req, res) => {
    const route = routeOf(req);
    if (!route) return false;
    const allowed = route.kind === 'autodiscover' ? ['POST'] : ['GET', 'HEAD'];
    if (!allowed.includes(req.method ?? '')) {
      sendText(res, 405, `Use ${allowed.join(' or ')} here.`, { allow: allowed.join(', ') });
      return true;
    }
    const limited = route.kind === 'autoconfig' || route.kind === 'autodiscover' ? limit(req) : undefined;
    if (limited) {
      const seconds = String(Math.ceil(limited / 1000));
      sendText(res, 429, `Too many requests: try again in ${seconds} s.`, { 'retry-after': seconds });
      return true;
    }
    serve(route, req, res).catch((error: unknown) => {
      // A client that hung up, or sent its body too slowly and was cut off: nothing failed here.
      if (req.destroyed && !req.complete) return void res.destroy();
      options.log?.error('set-up request failed', { route: route.kind, error });
      if (!res.headersSent) sendText(res, 500, 'Sorry, something went wrong. Please try again in a moment.');
      else res.destroy();
    });
    return true;
  };
}

function routeOf(req: IncomingMessage): Route | undefined {
  const url = req.url ?? '';
  if (!url.startsWith('/')) return undefined;
  const [path = '', search = ''] = url.split(/\?(.*)/s);
  const setup = SETUP_PATH.exec(path);
  if (setup) return { kind: setup[2] ? 'profile' : 'page', token: setup[1] as string };
  if (AUTOCONFIG_PATHS.has(path)) return { kind: 'autoconfig', params: new URLSearchParams(search) };
  if (path.toLowerCase() === AUTODISCOVER_PATH) return { kind: 'autodiscover' };
  return undefined;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    // Every answer is what its type says: a browser never reads a profile or a text as a page.
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  send(res, status, 'text/plain; charset=utf-8', `${text}\n`, headers);
}

function sendPage(res: ServerResponse, status: number, title: string, message: string): void {
  send(res, status, PAGE_HEADERS['content-type'], renderErrorPage(title, message), PAGE_HEADERS);
}

/**
 * The set-up handler as a request listener, with a 404 for what it does not serve. A handler that throws gets a
 * 500 and one error line; uncaught in a request listener, it would end the process.
 */
export const serveSetup =
  (setup: SetupHandler, log: Logger) => (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (!setup(req, res))
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    } catch (error) {
      log.error('set-up request failed', { method: req.method, error });
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal error\n');
    }
  };

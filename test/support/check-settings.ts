// Answers made up for the live check's tests: servers on 127.0.0.1 (mail.test by default) at the ports a test
// started, and the check run on them with the loopback allowed, as scripted and hostile servers need.
import type { MailSettings, Server } from '../../src/index.js';
import { type CheckOptions, checkSettings, type Security, type ServerType } from '../../src/testing.js';

/** A server of `type` at `port`, signed in with the address and nothing else said about it. */
export const serverAt = (
  type: ServerType,
  port: number,
  security: Security = 'none',
  hostname = 'mail.test',
): Server => ({ type, hostname, port, security, username: '%EMAILADDRESS%', authentication: [] });

/** An answer for example.test with these servers. */
export const settingsFor = (servers: Server[]): MailSettings => ({
  query: { input: 'example.test', domain: 'example.test', protocol: 'all' },
  incoming: servers.filter((server) => server.type !== 'smtp'),
  outgoing: servers.filter((server) => server.type === 'smtp'),
  source: { kind: 'autoconfig', detail: 'test' },
  notes: [],
});

/** The live check of those servers, every name looked up as 127.0.0.1. */
export const checkLoopback = (servers: Server[], options: Partial<CheckOptions> = {}) =>
  checkSettings(settingsFor(servers), { lookup: async () => ['127.0.0.1'], allowPrivate: true, ...options });

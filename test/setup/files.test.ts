import { XMLParser } from 'fast-xml-parser';
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailSettings, settingsToConfigXml, settingsToMobileconfig } from '../../src/index.js';
import {
  createResolver,
  createSetupHandler,
  parseAutodiscoverRequest,
  parseConfigXml,
  settingsToAutodiscoverXml,
} from '../../src/testing.js';
import { startHttpServer, type TestHttpServer } from '../support/http-server.js';
import { autodiscoverRequest, type SetupWorld, startSetupWorld } from '../support/setup-world.js';

// Required keys from Apple's reference (github.com/apple/device-management, mdm/profiles): TopLevel.yaml,
// CommonPayloadKeys.yaml and com.apple.mail.managed.yaml, `presence: required`.
const TOP_LEVEL_REQUIRED = [
  'PayloadContent',
  'PayloadIdentifier',
  'PayloadType',
  'PayloadUUID',
  'PayloadVersion',
];
const MAIL_REQUIRED = [
  'PayloadIdentifier',
  'PayloadUUID',
  'PayloadType',
  'PayloadVersion',
  'EmailAccountType',
  'IncomingMailServerAuthentication',
  'IncomingMailServerHostName',
  'OutgoingMailServerAuthentication',
  'OutgoingMailServerHostName',
];
const AUTH_RANGE = [
  'EmailAuthNone',
  'EmailAuthPassword',
  'EmailAuthCRAMMD5',
  'EmailAuthNTLM',
  'EmailAuthHTTPMD5',
];
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

type Dict = Record<string, unknown>;

interface Case {
  question: string;
  kind: MailSettings['source']['kind'];
  type: 'EmailTypeIMAP' | 'EmailTypePOP';
  incoming: [host: string, port: number, ssl: boolean, user?: string];
  outgoing: [host: string, port: number, ssl: boolean, user?: string];
  email?: string;
}

const CASES: Record<string, Case> = {
  hosted: {
    question: 'alice@hosted.test imap',
    kind: 'profile',
    type: 'EmailTypeIMAP',
    incoming: ['server1.web-hosting.test', 993, true, 'alice@hosted.test'],
    outgoing: ['server1.web-hosting.test', 465, true, 'alice@hosted.test'],
    email: 'alice@hosted.test',
  },
  'provider (gmail.com)': {
    question: 'alice@gmail.com',
    kind: 'ispdb',
    type: 'EmailTypeIMAP',
    incoming: ['imap.gmail.com', 993, true, 'alice@gmail.com'],
    outgoing: ['smtp.gmail.com', 465, true, 'alice@gmail.com'],
    email: 'alice@gmail.com',
  },
  'provider with STARTTLS and a local-part username (me.com)': {
    question: 'bob@me.com',
    kind: 'ispdb',
    type: 'EmailTypeIMAP',
    incoming: ['imap.mail.me.com', 993, true, 'bob'],
    outgoing: ['smtp.mail.me.com', 587, true, 'bob@me.com'],
    email: 'bob@me.com',
  },
  'template, POP, no address': {
    question: 'nothing-published.test pop',
    kind: 'default',
    type: 'EmailTypePOP',
    incoming: ['mail.nothing-published.test', 995, true],
    outgoing: ['mail.nothing-published.test', 465, true],
  },
};

let setup: SetupWorld;
beforeAll(async () => {
  setup = await startSetupWorld([
    { name: 'autoconfig.hosted.test', type: 'A', address: '127.0.0.1' },
    { name: 'second.test', type: 'A', address: '127.0.0.1' },
  ]);
});
afterAll(() => setup?.close());

describe('Apple configuration profile', () => {
  for (const [name, expected] of Object.entries(CASES)) {
    it(`has every key Apple requires, with the answer's values, for a ${name} answer`, async () => {
      const settings = await setup.answer(expected.question);
      expect(settings.source.kind).toBe(expected.kind);
      const made = await settingsToMobileconfig(settings, { organization: 'Example Web Hosting' });
      if (!made.ok) throw new Error(made.error);
      const profile = parsePlist(made.value) as Dict;

      for (const key of TOP_LEVEL_REQUIRED) expect(profile, key).toHaveProperty(key);
      expect(profile.PayloadType).toBe('Configuration');
      expect(profile.PayloadVersion).toBe(1);
      expect(profile.PayloadUUID).toMatch(UUID);
      expect(profile.PayloadOrganization).toBe('Example Web Hosting');
      expect(profile.PayloadDisplayName).toEqual(expect.any(String));
      const content = profile.PayloadContent as Dict[];
      expect(content).toHaveLength(1);
      const mail = content[0] as Dict;
      for (const key of MAIL_REQUIRED) expect(mail, key).toHaveProperty(key);

      expect(mail.PayloadType).toBe('com.apple.mail.managed');
      expect(mail.PayloadVersion).toBe(1);
      expect(mail.PayloadUUID).toMatch(UUID);
      expect(mail.PayloadUUID).not.toBe(profile.PayloadUUID);
      expect(mail.PayloadIdentifier).not.toBe(profile.PayloadIdentifier);
      expect(String(mail.PayloadIdentifier).startsWith(`${profile.PayloadIdentifier}.`)).toBe(true);
      expect(mail.EmailAccountType).toBe(expected.type);
      expect(mail.EmailAddress).toBe(expected.email);
      expect(mail.EmailAccountDescription).toBe(expected.email ?? `${settings.query.domain} email`);
      for (const [direction, [host, port, ssl, user]] of [
        ['Incoming', expected.incoming],
        ['Outgoing', expected.outgoing],
      ] as const) {
        expect(mail[`${direction}MailServerHostName`]).toBe(host);
        expect(mail[`${direction}MailServerPortNumber`]).toBe(port);
        expect(mail[`${direction}MailServerUseSSL`]).toBe(ssl);
        expect(mail[`${direction}MailServerUsername`]).toBe(user);
        expect(mail[`${direction}MailServerAuthentication`]).toBe('EmailAuthPassword');
        expect(AUTH_RANGE).toContain(mail[`${direction}MailServerAuthentication`]);
        // Apple's type for the port is <integer>; plist.parse reads <real> as a number too, so look at the XML.
        expect(made.value).toMatch(
          new RegExp(`<key>${direction}MailServerPortNumber</key>\\s*<integer>${port}</integer>`),
        );
      }
      // Never a password: only the "same as incoming" switch may mention one.
      const keys = [...Object.keys(profile), ...Object.keys(mail)];
      expect(keys.filter((key) => /password/i.test(key))).toEqual(['OutgoingPasswordSameAsIncomingPassword']);
    });
  }

  it('makes new UUIDs every time but keeps the identifier, so installing again replaces the account', async () => {
    const settings = await setup.answer('alice@hosted.test');
    const [first, second] = await Promise.all(
      [1, 2].map(async () => {
        const made = await settingsToMobileconfig(settings);
        if (!made.ok) throw new Error(made.error);
        return parsePlist(made.value) as Dict;
      }),
    );
    expect(first?.PayloadUUID).not.toBe(second?.PayloadUUID);
    expect(first?.PayloadIdentifier).toBe(second?.PayloadIdentifier);
    expect(first?.PayloadIdentifier).toBe('mailsettings.alice-at-hosted.test');
  });

  it('tells the app-password provider’s customers which password to type', async () => {
    const made = await settingsToMobileconfig(await setup.answer('alice@gmail.com'));
    expect(made.ok && (parsePlist(made.value) as Dict).PayloadDescription).toMatch(/app password/);
  });

  it('refuses a provider that needs modern sign-in, saying what to do instead', async () => {
    const made = await settingsToMobileconfig(await setup.answer('dan@office365.com'));
    expect(made).toEqual({ ok: false, error: expect.stringContaining('modern sign-in') });
  });

  it('escapes what it is given: a hostile organization name stays text', async () => {
    const hostile = '</string><key>IncomingPassword</key><string>x & <y>';
    const made = await settingsToMobileconfig(await setup.answer('alice@hosted.test'), {
      organization: hostile,
    });
    if (!made.ok) throw new Error(made.error);
    const profile = parsePlist(made.value) as Dict;
    expect(profile.PayloadOrganization).toBe(hostile);
    expect(JSON.stringify(profile)).not.toContain('"IncomingPassword"');
  });
});

describe('config-v1.1.xml', () => {
  for (const [name, expected] of Object.entries(CASES)) {
    it(`reads back through the bot's own parser as exactly the same servers for a ${name} answer`, async () => {
      const settings = await setup.answer(expected.question.split(' ')[0] as string);
      const xml = settingsToConfigXml(settings, { displayName: 'Example Web Hosting' });
      const parsed = parseConfigXml(xml);
      if (!parsed.ok) throw new Error(parsed.error);
      // config-v1.1 has no word for "an app password" (iCloud): everything else reads back as it was.
      const shown = [...settings.incoming, ...settings.outgoing].map(
        ({ appPassword: _, ...server }) => server,
      );
      expect(parsed.value.servers).toEqual(shown);
      const types = parsed.value.servers.map((server) => server.type);
      expect(types).toEqual(expect.arrayContaining(['imap', 'smtp']));
      expect(parsed.value.notOffered).toEqual(types.includes('pop3') ? [] : ['pop3']);
      expect(parsed.value.domains).toEqual([settings.query.domain]);
      expect(parsed.value.name).toBe('Example Web Hosting');
      // Usernames stay forms, so one document serves every address of the domain.
      expect(xml).not.toContain(expected.email ?? '@');
      expect(xml).toMatch(/<username>%EMAIL(ADDRESS|LOCALPART)%<\/username>/);
    });
  }

  it('writes STARTTLS and the provider’s sign-in methods as the draft spells them', async () => {
    const xml = settingsToConfigXml(await setup.answer('alice@gmail.com'));
    expect(xml).toContain('<socketType>SSL</socketType>');
    expect(xml).toMatch(/<authentication>OAuth2<\/authentication>\s*<authentication>password-cleartext/);
    const me = settingsToConfigXml(await setup.answer('bob@me.com'));
    expect(me).toMatch(/<port>587<\/port>\s*<socketType>STARTTLS<\/socketType>/);
  });
});

describe('Outlook Autodiscover', () => {
  const TYPES = { imap: 'IMAP', pop3: 'POP3', smtp: 'SMTP' } as const;
  const reader = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    isArray: (name) => name === 'Protocol',
  });

  for (const [name, expected] of Object.entries(CASES)) {
    it(`answers with the right servers for a ${name} answer`, async () => {
      const settings = await setup.answer(expected.question.split(' ')[0] as string);
      const email = expected.email ?? `someone@${settings.query.domain}`;
      const doc = reader.parse(settingsToAutodiscoverXml(settings, email));
      expect(doc.Autodiscover['@_xmlns']).toBe(
        'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006',
      );
      const response = doc.Autodiscover.Response;
      expect(response['@_xmlns']).toBe(
        'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a',
      );
      expect(response.Account.AccountType).toBe('email');
      expect(response.Account.Action).toBe('settings');
      const protocols = response.Account.Protocol as Dict[];
      const servers = [...settings.incoming, ...settings.outgoing];
      const offered = (['imap', 'pop3', 'smtp'] as const).filter((type) =>
        servers.some((s) => s.type === type),
      );
      expect(protocols.map((protocol) => protocol.Type)).toEqual(offered.map((type) => TYPES[type]));
      for (const [index, type] of offered.entries()) {
        const server = servers.find(
          (candidate) => candidate.type === type,
        ) as MailSettings['incoming'][number];
        const login = (type === 'smtp' ? expected.outgoing[3] : expected.incoming[3]) ?? email;
        expect(protocols[index]).toEqual({
          Type: TYPES[type],
          Server: server.hostname,
          Port: String(server.port),
          LoginName: login,
          DomainRequired: 'off',
          SPA: 'off',
          SSL: 'on',
          Encryption: server.security === 'starttls' ? 'TLS' : 'SSL',
          AuthRequired: 'on',
        });
      }
      expect(protocols.at(-1)).toMatchObject({
        Server: expected.outgoing[0],
        Port: String(expected.outgoing[1]),
      });
    });
  }

  it('reads the address from the request Outlook sends, with or without namespace prefixes', () => {
    expect(parseAutodiscoverRequest(autodiscoverRequest('alice@hosted.test'))).toEqual({
      ok: true,
      value: 'alice@hosted.test',
    });
    const prefixed = `<a:Autodiscover xmlns:a="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><a:Request><a:EMailAddress>bob@hosted.test</a:EMailAddress></a:Request></a:Autodiscover>`;
    expect(parseAutodiscoverRequest(prefixed)).toEqual({ ok: true, value: 'bob@hosted.test' });
  });

  it.each([
    [
      'a document type declaration',
      `<!DOCTYPE a [<!ENTITY x "y">]>${autodiscoverRequest('&x;@hosted.test')}`,
      /document type/,
    ],
    ['malformed XML', '<Autodiscover><Request><EMailAddress>a@b.test</Request>', /not well-formed/],
    ['an empty body', '  ', /empty/],
    ['another root', '<html><body>hi</body></html>', /not an Autodiscover request/],
    ['no address', autodiscoverRequest(''), /no EMailAddress/],
    [
      'the ActiveSync schema',
      autodiscoverRequest('a@hosted.test').replace('outlook/responseschema', 'mobilesync/responseschema'),
      /Only the Outlook response schema/,
    ],
  ])('refuses %s with a reason', (_name, body, reason) => {
    const parsed = parseAutodiscoverRequest(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(reason);
  });
});

describe('round trip through the bot’s own resolver', () => {
  let server: TestHttpServer;
  let client: ReturnType<typeof createResolver>;

  beforeAll(async () => {
    const handler = createSetupHandler({
      resolver: setup.resolver,
      secret: 'a-secret-of-at-least-32-characters!',
      organization: 'Example Web Hosting',
    });
    server = await startHttpServer(
      (req, res) => {
        if (!handler(req, res)) res.writeHead(404).end();
      },
      { tls: setup.world.pki.issue(['autoconfig.hosted.test', 'second.test']) },
    );
    // A resolver that does not know the operator's servers: only what the handler serves can tell it.
    const options = setup.world.resolverOptions();
    client = createResolver({
      ...options,
      fetch: { ...options.fetch, ports: { https: server.port, http: setup.world.http.port } },
    });
  });
  afterAll(() => server?.close());

  it.each([
    ['autoconfig.<domain>', 'alice@hosted.test', 'https://autoconfig.hosted.test/mail/config-v1.1.xml'],
    [
      'the well-known path',
      'bob@second.test',
      'https://second.test/.well-known/autoconfig/mail/config-v1.1.xml',
    ],
  ])('reads back exactly the servers that were served, from %s', async (_where, email, url) => {
    for (const protocol of ['all', 'imap', 'pop', 'smtp'] as const) {
      const domain = email.split('@')[1] as string;
      const query = { input: email, domain, email, protocol };
      const served = (await setup.resolver.answer(query)).settings;
      const read = (await client.answer(query)).settings;
      expect(served.source.kind).toBe('profile');
      expect(read.source).toEqual({ kind: 'autoconfig', detail: `Published by ${domain} at ${url}` });
      expect(read.incoming).toEqual(served.incoming);
      expect(read.outgoing).toEqual(served.outgoing);
    }
    const hosts = server.requests.map((request) => request.host.replace(/:\d+$/, ''));
    expect(hosts).toContain(url.split('/')[2]);
  });
});

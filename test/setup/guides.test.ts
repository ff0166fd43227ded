import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  guideFor,
  guideToReply,
  guideToText,
  type MailSettings,
  PROGRAMS,
  type Program,
  settingsToMobileconfig,
  settingsToReply,
  takeProgram,
} from '../../src/index.js';
import { buildSettings } from '../../src/resolve/build-settings.js';
import {
  findProgram,
  type Guide,
  parseQuery,
  type Security,
  settingsToAutodiscoverXml,
} from '../../src/testing.js';
import { type SetupWorld, startSetupWorld } from '../support/setup-world.js';

interface Expected {
  question: string;
  /** What the steps put where the address goes. */
  address: string;
  protocol: 'IMAP' | 'POP';
  incoming: { host: string; port: number; security: Security };
  outgoing: { host: string; port: number; security: Security };
  incomingUser: string;
  outgoingUser: string;
  password: RegExp;
  /** The provider takes modern sign-in only: phones and Apple Mail go through its own account type. */
  modernOnly?: true;
  /** An app password typed as a normal password, never modern sign-in (iCloud). */
  appPasswordOnly?: true;
}

const HOSTED: Expected = {
  question: 'alice@hosted.test imap',
  address: 'alice@hosted.test',
  protocol: 'IMAP',
  incoming: { host: 'server1.web-hosting.test', port: 993, security: 'tls' },
  outgoing: { host: 'server1.web-hosting.test', port: 465, security: 'tls' },
  incomingUser: 'alice@hosted.test',
  outgoingUser: 'alice@hosted.test',
  password: /^your email password$/,
};
const SCENARIOS: Record<string, Expected> = {
  'a hosted answer': HOSTED,
  'a provider that wants an app password (gmail.com)': {
    question: 'alice@gmail.com',
    address: 'alice@gmail.com',
    protocol: 'IMAP',
    incoming: { host: 'imap.gmail.com', port: 993, security: 'tls' },
    outgoing: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
    incomingUser: 'alice@gmail.com',
    outgoingUser: 'alice@gmail.com',
    password: /app password, not your usual password/,
  },
  'a provider with its own username form and STARTTLS for sending (me.com)': {
    question: 'bob@me.com imap',
    address: 'bob@me.com',
    protocol: 'IMAP',
    incoming: { host: 'imap.mail.me.com', port: 993, security: 'tls' },
    outgoing: { host: 'smtp.mail.me.com', port: 587, security: 'starttls' },
    incomingUser: 'bob',
    outgoingUser: 'bob@me.com',
    // The ISP database says the usual password; Apple wants an app-specific one (the dataset's correction).
    password: /^an app password, not your usual password: create one in your email account’s settings/,
    appPasswordOnly: true,
  },
  'a provider with STARTTLS only, asked for POP (alice.it)': {
    question: 'carla@alice.it pop',
    address: 'carla@alice.it',
    protocol: 'POP',
    incoming: { host: 'in.alice.it', port: 110, security: 'starttls' },
    outgoing: { host: 'out.alice.it', port: 587, security: 'starttls' },
    incomingUser: 'carla@alice.it',
    outgoingUser: 'carla@alice.it',
    password: /^your email password$/,
  },
  'a provider with modern sign-in only (office365.com)': {
    question: 'dan@office365.com',
    address: 'dan@office365.com',
    protocol: 'IMAP',
    incoming: { host: 'outlook.office365.com', port: 993, security: 'tls' },
    outgoing: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
    incomingUser: 'dan@office365.com',
    outgoingUser: 'dan@office365.com',
    password: /modern sign-in \(OAuth2\).*a password alone will not work/,
    modernOnly: true,
  },
  'the template answer, asked without an address': {
    question: 'nothing-published.test pop',
    address: 'your email address',
    protocol: 'POP',
    incoming: { host: 'mail.nothing-published.test', port: 995, security: 'tls' },
    outgoing: { host: 'mail.nothing-published.test', port: 465, security: 'tls' },
    incomingUser: 'your full email address (name@domain)',
    outgoingUser: 'your full email address (name@domain)',
    password: /^your email password$/,
  },
};

const ENCRYPTION = { tls: 'SSL/TLS', starttls: 'STARTTLS', none: 'None' } as const;
const SAMSUNG = { tls: 'SSL', starttls: 'TLS', none: 'None' } as const;
const ticked = (security: Security) => (security === 'none' ? 'Not ticked' : 'Ticked');
const SPA = 'Require logon using Secure Password Authentication (SPA)';

type StepCheck = [RegExp, Record<string, string | RegExp>];

/** What each program's screens ask for, step by step, written from the expected values alone. */
function expectedSteps(program: Program, x: Expected): StepCheck[] {
  const { incoming: i, outgoing: o } = x;
  const { address } = x;
  const pop = x.protocol === 'POP';
  // Their manual set-up ("Other", a password) cannot sign in there: the provider's own account type can.
  if (x.modernOnly && ['iphone', 'apple-mail', 'windows-mail', 'samsung'].includes(program))
    return [[/choose your provider .*not (Other|Advanced setup).*Sign in on the page it shows/, {}]];
  switch (program) {
    case 'outlook':
      return [
        [/Advanced options.*set up my account manually/, { 'Email address': address }],
        [new RegExp(`^Choose ${x.protocol}\\.$`), {}],
        [
          /^Under Incoming mail/,
          {
            Server: i.host,
            Port: `${i.port}`,
            'Encryption method': ENCRYPTION[i.security],
            [SPA]: 'Unchecked',
          },
        ],
        [
          /^Under Outgoing mail/,
          {
            Server: o.host,
            Port: `${o.port}`,
            'Encryption method': ENCRYPTION[o.security],
            [SPA]: 'Unchecked',
          },
        ],
        [/password|^Sign in on the page/, { Password: x.password }],
        [/More Settings/, { 'User Name': x.incomingUser, [SPA]: 'Unchecked' }],
        [
          /Outgoing Server tab.*My outgoing server \(SMTP\) requires authentication/,
          x.outgoingUser === x.incomingUser
            ? {
                'My outgoing server (SMTP) requires authentication': 'Ticked',
                'Use same settings as my incoming mail server': 'Selected',
              }
            : {
                'My outgoing server (SMTP) requires authentication': 'Ticked',
                'Log on using, User Name': x.outgoingUser,
              },
        ],
      ];
    case 'outlook-mac':
      return [
        [/email address/, { 'Email address': address }],
        [/IMAP\/POP/, { Type: x.protocol }],
        [
          /incoming server/,
          {
            [`${x.protocol} Username`]: x.incomingUser,
            [`${x.protocol} Password`]: x.password,
            [`${x.protocol} Incoming Server`]: i.host,
            Port: `${i.port}`,
            'Use SSL to Connect': ticked(i.security),
          },
        ],
        [
          /outgoing server/,
          {
            'SMTP Username': x.outgoingUser,
            'SMTP Password': x.password,
            'SMTP Outgoing Server': o.host,
            Port: `${o.port}`,
            'Use SSL to Connect': ticked(o.security),
          },
        ],
      ];
    case 'apple-mail':
      return [
        [/^Type your name/, { 'Email Address': address, Password: x.password }],
        [
          /more details/,
          {
            'User Name': x.incomingUser,
            'Account Type': x.protocol,
            'Incoming Mail Server': i.host,
            'Outgoing Mail Server': o.host,
          },
        ],
        [
          /Under Incoming Mail Server/,
          { Port: `${i.port}`, 'Use TLS/SSL': ticked(i.security), Authentication: 'Password' },
        ],
        [
          /Under Outgoing Mail Server/,
          { Port: `${o.port}`, 'Use TLS/SSL': ticked(o.security), Authentication: 'Password' },
        ],
      ];
    case 'iphone':
      return [
        [/Add Mail Account/, { Email: address, Password: x.password }],
        [
          new RegExp(`^Tap ${x.protocol} at the top`),
          { 'Host Name': i.host, 'User Name': x.incomingUser, Password: x.password },
        ],
        [/^Under Outgoing Mail Server/, { 'Host Name': o.host, 'User Name': x.outgoingUser }],
        [/incoming port/, { 'Use SSL': i.security === 'none' ? 'Off' : 'On', 'Server Port': `${i.port}` }],
        [/outgoing port/, { 'Use SSL': o.security === 'none' ? 'Off' : 'On', 'Server Port': `${o.port}` }],
      ];
    case 'gmail':
      return [
        [/Manual setup/, { 'Email address': address }],
        [/account type/, { 'Account type': pop ? 'Personal (POP3)' : 'Personal (IMAP)' }],
        [/password|^Sign in on the page/, { Password: x.password }],
        [
          /Incoming server settings/,
          {
            Username: x.incomingUser,
            Server: i.host,
            Port: `${i.port}`,
            'Security type': ENCRYPTION[i.security],
          },
        ],
        [
          /Outgoing server settings/,
          {
            'Require sign-in': 'On',
            Username: x.outgoingUser,
            'SMTP server': o.host,
            Port: `${o.port}`,
            'Security type': ENCRYPTION[o.security],
          },
        ],
      ];
    case 'samsung':
      return [
        [/Manual setup/, { 'Email address': address, Password: x.password }],
        [/account type/, { 'Account type': pop ? 'POP3 account' : 'IMAP account' }],
        [
          /Under Incoming server/,
          {
            'User name': x.incomingUser,
            [pop ? 'POP3 server' : 'IMAP server']: i.host,
            'Security type': SAMSUNG[i.security],
            Port: `${i.port}`,
          },
        ],
        [
          /Under Outgoing server/,
          {
            'SMTP server': o.host,
            'Security type': SAMSUNG[o.security],
            Port: `${o.port}`,
            'Authentication required before sending emails': 'On',
            'User name': x.outgoingUser,
          },
        ],
      ];
    case 'thunderbird': {
      const method =
        /OAuth2|app password/.test(x.password.source) && !x.appPasswordOnly ? 'OAuth2' : 'Normal password';
      return [
        [/Continue:$/, { 'Email address': address, Password: x.password }],
        [
          /Configure manually/,
          {
            Protocol: pop ? 'POP3' : 'IMAP',
            Hostname: i.host,
            Port: `${i.port}`,
            'Connection security': ENCRYPTION[i.security],
            'Authentication method': method,
            Username: x.incomingUser,
          },
        ],
        [
          /outgoing server/,
          {
            Hostname: o.host,
            Port: `${o.port}`,
            'Connection security': ENCRYPTION[o.security],
            'Authentication method': method,
            Username: x.outgoingUser,
          },
        ],
      ];
    }
    case 'windows-mail':
      return [
        [
          /^Fill in:$/,
          {
            'Email address': address,
            'User name': x.incomingUser,
            Password: x.password,
            'Incoming email server': `${i.host}:${i.port}`,
            'Account type': pop ? 'POP3' : 'IMAP4',
            'Outgoing (SMTP) email server': `${o.host}:${o.port}`,
          },
        ],
        [
          /Set these boxes/,
          {
            'Outgoing server requires authentication': 'Ticked',
            'Require SSL for incoming email': ticked(i.security),
            'Require SSL for outgoing email': ticked(o.security),
            ...(x.outgoingUser === x.incomingUser
              ? { 'Use the same user name and password for sending email': 'Ticked' }
              : {
                  'Use the same user name and password for sending email': 'Not ticked',
                  'User name for sending': x.outgoingUser,
                }),
          },
        ],
      ];
  }
}

function checkSteps(guide: Guide, checks: StepCheck[]): void {
  for (const [pattern, values] of checks) {
    const matching = guide.steps.filter((step) => pattern.test(step.text));
    expect(matching, `${guide.program}: one step matching ${pattern}`).toHaveLength(1);
    const [step] = matching;
    for (const [label, wanted] of Object.entries(values)) {
      const found = step?.values.filter((value) => value.label === label) ?? [];
      expect(found, `${guide.program}: "${label}" in the step ${pattern}`).toHaveLength(1);
      if (typeof wanted === 'string') expect(found[0]?.value).toBe(wanted);
      else expect(found[0]?.value).toMatch(wanted);
    }
  }
}

let setup: SetupWorld;
const answers = new Map<string, MailSettings>();
beforeAll(async () => {
  setup = await startSetupWorld();
  for (const { question } of Object.values(SCENARIOS)) answers.set(question, await setup.answer(question));
});
afterAll(() => setup?.close());

describe('set-up guides', () => {
  for (const [name, expected] of Object.entries(SCENARIOS)) {
    describe(`for ${name}`, () => {
      for (const program of PROGRAMS) {
        it(`${program}: every step names the values that program's screens ask for`, () => {
          const guide = guideFor(program, answers.get(expected.question) as MailSettings);
          if (!guide.ok) throw new Error(guide.error);
          expect(guide.value.program).toBe(program);
          expect(guide.value.title).toContain(`(${expected.protocol})`);
          checkSteps(guide.value, expectedSteps(program, expected));
        });
      }
    });
  }

  it('uses the answer the resolver gave: hosted answers name the operator, not mail.<domain>', () => {
    const settings = answers.get(HOSTED.question) as MailSettings;
    expect(settings.source.kind).toBe('profile');
    const text = JSON.stringify(guideFor('outlook', settings));
    expect(text).toContain('server1.web-hosting.test');
    expect(text).not.toContain('mail.hosted.test');
  });

  it('never says "type your password" to someone whose provider needs modern sign-in', () => {
    for (const question of ['dan@office365.com', 'alice@gmail.com']) {
      const texts = PROGRAMS.flatMap((program) => {
        const guide = guideFor(program, answers.get(question) as MailSettings);
        return guide.ok ? guide.value.steps.map((step) => step.text) : [];
      });
      expect(texts.length).toBeGreaterThan(20);
      expect(texts.filter((text) => /type your (name, )?(email address and )?password/i.test(text))).toEqual(
        [],
      );
    }
  });

  it('words the password step for app passwords only where the provider needs them', () => {
    const passwords = (question: string) =>
      PROGRAMS.flatMap((program) => {
        const guide = guideFor(program, answers.get(question) as MailSettings);
        return guide.ok ? guide.value.steps.flatMap((step) => step.values) : [];
      }).filter((value) => /Password$/.test(value.label));
    expect(passwords('alice@gmail.com').every((value) => value.value.includes('app password'))).toBe(true);
    expect(passwords(HOSTED.question).some((value) => value.value.includes('app password'))).toBe(false);
  });

  it('tells customers of a provider that takes app passwords only to type one, never their usual password', async () => {
    // VK from the dataset; iCloud through the dataset's correction of the ISP database entry.
    for (const [question, note] of [
      ['alice@vk.com imap', /VK Mail does not accept your usual password in a mail program/],
      ['bob@icloud.com imap', /Apple iCloud does not accept your usual password in a mail program/],
    ] as const) {
      const settings = await setup.answer(question);
      expect(settings.notes).toEqual(expect.arrayContaining([expect.stringMatching(note)]));
      const fields = settingsToReply(settings).sections.flatMap((section) => section.fields);
      expect(fields.find((field) => field.label === 'Password')?.value).toBe(
        'an app password, not your usual password (see the notes)',
      );
      for (const program of PROGRAMS) {
        const guide = guideFor(program, settings);
        if (!guide.ok) throw new Error(guide.error);
        const values = guide.value.steps.flatMap((step) => step.values);
        const passwords = values.filter((value) => /Password$/.test(value.label));
        expect(passwords.length, program).toBeGreaterThan(0);
        for (const password of passwords)
          expect(password.value, program).toMatch(/^an app password, not your usual/);
        const texts = guide.value.steps.map((step) => step.text).join('\n');
        expect(texts, program).not.toMatch(/type your password/i);
        // Typed as a normal password: no program is told to choose modern sign-in.
        expect(
          values.map((value) => value.value),
          program,
        ).not.toContain('OAuth2');
      }
    }
  });

  it('follows IMAP when the question was for all protocols, and POP when POP was asked', async () => {
    const all = guideFor('thunderbird', await setup.answer('alice@hosted.test'));
    const pop = guideFor('thunderbird', await setup.answer('alice@hosted.test pop'));
    expect(
      all.ok && all.value.steps.flatMap((s) => s.values).find((v) => v.label === 'Protocol')?.value,
    ).toBe('IMAP');
    expect(pop.ok && pop.value.steps.flatMap((s) => s.values).find((v) => v.label === 'Port')?.value).toBe(
      '995',
    );
  });

  it('says Off / Not ticked / None for a provider that only offers unencrypted servers', () => {
    const plain = (type: 'imap' | 'smtp', port: number) => ({
      type,
      hostname: `${type}.plain.test`,
      port,
      security: 'none' as const,
      username: '%EMAILADDRESS%',
      authentication: ['password-cleartext'],
    });
    const settings = buildSettings(
      { input: 'plain.test', domain: 'plain.test', protocol: 'imap' },
      { servers: [plain('imap', 143), plain('smtp', 25)], notOffered: [], documentation: [], notes: [] },
      { kind: 'ispdb', detail: 'test' },
    );
    const values = (program: Program) => {
      const guide = guideFor(program, settings);
      return guide.ok ? guide.value.steps.flatMap((step) => step.values) : [];
    };
    expect(
      values('outlook')
        .filter((v) => v.label === 'Encryption method')
        .map((v) => v.value),
    ).toEqual(['None', 'None']);
    expect(
      values('iphone')
        .filter((v) => v.label === 'Use SSL')
        .map((v) => v.value),
    ).toEqual(['Off', 'Off']);
    expect(values('windows-mail').find((v) => v.label === 'Require SSL for incoming email')?.value).toBe(
      'Not ticked',
    );
  });

  it('never asks for a sign-in where the outgoing server takes mail without one (kokuyou.ne.jp)', async () => {
    const settings = await setup.answer('taro@kokuyou.ne.jp pop');
    expect(settings.outgoing[0]?.authentication).toEqual(['none']); // as the ISP database publishes it
    const signIn = settingsToReply(settings)
      .sections.flatMap((section) => section.fields)
      .find((field) => field.label === 'My outgoing server (SMTP) requires authentication');
    expect(signIn?.value).toBe('unchecked: your provider’s outgoing server takes mail without a sign-in');
    const values = (program: Program) => {
      const guide = guideFor(program, settings);
      if (!guide.ok) throw new Error(guide.error);
      return guide.value.steps.flatMap((step) => step.values);
    };
    const said = (program: Program, label: string) =>
      values(program)
        .filter((value) => value.label === label)
        .map((value) => value.value);
    expect(said('outlook', 'My outgoing server (SMTP) requires authentication')).toEqual(['Not ticked']);
    expect(said('outlook', 'Use same settings as my incoming mail server')).toEqual([]);
    expect(said('outlook-mac', 'SMTP Username')).toEqual(['Leave empty']);
    expect(said('outlook-mac', 'SMTP Password')).toEqual(['Leave empty']);
    expect(said('apple-mail', 'Authentication')).toEqual(['Password', 'None']);
    expect(said('iphone', 'Authentication')).toEqual(['Password', 'None']);
    expect(said('iphone', 'User Name')).toEqual(['taro', 'Leave empty']);
    expect(said('thunderbird', 'Authentication method')).toEqual(['Normal password', 'No authentication']);
    expect(said('thunderbird', 'Username')).toEqual(['taro']);
    expect(said('windows-mail', 'Outgoing server requires authentication')).toEqual(['Not ticked']);
    expect(said('windows-mail', 'Use the same user name and password for sending email')).toEqual([]);
    expect(said('gmail', 'Require sign-in')).toEqual(['Off']);
    expect(said('samsung', 'Authentication required before sending emails')).toEqual(['Off']);
    // The profiles say the same: no sign-in for sending.
    const profile = await settingsToMobileconfig(settings);
    expect(profile.ok && profile.value).toMatch(
      /<key>OutgoingMailServerAuthentication<\/key>\s*<string>EmailAuthNone<\/string>/,
    );
    expect(profile.ok && profile.value).toMatch(
      /<key>IncomingMailServerAuthentication<\/key>\s*<string>EmailAuthPassword<\/string>/,
    );
    const autodiscover = settingsToAutodiscoverXml(settings, 'taro@kokuyou.ne.jp');
    expect(autodiscover).toMatch(/<Type>SMTP<\/Type>[\s\S]*<AuthRequired>off<\/AuthRequired>/);
    expect(autodiscover).toMatch(
      /<Type>POP3<\/Type>[\s\S]*<AuthRequired>on<\/AuthRequired>[\s\S]*<Type>SMTP/,
    );
  });

  it('explains why there are no steps when the answer has no incoming server', async () => {
    const settings = await setup.answer('alice@hosted.test smtp');
    const guide = guideFor('outlook', settings);
    expect(guide).toEqual({ ok: false, error: expect.stringContaining('ask for imap or pop') });
  });
});

describe('program names', () => {
  it.each([
    ['outlook', 'outlook'],
    ['Outlook for Windows', 'outlook'],
    ['outlook-mac', 'outlook-mac'],
    ['apple-mail', 'apple-mail'],
    ['mac', 'apple-mail'],
    ['iPhone', 'iphone'],
    ['ipad', 'iphone'],
    ['ios', 'iphone'],
    ['gmail', 'gmail'],
    ['android', 'gmail'],
    ['Samsung', 'samsung'],
    ['thunderbird', 'thunderbird'],
    ['windows-mail', 'windows-mail'],
    ['Windows Mail', 'windows-mail'],
  ])('reads “%s” as %s', (typed, program) => {
    expect(findProgram(typed)).toEqual({ ok: true, value: program });
  });

  it('answers an unknown program with the list of known ones', () => {
    const found = findProgram('eudora');
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.error).toContain('“eudora”');
    for (const program of PROGRAMS) expect(found.error).toContain(program);
    expect(guideFor('eudora', {} as MailSettings)).toEqual(found);
  });
});

describe('a program named in the question', () => {
  it.each([
    ['example.com imap outlook', 'example.com imap', 'outlook'],
    ['alice@example.com thunderbird', 'alice@example.com', 'thunderbird'],
    ['example.com pop ipad', 'example.com pop', 'iphone'],
  ])('splits “%s” into the question and the program', (input, question, program) => {
    expect(takeProgram(input)).toEqual({ question, program: { ok: true, value: program } });
    expect(parseQuery(question).ok).toBe(true);
  });

  it('answers an unknown program after the protocol with the list of known ones', () => {
    const taken = takeProgram('example.com imap eudora');
    expect(taken.question).toBe('example.com imap');
    expect(taken.program).toEqual(findProgram('eudora'));
  });

  it.each(['example.com', 'example.com imap', 'example.com imap check', 'example.com imapp', 'exa mple.com'])(
    'leaves “%s” to the question parser',
    (input) => {
      expect(takeProgram(input)).toEqual({ question: input });
    },
  );
});

describe('guide rendering', () => {
  const guides = () =>
    [...answers.values()].flatMap((settings) =>
      PROGRAMS.flatMap((program) => {
        const guide = guideFor(program, settings);
        return guide.ok ? [guide.value] : [];
      }),
    );

  it('numbers the steps in plain text with what to type under each', () => {
    const guide = guideFor('outlook', answers.get(HOSTED.question) as MailSettings);
    if (!guide.ok) throw new Error(guide.error);
    const text = guideToText(guide.value);
    expect(text.split('\n')[0]).toBe('Outlook for Windows: set up alice@hosted.test (IMAP)');
    expect(text).toContain('\n1. Open Outlook and choose File, then Add Account.\n');
    expect(text).toMatch(
      /\n4\. Under Incoming mail, fill in:\n {5}Server: server1\.web-hosting\.test\n {5}Port: 993\n/,
    );
  });

  // Slack: ≤ 10 fields per section, ≤ 2000 characters a field, ≤ 50 blocks; Discord: a field name ≤ 256, its
  // value ≤ 1024 and never empty, ≤ 25 fields per embed. A guide reply must fit without anything being cut.
  it('fits every guide into a Reply that the Slack and Discord renderers show without cutting', () => {
    const all = guides();
    expect(all.length).toBeGreaterThanOrEqual(40);
    for (const guide of all) {
      const reply = guideToReply(guide);
      expect(reply.title).toBe(guide.title);
      expect(reply.sections.length).toBe(guide.steps.length);
      expect(reply.sections.length).toBeLessThanOrEqual(25);
      for (const [index, section] of reply.sections.entries()) {
        expect(section.fields.length).toBeGreaterThan(0);
        expect(section.fields.length).toBeLessThanOrEqual(10);
        expect(section.fields[0]).toEqual({ label: 'Do this', value: guide.steps[index]?.text });
        const discordValue = section.fields.map((field) => `**${field.label}:** ${field.value}`).join('\n');
        expect(discordValue.length).toBeLessThanOrEqual(1024);
      }
    }
  });
});

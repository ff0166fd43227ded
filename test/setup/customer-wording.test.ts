// What the customer reads in the answer, the set-up steps, the profiles and the explanation of a pasted error,
// checked against the providers' own published settings (the ISP database fixtures, the dataset): the SMTP
// username where it is not the incoming one; the quicker way through a profile promised only where the message
// has a link and the provider allows a profile; an outgoing server that takes mail without a sign-in
// (kokuyou.ne.jp); and providers that take app passwords only (VK, iCloud). The steps themselves are
// guides.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAnswer } from '../../adapters/cli/answer-text.js';
import { diagnoseError } from '../../src/diagnose/diagnose.js';
import { explainDiagnosis } from '../../src/diagnose/explain.js';
import { readPaste } from '../../src/diagnose/paste.js';
import { guideFor, type MailSettings, settingsToMobileconfig, settingsToReply } from '../../src/index.js';
import { buildSettings } from '../../src/resolve/build-settings.js';
import { setupOffer } from '../../src/setup/setup-offer.js';
import { mailSettingsSchema, parseQuery, settingsToAutodiscoverXml } from '../../src/testing.js';
import { type SetupWorld, startSetupWorld } from '../support/setup-world.js';

let setup: SetupWorld;
beforeAll(async () => {
  setup = await startSetupWorld();
});
afterAll(() => setup?.close());

const signInField = (settings: MailSettings, label: string) =>
  settingsToReply(settings)
    .sections.find((section) => section.title === 'Sign-in')
    ?.fields.find((field) => field.label === label)?.value;

const SMTP_AUTH = 'My outgoing server (SMTP) requires authentication';

describe('outgoing authentication in the answer', () => {
  it('does not say "same as incoming" when the SMTP username differs from the incoming one (me.com)', async () => {
    const settings = await setup.answer('bob@me.com imap');
    const reply = settingsToReply(settings);
    const users = reply.sections
      .flatMap((section) => section.fields)
      .filter((field) => field.label === 'Username')
      .map((field) => field.value);
    expect(users).toEqual(['bob', 'bob@me.com']);
    // "same as incoming" in Outlook means "Use same settings as my incoming mail server": SMTP would log in as
    // "bob", which iCloud refuses. The Outlook steps for the same answer correctly say "Log on using" instead.
    expect(signInField(settings, SMTP_AUTH)).not.toMatch(/same as incoming/);
  });
});

describe('steps for a provider that needs modern sign-in (office365.com)', () => {
  it('iPhone steps do not promise a profile that the bot refuses to make for this provider', async () => {
    const settings = await setup.answer('dan@office365.com');
    const offer = await setupOffer(
      settings,
      { question: 'dan@office365.com', program: 'iphone' },
      { links: { secret: 'x'.repeat(32), baseUrl: 'https://mailsettings.example' } },
    );
    expect(offer.profile?.ok).toBe(false); // "This provider needs modern sign-in, which a profile cannot set up"
    const notes = offer.guide?.ok ? offer.guide.value.notes : [];
    expect(notes.filter((note) => /install the profile/.test(note))).toEqual([]);
  });
});

describe('the Apple notes and the set-up page link', () => {
  it('iPhone steps do not send the customer to a set-up page link when none is configured', async () => {
    const settings = await setup.answer('alice@hosted.test imap');
    const offer = await setupOffer(settings, { question: 'alice@hosted.test imap', program: 'iphone' }, {});
    expect(offer.link).toBeUndefined();
    const notes = offer.guide?.ok ? offer.guide.value.notes : [];
    expect(notes.filter((note) => /set-up page link/.test(note))).toEqual([]);
  });
});

describe('steps where the provider takes modern sign-in only (office365.com)', () => {
  it('never lead phones and Apple Mail through a password screen that cannot work', async () => {
    const settings = await setup.answer('dan@office365.com');
    for (const program of ['iphone', 'apple-mail', 'windows-mail', 'samsung'] as const) {
      const guide = guideFor(program, settings);
      if (!guide.ok) throw new Error(guide.error);
      const values = guide.value.steps.flatMap((step) => step.values.map((value) => value.value));
      expect(values, program).not.toContain('Password');
      expect(guide.value.steps.map((step) => step.text).join(' '), program).toMatch(/choose your provider/);
    }
  });
});

async function explain(question: string, pasted: string) {
  const parsed = parseQuery(question);
  if (!parsed.ok) throw new Error(question);
  const answer = await setup.resolver.answer(parsed.value.query);
  const paste = readPaste(pasted);
  if (!paste.ok) throw new Error(pasted);
  return explainDiagnosis(diagnoseError(paste.value.text, answer.settings), answer, paste.value);
}

describe('an outgoing server that takes mail without a sign-in', () => {
  it('diagnose: "Relay access denied" at kokuyou.ne.jp does not tell the customer to turn on SMTP authentication', async () => {
    const explained = await explain(
      'taro@kokuyou.ne.jp pop',
      '554 5.7.1 <bob@example.org>: Relay access denied',
    );
    expect(explained.cause).toBe('relay');
    // The answer and every program's steps say: leave it unticked, the server takes mail without a sign-in.
    expect(signInField(await setup.answer('taro@kokuyou.ne.jp pop'), SMTP_AUTH)).toMatch(/^unchecked/);
    expect(explained.fix).not.toMatch(/Turn on “My outgoing server \(SMTP\) requires authentication”/);
    expect(explained.fix).toMatch(/only from your provider’s own network/);
  });

  it('answer: an SMTP-only answer whose only server takes mail without a sign-in does not ask for the email password', async () => {
    const settings = await setup.answer('taro@kokuyou.ne.jp smtp');
    expect(settings.incoming).toEqual([]);
    expect(signInField(settings, SMTP_AUTH)).toMatch(/^unchecked/);
    expect(signInField(settings, 'Password')).not.toBe('your email password (normal password)');
  });

  it('answer: "unchecked" is not said unqualified when the listed alternative outgoing server needs a sign-in', () => {
    const parsed = parseQuery('taro@isp.test pop');
    if (!parsed.ok) throw new Error('query');
    const smtp = {
      type: 'smtp',
      hostname: 'smtp.isp.test',
      security: 'none',
      username: '%EMAILADDRESS%',
    } as const;
    const settings = buildSettings(
      parsed.value.query,
      {
        name: 'ISP',
        servers: [
          {
            type: 'pop3',
            hostname: 'pop.isp.test',
            port: 110,
            security: 'none',
            username: '%EMAILLOCALPART%',
            authentication: ['password-cleartext'],
          },
          { ...smtp, port: 25, authentication: ['client-IP-address'] },
          { ...smtp, port: 587, authentication: ['password-cleartext'] },
        ],
        notOffered: [],
        documentation: [],
        notes: [],
      },
      { kind: 'ispdb', detail: 'test' },
    );
    const fields = settingsToReply(settings).sections.flatMap((section) => section.fields);
    expect(fields.some((f) => f.label === 'Alternative' && f.value.startsWith('port 587'))).toBe(true);
    // Port 587 is offered in the same answer but refuses mail without AUTH: the line must not say only "unchecked".
    expect(signInField(settings, SMTP_AUTH)).toMatch(/587/);
  });

  it('profile and Autodiscover: no SMTP username (or "same password") where SMTP sign-in is off', async () => {
    const settings = await setup.answer('taro@kokuyou.ne.jp pop');
    const profile = await settingsToMobileconfig(settings);
    if (!profile.ok) throw new Error(profile.error);
    expect(profile.value).toMatch(/<key>OutgoingMailServerAuthentication<\/key>\s*<string>EmailAuthNone</);
    expect(profile.value).not.toMatch(/<key>OutgoingMailServerUsername<\/key>/);
    expect(profile.value).not.toMatch(/<key>OutgoingPasswordSameAsIncomingPassword<\/key>\s*<true\/>/);
    const smtp =
      settingsToAutodiscoverXml(settings, 'taro@kokuyou.ne.jp').split('<Type>SMTP</Type>')[1] ?? '';
    expect(smtp).toMatch(/<AuthRequired>off<\/AuthRequired>/);
    expect(smtp).not.toMatch(/<LoginName>/);
  });
});

describe('a provider that takes app passwords only', () => {
  it.each(['bob@icloud.com imap', 'alice@vk.com imap'])(
    'diagnose: a refused password at %s is explained as needing an app password, not "type it again"',
    async (question) => {
      // What Outlook/Thunderbird show when the customer typed the usual password, as the answer warned.
      const explained = await explain(question, '535 5.7.8 Error: authentication failed');
      expect(explained.fix).toMatch(/app password/);
      expect(explained.fix).not.toMatch(/Type the password again/);
    },
  );

  it('diagnose: "application-specific password required" at iCloud does not send the customer to OAuth2 / Sign in with Google', async () => {
    const explained = await explain('bob@icloud.com imap', '5.7.9 Application-specific password required');
    expect(explained.fix).toMatch(/app password/);
    expect(explained.fix).not.toMatch(/OAuth2|Sign in with Google/);
    expect(explained.summary).not.toMatch(/modern sign-in/);
  });

  it('profile: the Apple profile for iCloud does not hedge that the usual password is only "usually" refused', async () => {
    const profile = await settingsToMobileconfig(await setup.answer('bob@icloud.com imap'));
    if (!profile.ok) throw new Error(profile.error);
    const description = profile.value.match(/<key>PayloadDescription<\/key>\s*<string>([^<]*)</)?.[1];
    expect(description).toMatch(/app password/);
    expect(description).not.toMatch(/usually refused/);
  });

  it('JSON: the published answer schema keeps the documented appPassword field of `mailsettings --json`', async () => {
    const settings = await setup.answer('bob@icloud.com imap');
    const run = {
      resolver: setup.resolver,
      checker: async () => undefined as never,
      json: true,
      debug: false,
      check: false,
    };
    const printed = JSON.parse(await formatAnswer(settings, false, run, undefined, false));
    expect(printed.incoming[0].appPassword).toBe(true); // the CLI prints it (docs/cli.md documents it)
    // ...but a tool validating the output with mailSettingsSchema (exported for exactly that) loses it.
    expect(mailSettingsSchema.parse(printed).incoming[0]).toHaveProperty('appPassword', true);
  });
});

// An outgoing server the provider publishes without sign-in (kokuyou.ne.jp: ISP database `none`), everywhere
// the bot speaks of it: a pasted relay error, an answer for sending alone, an alternative server that does
// want a sign-in, the Apple profile and Autodiscover. The steps are test/setup/guides.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseError } from '../../src/diagnose/diagnose.js';
import { explainDiagnosis } from '../../src/diagnose/explain.js';
import { readPaste } from '../../src/diagnose/paste.js';
import { type MailSettings, settingsToMobileconfig, settingsToReply } from '../../src/index.js';
import { buildSettings } from '../../src/resolve/build-settings.js';
import { parseQuery, settingsToAutodiscoverXml } from '../../src/testing.js';
import { type SetupWorld, startSetupWorld } from '../support/setup-world.js';

let setup: SetupWorld;
beforeAll(async () => {
  setup = await startSetupWorld();
});
afterAll(() => setup?.close());

const field = (settings: MailSettings, label: string) =>
  settingsToReply(settings)
    .sections.flatMap((section) => section.fields)
    .find((f) => f.label === label)?.value;

describe('an outgoing server that takes mail without a sign-in', () => {
  it('diagnose: "Relay access denied" at kokuyou.ne.jp does not tell the customer to turn on SMTP authentication', async () => {
    const parsed = parseQuery('taro@kokuyou.ne.jp pop');
    if (!parsed.ok) throw new Error('query');
    const answer = await setup.resolver.answer(parsed.value.query);
    const paste = readPaste('554 5.7.1 <bob@example.org>: Relay access denied');
    if (!paste.ok) throw new Error('paste');
    const explained = explainDiagnosis(diagnoseError(paste.value.text, answer.settings), answer, paste.value);
    expect(explained.cause).toBe('relay');
    // The answer and every program's steps say: leave it unticked, the server takes mail without a sign-in.
    expect(field(answer.settings, 'My outgoing server (SMTP) requires authentication')).toMatch(/^unchecked/);
    expect(explained.fix).not.toMatch(/Turn on “My outgoing server \(SMTP\) requires authentication”/);
  });

  it('answer: an SMTP-only answer whose only server takes mail without a sign-in does not ask for the email password', async () => {
    const settings = await setup.answer('taro@kokuyou.ne.jp smtp');
    expect(settings.incoming).toEqual([]);
    expect(field(settings, 'My outgoing server (SMTP) requires authentication')).toMatch(/^unchecked/);
    expect(field(settings, 'Password')).not.toBe('your email password (normal password)');
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
    expect(field(settings, 'My outgoing server (SMTP) requires authentication')).toMatch(/587/);
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

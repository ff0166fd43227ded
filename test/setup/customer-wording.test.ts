// What the customer reads in the answer and the set-up steps, checked against the providers' own published
// settings (the ISP database fixtures): the SMTP username where it is not the incoming one, and the quicker
// way through a profile promised only where the message has a link and the provider allows a profile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideFor, type MailSettings, settingsToReply } from '../../src/index.js';
import { setupOffer } from '../../src/setup/setup-offer.js';
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

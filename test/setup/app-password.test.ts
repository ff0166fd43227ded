// Providers that take app passwords only (the dataset's app-password kind, iCloud through the dataset's
// correction of its ISP database entry), everywhere the bot speaks of signing in: a pasted password error, the
// Apple profile, and the JSON answer's schema. The answer and the steps are test/setup/guides.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAnswer } from '../../adapters/cli/answer-text.js';
import { diagnoseError } from '../../src/diagnose/diagnose.js';
import { explainDiagnosis } from '../../src/diagnose/explain.js';
import { readPaste } from '../../src/diagnose/paste.js';
import { settingsToMobileconfig } from '../../src/index.js';
import { mailSettingsSchema, parseQuery } from '../../src/testing.js';
import { type SetupWorld, startSetupWorld } from '../support/setup-world.js';

let setup: SetupWorld;
beforeAll(async () => {
  setup = await startSetupWorld();
});
afterAll(() => setup?.close());

async function explain(question: string, pasted: string) {
  const parsed = parseQuery(question);
  if (!parsed.ok) throw new Error(question);
  const answer = await setup.resolver.answer(parsed.value.query);
  const paste = readPaste(pasted);
  if (!paste.ok) throw new Error(pasted);
  return explainDiagnosis(diagnoseError(paste.value.text, answer.settings), answer, paste.value);
}

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

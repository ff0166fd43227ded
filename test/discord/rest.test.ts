// Messages with files reach Discord whatever undici the process loaded first. discord.js's REST client leaves a
// multipart body to the process's global undici Agent; once Bolt (through Socket Mode) has loaded undici 7, that
// Agent cannot encode discord.js's FormData. Each case runs in a process of its own, Bolt loaded first as the
// bot's relay may, against the loopback Discord fake, which reads the multipart form back.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/build.js';
import { DEFAULT_CHANNEL_ID, type FakeDiscord, startFakeDiscord } from '../support/fake-discord.js';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(() => fake?.close());

/** Posts a message with a file from a fresh process that loaded Bolt first; what that process printed. */
async function postWithFile(options: 'ours' | 'defaults'): Promise<string> {
  const script = `
    await import('@slack/bolt');
    const { REST } = await import('discord.js');
    const { restOptions } = await import('./dist/adapters/discord/rest.js');
    const api = ${JSON.stringify(fake.apiUrl)};
    const rest = new REST(${options === 'ours' ? 'restOptions(api)' : '{ api }'}).setToken('test-token');
    await rest.post('/channels/${DEFAULT_CHANNEL_ID}/messages', {
      body: { content: 'with a file' },
      files: [{ name: 'hosted.test.mobileconfig', data: Buffer.from('<plist/>') }],
    }).then(() => console.log('sent'), (error) => console.log(error.message));
  `;
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
  return stdout.trim();
}

describe('Discord REST with undici 7 loaded first', () => {
  it('sends a message with a file, read back whole', async () => {
    expect(await postWithFile('ours')).toBe('sent');
    const [call] = await fake.waitFor(
      (c) => c.path === `/channels/${DEFAULT_CHANNEL_ID}/messages` && !!c.files,
    );
    expect(call?.body).toMatchObject({ content: 'with a file' });
    expect(call?.files?.map((file) => [file.name, file.data.toString()])).toEqual([
      ['hosted.test.mobileconfig', '<plist/>'],
    ]);
  });

  it('fails with discord.js’s defaults there (the check above can fail)', async () => {
    expect(await postWithFile('defaults')).toBe('action is not a function');
  });
});

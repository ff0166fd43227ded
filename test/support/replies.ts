// Replies built from every real provider file, plus hostile ones, for renderer limit tests on any platform.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Reply, settingsToReply } from '../../src/index.js';
import { buildSettings } from '../../src/resolve/build-settings.js';
import { parseConfigXml } from '../../src/testing.js';
import { FIXTURES } from './world.js';

export const HOSTILE = '<!channel> @everyone @here <@U123> <https://evil.test|click> *bold* `code` &amp; ';

/** One reply per provider file and protocol, the asker's address full of markup. */
export function realReplies(): { name: string; reply: Reply }[] {
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.xml'))
    .flatMap((file) => {
      const parsed = parseConfigXml(readFileSync(join(FIXTURES, file), 'utf8'));
      if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
      return (['all', 'imap', 'pop', 'smtp'] as const).map((protocol) => ({
        name: `${file} ${protocol}`,
        reply: settingsToReply(
          buildSettings(
            {
              input: file,
              domain: 'example.com',
              email: `${HOSTILE.replaceAll(' ', '')}@example.com`,
              protocol,
            },
            parsed.value,
            { kind: 'ispdb', detail: `ISP database entry ${file} ${HOSTILE}` },
          ),
        ),
      }));
    });
}

/** A reply with every part far past any platform's limit. */
export function hugeReply(): Reply {
  const long = HOSTILE.repeat(400);
  return {
    title: `Mail settings for ${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com ${long}`,
    sections: Array.from({ length: 60 }, (_, index) => ({
      title: `Section ${index} ${long}`,
      fields: Array.from({ length: 30 }, (_, field) => ({ label: `Label ${field} ${long}`, value: long })),
    })),
    notes: Array.from({ length: 40 }, () => long),
    source: `Source: ${long}`,
  };
}

// A staff reply is answered within Discord's 3 s however long the database takes to store it: the wait for
// Slack to take it (so the post can say it went) is what is left of the window, none when storing took it all.
// On a real PostgreSQL whose case row another session holds locked for a while, as a busy database would.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testEngines } from '../support/databases.js';
import { type Bot, caseOf, type RelayWorld, STAFF, startRelayWorld } from '../support/relay-world.js';

const postgres = testEngines().find((engine) => engine.name === 'postgres');
/** Discord shows "The application did not respond" after this. */
const DISCORD_WINDOW_MS = 3000;
const HELD_MS = 2000;

describe.skipIf(postgres?.skip)('a staff reply while the database is slow', () => {
  let rw: RelayWorld;
  let fresh: TestDatabase;
  let bot: Bot;
  beforeAll(async () => {
    rw = await startRelayWorld();
    fresh = await (postgres as NonNullable<typeof postgres>).fresh();
    bot = await rw.start(fresh.url);
  });
  afterAll(async () => {
    await bot?.stop();
    await rw?.close();
    await fresh?.drop();
  });

  it('is answered within Discord’s 3 s, saying it is on its way, when storing it took most of them', async () => {
    const { post } = await caseOf(
      rw,
      bot,
      'alice@direct.test imap',
      { id: 'USLOW', name: 'slowdb' },
      'CSLOW',
    );
    const other = new pg.Client({ connectionString: fresh.url });
    await other.connect();
    try {
      rw.slack.stall(true); // Slack does not answer meanwhile: waiting for it would take all the wait allows
      await other.query('BEGIN');
      await other.query('SELECT id FROM cases WHERE staff_thread = $1 FOR UPDATE', [`discord:${post}`]);
      const asked = rw.discord.sendCommand({
        name: 'reply',
        options: [{ name: 'text', type: 3, value: 'Try port 993' }],
        channelId: post,
        member: STAFF,
      });
      setTimeout(() => void other.query('COMMIT'), HELD_MS);
      const answer = await rw.discord.answerTo(asked);
      expect(answer.at - asked.sentAt).toBeLessThan(DISCORD_WINDOW_MS);
      expect(JSON.stringify(answer.body)).toContain('Try port 993');
      expect(JSON.stringify(answer.body)).toContain('On its way to the customer');
    } finally {
      rw.slack.stall(false);
      await other.end();
    }
  });
});

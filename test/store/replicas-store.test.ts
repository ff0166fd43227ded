// What replicas share through the database, on the engines that support it: one rate limit whatever process
// counts, and one holder of the Discord gateway lease at a time (PostgreSQL's advisory lock).
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLease, createLogger, openDatabase } from '../../src/index.js';
import { createSharedRateLimiter } from '../../src/testing.js';
import { testEngines } from '../support/databases.js';

const log = createLogger(() => {});

describe.each(testEngines())('a rate limit shared through $name', (engine) => {
  it.skipIf(engine.skip)('counts questions from two replicas against one window', async () => {
    const fresh = await engine.fresh();
    onTestFinished(() => fresh.drop());
    const [a, b] = [await openDatabase(fresh.url), await openDatabase(fresh.url)];
    onTestFinished(async () => {
      await a.close();
      await b.close();
    });
    let time = 1_000_000;
    const now = () => time;
    const onA = createSharedRateLimiter(a.db, { name: 'questions', limit: 3, windowMs: 60_000, now });
    const onB = createSharedRateLimiter(b.db, { name: 'questions', limit: 3, windowMs: 60_000, now });
    const verdicts = [await onA('U1'), await onB('U1'), await onA('U1'), await onB('U1')];
    expect(verdicts.map((verdict) => verdict.ok)).toEqual([true, true, true, false]);
    expect(verdicts[3]).toEqual({ ok: false, error: { retryAfterMs: 60_000 } });
    expect((await onB('U2')).ok).toBe(true); // another user, another count
    const checks = createSharedRateLimiter(a.db, { name: 'checks', limit: 1, now });
    expect((await checks('U1')).ok).toBe(true); // another limit, another count
    time += 60_000;
    expect((await onA('U1')).ok).toBe(true); // a new window
  });
});

const postgres = testEngines().find((engine) => engine.name === 'postgres');

describe('the gateway lease', () => {
  it.skipIf(postgres?.skip)(
    'is held by one replica at a time and passes on when the holder goes',
    async () => {
      const fresh = await (postgres as NonNullable<typeof postgres>).fresh();
      onTestFinished(() => fresh.drop());
      const first = createLease({ url: fresh.url, name: 'discord-gateway', retryMs: 50, graceMs: 100, log });
      const second = createLease({ url: fresh.url, name: 'discord-gateway', retryMs: 50, graceMs: 100, log });
      onTestFinished(async () => {
        await first.release();
        await second.release();
      });
      await first.hold();
      let taken = false;
      const waiting = second.hold().then(() => {
        taken = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(taken).toBe(false);
      await first.release(); // the holder's connection ends, as when its process dies
      await waiting;
      expect(taken).toBe(true);
    },
  );
});

// The agent's desk in the case core, on both database engines: saved replies kept and refused by their rules,
// placeholders filled from the case's own answer in one pass (refused by name when unknown or unfillable), and
// the lists of open and past cases. No platform here: Discord and Slack are tested end to end in
// test/cases/desk-agent.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  type CaseView,
  type CustomerSide,
  createLogger,
  type Database,
  openDatabase,
  type StaffSide,
} from '../../src/index.js';
import { assembleCases, parseQuery, verifySetupLink } from '../../src/testing.js';
import { type TestDatabase, testEngines } from '../support/databases.js';
import { resolverIn, startWorld, TEST_PROFILE, type World } from '../support/world.js';

const SECRET = 'desk-store-link-secret-0123456789abcdef';
const DANA = { id: 'D1', name: 'Dana' };
const LEE = { id: 'D2', name: 'Lee' };
let world: World;
beforeAll(async () => {
  world = await startWorld({
    records: [{ name: 'direct.test', type: 'MX', priority: 10, exchange: 'server1.web-hosting.test' }],
  });
});
afterAll(() => world?.close());

/** Sides nothing here delivers to: the outbox is never started. */
const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not delivered in these tests')) });

describe.each(testEngines())('the desk on $name', (engine) => {
  if (engine.skip) {
    it.skip(`needs PostgreSQL: ${engine.skip}`, () => {});
    return;
  }
  let fresh: TestDatabase;
  let database: Database;
  let parts: ReturnType<typeof assembleCases>;
  let clock = 1_000_000;
  const resolver = () => resolverIn(world, { profile: TEST_PROFILE });

  beforeAll(async () => {
    fresh = await engine.fresh();
    database = await openDatabase(fresh.url);
    parts = assembleCases({
      database,
      customer: unused as CustomerSide,
      staff: unused as StaffSide,
      resolver: resolver(),
      log: createLogger(() => {}),
      now: () => clock,
      setup: { links: { secret: SECRET, baseUrl: 'https://bot.example.test' } },
    });
  });
  afterAll(async () => {
    await database?.close();
    await fresh?.drop();
  });

  let posts = 0;
  /** A case with its post and card, as delivering `create-post` leaves it. */
  async function aCase(question: string, customer = { id: 'U1', name: 'Alice' }): Promise<CaseView> {
    clock += 60_000;
    const opened = await parts.cases.open({
      place: 'chat:C1',
      customerId: customer.id,
      customerName: customer.name,
      question,
    });
    if (!opened.ok) throw new Error(`not opened: ${question}`);
    const parsed = parseQuery(question.split(' ').slice(0, 2).join(' '));
    const answer: Answer | undefined = parsed.ok ? await resolver().answer(parsed.value.query) : undefined;
    const thread = `staff:post-${++posts}`;
    await parts.store.setStaffThread(database.db, opened.value.id, thread, answer ? { answer } : {});
    return { ...opened.value, staffThread: thread, ...(answer ? { card: { answer } } : {}) };
  }

  describe('saved replies', () => {
    it('keeps one per name, in lower case, with who wrote and who changed it and when', async () => {
      const added = await parts.cases.snippets.add(' IMAP-Ports ', 'Use {imap.host} on {imap.port}.', DANA);
      expect(added).toMatchObject({
        ok: true,
        value: { name: 'imap-ports', createdBy: 'Dana', createdAt: clock },
      });
      expect(await parts.cases.snippets.add('imap-ports', 'Again', LEE)).toEqual({
        ok: false,
        error: { problem: 'exists' },
      });
      clock += 1000;
      const edited = await parts.cases.snippets.edit('imap-ports', 'Use {imap.host}, port {imap.port}.', LEE);
      expect(edited).toMatchObject({
        ok: true,
        value: {
          createdBy: 'Dana',
          updatedBy: 'Lee',
          updatedAt: clock,
          text: 'Use {imap.host}, port {imap.port}.',
        },
      });
      await parts.cases.snippets.add('another', 'Hello {customer}', DANA);
      expect((await parts.cases.snippets.list()).map((snippet) => snippet.name)).toEqual([
        'another',
        'imap-ports',
      ]);
      expect(await parts.cases.snippets.remove('another')).toEqual({ ok: true, value: 'another' });
      expect(await parts.cases.snippets.remove('another')).toEqual({
        ok: false,
        error: { problem: 'missing' },
      });
      expect(await parts.cases.snippets.edit('nothing', 'x', DANA)).toEqual({
        ok: false,
        error: { problem: 'missing' },
      });
    });

    it.each([
      ['a name with a space', 'imap ports', 'x', { problem: 'bad-name' }],
      ['a name with a leading dash', '-x', 'x', { problem: 'bad-name' }],
      ['a name with markup', '<@&1>', 'x', { problem: 'bad-name' }],
      ['a name over 32 characters', 'a'.repeat(33), 'x', { problem: 'bad-name' }],
      ['blank text', 'blank', '  \n ', { problem: 'empty' }],
      ['text over 4000 characters', 'long', 'x'.repeat(4001), { problem: 'too-long', length: 4001 }],
      [
        'placeholders nobody knows',
        'odd',
        '{imap.hots} and {password} but {imap.host}',
        { problem: 'unknown', names: ['imap.hots', 'password'] },
      ],
    ])('refuses %s', async (_case, name, text, problem) => {
      expect(await parts.cases.snippets.add(name, text, DANA)).toEqual({ ok: false, error: problem });
    });
  });

  describe('placeholders', () => {
    it('fills every placeholder from the case’s own answer, and puts the staff member’s words after it', async () => {
      const view = await aCase('alice@direct.test all', { id: 'U7', name: 'Alice' });
      await parts.cases.snippets.add(
        'everything',
        '{customer}, case {case} ({domain}): IMAP {imap.host}:{imap.port} {imap.security}; POP {pop.host}:{pop.port}; SMTP {smtp.host}:{smtp.port} {smtp.security}; user {username}. {staff}',
        DANA,
      );
      const filled = await parts.cases.fillSnippet({
        staffThread: view.staffThread ?? '',
        staff: LEE,
        name: 'everything',
        text: 'Any questions?',
      });
      // The operator's server answers direct.test (its MX), on the template's ports with implicit TLS.
      expect(filled).toEqual({
        ok: true,
        value: `Alice, case ${view.id} (direct.test): IMAP server1.web-hosting.test:993 SSL/TLS; POP server1.web-hosting.test:995; SMTP server1.web-hosting.test:465 SSL/TLS; user alice@direct.test. Lee\n\nAny questions?`,
      });
    });

    it('fills {setup_link} with a link the set-up page accepts for this question', async () => {
      const view = await aCase('bob@direct.test imap', { id: 'U8', name: 'Bob' });
      await parts.cases.snippets.add('phone', 'On a phone: {setup_link}', DANA);
      const filled = await parts.cases.fillSnippet({
        staffThread: view.staffThread ?? '',
        staff: DANA,
        name: 'phone',
      });
      if (!filled.ok) throw new Error(JSON.stringify(filled.error));
      const token = filled.value.replace('On a phone: https://bot.example.test/setup/', '');
      expect(verifySetupLink(token, SECRET, clock)).toMatchObject({
        ok: true,
        value: { question: { domain: 'direct.test', email: 'bob@direct.test', protocol: 'imap' } },
      });
    });

    it('refuses what this case cannot fill, naming it, and sends nothing', async () => {
      const view = await aCase('direct.test imap', { id: 'U9', name: 'Carol' });
      await parts.cases.snippets.add('pop', 'POP: {pop.host} port {pop.port}; IMAP {imap.host}', DANA);
      expect(
        await parts.cases.fillSnippet({ staffThread: view.staffThread ?? '', staff: DANA, name: 'pop' }),
      ).toEqual({
        ok: false,
        error: { problem: 'placeholders', unknown: [], unfilled: ['pop.host', 'pop.port'] },
      });
      const unparsed = await aCase('help me please', { id: 'U10', name: 'Dave' });
      expect(
        await parts.cases.fillSnippet({ staffThread: unparsed.staffThread ?? '', staff: DANA, name: 'pop' }),
      ).toMatchObject({ ok: false, error: { unfilled: ['pop.host', 'pop.port', 'imap.host'] } });
      expect(
        await parts.cases.fillSnippet({ staffThread: view.staffThread ?? '', staff: DANA, name: 'gone' }),
      ).toEqual({ ok: false, error: { problem: 'no-snippet', name: 'gone' } });
      expect(
        await parts.cases.fillSnippet({ staffThread: 'staff:nowhere', staff: DANA, name: 'pop' }),
      ).toEqual({ ok: false, error: { problem: 'not-a-case' } });
    });

    it('fills once: a customer named like a placeholder stays as written', async () => {
      const view = await aCase('direct.test imap', {
        id: 'U11',
        name: '{imap.host} {setup_link} <!channel>',
      });
      await parts.cases.snippets.add('hello', 'Hello {customer}', DANA);
      expect(
        await parts.cases.fillSnippet({ staffThread: view.staffThread ?? '', staff: DANA, name: 'hello' }),
      ).toEqual({ ok: true, value: 'Hello {imap.host} {setup_link} <!channel>' });
    });

    it('refuses a saved reply that no longer fits one reply with the words after it', async () => {
      const view = await aCase('direct.test imap', { id: 'U12', name: 'Erin' });
      await parts.cases.snippets.add('big', 'x'.repeat(3990), DANA);
      expect(
        await parts.cases.fillSnippet({
          staffThread: view.staffThread ?? '',
          staff: DANA,
          name: 'big',
          text: 'and some more words',
        }),
      ).toEqual({ ok: false, error: { problem: 'too-long', length: 3990 + 2 + 19 } });
    });
  });

  describe('finding cases', () => {
    it('lists open cases by status, the oldest first, and counts those it leaves out', async () => {
      const first = await aCase('first.test imap', { id: 'U20', name: 'First' });
      const second = await aCase('second.test imap', { id: 'U21', name: 'Second' });
      const third = await aCase('third.test imap', { id: 'U22', name: 'Third' });
      await parts.cases.claim({ key: 'k-claim', staffThread: first.staffThread ?? '', staff: DANA });
      await parts.cases.resolve({ key: 'k-resolve', staffThread: third.staffThread ?? '', staff: DANA });
      const all = await parts.cases.openCases(500);
      const ids = all.cases.map((listing) => listing.view.id);
      expect(ids).not.toContain(third.id);
      const statuses = all.cases.map((listing) => listing.view.status);
      expect(statuses).toEqual(
        [...statuses].sort(
          (a, b) => ['new', 'claimed', 'waiting'].indexOf(a) - ['new', 'claimed', 'waiting'].indexOf(b),
        ),
      );
      expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id)); // new before claimed
      const news = all.cases.filter((listing) => listing.view.status === 'new');
      expect(news.map((listing) => listing.openedAt)).toEqual(
        news.map((listing) => listing.openedAt).sort((a, b) => a - b),
      );
      const two = await parts.cases.openCases(2);
      expect(two.cases).toHaveLength(2);
      expect(two.more).toBe(all.cases.length - 2);
    });

    it('finds past cases by domain (asked by address too), by address, and by the customer’s id or name', async () => {
      const byAddress = await aCase('zed@found.test pop', { id: 'U30', name: 'Zed Example' });
      const withProgram = await aCase('found.test imap outlook', { id: 'U31', name: 'Yan' });
      await aCase('notfound.test imap', { id: 'U32', name: 'Xi' });
      await aCase('found.test.evil imap', { id: 'U33', name: 'Wu' });
      const accented = await aCase('other.test imap', { id: 'U34', name: 'Émile Ørsted' });
      const ids = async (term: string) =>
        (await parts.cases.findCases(term, 10)).cases.map((listing) => listing.view.id);
      expect(await ids('found.test')).toEqual([withProgram.id, byAddress.id]);
      expect(await ids('FOUND.test')).toEqual([withProgram.id, byAddress.id]);
      expect(await ids('zed@found.test')).toEqual([byAddress.id]);
      expect(await ids('U30')).toEqual([byAddress.id]);
      expect(await ids('@zed example')).toEqual([byAddress.id]);
      // Letters beyond ASCII in any case (SQLite's lower() folds ASCII only).
      expect(await ids('émile øRSTED')).toEqual([accented.id]);
      expect(await ids('Émile_Ørsted')).toEqual([]);
      expect(await ids('nobody')).toEqual([]);
      expect(await ids('%')).toEqual([]);
      expect(await parts.cases.findCases('found.test', 1)).toMatchObject({ more: 1 });
    });

    it('finds a case however many newer ones ask about names that contain its domain', async () => {
      const asked = await aCase('alice@a.test imap', { id: 'U40', name: 'Alice' });
      // 500 newer cases about data.test, whose questions hold "a.test": more than one look reads.
      const newer = Array.from({ length: 500 }, (_, n) => ({
        status: 'resolved' as const,
        customer_place: 'chat:C1',
        customer_id: `U${1000 + n}`,
        customer_name: `Customer ${n}`,
        question: `user${n}@data.test imap`,
        domain: 'data.test',
        created_at: clock + 60_000 * (n + 1),
        updated_at: clock + 60_000 * (n + 1),
      }));
      await database.db.insertInto('cases').values(newer).execute();
      const found = async (term: string) =>
        (await parts.cases.findCases(term, 10)).cases.map((listing) => listing.view.id);
      expect(await found('a.test')).toEqual([asked.id]);
      expect(await found('alice@a.test')).toEqual([asked.id]);
    });
  });
});

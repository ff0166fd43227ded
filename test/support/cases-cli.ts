// What the tests of `mailsettings cases` share: a database written by the case relay itself (in-memory sides)
// holding one case, and the shipped command line run on it as a process.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type CaseView, createLogger, openDatabase } from '../../src/index.js';
import { ALWAYS_OPEN, assembleCases } from '../../src/testing.js';
import { BUILT, ROOT } from './build.js';
import { memorySides } from './memory-sides.js';
import { resolverIn, type World } from './world.js';

const MIN = 60_000;

/**
 * One case two days ago at `url`: alice asks (and writes `customerWrites`, when given), `staffName` answers
 * after 10 minutes and resolves it 5 minutes later.
 */
export async function oneCaseDatabase(
  url: string,
  world: World,
  { staffName = 'Dana', customerWrites }: { staffName?: string; customerWrites?: string } = {},
): Promise<void> {
  const database = await openDatabase(url);
  let clock = Date.now() - 2 * 24 * 60 * MIN;
  const { cases, outbox, store } = assembleCases({
    database,
    ...memorySides(),
    resolver: resolverIn(world),
    log: createLogger(() => {}),
    now: () => clock,
    clocks: { hours: ALWAYS_OPEN },
  });
  const opened = await cases.open({
    place: 'slack:C1',
    customerId: 'U1',
    customerName: 'alice',
    question: 'alice@example.com pop',
  });
  if (!opened.ok) throw new Error('not opened');
  await outbox.drain();
  const view = (await cases.findByStaffThread(
    (await store.byId(opened.value.id)).staff_thread ?? '',
  )) as CaseView;
  const dana = { staffThread: view.staffThread as string, staff: { id: 'D1', name: staffName } };
  if (customerWrites !== undefined)
    await cases.customerMessage({
      key: 'slack:e1',
      customerThread: view.customerThread as string,
      message: 'slack:C1:m1',
      by: { id: 'U1', name: 'alice' },
      text: customerWrites,
    });
  clock += 10 * MIN;
  await cases.staffReply({ ...dana, key: 'discord:1', text: 'Use port 995.' });
  clock += 5 * MIN;
  await cases.resolve({ ...dana, key: 'discord:2' });
  await outbox.drain();
  await database.close();
}

/** The shipped command line as a process on the database at `databaseUrl` (as another user with `as`). */
export async function runCasesCli(
  args: string[],
  databaseUrl: string,
  as: { uid?: number; gid?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, DATABASE_URL: databaseUrl };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BUILT.cli, ...args], {
      cwd: ROOT,
      env,
      ...as,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

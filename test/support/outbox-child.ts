// A replica that dies mid-delivery, for test/cases/outbox.test.ts: it opens the database (argv: its URL and the
// test's clock), takes the first due row and starts sending it, says so on stdout, and never finishes: the test
// kills it with SIGKILL there.
import { createOutbox } from '../../src/cases/outbox.js';
import { createOutboxStore } from '../../src/cases/outbox-store.js';
import { openDatabase } from '../../src/index.js';

const [url = '', clock = '0'] = process.argv.slice(2);
const now = () => Number(clock);
const database = await openDatabase(url);
const outbox = createOutbox({
  rows: createOutboxStore(database.db, now, database.locks),
  deliver: async (row) => {
    process.stdout.write(`delivering ${row.id}\n`);
    await new Promise(() => {}); // the platform never answers before the process is killed
  },
  trouble: async () => {},
  log: { info: () => {}, warn: () => {}, error: () => {} },
  now,
});
void outbox.drain();

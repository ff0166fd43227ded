// What a lead runs over all cases rather than one: the report over a period, and data care (a customer's data
// exported or forgotten, and the retention period applied every hour when one is set). Front ends and the
// command line reach these through here; the weekly digest (digest.ts) sends the same report.
import type { Logger } from '../model/logger.js';
import type { Database } from '../store/database.js';
import type { ClockSettings } from './clocks.js';
import { createDataCare } from './data-care.js';
import { buildReport, type Report } from './report.js';
import { loadReportRows } from './report-store.js';

export interface LeadOptions {
  database: Database;
  clocks: ClockSettings;
  log: Logger;
  now?: () => number;
  /** Words of case messages are erased after this many days. @default kept */
  retentionDays?: number;
  /** @default 3_600_000 */
  retentionEveryMs?: number;
}

const DAY_MS = 86_400_000;
/** Checkpoints tried while a reader holds the WAL. */
const WAL_TRIES = 5;

export function createLeadDesk(options: LeadOptions) {
  const { database, clocks, log, now = Date.now } = options;
  const care = createDataCare(database.db, now);
  const reportFor = async (period: { since: number; until: number }): Promise<Report> =>
    buildReport(await loadReportRows(database.db, period), period, clocks);

  async function retain(): Promise<void> {
    if (options.retentionDays === undefined) return;
    const erased = await care.retain(options.retentionDays);
    if (erased.messages + erased.deliveries + erased.events === 0) return;
    await emptyWal();
    log.info('cases: retention erased old words', { days: options.retentionDays, ...erased });
  }

  /**
   * SQLite keeps the earlier versions of changed pages in its WAL file (secure_delete overwrites only the
   * database file): once words are erased, the WAL is written into the database and emptied.
   */
  async function emptyWal(): Promise<void> {
    if (database.engine !== 'sqlite') return;
    const { sql } = await import('kysely');
    for (let tries = 0; tries < WAL_TRIES; tries++) {
      const { rows } = await sql<{ busy: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(database.db);
      if (Number(rows[0]?.busy ?? 0) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    log.warn('cases: erased words may stay in the SQLite WAL file until its next checkpoint');
  }

  return {
    reportFor,
    /** The report over the `days` days up to now. */
    report: (days: number) => reportFor({ since: now() - days * DAY_MS, until: now() }),
    kept: care.kept,
    /** Forgets a customer (data-care.ts), leaving no earlier version of their words in SQLite's WAL either. */
    async forget(customerId: string) {
      const kept = await care.forget(customerId);
      await emptyWal();
      return kept;
    },
    export: care.export,
    retain,
    /** Applies the retention period now and every hour; returns how to stop. */
    start(): () => void {
      if (options.retentionDays === undefined) return () => {};
      const run = () =>
        void retain().catch((error: unknown) => log.error('cases: retention failed', { error }));
      run();
      const timer = setInterval(run, options.retentionEveryMs ?? 3_600_000);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
export type LeadDesk = ReturnType<typeof createLeadDesk>;

// Delivers what the relay stored in the outbox: in order per case and side (a message never overtakes the one
// before it), concurrently across cases, with retries and backoff while a side is down. Each side has a lane
// of its own, so one platform's slowness never holds up the other. A case whose deliveries were just stored is
// woken at once, on its own. A look at the outbox (every `pollMs`) finds what another replica stored and
// retries that came due: only rows due now, a bounded number of cases at a time, cases never tried first, so
// however many rows are stuck, new cases get their turn. A platform away (PlatformAway) is waited for, up to a
// day; a refusal is recorded as failed (one the side does not know after `maxAttempts` tries) and the case's
// later deliveries go on; the customer's thread only when refused. A post's status waits `statusDelayMs`
// behind the words around it; a stop, a little for deliveries under way.
import type { Logger } from '../model/logger.js';
import { traceRelay } from '../model/trace.js';
import type { OutboxRow, Target } from '../store/schema.js';
import { databaseTrouble, reasonOf } from '../store/trouble.js';
import type { DeliveryTrouble } from './deliver.js';
import type { Delivery } from './deliveries.js';
import { createLane } from './outbox-lane.js';
import type { Bookkeeping, OutboxStore, Stored } from './outbox-store.js';
import { DeliveryRefused, PlatformAway } from './ports.js';

export interface OutboxOptions {
  rows: OutboxStore;
  /**
   * Sends one delivery; throws to retry later (DeliveryRefused: never). What it returns is written in the
   * transaction that records the delivery as done (a message's copy on the other side).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a delivery with nothing to write down returns nothing
  deliver(row: OutboxRow, delivery: Delivery): Promise<Bookkeeping | void>;
  /**
   * Told once when a delivery has been failing for `warnAfterMs` (`late`) or failed for good (`refused`), and
   * again when a late one finally went through (`delivered`), for rows to either side: whoever waits for it
   * can be told.
   */
  trouble(row: OutboxRow, delivery: Delivery, state: DeliveryTrouble, error?: string): Promise<void>;
  log: Logger;
  now?: () => number;
  /** How often to look for work another replica stored, and for retries that came due. @default 1000 */
  pollMs?: number;
  /** @default 60_000 */
  warnAfterMs?: number;
  /** Longest wait between two attempts. @default 60_000 */
  maxBackoffMs?: number;
  /** Tries before a refusal the side does not know is recorded as failed. @default 16 (about ten minutes) */
  maxAttempts?: number;
  /**
   * Cases delivered at once, per side: enough for a burst of customers writing at once to go out together (the
   * platforms' clients pace the requests themselves). @default 64
   */
  concurrency?: number;
  /**
   * How long a post's status update waits after it was stored, the case's later deliveries going first and
   * later updates folded into it; 0: in order with the rest. @default 0
   */
  statusDelayMs?: number;
}

export interface Outbox {
  /** Delivers what is due now; resolves when that is done (and what it stored for the other side). */
  drain(): Promise<void>;
  /** Delivers continuously until stop(). */
  start(): void;
  stop(): Promise<void>;
  /** These cases' deliveries were stored: deliver them now (while running). */
  wake(stored: readonly Stored[]): void;
  /** Resolves once this process's run of the case's deliveries to `target`, under way or waiting, is over. */
  settled(caseId: number, target: Target): Promise<void>;
}

const TARGETS: readonly Target[] = ['customer', 'staff'];
/** How long a delivery waits for a platform that is away before it is given up like a refusal. */
const AWAY_FOR_MS = 24 * 60 * 60 * 1000;
/** Cases (their first due row) one look takes per side. */
const CASES_PER_LOOK = 200;
const STOP_WAIT_MS = 2000; // how long a stop waits for the deliveries under way
/** Rows of one case read at a time. */
const ROWS_PER_READ = 20;
const STATUS = JSON.stringify({ kind: 'status' } satisfies Delivery);

/** What became of one row: sent; failed for good; to be tried again; or gone meanwhile (its customer forgotten). */
type Outcome = 'delivered' | 'failed' | 'retry' | 'gone';

export function createOutbox(options: OutboxOptions): Outbox {
  const { rows, log, now = Date.now, pollMs = 1000, warnAfterMs = 60_000, maxBackoffMs = 60_000 } = options;
  const { maxAttempts = 16, concurrency = 64, statusDelayMs = 0 } = options;
  let [running, stopping] = [false, false];
  let timer: NodeJS.Timeout | undefined;
  /** Rows delivered since the start, for drain() to know when a round changed nothing. */
  let delivered = 0;
  // Sent, but the database did not take "done" (it went away): kept, and its case still held, until it does, so
  // the platform is not sent the same thing again when the database is back.
  const unrecorded = new Map<number, { row: OutboxRow; bookkeeping: Bookkeeping | undefined }>();

  /** Sends one held row and records what became of it; throws when that could not be recorded. */
  async function deliverOne(row: OutboxRow): Promise<Outcome> {
    const delivery = JSON.parse(row.payload) as Delivery;
    traceRelay({
      stage: 'picked',
      case: row.case_id,
      target: row.target,
      outbox: row.id,
      kind: delivery.kind,
    });
    let bookkeeping: Bookkeeping | undefined;
    try {
      bookkeeping = (await options.deliver(row, delivery)) ?? undefined;
    } catch (error) {
      return failed(row, delivery, error);
    }
    unrecorded.set(row.id, { row, bookkeeping });
    const recorded = await rows.done(row, bookkeeping);
    unrecorded.delete(row.id);
    // Gone meanwhile (its customer forgotten): nobody is told of it, so none of its words are written again.
    if (!recorded) return 'gone';
    await committed(row, bookkeeping);
    if (row.warned_at !== null) await tell(row, delivery, 'delivered');
    return 'delivered';
  }

  /** What a delivery does once its done mark is committed; the delivery stands, whatever becomes of that. */
  const committed = async (row: OutboxRow, bookkeeping?: Bookkeeping) =>
    bookkeeping?.committed?.().catch((error: unknown) => {
      log.warn('cases: a delivery went through; what follows it did not', { outbox: row.id, error });
    });

  async function failed(row: OutboxRow, delivery: Delivery, error: unknown): Promise<Outcome> {
    const attempts = row.attempts + 1;
    const refused = error instanceof DeliveryRefused;
    // Up to a day: longer, a 5xx may be this one payload's, not an outage, and would hold the case for good.
    const away = error instanceof PlatformAway && now() - row.created_at < AWAY_FOR_MS;
    const final = refused || (!away && attempts >= maxAttempts && delivery.kind !== 'open-thread');
    const wait = Math.min(maxBackoffMs, 1000 * 2 ** Math.min(attempts - 1, 16));
    const message = error instanceof Error ? error.message : String(error);
    log.warn('cases: delivery failed', {
      outbox: row.id,
      case: row.case_id,
      to: row.target,
      kind: delivery.kind,
      attempts,
      retry: final ? 'never' : `in ${wait} ms`,
      error: message,
    });
    const why = refused ? message : final ? `gave up after ${attempts} tries: ${message}` : message;
    const recorded = await rows.failed(row, why, wait, final);
    if (recorded && (final || (row.warned_at === null && now() - row.created_at >= warnAfterMs))) {
      await rows.warned(row);
      await tell(row, delivery, final ? 'refused' : 'late', why);
    }
    return final ? 'failed' : 'retry';
  }

  async function tell(row: OutboxRow, delivery: Delivery, state: DeliveryTrouble, error?: string) {
    await options
      .trouble(row, delivery, state, error)
      .catch((error: unknown) =>
        log.warn('cases: could not tell about a delivery', { outbox: row.id, state, error: reasonOf(error) }),
      );
  }

  /** Records what was sent while the database was away; throws while it still is. */
  async function recordUnrecorded(): Promise<void> {
    for (const entry of [...unrecorded.values()]) {
      const { row, bookkeeping } = entry;
      if (!unrecorded.delete(row.id)) continue; // the other lane is recording it
      let recorded: boolean;
      try {
        recorded = await rows.done(row, bookkeeping);
      } catch (error) {
        unrecorded.set(row.id, entry);
        throw error;
      }
      rows.release(row.case_id, row.target);
      if (recorded) await committed(row, bookkeeping);
    }
  }

  /** A status update too fresh to draw yet: when it may be. */
  const statusWaitsUntil = (row: OutboxRow) =>
    statusDelayMs > 0 && row.payload === STATUS && now() < row.created_at + statusDelayMs
      ? row.created_at + statusDelayMs
      : undefined;

  /**
   * Delivers one case's due rows to one side in order, holding them: stops at one to retry, goes past a failed
   * one, and past a status update too fresh to draw (`later` is told when it may be). Nothing when another
   * process holds them. How many went out.
   */
  async function deliverCase(caseId: number, target: Target, later: (at: number) => void): Promise<number> {
    const held = await rows.hold(caseId, target, ROWS_PER_READ);
    if (!held) return 0;
    let count = 0;
    try {
      for (let batch = held; ; batch = await rows.after(batch.at(-1) as OutboxRow, ROWS_PER_READ)) {
        for (const row of batch) {
          const waits = statusWaitsUntil(row);
          if (waits !== undefined) {
            later(waits);
            continue;
          }
          if (row.next_attempt_at > now() || stopping) return count; // stopping: the next start goes on
          const outcome = await deliverOne(row);
          // The rows read with it may be gone too: what is left is read again when the case wakes.
          if (outcome === 'retry' || outcome === 'gone') return count;
          if (outcome === 'delivered') count++;
        }
        // A short read was all there was; what is stored meanwhile wakes the case again.
        if (batch.length < ROWS_PER_READ) return count;
      }
    } finally {
      delivered += count;
      // Sent but not recorded: the case stays held until recordUnrecorded() records it, so nothing is sent twice.
      const sentUnrecorded = [...unrecorded.values()].some(
        ({ row }) => row.case_id === caseId && row.target === target,
      );
      if (!sentUnrecorded) rows.release(caseId, target);
    }
  }

  const lanes = new Map(TARGETS.map((target) => [target, lane(target)]));

  /** One side's deliveries, case by case (outbox-lane.ts), and its looks at the outbox for due rows. */
  function lane(target: Target) {
    let failing = 0;
    const worked = () => {
      if (failing > 0) log.info('cases: delivering again', { to: target, failedPasses: failing });
      failing = 0;
    };
    const failedOnce = (error: unknown) => {
      // One line per outage, not one a second: a later look finds the case again.
      const trouble = databaseTrouble(error);
      const why = trouble ? { database: trouble, reason: reasonOf(error) } : { error };
      if (failing++ === 0) log.error('cases: delivery pass failed; trying again', { to: target, ...why });
    };
    const workers = createLane({
      concurrency,
      now,
      run: (caseId, later) => deliverCase(caseId, target, later).then(worked, failedOnce),
    });
    return {
      ...workers,
      /** Delivers the cases with rows due now (at most CASES_PER_LOOK); whether there may be more. */
      async look(): Promise<boolean> {
        let due: OutboxRow[];
        try {
          await recordUnrecorded();
          due = await rows.due(target, CASES_PER_LOOK);
        } catch (error) {
          failedOnce(error);
          return false;
        }
        if (due.length === 0) worked();
        await Promise.all(due.map((head) => workers.wake(head.case_id)));
        return due.length === CASES_PER_LOOK;
      },
    };
  }

  /** Both lanes, once each; whether there may be more. */
  const look = async () => (await Promise.all([...lanes.values()].map((lane) => lane.look()))).some(Boolean);

  function schedule(ms: number): void {
    clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(async () => {
      // A lane whose workers are all taken has its hands full: it looks again at the next poll.
      await Promise.all([...lanes.values()].filter((lane) => !lane.busy()).map((lane) => lane.look()));
      schedule(pollMs);
    }, ms);
  }

  return {
    /**
     * Both lanes until neither has anything due: a delivery to one side may store work for the other. (Running,
     * what a delivery stores wakes its case by itself.)
     */
    async drain() {
      for (;;) {
        const before = delivered;
        const more = await look();
        if (delivered === before && !more) return;
      }
    },
    start() {
      [running, stopping] = [true, false];
      for (const lane of lanes.values()) lane.start();
      schedule(0);
    },
    async stop() {
      [running, stopping] = [false, true];
      clearTimeout(timer);
      // Deliveries under way get STOP_WAIT_MS: one a platform holds is sent again after the restart.
      const stopped = Promise.all([...lanes.values()].map((lane) => lane.stop()));
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
      await recordUnrecorded().catch(() => {}); // what stays unrecorded is sent again after the restart
    },
    settled: async (caseId, target) => lanes.get(target)?.running(caseId),
    wake(stored) {
      if (!running) return;
      for (const { caseId, target } of stored) void lanes.get(target)?.wake(caseId);
    },
  };
}

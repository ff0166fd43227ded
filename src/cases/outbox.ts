// Delivers what the relay stored in the outbox: in order per case and side (a message never overtakes the one
// before it), concurrently across cases, with retries and backoff while a side is down. Each side has a lane
// of its own, so one platform's slowness never holds up the other. A pass reads only rows due now, a bounded
// number of cases at a time, cases never tried first: however many rows are stuck, new cases get their turn.
// A delivery that keeps failing, whatever the error, is recorded as failed after `maxAttempts` tries, and the
// case's later deliveries go on. It is woken when something is stored (the case store's onStored) and looks
// again every `pollMs` for work another replica stored and for retries that came due.
import type { Logger } from '../model/logger.js';
import { traceRelay } from '../model/trace.js';
import type { OutboxRow, Target } from '../store/schema.js';
import { databaseTrouble, reasonOf } from '../store/trouble.js';
import type { DeliveryTrouble } from './deliver.js';
import type { Delivery } from './deliveries.js';
import type { OutboxStore } from './outbox-store.js';
import { DeliveryRefused } from './ports.js';

export interface OutboxOptions {
  rows: OutboxStore;
  /** Sends one delivery; throws to retry later (DeliveryRefused: never). */
  deliver(row: OutboxRow, delivery: Delivery): Promise<void>;
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
  /** Tries before a delivery is recorded as failed, whatever the error. @default 16 (about ten minutes) */
  maxAttempts?: number;
  /** Cases delivered at once, per side. @default 16 */
  concurrency?: number;
}

export interface Outbox {
  /** Delivers what is due now; resolves when that pass (and any it was asked for meanwhile) is done. */
  drain(): Promise<void>;
  /** Delivers continuously until stop(). */
  start(): void;
  stop(): Promise<void>;
  /** Something was stored: deliver soon rather than at the next poll. */
  kick(): void;
}

const TARGETS: readonly Target[] = ['customer', 'staff'];
/** Cases (their first due row) one pass takes per side. */
const CASES_PER_PASS = 200;
/** Rows of one case read at a time after its first. */
const ROWS_PER_READ = 20;

/** What became of one row: sent; failed for good; or to be tried again. */
type Outcome = 'delivered' | 'failed' | 'retry';

export function createOutbox(options: OutboxOptions): Outbox {
  const { rows, log, now = Date.now, pollMs = 1000, warnAfterMs = 60_000, maxBackoffMs = 60_000 } = options;
  const { maxAttempts = 16, concurrency = 16 } = options;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  // Sent, but the database did not take "done" (it went away): kept, and its case still held, until it does, so
  // the platform is not sent the same thing again when the database is back.
  const unrecorded = new Map<number, OutboxRow>();

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
    try {
      await options.deliver(row, delivery);
    } catch (error) {
      return failed(row, delivery, error);
    }
    unrecorded.set(row.id, row);
    await rows.done(row);
    unrecorded.delete(row.id);
    if (row.warned_at !== null) await tell(row, delivery, 'delivered');
    return 'delivered';
  }

  async function failed(row: OutboxRow, delivery: Delivery, error: unknown): Promise<Outcome> {
    const attempts = row.attempts + 1;
    const refused = error instanceof DeliveryRefused;
    const final = refused || attempts >= maxAttempts;
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
    await rows.failed(row, why, wait, final);
    if (final || (row.warned_at === null && now() - row.created_at >= warnAfterMs)) {
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
    for (const row of [...unrecorded.values()]) {
      await rows.done(row);
      if (unrecorded.delete(row.id)) rows.release(row); // the other side's lane may have recorded it meanwhile
    }
  }

  /**
   * Delivers one case's due rows to one side in order, from `head`, holding them: stops at one to retry, goes
   * past a failed one. Nothing when another process holds them.
   */
  async function deliverCase(head: OutboxRow): Promise<number> {
    const held = await rows.hold(head, ROWS_PER_READ);
    if (!held) return 0;
    let delivered = 0;
    try {
      for (let batch = held; ; batch = await rows.after(batch.at(-1) as OutboxRow, ROWS_PER_READ)) {
        for (const row of batch) {
          if (row.next_attempt_at > now()) return delivered;
          const outcome = await deliverOne(row);
          if (outcome === 'retry') return delivered;
          if (outcome === 'delivered') delivered++;
        }
        // A short read was all there was; what is stored meanwhile wakes the next pass.
        if (batch.length < ROWS_PER_READ) return delivered;
      }
    } finally {
      // Sent but not recorded: the case stays held until recordUnrecorded() records it, so nothing is sent twice.
      const sentUnrecorded = [...unrecorded.values()].some(
        (row) => row.case_id === head.case_id && row.target === head.target,
      );
      if (!sentUnrecorded) rows.release(head);
    }
  }

  /**
   * One look at the outbox for one side: how many rows went out (a delivery may have stored more), and whether
   * more may be due (it took as many cases as a pass takes).
   */
  async function runPass(target: Target): Promise<{ delivered: number; more: boolean }> {
    await recordUnrecorded();
    const queue = await rows.due(target, CASES_PER_PASS);
    const more = queue.length === CASES_PER_PASS;
    let delivered = 0;
    const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let head = queue.shift(); head; head = queue.shift()) delivered += await deliverCase(head);
    });
    // Every worker finishes (or fails) before the pass does: none may still be sending when the next begins.
    const failure = (await Promise.allSettled(workers)).find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    return { delivered, more };
  }

  const lanes = new Map(TARGETS.map((target) => [target, lane(target)]));

  /** One side's passes: one at a time, again as long as they deliver or were asked for meanwhile. */
  function lane(target: Target) {
    let pass: Promise<number> | undefined;
    let again = false;
    let failing = 0;
    const runOnce = () =>
      runPass(target).then(
        (pass) => {
          if (failing > 0) log.info('cases: delivering again', { to: target, failedPasses: failing });
          failing = 0;
          return pass;
        },
        (error: unknown) => {
          // One line per outage, not one a second: the next pass tries again.
          if (failing++ === 0)
            log.error('cases: delivery pass failed; trying again', {
              to: target,
              ...(databaseTrouble(error)
                ? { database: databaseTrouble(error), reason: reasonOf(error) }
                : { error }),
            });
          return { delivered: 0, more: false };
        },
      );
    return {
      /** Resolves with how many rows went out. */
      drain(): Promise<number> {
        if (pass) {
          again = true;
          return pass;
        }
        pass = (async () => {
          let total = 0;
          let go = false;
          do {
            again = false;
            const { delivered, more } = await runOnce();
            total += delivered;
            go = delivered > 0 || more;
          } while (again || go);
          return total;
        })().finally(() => {
          pass = undefined;
        });
        return pass;
      },
      /** The pass under way, if any. */
      current: () => pass,
    };
  }

  /** Both lanes once; how many rows went out. */
  const drainLanes = async () =>
    (await Promise.all([...lanes.values()].map((lane) => lane.drain()))).reduce((sum, n) => sum + n, 0);

  /**
   * Both lanes until neither has anything due: a delivery to one side may store work for the other. (Running,
   * the outbox needs no second round: whatever a delivery stores wakes it.)
   */
  async function drain(): Promise<void> {
    while ((await drainLanes()) > 0);
  }

  function schedule(ms: number): void {
    clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(async () => {
      await drainLanes();
      schedule(pollMs);
    }, ms);
  }

  return {
    drain,
    start() {
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await Promise.all([...lanes.values()].map((each) => each.current()));
      await recordUnrecorded().catch(() => {}); // what stays unrecorded is sent again after the restart
    },
    kick() {
      if (running) schedule(0);
    },
  };
}

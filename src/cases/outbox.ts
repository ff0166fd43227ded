// Delivers what the relay stored in the outbox: in order per case and side (a message never overtakes the one
// before it), concurrently across cases, with retries and backoff while a side is down. It is woken when
// something is stored (the case store's onStored) and looks again every `pollMs` for work another replica
// stored and for retries that came due.
import type { Logger } from '../model/logger.js';
import type { OutboxRow } from '../store/schema.js';
import type { DeliveryTrouble } from './deliver.js';
import type { Delivery } from './deliveries.js';
import type { OutboxStore } from './outbox-store.js';
import { DeliveryRefused } from './ports.js';

export interface OutboxOptions {
  rows: OutboxStore;
  /** Sends one delivery; throws to retry later (DeliveryRefused: never). */
  deliver(row: OutboxRow, delivery: Delivery): Promise<void>;
  /**
   * Told once when a delivery has been failing for `warnAfterMs` (`late`) or was refused for good, and again
   * when a late one finally went through (`delivered`), so staff can see what has not reached the customer.
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

export function createOutbox(options: OutboxOptions): Outbox {
  const { rows, log, now = Date.now, pollMs = 1000, warnAfterMs = 60_000, maxBackoffMs = 60_000 } = options;
  const concurrency = options.concurrency ?? 16;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | undefined;
  let again = false;

  async function deliverOne(row: OutboxRow): Promise<boolean> {
    if (!(await rows.hold(row))) return false; // another replica has it
    const delivery = JSON.parse(row.payload) as Delivery;
    try {
      await options.deliver(row, delivery);
      await rows.done(row);
      if (row.warned_at !== null) await tell(row, delivery, 'delivered');
      return true;
    } catch (error) {
      const refused = error instanceof DeliveryRefused;
      const attempts = row.attempts + 1;
      const wait = Math.min(maxBackoffMs, 1000 * 2 ** Math.min(attempts - 1, 16));
      const message = String((error as Error).message);
      log.warn('cases: delivery failed', {
        outbox: row.id,
        case: row.case_id,
        kind: delivery.kind,
        attempts,
        retry: refused ? 'never' : `in ${wait} ms`,
        error: message,
      });
      await rows.failed(row, message, wait, refused);
      if (refused || (row.warned_at === null && now() - row.created_at >= warnAfterMs)) {
        await rows.warned(row);
        await tell(row, delivery, refused ? 'refused' : 'late', message);
      }
      return false;
    }
  }

  async function tell(row: OutboxRow, delivery: Delivery, state: DeliveryTrouble, error?: string) {
    await options
      .trouble(row, delivery, state, error)
      .catch((error: unknown) =>
        log.warn('cases: could not tell staff about a delivery', { outbox: row.id, state, error }),
      );
  }

  /** Delivers, for one case and side, every due row in order, stopping at the first that fails. */
  async function deliverGroup(group: OutboxRow[]): Promise<number> {
    let delivered = 0;
    for (const row of group) {
      if (row.next_attempt_at > now() || !(await deliverOne(row))) break;
      delivered++;
    }
    return delivered;
  }

  /** One look at the outbox; returns how many rows went out (a delivery may have stored more). */
  async function runPass(): Promise<number> {
    const pending = await rows.pending(500);
    const groups = new Map<string, OutboxRow[]>();
    for (const row of pending) {
      const key = `${row.case_id} ${row.target}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    // Each side has workers of its own: a platform slowing down (rate limits, an outage) holds up only what
    // goes to it.
    let delivered = 0;
    const targets = [...new Set(pending.map((row) => row.target))];
    const workers = targets.flatMap((target) => {
      const queue = [...groups.values()].filter(([first]) => first?.target === target);
      return Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let group = queue.shift(); group; group = queue.shift()) delivered += await deliverGroup(group);
      });
    });
    await Promise.all(workers);
    return delivered;
  }

  function drain(): Promise<void> {
    if (pass) {
      again = true;
      return pass;
    }
    pass = (async () => {
      let delivered = 0;
      do {
        again = false;
        delivered = await runPass().catch((error: unknown) => {
          log.error('cases: delivery pass failed', { error });
          return 0;
        });
      } while (again || delivered > 0);
    })().finally(() => {
      pass = undefined;
    });
    return pass;
  }

  function schedule(ms: number): void {
    clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(async () => {
      await drain();
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
      await pass;
    },
    kick() {
      if (running) schedule(0);
    },
  };
}

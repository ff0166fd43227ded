// Delivers what the relay stored in the outbox: in order per case and platform (a message never overtakes the
// one before it), concurrently across cases, with retries and backoff while a platform is down. A row is held
// by one delivering process at a time, so replicas sharing the database never send the same thing twice.
import type { Kysely } from 'kysely';
import type { Logger } from '../model/logger.js';
import type { OutboxRow, Schema } from '../store/schema.js';
import type { Delivery, Target } from './deliveries.js';
import { DeliveryRefused } from './ports.js';

export interface OutboxOptions {
  db: Kysely<Schema>;
  /** Sends one delivery; throws to retry later (DeliveryRefused: never). */
  deliver(row: OutboxRow, delivery: Delivery): Promise<void>;
  /**
   * Told once when a delivery has been failing for `warnAfterMs` (`late`) or was refused for good, and again
   * when a late one finally went through (`delivered`), so staff can see what has not reached the customer.
   */
  late(
    row: OutboxRow,
    delivery: Delivery,
    state: 'late' | 'refused' | 'delivered',
    error?: string,
  ): Promise<void>;
  log: Logger;
  now?: () => number;
  /** How often to look for work another replica stored, and for retries that came due. @default 1000 */
  pollMs?: number;
  /** @default 60_000 */
  warnAfterMs?: number;
  /** Longest wait between two attempts. @default 60_000 */
  maxBackoffMs?: number;
  /** Cases delivered at once, per platform. @default 16 */
  concurrency?: number;
}

export interface Outbox {
  enqueue(db: Kysely<Schema>, caseId: number, target: Target, delivery: Delivery): Promise<void>;
  /** Delivers what is due now, once; resolves when that pass is done. */
  drain(): Promise<void>;
  /** Delivers continuously until stop(). */
  start(): void;
  stop(): Promise<void>;
  /** Something was enqueued: deliver soon rather than at the next poll. */
  kick(): void;
}

const LOCK_MS = 60_000;

export function createOutbox(options: OutboxOptions): Outbox {
  const { db, log, now = Date.now, pollMs = 1000, warnAfterMs = 60_000, maxBackoffMs = 60_000 } = options;
  const concurrency = options.concurrency ?? 16;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | undefined;
  let again = false;

  async function deliverOne(row: OutboxRow): Promise<boolean> {
    const at = now();
    const held = await db
      .updateTable('outbox')
      .set({ locked_until: at + LOCK_MS })
      .where('id', '=', row.id)
      .where('state', '=', 'pending')
      .where((where) => where.or([where('locked_until', 'is', null), where('locked_until', '<', at)]))
      .executeTakeFirst();
    if (Number(held.numUpdatedRows) === 0) return false; // another replica has it
    const delivery = JSON.parse(row.payload) as Delivery;
    try {
      await options.deliver(row, delivery);
      await db
        .updateTable('outbox')
        .set({ state: 'done', delivered_at: now(), locked_until: null, last_error: null })
        .where('id', '=', row.id)
        .execute();
      if (row.warned_at !== null) await tell(row, delivery, 'delivered');
      return true;
    } catch (error) {
      const refused = error instanceof DeliveryRefused;
      const attempts = row.attempts + 1;
      const wait = Math.min(maxBackoffMs, 1000 * 2 ** Math.min(attempts - 1, 16));
      log.warn('cases: delivery failed', {
        outbox: row.id,
        case: row.case_id,
        kind: delivery.kind,
        attempts,
        retry: refused ? 'never' : `in ${wait} ms`,
        error: (error as Error).message,
      });
      await db
        .updateTable('outbox')
        .set({
          state: refused ? 'failed' : 'pending',
          attempts,
          next_attempt_at: now() + wait,
          last_error: String((error as Error).message).slice(0, 500),
          locked_until: null,
        })
        .where('id', '=', row.id)
        .execute();
      if (refused || (row.warned_at === null && now() - row.created_at >= warnAfterMs)) {
        await db.updateTable('outbox').set({ warned_at: now() }).where('id', '=', row.id).execute();
        await tell(row, delivery, refused ? 'refused' : 'late', (error as Error).message);
      }
      return false;
    }
  }

  async function tell(
    row: OutboxRow,
    delivery: Delivery,
    state: 'late' | 'refused' | 'delivered',
    error?: string,
  ) {
    await options
      .late(row, delivery, state, error)
      .catch((error: unknown) =>
        log.warn('cases: could not tell staff about a delivery', { outbox: row.id, state, error }),
      );
  }

  /** Delivers, for one case and platform, every due row in order, stopping at the first that fails. */
  async function deliverGroup(rows: OutboxRow[]): Promise<number> {
    let delivered = 0;
    for (const row of rows) {
      if (row.next_attempt_at > now() || !(await deliverOne(row))) break;
      delivered++;
    }
    return delivered;
  }

  /** One look at the outbox; returns how many rows went out (a delivery may have stored more). */
  async function runPass(): Promise<number> {
    const pending = await db
      .selectFrom('outbox')
      .selectAll()
      .where('state', '=', 'pending')
      .orderBy('id')
      .limit(500)
      .execute();
    const groups = new Map<string, OutboxRow[]>();
    for (const row of pending) {
      const key = `${row.case_id} ${row.target}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    // Each platform has workers of its own: a platform slowing down (rate limits, an outage) holds up only
    // what goes to it.
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
    async enqueue(tx, caseId, target, delivery) {
      const at = now();
      await tx
        .insertInto('outbox')
        .values({
          case_id: caseId,
          target,
          payload: JSON.stringify(delivery),
          state: 'pending',
          attempts: 0,
          next_attempt_at: at,
          locked_until: null,
          warned_at: null,
          last_error: null,
          created_at: at,
          delivered_at: null,
        })
        .execute();
    },
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

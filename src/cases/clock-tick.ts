// Looks at the open cases every `everyMs` and lets the lifecycle decide what their clocks found due (clocks.ts):
// warnings before and after a target, the question to a quiet customer and the case closing after it, a snooze
// ending. Every replica may look: each case is read again under a lock and the lifecycle sends each warning
// once, so nothing is said twice.
import type { Logger } from '../model/logger.js';
import { type CaseStore, toState } from './case-store.js';
import { type ClockSettings, dueClocks } from './clocks.js';
import { decide } from './lifecycle.js';

export interface ClockTickOptions {
  store: CaseStore;
  clocks: ClockSettings;
  log: Logger;
  now: () => number;
  /** @default 60_000 */
  everyMs?: number;
}

export function createClockTick({ store, clocks, log, now, everyMs = 60_000 }: ClockTickOptions) {
  let timer: NodeJS.Timeout | undefined;

  /** Acts on everything due now. */
  async function tick(): Promise<void> {
    for (const open of await store.openCases()) {
      if (dueClocks(toState(open), clocks, now()).length === 0) continue;
      await store.change(undefined, async (tx) => {
        let row = await store.lock(tx, open.id);
        for (const { due, dueAt } of dueClocks(toState(row), clocks, now())) {
          const step = decide(
            toState(row),
            { type: 'clock', due, ...(dueAt === undefined ? {} : { dueAt }) },
            now(),
          );
          if (step.ok) row = await store.apply(tx, row, step.value);
        }
      });
    }
  }

  return {
    tick,
    start(): void {
      timer = setInterval(
        () => void tick().catch((error: unknown) => log.error('cases: the clocks failed', { error })),
        everyMs,
      );
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
export type ClockTick = ReturnType<typeof createClockTick>;

// Reminds staff of cases waiting on them: once each time it becomes the staff's turn, after `reminderMs`
// (whoever claimed the case is mentioned, else the staff role). Every replica may look; the lifecycle
// (reminder-due) and the case's own record, read under a lock, decide, so a case is reminded once.
import type { Logger } from '../model/logger.js';
import { type CaseStore, toState } from './case-store.js';
import { decide } from './lifecycle.js';

export interface RemindersOptions {
  store: CaseStore;
  reminderMs: number;
  log: Logger;
  now: () => number;
}

export function createReminders({ store, reminderMs, log, now }: RemindersOptions) {
  let timer: NodeJS.Timeout | undefined;

  /** Reminds of every case due now. */
  async function remindDue(): Promise<void> {
    for (const due of await store.remindable(now() - reminderMs)) {
      await store.change(undefined, async (tx) => {
        // Read again inside the transaction: another replica may have reminded it meanwhile.
        const row = await store.lock(tx, due.id);
        const step = decide(toState(row), { type: 'reminder-due' }, now());
        if (step.ok) await store.apply(tx, row, step.value);
      });
    }
  }

  return {
    remindDue,
    start(): void {
      timer = setInterval(
        () => void remindDue().catch((error: unknown) => log.error('cases: reminders failed', { error })),
        Math.min(60_000, reminderMs),
      );
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
export type Reminders = ReturnType<typeof createReminders>;

// One side's outbox workers (outbox.ts): a worker per case, at most `concurrency` under way, the others waiting
// in the order they were woken, so a case woken now never waits for a whole pass over other cases. A case woken
// while its worker runs gets one more run after it (for what was stored meanwhile); woken while its worker still
// waits, it needs nothing more. A run may ask to be woken again later (a status update not due yet).
import pLimit from 'p-limit';

export interface LaneOptions {
  concurrency: number;
  /** Delivers one case's due rows; `later(at)` wakes the case again at `at` (on the `now` clock). */
  run(caseId: number, later: (at: number) => void): Promise<void>;
  now: () => number;
}

export function createLane({ concurrency, run, now }: LaneOptions) {
  const limit = pLimit(concurrency);
  const workers = new Map<number, { started: boolean; done: Promise<void> }>();
  /** Cases to wake later, with their timers. */
  const timers = new Map<number, NodeJS.Timeout>();
  /** Idle: runs what it is asked to (drain(), on a clock the caller holds), but wakes nothing later. */
  let state: 'idle' | 'running' | 'stopped' = 'idle';

  const later = (caseId: number) => (at: number) => {
    if (state !== 'running' || timers.has(caseId)) return;
    const wait = setTimeout(() => {
      timers.delete(caseId);
      void wake(caseId);
    }, at - now());
    wait.unref();
    timers.set(caseId, wait);
  };

  /** Delivers the case's due rows; resolves when that is done. */
  function wake(caseId: number): Promise<void> {
    const previous = workers.get(caseId);
    if (previous && !previous.started) return previous.done;
    const worker = { started: false, done: Promise.resolve() };
    worker.done = (previous?.done ?? Promise.resolve()).then(() =>
      limit(async () => {
        worker.started = true;
        if (state !== 'stopped') await run(caseId, later(caseId));
        if (workers.get(caseId) === worker) workers.delete(caseId);
      }),
    );
    workers.set(caseId, worker);
    return worker.done;
  }

  return {
    wake,
    /** The case's run under way or waiting, if any. */
    running: (caseId: number) => workers.get(caseId)?.done,
    /** Whether every worker is taken (a look would only queue cases behind them). */
    busy: () => limit.activeCount >= concurrency,
    /** Wakes cases later too, until stop(). */
    start() {
      state = 'running';
    },
    /** Resolves once the workers under way are through; those still waiting do nothing. */
    async stop(): Promise<void> {
      state = 'stopped';
      for (const wait of timers.values()) clearTimeout(wait);
      timers.clear();
      await Promise.all([...workers.values()].map((worker) => worker.done));
    },
  };
}

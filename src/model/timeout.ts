// The one way the bot gives work a time limit: whichever comes first, the work or the limit, with the timer
// cleared either way so nothing is left pending.

/** Resolves with the work's value, or with `onTimeout()` once `ms` have passed first. */
export async function withTimeout<T, F>(work: Promise<T>, ms: number, onTimeout: () => F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), Math.max(0, ms));
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

// Work that must not overtake earlier work with the same key: each call for a key starts when the previous one
// for that key has finished (or failed), so their effects happen in the order the calls were made. Keys with
// nothing queued are forgotten, so the map holds only what is in flight.

/** A queue per key; the returned function runs `work` after everything queued under `key` before it. */
export function inOrder(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(work);
    const tail = run.then(
      () => {},
      () => {},
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

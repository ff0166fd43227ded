// Work that must not overtake earlier work with the same key: each call for a key starts when the previous one
// for that key has finished (or failed), so their effects happen in the order the calls were made. A key is
// forgotten once its queue is empty, so the map holds only what is in flight.

/** A queue per key; the returned function runs `work` after everything queued under `key` before it. */
export function inOrder(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<void>>();
  return (key, work) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(work);
    const forget = () => {
      if (tails.get(key) === tail) tails.delete(key);
    };
    const tail = run.then(forget, forget);
    tails.set(key, tail);
    return run;
  };
}

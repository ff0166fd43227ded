// The answers a conversation is giving (an acknowledged Slack answer still looking up, a deferred Discord one):
// a clean stop waits for them, each bounded by its own deadline, instead of leaving "Looking up…" for good.

export function underway() {
  const answers = new Set<Promise<void>>();
  return {
    /** `answer` as it was, its runs counted while they last. */
    counted<A extends unknown[]>(answer: (...args: A) => Promise<void>) {
      return (...args: A): Promise<void> => {
        const work = answer(...args);
        answers.add(work);
        const done = () => void answers.delete(work);
        work.then(done, done);
        return work;
      };
    },
    /** Resolves once no answer is under way. */
    async idle(): Promise<void> {
      while (answers.size > 0) await Promise.allSettled([...answers]);
    },
  };
}

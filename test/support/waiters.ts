// What the fakes' `waitFor` helpers stand on: a check run again each time the fake's state changes (`wake`),
// resolved with the first value it returns, or rejected after a timeout with what it was waiting for.

export function createWaiters() {
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const waitUntil = <T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = () => {
        const result = check();
        if (result === undefined) return;
        waiters.delete(attempt);
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => {
        waiters.delete(attempt);
        reject(new Error(describe()));
      }, timeoutMs);
      waiters.add(attempt);
      attempt();
    });
  return { wake, waitUntil };
}

/**
 * `work`, or a rejection with `message` once `ms` have passed, whichever comes first; the timer is
 * cleared either way. The work itself is not cancelled; if it rejects after losing, the race has
 * already handled it.
 * One helper for every layer (kernel, adapters, services) that must not wait on a slow dependency.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Checks a limit and a window length the way every store does; returns the length in whole ms. */
export function validWindow(limit: number, windowMs: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`Rate limit must be a whole number >= 0, got ${limit}`);
  if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError(`Rate-limit window must be a positive number of ms, got ${windowMs}`);
  return Math.ceil(windowMs);
}

/**
 * Drops the entries of `entries` whose window has ended, every `intervalMs` (default 60 s): keys
 * seen once (say, one client IP) would otherwise stay in memory forever. Returns the timer (unref'd)
 * for the store's close() to clear.
 */
export function sweepEnded(entries: Map<string, { readonly endsAt: number }>, intervalMs = 60_000): NodeJS.Timeout {
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.endsAt <= now) entries.delete(key);
  }, intervalMs);
  sweeper.unref();
  return sweeper;
}

/** Checks a limit and a window length the way every store does; returns the length in whole ms. */
export function validWindow(limit: number, windowMs: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`Rate limit must be a whole number >= 0, got ${limit}`);
  if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError(`Rate-limit window must be a positive number of ms, got ${windowMs}`);
  return Math.ceil(windowMs);
}

// How both cache adapters store values: JSON text, so every reader gets its own copy.

export function validTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`Cache TTL must be a positive number of ms, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}

export function encode(value: unknown): string | undefined {
  // JSON.stringify also yields undefined for functions and symbols: those are treated as a miss too.
  return value === undefined ? undefined : JSON.stringify(value);
}

export function decode<T>(text: string | undefined): T | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

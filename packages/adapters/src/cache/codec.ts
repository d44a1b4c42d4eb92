// How both cache adapters store values: as JSON, so every reader gets its own JSON-shaped copy.

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

/**
 * A deep copy of a value that came out of JSON.parse: what parsing its text again would give,
 * at a fraction of the cost, so a cache can keep the decoded value and still hand out copies.
 */
export function copyJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const item = copyJson(source[key]);
    // JSON.parse makes "__proto__" an own property; assigning it would set the prototype instead.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy as T;
}

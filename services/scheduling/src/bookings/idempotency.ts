import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { SchedulingTables } from '../tables';
import { bookingErrors } from './booking.errors';

/** A response recorded under an Idempotency-Key, replayed verbatim for the same request. */
export interface StoredResponse {
  readonly statusCode: number;
  readonly body: unknown;
}

/** JSON with object keys sorted at every level, so `{a,b}` and `{b,a}` hash alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Identifies "the same request": the route and the body, whatever the key order or whitespace. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(canonicalJson({ route, body })).digest('hex');
}

/**
 * Idempotency keys, per client. Keys older than the TTL do not count: they are deleted when met,
 * and `purgeExpired` clears the rest.
 */
export function createIdempotencyStore(tables: SchedulingTables, ttlHours: number) {
  const { idempotencyKeys: keys } = tables;
  const cutoff = (now: Date): Date => new Date(now.getTime() - ttlHours * 3_600_000);

  return {
    /**
     * The stored response for this key, if the same request made it; IDEMPOTENCY_KEY_REUSED when
     * the key was used for a different request; undefined when the key is new (or expired).
     */
    async replay(db: Db, clientId: string, key: string, hash: string, now: Date): Promise<StoredResponse | undefined> {
      const rows = await db
        .select()
        .from(keys)
        .where(and(eq(keys.clientId, clientId), eq(keys.key, key)))
        .limit(1);
      const row = rows[0];
      if (row === undefined) return undefined;
      if (row.createdAt < cutoff(now)) {
        await db.delete(keys).where(and(eq(keys.clientId, clientId), eq(keys.key, key), lt(keys.createdAt, cutoff(now))));
        return undefined;
      }
      if (row.requestHash !== hash) throw bookingErrors.idempotencyKeyReused();
      return { statusCode: row.statusCode, body: row.response };
    },

    /**
     * Record the response in the transaction that produced it. A concurrent request with the same
     * key fails here on the primary key (23505), rolls back, and then replays this one.
     */
    async store(db: Db, clientId: string, key: string, hash: string, response: StoredResponse, now: Date): Promise<void> {
      await db.insert(keys).values({
        clientId,
        key,
        requestHash: hash,
        statusCode: response.statusCode,
        response: response.body,
        createdAt: now,
      });
    },

    async purgeExpired(db: Db, now: Date): Promise<number> {
      const rows = await db.delete(keys).where(lt(keys.createdAt, cutoff(now))).returning({ key: keys.key });
      return rows.length;
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;

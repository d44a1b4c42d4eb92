import { asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { SchedulingTables } from '../tables';

export interface RuleRow {
  readonly weekday: number;
  /** "HH:MM" */
  readonly start: string;
  readonly end: string;
}

export interface OverrideRow {
  readonly date: string;
  /** Both null: closed all day. */
  readonly start: string | null;
  readonly end: string | null;
}

export interface BlockedRow {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly startMs: number;
  readonly endMs: number;
  readonly reason: string;
}

export interface AvailabilityRows {
  readonly rules: RuleRow[];
  readonly overrides: OverrideRow[];
  readonly blocked: BlockedRow[];
}

/** Postgres `time` reads back as "HH:MM:SS"; the API speaks "HH:MM". */
function hhmm(value: string): string {
  return value.slice(0, 5);
}

/** Epoch milliseconds of a range bound, so no driver's text format for timestamps is ever parsed. */
export function epochMs(bound: SQL): SQL<number> {
  return sql<number>`round(extract(epoch from ${bound}) * 1000)::float8`;
}

/** All SQL about weekly rules, date overrides and blocked periods. */
export function createAvailabilityRepository(tables: SchedulingTables) {
  const { availabilityRules: rules, availabilityOverrides: overrides, blockedPeriods: blocked } = tables;
  return {
    async load(db: Db, providerId: string): Promise<AvailabilityRows> {
      const [ruleRows, overrideRows, blockedRows] = await Promise.all([
        db
          .select({ weekday: rules.weekday, start: rules.startTime, end: rules.endTime })
          .from(rules)
          .where(eq(rules.providerId, providerId))
          .orderBy(asc(rules.weekday), asc(rules.startTime)),
        db
          .select({ date: overrides.date, start: overrides.startTime, end: overrides.endTime })
          .from(overrides)
          .where(eq(overrides.providerId, providerId))
          .orderBy(asc(overrides.date), asc(overrides.startTime)),
        db
          .select({
            id: blocked.id,
            startMs: epochMs(sql`lower(${blocked.period})`),
            endMs: epochMs(sql`upper(${blocked.period})`),
            reason: blocked.reason,
          })
          .from(blocked)
          .where(eq(blocked.providerId, providerId))
          .orderBy(sql`lower(${blocked.period})`, asc(blocked.id)),
      ]);
      return {
        rules: ruleRows.map((row) => ({ weekday: row.weekday, start: hhmm(row.start), end: hhmm(row.end) })),
        overrides: overrideRows.map((row) => ({
          date: row.date,
          start: row.start === null ? null : hhmm(row.start),
          end: row.end === null ? null : hhmm(row.end),
        })),
        blocked: blockedRows.map((row) => ({ ...row, startMs: Number(row.startMs), endMs: Number(row.endMs) })),
      };
    },

    async blockedIds(db: Db, providerId: string): Promise<string[]> {
      const rows = await db.select({ id: blocked.id }).from(blocked).where(eq(blocked.providerId, providerId));
      return rows.map((row) => row.id);
    },

    /** Replace everything the provider had; call inside a transaction so readers never see half of it. */
    async replace(db: Db, providerId: string, next: AvailabilityRows): Promise<void> {
      await db.delete(rules).where(eq(rules.providerId, providerId));
      await db.delete(overrides).where(eq(overrides.providerId, providerId));
      await db.delete(blocked).where(eq(blocked.providerId, providerId));
      if (next.rules.length > 0) {
        await db
          .insert(rules)
          .values(next.rules.map((rule) => ({ providerId, weekday: rule.weekday, startTime: rule.start, endTime: rule.end })));
      }
      if (next.overrides.length > 0) {
        await db
          .insert(overrides)
          .values(next.overrides.map((row) => ({ providerId, date: row.date, startTime: row.start, endTime: row.end })));
      }
      if (next.blocked.length > 0) {
        await db.insert(blocked).values(
          next.blocked.map((row) => ({
            id: row.id,
            providerId,
            period: sql`tstzrange(${new Date(row.startMs).toISOString()}::timestamptz, ${new Date(row.endMs).toISOString()}::timestamptz, '[)')`,
            reason: row.reason,
          })),
        );
      }
    },
  };
}

export type AvailabilityRepository = ReturnType<typeof createAvailabilityRepository>;

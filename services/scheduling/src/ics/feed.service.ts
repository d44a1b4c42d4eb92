import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import type { Identity } from '@timeslot/ports';
import type { SchedulingContext } from '../context';
import { providerErrors } from '../providers/provider.errors';
import { createProviderRepository } from '../providers/provider.repository';
import { bookingErrors } from '../bookings/booking.errors';
import { serializeCalendar, type IcsEvent } from './ics';

/** Past bookings stay in the feed this long, so calendars keep recent history. */
const HISTORY_DAYS = 90;
const MAX_EVENTS = 5000;

export const feedPath = (token: string): string => `/api/v1/calendar-feeds/${token}.ics`;

/** Only the hash is stored: a database leak does not reveal working feed URLs. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

async function ownProvider(ctx: SchedulingContext, caller: Identity, providerId: string) {
  const provider = await createProviderRepository(ctx.tables).findById(ctx.database.db, providerId);
  if (provider === undefined || (!provider.published && provider.userId !== caller.userId)) throw providerErrors.providerNotFound();
  if (provider.userId !== caller.userId) throw providerErrors.notProviderOwner();
  return provider;
}

/** Create the provider's feed URL, or replace it: the previous URL stops working at once. */
export async function rotateFeed(ctx: SchedulingContext, caller: Identity, providerId: string): Promise<{ url: string }> {
  const provider = await ownProvider(ctx, caller, providerId);
  const token = randomBytes(32).toString('base64url');
  const { icsFeeds } = ctx.tables;
  const values = { providerId: provider.id, tokenHash: hashToken(token), createdAt: ctx.options.now() };
  await ctx.database.db
    .insert(icsFeeds)
    .values(values)
    .onConflictDoUpdate({ target: icsFeeds.providerId, set: { tokenHash: values.tokenHash, createdAt: values.createdAt } });
  return { url: feedPath(token) };
}

export async function revokeFeed(ctx: SchedulingContext, caller: Identity, providerId: string): Promise<void> {
  const provider = await ownProvider(ctx, caller, providerId);
  const { icsFeeds } = ctx.tables;
  const rows = await ctx.database.db.delete(icsFeeds).where(eq(icsFeeds.providerId, provider.id)).returning({ providerId: icsFeeds.providerId });
  if (rows.length === 0) throw bookingErrors.feedNotFound();
}

function locationText(kind: string, address: string | null): string {
  if (kind === 'in_person') return address ?? 'In person';
  return kind === 'phone' ? 'Phone call' : 'Video call';
}

/** The feed behind a token: the provider's confirmed (and completed) bookings as iCalendar. */
export async function renderFeed(ctx: SchedulingContext, token: string): Promise<string> {
  const { icsFeeds, bookings, services, providers } = ctx.tables;
  const db = ctx.database.db;
  const feeds = await db
    .select({ providerId: icsFeeds.providerId, displayName: providers.displayName })
    .from(icsFeeds)
    .innerJoin(providers, eq(providers.id, icsFeeds.providerId))
    .where(eq(icsFeeds.tokenHash, hashToken(token)))
    .limit(1);
  const feed = feeds[0];
  if (feed === undefined) throw bookingErrors.feedNotFound();
  const since = new Date(ctx.options.now().getTime() - HISTORY_DAYS * 86_400_000);
  const rows = await db
    .select({
      id: bookings.id,
      startsAt: bookings.startsAt,
      endsAt: bookings.endsAt,
      updatedAt: bookings.updatedAt,
      seat: bookings.seat,
      capacity: bookings.capacity,
      notes: bookings.notes,
      name: services.name,
      locationKind: services.locationKind,
      locationAddress: services.locationAddress,
    })
    .from(bookings)
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .where(and(eq(bookings.providerId, feed.providerId), inArray(bookings.status, ['confirmed', 'completed']), gte(bookings.startsAt, since)))
    .orderBy(asc(bookings.startsAt), asc(bookings.id))
    .limit(MAX_EVENTS);
  const entries: IcsEvent[] = rows.map((row) => ({
    uid: `${row.id}@timeslot`,
    stamp: row.updatedAt,
    start: row.startsAt,
    end: row.endsAt,
    summary: row.capacity > 1 ? `${row.name} (seat ${row.seat} of ${row.capacity})` : row.name,
    ...(row.notes === null ? {} : { description: row.notes }),
    location: locationText(row.locationKind, row.locationAddress),
    status: 'CONFIRMED',
  }));
  return serializeCalendar({ productId: '-//Timeslot//Scheduling//EN', name: feed.displayName, events: entries });
}

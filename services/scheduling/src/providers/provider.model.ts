import type { Identity } from '@timeslot/ports';
import type { ProviderRow, ServiceRow } from '../tables';
import type { Availability } from './availability.schemas';
import type { AvailabilityRows } from './availability.repository';
import type { Offering } from './offering.schemas';
import type { Provider } from './provider.schemas';

/** The caller of a public route: null when anonymous. */
export type Viewer = Identity | null;

/** The profile's owner or an administrator. */
export function canManage(viewer: Viewer, provider: Pick<Provider, 'userId'>): boolean {
  return viewer !== null && (viewer.role === 'admin' || viewer.userId === provider.userId);
}

/** Published profiles are public; unpublished ones exist only for whoever can manage them. */
export function canSee(viewer: Viewer, provider: Pick<Provider, 'userId' | 'published'>): boolean {
  return provider.published || canManage(viewer, provider);
}

export function toProvider(row: ProviderRow): Provider {
  return {
    id: row.id,
    userId: row.userId,
    displayName: row.displayName,
    title: row.title,
    specialty: row.specialty,
    bio: row.bio,
    timeZone: row.timeZone,
    photoUrl: row.photoUrl,
    published: row.published,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toOffering(row: ServiceRow): Offering {
  return {
    id: row.id,
    providerId: row.providerId,
    name: row.name,
    description: row.description,
    durationMinutes: row.durationMinutes,
    slotIntervalMinutes: row.slotIntervalMinutes,
    bufferBeforeMinutes: row.bufferBeforeMinutes,
    bufferAfterMinutes: row.bufferAfterMinutes,
    minNoticeMinutes: row.minNoticeMinutes,
    bookingWindowDays: row.bookingWindowDays,
    capacity: row.capacity,
    priceAmount: Number(row.priceAmount),
    currency: row.currency,
    location: row.locationAddress === null ? { kind: row.locationKind } : { kind: row.locationKind, address: row.locationAddress },
    cancellationWindowMinutes: row.cancellationWindowMinutes,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The stored rows as the API shows them, overrides grouped by date. Without the zone: that belongs
 * to the profile, which changes (and is cached) on its own.
 */
export type StoredAvailability = Omit<Availability, 'timeZone'>;

export function toAvailability(rows: AvailabilityRows): StoredAvailability {
  const byDate = new Map<string, Array<{ start: string; end: string }>>();
  for (const row of rows.overrides) {
    const intervals = byDate.get(row.date) ?? [];
    if (row.start !== null && row.end !== null) intervals.push({ start: row.start, end: row.end });
    byDate.set(row.date, intervals);
  }
  return {
    weekly: rows.rules.map((rule) => ({ weekday: rule.weekday, start: rule.start, end: rule.end })),
    overrides: [...byDate].map(([date, intervals]) => ({ date, intervals })),
    blocked: rows.blocked.map((row) => ({
      id: row.id,
      start: new Date(row.startMs).toISOString(),
      end: new Date(row.endMs).toISOString(),
      reason: row.reason,
    })),
  };
}

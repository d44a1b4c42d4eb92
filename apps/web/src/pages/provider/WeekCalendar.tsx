import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { api, data } from '../../api/client';
import { useViewer } from '../../auth/auth';
import { Button, ErrorMessage, Loading } from '../../components/ui';
import { addDays, dayKey, formatDay, formatTime, isoWeekday, zonedInstant } from '../../lib/format';
import { BookingCard, statusLabels } from './BookingCard';
import type { Booking } from './types';

/*
 * A week of bookings, Monday to Sunday, in the viewer's zone: one column per day on wide screens,
 * one list per day on phones. Each day is a heading and a list, so it reads the same with a screen
 * reader as it looks; a booking opens its details (and actions) under the week.
 */

const MAX_PAGES = 20;

async function weekBookings(from: string, to: string): Promise<Booking[]> {
  const items: Booking[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = data(await api.GET('/api/v1/bookings', { params: { query: { role: 'provider', from, to, limit: 100, ...(cursor === undefined ? {} : { cursor }) } } }));
    items.push(...result.items);
    if (result.nextCursor === null) break;
    cursor = result.nextCursor;
  }
  return items;
}

function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

export function WeekCalendar({ now }: { readonly now: number }) {
  const viewer = useViewer();
  const zone = viewer.timeZone;
  const today = dayKey(new Date(now), zone);
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const detailId = useId();
  const monday = addDays(mondayOf(today), offset * 7);
  const days = useMemo(() => Array.from({ length: 7 }, (_, index) => addDays(monday, index)), [monday]);
  const from = zonedInstant(monday, '00:00', zone).toISOString();
  const to = zonedInstant(addDays(monday, 7), '00:00', zone).toISOString();

  const week = useQuery({
    queryKey: ['bookings', 'provider', 'week', from, to],
    queryFn: () => weekBookings(from, to),
    placeholderData: (previous) => previous,
  });

  const byDay = useMemo(() => {
    const groups = new Map<string, Booking[]>();
    for (const booking of week.data ?? []) {
      const key = dayKey(booking.start, zone);
      groups.set(key, [...(groups.get(key) ?? []), booking]);
    }
    return groups;
  }, [week.data, zone]);

  const label = new Intl.DateTimeFormat(viewer.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).formatRange(
    new Date(`${monday}T12:00:00Z`),
    new Date(`${addDays(monday, 6)}T12:00:00Z`),
  );
  const chosen = week.data?.find((booking) => booking.id === selected);

  return (
    <>
      <div className="provider-weeknav">
        <p className="provider-weeklabel" aria-live="polite">
          <strong>{label}</strong> <span className="muted">(times in {zone})</span>
        </p>
        <Button variant="secondary" onClick={() => setOffset((value) => value - 1)}>
          Previous week
        </Button>
        <Button variant="secondary" onClick={() => setOffset(0)} disabled={offset === 0}>
          This week
        </Button>
        <Button variant="secondary" onClick={() => setOffset((value) => value + 1)}>
          Next week
        </Button>
      </div>
      {week.isError ? <ErrorMessage error={week.error} /> : null}
      {week.isPending ? <Loading /> : null}
      {week.isFetching && !week.isPending ? <p className="provider-vh" role="status">Loading the week…</p> : null}
      <ol className="provider-calendar" aria-label={`Week of ${label}`}>
        {days.map((day) => {
          const isToday = day === today;
          const entries = byDay.get(day) ?? [];
          return (
            <li key={day} className="provider-day" data-today={isToday} aria-current={isToday ? 'date' : undefined}>
              <h3>
                {formatDay(zonedInstant(day, '12:00', zone), viewer)}
                {isToday ? (
                  <>
                    {' '}
                    <span className="provider-today">Today</span>
                  </>
                ) : null}
              </h3>
              {entries.length === 0 ? (
                <p className="provider-noevents">{week.isPending ? '' : 'No bookings'}</p>
              ) : (
                <ul>
                  {entries.map((booking) => (
                    <li key={booking.id}>
                      <button
                        type="button"
                        className="provider-event"
                        data-status={booking.status}
                        aria-expanded={selected === booking.id}
                        aria-controls={detailId}
                        onClick={() => setSelected((current) => (current === booking.id ? null : booking.id))}
                      >
                        <span className="provider-event-time">
                          {formatTime(booking.start, viewer)}–{formatTime(booking.end, viewer)}
                        </span>
                        {booking.service.name}
                        <span className="provider-event-status"> · {statusLabels[booking.status]}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
      <div id={detailId} className="provider-detail">
        {chosen === undefined ? <p className="hint">Choose a booking in the week to see its details and actions.</p> : <BookingCard booking={chosen} now={now} />}
      </div>
    </>
  );
}

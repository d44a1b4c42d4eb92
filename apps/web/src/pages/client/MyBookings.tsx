import { useInfiniteQuery } from '@tanstack/react-query';
import { Tabs } from 'radix-ui';
import { useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { api, data } from '../../api/client';
import { useViewer } from '../../auth/auth';
import { Button, Empty, ErrorMessage, Loading, PageTitle, QueryError } from '../../components/ui';
import { formatLongDay, formatTimeRange } from '../../lib/format';
import { AddToCalendar, MeetingInfo, StatusTag, useProviderName } from './BookingParts';
import type { Booking } from './queries';
import './client.css';

/*
 * The signed-in person's bookings as a client: upcoming (starting from now) and past, each a page
 * of the API's cursor at a time. The API lists oldest start first, so past bookings read in the
 * order they happened.
 */

type Tab = 'upcoming' | 'past';
const pageSize = 20;

export function MyBookings() {
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('show') === 'past' ? 'past' : 'upcoming';
  return (
    <>
      <PageTitle>My bookings</PageTitle>
      <Tabs.Root value={tab} onValueChange={(value) => setParams(value === 'past' ? { show: 'past' } : {}, { replace: true })} activationMode="manual">
        <Tabs.List className="tabs-list" aria-label="Bookings">
          <Tabs.Trigger className="tabs-trigger" value="upcoming">
            Upcoming
          </Tabs.Trigger>
          <Tabs.Trigger className="tabs-trigger" value="past">
            Past
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="upcoming">
          <BookingList tab="upcoming" />
        </Tabs.Content>
        <Tabs.Content value="past">
          <BookingList tab="past" />
        </Tabs.Content>
      </Tabs.Root>
    </>
  );
}

function BookingList({ tab }: { readonly tab: Tab }) {
  // One boundary per visit, so every page of the list agrees on what "now" is.
  const [now] = useState(() => new Date().toISOString());
  const bookings = useInfiniteQuery({
    queryKey: ['bookings', 'list', 'client', tab],
    queryFn: async ({ pageParam }) =>
      data(
        await api.GET('/api/v1/bookings', {
          params: { query: { role: 'client', limit: pageSize, ...(tab === 'upcoming' ? { from: now } : { to: now }), ...(pageParam === null ? {} : { cursor: pageParam }) } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

  const nextPageError = bookings.isFetchNextPageError ? bookings.error : null;
  if (bookings.isPending) return <Loading label="Loading your bookings…" />;
  if (bookings.isError) {
    return (
      <QueryError error={bookings.error} retry={() => bookings.refetch()} />
    );
  }
  const items = bookings.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return tab === 'upcoming' ? (
      <Empty>
        Nothing booked yet. <Link href="/">Find a provider</Link> to book a time.
      </Empty>
    ) : (
      <Empty>No past bookings.</Empty>
    );
  }
  return (
    <>
      <ul className="list" aria-label={tab === 'upcoming' ? 'Upcoming bookings' : 'Past bookings'}>
        {items.map((booking) => (
          <BookingItem key={booking.id} booking={booking} upcoming={tab === 'upcoming'} />
        ))}
      </ul>
      {nextPageError === null ? null : <ErrorMessage error={nextPageError} />}
      {bookings.hasNextPage ? (
        <div className="actions">
          <Button variant="secondary" busy={bookings.isFetchingNextPage} onClick={() => void bookings.fetchNextPage()}>
            Show more
          </Button>
        </div>
      ) : null}
    </>
  );
}

function BookingItem({ booking, upcoming }: { readonly booking: Booking; readonly upcoming: boolean }) {
  const viewer = useViewer();
  const providerName = useProviderName(booking.providerId);
  const when = `${formatLongDay(booking.start, viewer)}, ${formatTimeRange(booking.start, booking.end, viewer)}`;
  const live = booking.status === 'confirmed' || booking.status === 'pending_payment';
  return (
    <li className="card booking-card">
      <h3>
        <Link href={`/bookings/${booking.id}`}>
          {booking.service.name} with {providerName}
        </Link>
      </h3>
      <p>{when}</p>
      <p className="booking-meta">
        <StatusTag status={booking.status} />
        {booking.status === 'pending_payment' ? <Link href={`/bookings/${booking.id}`}>Pay to confirm</Link> : null}
        {upcoming && live ? <MeetingInfo meeting={booking.meeting} /> : null}
        {upcoming && booking.status === 'confirmed' ? <AddToCalendar booking={booking} providerName={providerName} label={`${booking.service.name}, ${when}`} /> : null}
      </p>
    </li>
  );
}

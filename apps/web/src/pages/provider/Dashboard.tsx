import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { api, data } from '../../api/client';
import { Button, Empty, ErrorMessage, Loading, Notice, PageTitle, SelectField } from '../../components/ui';
import { BookingCard, statusLabels } from './BookingCard';
import { ProviderNav } from './ProviderNav';
import type { BookingStatus, Provider } from './types';
import { useMyProvider } from './useMyProvider';
import { useNow } from './useNow';
import { WeekCalendar } from './WeekCalendar';

/*
 * The provider's workspace: bookings that have started and wait for an outcome, the upcoming ones
 * as a list (paged), and the week as a calendar. Without a profile, the way to create one.
 */

const DAY_MS = 86_400_000;
const UPCOMING_DAYS = 90;
const OUTCOME_DAYS = 30;

export function Dashboard() {
  const me = useMyProvider();
  let body: ReactNode;
  if (me.isPending) body = <Loading />;
  else if (me.isError) body = <ErrorMessage error={me.error} />;
  else if (me.data === null) body = <Welcome />;
  else body = <Workspace provider={me.data} />;
  return (
    <>
      <ProviderNav />
      <PageTitle>Your workspace</PageTitle>
      {body}
    </>
  );
}

function Welcome() {
  return (
    <>
      <p>Welcome to Timeslot. Clients find and book you through your provider profile: start there, then add your services and your hours.</p>
      <p>
        <Link href="/provider/profile" className="button button-primary">
          Create your provider profile
        </Link>
      </p>
    </>
  );
}

function Section({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="provider-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Workspace({ provider }: { readonly provider: Provider }) {
  const now = useNow();
  return (
    <>
      <p>
        {provider.displayName}
        {provider.title === '' ? '' : `, ${provider.title}`} · <Link href={`/providers/${provider.id}`}>Your public page</Link>
      </p>
      {provider.published ? null : (
        <Notice tone="warning">
          Your profile is not published: clients cannot find or book you. <Link href="/provider/profile">Publish it</Link>.
        </Notice>
      )}
      <Section title="Waiting for an outcome">
        <AwaitingOutcome now={now} />
      </Section>
      <Section title="Upcoming bookings">
        <Upcoming now={now} />
      </Section>
      <Section title="Week calendar">
        <WeekCalendar now={now} />
      </Section>
    </>
  );
}

/** Confirmed bookings that have started: the provider says how they went. */
function AwaitingOutcome({ now }: { readonly now: number }) {
  // Fixed for the page's life so the query key (and the cache) stays put between ticks.
  const [range] = useState(() => {
    const to = Math.floor(now / 60_000) * 60_000 + 60_000;
    return { from: new Date(to - OUTCOME_DAYS * DAY_MS).toISOString(), to: new Date(to).toISOString() };
  });
  const started = useQuery({
    queryKey: ['bookings', 'provider', 'outcome', range.from, range.to],
    queryFn: async () => data(await api.GET('/api/v1/bookings', { params: { query: { role: 'provider', status: 'confirmed', from: range.from, to: range.to, limit: 50 } } })),
  });
  if (started.isPending) return <Loading />;
  if (started.isError) return <ErrorMessage error={started.error} />;
  const items = started.data.items.filter((booking) => Date.parse(booking.start) <= now);
  if (items.length === 0) return <Empty>No past bookings wait for you to mark them completed or no-show.</Empty>;
  return (
    <>
      <ul className="list">
        {items.map((booking) => (
          <li key={booking.id}>
            <BookingCard booking={booking} now={now} />
          </li>
        ))}
      </ul>
      {started.data.nextCursor === null ? null : <p className="hint">Showing the oldest 50 of the last {OUTCOME_DAYS} days.</p>}
    </>
  );
}

type Filter = 'all' | BookingStatus;

function Upcoming({ now }: { readonly now: number }) {
  const [from] = useState(() => new Date(Math.floor(now / 60_000) * 60_000).toISOString());
  const to = new Date(Date.parse(from) + UPCOMING_DAYS * DAY_MS).toISOString();
  const [filter, setFilter] = useState<Filter>('all');
  const upcoming = useInfiniteQuery({
    queryKey: ['bookings', 'provider', 'upcoming', from, to, filter],
    queryFn: async ({ pageParam }) =>
      data(
        await api.GET('/api/v1/bookings', {
          params: {
            query: { role: 'provider', from, to, limit: 20, ...(filter === 'all' ? {} : { status: filter }), ...(pageParam === null ? {} : { cursor: pageParam }) },
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

  const items = upcoming.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <div className="provider-filter">
        <SelectField label="Show" value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
          <option value="all">All bookings</option>
          {(['confirmed', 'pending_payment', 'cancelled'] as const).map((status) => (
            <option key={status} value={status}>
              {statusLabels[status]}
            </option>
          ))}
        </SelectField>
      </div>
      {upcoming.isPending ? <Loading /> : null}
      {upcoming.isError ? <ErrorMessage error={upcoming.error} /> : null}
      {upcoming.isSuccess && items.length === 0 ? <Empty>No bookings in the next {UPCOMING_DAYS} days{filter === 'all' ? '' : ' with this status'}.</Empty> : null}
      {items.length > 0 ? (
        <ul className="list" aria-label="Upcoming bookings">
          {items.map((booking) => (
            <li key={booking.id}>
              <BookingCard booking={booking} now={now} />
            </li>
          ))}
        </ul>
      ) : null}
      {upcoming.hasNextPage ? (
        <div className="actions">
          <Button variant="secondary" busy={upcoming.isFetchingNextPage} onClick={() => void upcoming.fetchNextPage()}>
            Show more bookings
          </Button>
        </div>
      ) : null}
    </>
  );
}

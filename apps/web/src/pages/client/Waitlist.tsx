import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { api, data } from '../../api/client';
import { useViewer } from '../../auth/auth';
import { Button, Empty, ErrorMessage, Loading, PageTitle, QueryError } from '../../components/ui';
import { formatDateTime, formatLongDay, formatTime, formatTimeRange } from '../../lib/format';
import { useProviderName } from './BookingParts';
import { bookingQuery, serviceQuery, type WaitlistEntry } from './queries';
import './client.css';

/*
 * My places on waitlists. When a slot frees up, the scheduler offers it to the first in line by
 * holding a booking for them (status "offered", with the held booking's id and when the offer
 * lapses); claiming it (POST /bookings/{id}/confirm-offer) confirms a free booking or leaves a paid
 * one held for payment. The list is refreshed while anything is waiting or offered, so an offer
 * shows up without a reload.
 */

const statusLabels: Record<WaitlistEntry['status'], string> = { waiting: 'Waiting', offered: 'Offer open', booked: 'Booked', cancelled: 'Ended' };

export function Waitlist() {
  const entries = useQuery({
    queryKey: ['waitlist'],
    queryFn: async () => data(await api.GET('/api/v1/waitlist')).items,
    refetchInterval: (query) => (query.state.data?.some((entry) => entry.status === 'waiting' || entry.status === 'offered') ? 15_000 : false),
  });

  let body;
  if (entries.isPending) body = <Loading label="Loading your waitlist…" />;
  else if (entries.isError) {
    body = (
      <QueryError error={entries.error} retry={() => entries.refetch()} />
    );
  } else if (entries.data.length === 0) {
    body = (
      <Empty>
        You are not on any waitlist. When a time you want is taken, a provider’s page offers to put you on its waitlist. <Link href="/">Find a provider</Link>.
      </Empty>
    );
  } else {
    const offered = entries.data.filter((entry) => entry.status === 'offered');
    const waiting = entries.data.filter((entry) => entry.status === 'waiting');
    const ended = entries.data.filter((entry) => entry.status === 'booked' || entry.status === 'cancelled');
    body = (
      <>
        <Group title="Offers for you" entries={offered} empty="No open offers right now." />
        <Group title="Waiting" entries={waiting} empty="Nothing waiting." />
        {ended.length === 0 ? null : <Group title="Earlier" entries={ended} empty="" />}
      </>
    );
  }
  return (
    <>
      <PageTitle>Waitlist</PageTitle>
      {body}
    </>
  );
}

function Group({ title, entries, empty }: { readonly title: string; readonly entries: readonly WaitlistEntry[]; readonly empty: string }) {
  const id = `waitlist-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {entries.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="list">
          {entries.map((entry) => (
            <Entry key={entry.id} entry={entry} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Entry({ entry }: { readonly entry: WaitlistEntry }) {
  const viewer = useViewer();
  const providerName = useProviderName(entry.providerId);
  const service = useQuery(serviceQuery(entry.providerId, entry.serviceId));
  const serviceName = service.data?.name ?? (service.isError ? 'A service' : '…');
  // A day is the provider's calendar date: written as it is, not moved into the viewer's zone.
  const wanted =
    entry.start !== null
      ? formatDateTime(entry.start, viewer)
      : entry.date !== null
        ? `any time on ${formatLongDay(`${entry.date}T12:00:00Z`, { locale: viewer.locale, timeZone: 'UTC' })}`
        : '';
  return (
    <li className="card booking-card">
      <h3>
        {serviceName} with <Link href={`/providers/${entry.providerId}`}>{providerName}</Link>
      </h3>
      <p>For {wanted}</p>
      <p className="booking-meta">
        <span className={`tag status status-${entry.status}`}>{statusLabels[entry.status]}</span>
        <span className="muted">Joined {formatDateTime(entry.createdAt, viewer)}</span>
      </p>
      {entry.status === 'offered' && entry.offeredBookingId !== null ? <Offer entry={entry} bookingId={entry.offeredBookingId} label={`${serviceName} with ${providerName}`} /> : null}
      {entry.status === 'waiting' || entry.status === 'offered' ? <Leave entry={entry} label={`${serviceName} with ${providerName}, ${wanted}`} /> : null}
    </li>
  );
}

function Offer({ entry, bookingId, label }: { readonly entry: WaitlistEntry; readonly bookingId: string; readonly label: string }) {
  const viewer = useViewer();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const held = useQuery(bookingQuery(bookingId));
  const lapsed = entry.offerExpiresAt !== null && Date.parse(entry.offerExpiresAt) <= Date.now();
  const claim = useMutation({
    mutationFn: async () => data(await api.POST('/api/v1/bookings/{id}/confirm-offer', { params: { path: { id: bookingId } } })),
    onSuccess: (booking) => {
      queryClient.setQueryData(bookingQuery(booking.id).queryKey, booking);
      void queryClient.invalidateQueries({ queryKey: ['waitlist'] });
      void queryClient.invalidateQueries({ queryKey: ['bookings', 'list'] });
      navigate(`/bookings/${booking.id}?booked=1`);
    },
  });
  return (
    <div className="alert alert-success">
      <p>
        A place is free for you
        {held.data === undefined ? '' : `: ${formatLongDay(held.data.start, viewer)}, ${formatTimeRange(held.data.start, held.data.end, viewer)}`}.
        {entry.offerExpiresAt === null ? null : lapsed ? ' This offer has lapsed.' : ` Claim it before ${formatTime(entry.offerExpiresAt, viewer)}.`}
      </p>
      {claim.isError ? <ErrorMessage error={claim.error} /> : null}
      <div className="actions">
        <Button busy={claim.isPending} disabled={lapsed} onClick={() => claim.mutate()}>
          Claim<span className="visually-hidden">: {label}</span>
        </Button>
      </div>
    </div>
  );
}

function Leave({ entry, label }: { readonly entry: WaitlistEntry; readonly label: string }) {
  const queryClient = useQueryClient();
  const leave = useMutation({
    mutationFn: async () => data(await api.DELETE('/api/v1/waitlist/{id}', { params: { path: { id: entry.id } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['waitlist'] });
      if (entry.offeredBookingId !== null) void queryClient.invalidateQueries({ queryKey: ['bookings'] });
    },
  });
  return (
    <div>
      {leave.isError ? <ErrorMessage error={leave.error} /> : null}
      <Button variant="secondary" busy={leave.isPending} onClick={() => leave.mutate()}>
        {entry.status === 'offered' ? 'Decline and leave' : 'Leave the waitlist'}
        <span className="visually-hidden">: {label}</span>
      </Button>
    </div>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'wouter';
import { api, data, newIdempotencyKey } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useAuth, useViewer } from '../../auth/auth';
import { Button, Empty, ErrorMessage, Loading, Notice, PageTitle } from '../../components/ui';
import { addDays, dayKey, formatDateTime, formatLongDay, formatPrice, formatTimeRange } from '../../lib/format';
import { bookingPaymentQuery, bookingQuery, formatDuration, locationLabel, providerQuery, servicesQuery, type Provider, type Service, type WaitlistEntry } from './queries';
import { clampWindow, isDate } from './slots';
import { dateInstant, SlotPicker, todayIn, type PickerState } from './SlotPicker';
import './client.css';

/*
 * A provider's page, the heart of the client booking path (kept lean: it is in the budget of
 * test/bundle-size.test.ts). Everything a person chooses is in the URL (service, week, view, slot),
 * so signing in part-way comes back to the same confirmation, and reload and back work.
 *
 * Booking sends one Idempotency-Key per attempt: pressing Book again for the same service, time and
 * notes (after a network failure, say) reuses it, so the server answers with the first outcome
 * instead of booking twice; a different time or note is a new attempt with a new key.
 */

const notesKey = (providerId: string) => `timeslot.bookingNotes.${providerId}`;

/** A network failure as an ApiError, so describeError has the right sentence for it. */
function asApiError(error: unknown): unknown {
  return error instanceof ApiError ? error : new ApiError(0, undefined, undefined);
}

export function ProviderPage() {
  const { id = '' } = useParams<{ id: string }>();
  const provider = useQuery(providerQuery(id));
  const services = useQuery(servicesQuery(id));

  if (provider.isPending) return <Loading />;
  if (provider.isError) {
    return (
      <>
        <PageTitle>Provider</PageTitle>
        <ErrorMessage error={provider.error}>
          {' '}
          <Link href="/">Find another provider</Link>
        </ErrorMessage>
      </>
    );
  }
  return (
    <>
      <PageTitle>{provider.data.displayName}</PageTitle>
      <Profile provider={provider.data} />
      {services.isPending ? (
        <Loading label="Loading services…" />
      ) : services.isError ? (
        <ErrorMessage error={services.error} />
      ) : (
        <BookingFlow provider={provider.data} services={services.data.filter((service) => service.active)} />
      )}
    </>
  );
}

function Profile({ provider }: { readonly provider: Provider }) {
  return (
    <section className="profile" aria-label="About">
      {provider.photoUrl === null ? null : <img className="profile-photo" src={provider.photoUrl} alt={`Photo of ${provider.displayName}`} width={96} height={96} />}
      <div>
        <p className="profile-title">{provider.title}</p>
        {provider.specialty === null ? null : <p className="tag">{provider.specialty}</p>}
        {provider.bio === '' ? null : <p className="profile-bio">{provider.bio}</p>}
      </div>
    </section>
  );
}

function BookingFlow({ provider, services }: { readonly provider: Provider; readonly services: readonly Service[] }) {
  const viewer = useViewer();
  const [search, setSearch] = useSearchParams();
  const today = todayIn(viewer.timeZone);
  const requested = search.get('service');
  const service = services.find((candidate) => candidate.id === requested) ?? (services.length === 1 ? services[0] : undefined);
  const slotParam = search.get('slot');
  const slot = slotParam !== null && !Number.isNaN(Date.parse(slotParam)) ? new Date(slotParam).toISOString() : null;
  // Phones start with one day at a time: a week of times is a long scroll there.
  const viewParam = search.get('view');
  const view = viewParam === 'day' || viewParam === 'week' ? viewParam : window.matchMedia('(max-width: 640px)').matches ? 'day' : 'week';
  const dayParam = search.get('day');
  const picker: PickerState = {
    first: clampWindow(search.get('week'), today, slot === null ? null : dayKey(slot, viewer.timeZone)),
    view,
    day: isDate(dayParam) ? dayParam : null,
  };
  const [conflict, setConflict] = useState<string | null>(null);
  const [joined, setJoined] = useState<WaitlistEntry | null>(null);
  const pickHeadingId = useId();
  const pickHeading = useRef<HTMLHeadingElement>(null);

  // The confirmation (and the focused Book button) is gone after a conflict: keyboard and
  // screen-reader users are put back at the times, under the message that says why.
  useEffect(() => {
    if (conflict !== null) pickHeading.current?.focus();
  }, [conflict]);

  function update(changes: Record<string, string | null>, replace: boolean) {
    setSearch(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { replace },
    );
  }

  if (services.length === 0) {
    return (
      <section aria-labelledby={pickHeadingId}>
        <h2 id={pickHeadingId}>Services</h2>
        <Empty>{provider.displayName} is not taking bookings at the moment.</Empty>
      </section>
    );
  }

  return (
    <>
      <section aria-labelledby="services-heading">
        <h2 id="services-heading">Services</h2>
        <ul className="services">
          {services.map((candidate) => {
            const chosen = candidate.id === service?.id;
            return (
              <li key={candidate.id} className={`card service${chosen ? ' service-chosen' : ''}`}>
                <h3>{candidate.name}</h3>
                {candidate.description === '' ? null : <p className="service-description">{candidate.description}</p>}
                <p className="service-facts">
                  <span>{formatDuration(candidate.durationMinutes)}</span>
                  <span>{formatPrice(candidate.priceAmount, candidate.currency, viewer.locale)}</span>
                  <span>{locationLabel(candidate.location)}</span>
                  {candidate.capacity > 1 ? <span>Group of up to {candidate.capacity}</span> : null}
                </p>
                <Button
                  variant={chosen ? 'primary' : 'secondary'}
                  aria-pressed={chosen}
                  onClick={() => {
                    setConflict(null);
                    setJoined(null);
                    update({ service: candidate.id, slot: null }, false);
                  }}
                >
                  {chosen ? 'Chosen' : 'Choose'}
                  <span className="visually-hidden"> {candidate.name}</span>
                </Button>
              </li>
            );
          })}
        </ul>
      </section>

      {service === undefined ? (
        <p className="muted">Choose a service to see its free times.</p>
      ) : (
        <div className="booking-area">
          <section aria-labelledby={pickHeadingId}>
            <h2 id={pickHeadingId} ref={pickHeading} tabIndex={-1}>
              Choose a time for {service.name}
            </h2>
            <ZoneNote provider={provider} />
            {conflict === null ? null : (
              <ErrorMessage>
                That time was just taken — pick another.{' '}
                <WaitlistOffer key={conflict} provider={provider} service={service} target={{ start: conflict }} onJoined={setJoined} label="Join the waitlist for that time" />
              </ErrorMessage>
            )}
            {joined === null ? null : <JoinedNotice entry={joined} provider={provider} />}
            <SlotPicker
              providerId={provider.id}
              serviceId={service.id}
              state={picker}
              onStateChange={(next) => update({ week: next.first, view: next.view, day: next.day }, true)}
              selected={slot}
              onSelect={(chosen) => {
                setConflict(null);
                update({ slot: chosen.start }, false);
              }}
              lastDate={addDays(today, service.bookingWindowDays)}
              seated={service.capacity > 1}
              renderEmptyWeek={(dates) => <DayWaitlist provider={provider} service={service} dates={dates} onJoined={setJoined} />}
              renderEmptyDay={(date) => (
                <WaitlistOffer
                  key={date}
                  provider={provider}
                  service={service}
                  target={{ date }}
                  onJoined={setJoined}
                  label={`Join the waitlist for ${formatLongDay(dateInstant(date, viewer.timeZone), viewer)}`}
                />
              )}
            />
          </section>
          {slot === null ? (
            <aside className="booking-aside booking-placeholder" aria-label="Your booking">
              <p className="muted">Choose a time to book {service.name}.</p>
            </aside>
          ) : (
            <Confirmation
              key={`${service.id}|${slot}`}
              provider={provider}
              service={service}
              start={slot}
              onCancel={() => update({ slot: null }, false)}
              onTaken={() => {
                setConflict(slot);
                update({ slot: null }, true);
              }}
            />
          )}
        </div>
      )}
    </>
  );
}

function ZoneNote({ provider }: { readonly provider: Provider }) {
  const viewer = useViewer();
  return (
    <p className="hint">
      Times in {viewer.timeZone}
      {viewer.timeZone === provider.timeZone ? '.' : `; ${provider.displayName} works in ${provider.timeZone}.`}
    </p>
  );
}

interface ConfirmationProps {
  readonly provider: Provider;
  readonly service: Service;
  readonly start: string;
  readonly onCancel: () => void;
  /** The time went to someone else (409 SLOT_TAKEN). */
  readonly onTaken: () => void;
}

function Confirmation({ provider, service, start, onCancel, onTaken }: ConfirmationProps) {
  const viewer = useViewer();
  const { user } = useAuth();
  const [location] = useLocation();
  const [search] = useSearchParams();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const heading = useRef<HTMLHeadingElement>(null);
  const notesId = useId();
  const [notes, setNotes] = useState(() => sessionStorage.getItem(notesKey(provider.id)) ?? '');
  const attempt = useRef<{ fingerprint: string; key: string } | null>(null);
  const end = new Date(Date.parse(start) + service.durationMinutes * 60_000).toISOString();
  const price = formatPrice(service.priceAmount, service.currency, viewer.locale);
  const paid = service.priceAmount > 0;

  // A keyboard or screen-reader user lands on the step they just opened.
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const book = useMutation({
    mutationFn: async (input: { serviceId: string; start: string; notes: string }) => {
      const fingerprint = JSON.stringify(input);
      if (attempt.current?.fingerprint !== fingerprint) attempt.current = { fingerprint, key: newIdempotencyKey() };
      try {
        const body = { serviceId: input.serviceId, start: input.start, ...(input.notes === '' ? {} : { notes: input.notes }) };
        return data(await api.POST('/api/v1/bookings', { body, params: { header: { 'idempotency-key': attempt.current.key } } }));
      } catch (error) {
        throw asApiError(error);
      }
    },
    onSuccess: (created) => {
      const { payment, ...booking } = created;
      queryClient.setQueryData(bookingQuery(booking.id).queryKey, booking);
      if (payment !== undefined && payment !== null) queryClient.setQueryData(bookingPaymentQuery(booking.id).queryKey, payment);
      void queryClient.invalidateQueries({ queryKey: ['slots', provider.id] });
      void queryClient.invalidateQueries({ queryKey: ['bookings', 'list'] });
      sessionStorage.removeItem(notesKey(provider.id));
      navigate(`/bookings/${booking.id}?booked=1`);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'SLOT_TAKEN') {
        void queryClient.invalidateQueries({ queryKey: ['slots', provider.id, service.id] });
        onTaken();
      }
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    book.mutate({ serviceId: service.id, start, notes: notes.trim() });
  }

  const here = `${location}?${search.toString()}`;
  return (
    <section className="confirmation booking-aside" aria-labelledby="confirm-heading">
      <h2 id="confirm-heading" ref={heading} tabIndex={-1}>
        Confirm your booking
      </h2>
      <dl className="summary">
        <dt>Service</dt>
        <dd>
          {service.name} with {provider.displayName}
        </dd>
        <dt>When</dt>
        <dd>
          {formatLongDay(start, viewer)}, {formatTimeRange(start, end, viewer)}
        </dd>
        <dt>Where</dt>
        <dd>{locationLabel(service.location)}</dd>
        <dt>Price</dt>
        <dd>{price}</dd>
      </dl>
      {book.isError && !(book.error instanceof ApiError && book.error.code === 'SLOT_TAKEN') ? <ErrorMessage error={book.error} /> : null}
      {user === null ? (
        <div className="actions">
          <Link className="button button-primary" href={`/login?next=${encodeURIComponent(here)}`}>
            Sign in to book
          </Link>
          <Button variant="secondary" onClick={onCancel}>
            Choose another time
          </Button>
        </div>
      ) : (
        <form onSubmit={submit}>
          <div className="field">
            <label htmlFor={notesId}>Notes for {provider.displayName} (optional)</label>
            <textarea
              id={notesId}
              rows={3}
              maxLength={2000}
              value={notes}
              onChange={(event) => {
                setNotes(event.target.value);
                sessionStorage.setItem(notesKey(provider.id), event.target.value);
              }}
            />
          </div>
          {paid ? <p className="hint">You pay {price} on the next step; the time is held for you meanwhile.</p> : null}
          <div className="actions">
            <Button type="submit" busy={book.isPending}>
              {paid ? `Book and pay ${price}` : 'Book'}
            </Button>
            <Button variant="secondary" onClick={onCancel} disabled={book.isPending}>
              Choose another time
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

type WaitTarget = { readonly start: string } | { readonly date: string };

interface WaitlistOfferProps {
  readonly provider: Provider;
  readonly service: Service;
  readonly target: WaitTarget;
  readonly onJoined: (entry: WaitlistEntry) => void;
  readonly label: string;
}

/** Join the waitlist of one full time or day (or, signed out, sign in first). */
function WaitlistOffer({ service, target, onJoined, label }: WaitlistOfferProps) {
  const { user } = useAuth();
  const [location] = useLocation();
  const [search] = useSearchParams();
  const join = useJoinWaitlist(onJoined);
  if (user === null) {
    return <Link href={`/login?next=${encodeURIComponent(`${location}?${search.toString()}`)}`}>Sign in to join the waitlist</Link>;
  }
  return (
    <>
      <Button variant="link" busy={join.isPending} onClick={() => join.mutate({ serviceId: service.id, ...target })}>
        {label}
      </Button>
      {join.isError ? <ErrorMessage error={join.error} /> : null}
    </>
  );
}

function useJoinWaitlist(onJoined: (entry: WaitlistEntry) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { serviceId: string; start?: string; date?: string }) => data(await api.POST('/api/v1/waitlist', { body })),
    onSuccess: (entry) => {
      void queryClient.invalidateQueries({ queryKey: ['waitlist'] });
      onJoined(entry);
    },
  });
}

/** A week without a free time: wait for a day of it. */
function DayWaitlist({ provider, service, dates, onJoined }: { readonly provider: Provider; readonly service: Service; readonly dates: readonly string[]; readonly onJoined: (entry: WaitlistEntry) => void }) {
  const viewer = useViewer();
  const { user } = useAuth();
  const [location] = useLocation();
  const [search] = useSearchParams();
  const [date, setDate] = useState(dates[0] ?? '');
  const join = useJoinWaitlist(onJoined);
  const selectId = useId();
  if (user === null) {
    return <Link href={`/login?next=${encodeURIComponent(`${location}?${search.toString()}`)}`}>Sign in to join the waitlist</Link>;
  }
  return (
    <form
      className="row"
      onSubmit={(event) => {
        event.preventDefault();
        join.mutate({ serviceId: service.id, date });
      }}
    >
      <div className="field">
        <label htmlFor={selectId}>Join the waitlist for a day</label>
        {viewer.timeZone === provider.timeZone ? null : (
          <p className="hint" id={`${selectId}-hint`}>
            The day as {provider.displayName} counts it ({provider.timeZone}).
          </p>
        )}
        <select id={selectId} value={date} onChange={(event) => setDate(event.target.value)} aria-describedby={viewer.timeZone === provider.timeZone ? undefined : `${selectId}-hint`}>
          {dates.map((candidate) => (
            <option key={candidate} value={candidate}>
              {formatLongDay(dateInstant(candidate, viewer.timeZone), viewer)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <Button type="submit" busy={join.isPending}>
          Join the waitlist
        </Button>
      </div>
      {join.isError ? <ErrorMessage error={join.error} /> : null}
    </form>
  );
}

function JoinedNotice({ entry, provider }: { readonly entry: WaitlistEntry; readonly provider: Provider }) {
  const viewer = useViewer();
  const what = entry.start !== null ? formatDateTime(entry.start, viewer) : entry.date !== null ? formatLongDay(dateInstant(entry.date, viewer.timeZone), viewer) : 'this service';
  return (
    <Notice tone="success">
      You are on {provider.displayName}’s waitlist for {what}. A freed place is offered in the order people joined; offers appear on <Link href="/waitlist">your waitlist</Link>.
    </Notice>
  );
}

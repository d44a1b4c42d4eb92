import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'wouter';
import { api, data } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useAuth, useViewer } from '../../auth/auth';
import { Button, ConfirmDialog, ErrorMessage, Loading, Notice, PageTitle } from '../../components/ui';
import { addDays, formatDateTime, formatLongDay, formatPrice, formatTime, formatTimeRange } from '../../lib/format';
import { AddToCalendar, MeetingInfo, StatusTag, useProviderName } from './BookingParts';
import { bookingPaymentQuery, bookingQuery, locationLabel, providerQuery, serviceQuery, type Booking, type BookingPayment, type Payment, type Slot } from './queries';
import { SlotPicker, todayIn, type PickerState } from './SlotPicker';
import './client.css';

/*
 * One booking: when, with whom, its status, meeting link, payment (and refunds), and what its
 * client or provider may still do: pay, cancel, reschedule. A held paid booking is watched (the
 * booking and its payment are fetched every few seconds) until the payment confirms it: the
 * payment simulator's checkout page has no way back into the app, so the app waits here instead.
 */

const pollMs = 2000;
/** How long after a cancellation the page keeps looking for its refund. */
const refundWatchMs = 10 * 60_000;

export function BookingDetail() {
  const { id = '' } = useParams<{ id: string }>();
  const [params, setParams] = useSearchParams();
  // "Just booked" survives this visit only: the flag leaves the URL so a reload does not repeat it.
  const [justBooked] = useState(() => params.get('booked') === '1');
  useEffect(() => {
    if (params.has('booked')) setParams({}, { replace: true });
  }, [params, setParams]);
  const booking = useQuery({ ...bookingQuery(id), refetchInterval: (query) => (query.state.data?.status === 'pending_payment' ? pollMs : false) });

  if (booking.isPending) return <Loading />;
  if (booking.isError) {
    return (
      <>
        <PageTitle>Booking</PageTitle>
        <ErrorMessage error={booking.error}>
          {' '}
          <Link href="/bookings">Back to my bookings</Link>
        </ErrorMessage>
      </>
    );
  }
  return <Detail booking={booking.data} justBooked={justBooked} />;
}

function Detail({ booking, justBooked }: { readonly booking: Booking; readonly justBooked: boolean }) {
  const viewer = useViewer();
  const { user } = useAuth();
  const providerName = useProviderName(booking.providerId);
  const provider = useQuery(providerQuery(booking.providerId));
  const service = useQuery(serviceQuery(booking.providerId, booking.serviceId));
  const [changed, setChanged] = useState<string | null>(null);
  const [rescheduling, setRescheduling] = useState(false);
  const paid = booking.service.priceAmount > 0;
  const live = booking.status === 'confirmed' || booking.status === 'pending_payment';
  const upcoming = Date.parse(booking.start) > Date.now();
  const isClient = user?.id === booking.clientId;
  const when = `${formatLongDay(booking.start, viewer)}, ${formatTimeRange(booking.start, booking.end, viewer)}`;

  // Watched while held: say so when the payment turns it into a confirmed booking.
  const previous = useRef(booking.status);
  useEffect(() => {
    if (previous.current === 'pending_payment' && booking.status === 'confirmed') setChanged('Payment received: your booking is confirmed.');
    if (previous.current === 'pending_payment' && booking.status === 'expired') setChanged(null);
    previous.current = booking.status;
  }, [booking.status]);

  const windowMinutes = service.data?.cancellationWindowMinutes ?? 0;
  const deadline = new Date(Date.parse(booking.start) - windowMinutes * 60_000);

  return (
    <>
      <PageTitle>{`${booking.service.name} on ${formatLongDay(booking.start, viewer)}`}</PageTitle>
      {justBooked && booking.status === 'confirmed' && changed === null ? <Notice tone="success">Booked: your booking is confirmed.</Notice> : null}
      {changed === null ? null : <Notice tone="success">{changed}</Notice>}
      {booking.status === 'expired' ? <Notice tone="warning">The hold ended before the payment arrived, so the time was released.</Notice> : null}

      <dl className="summary">
        <dt>With</dt>
        <dd>
          <Link href={`/providers/${booking.providerId}`}>{providerName}</Link>
        </dd>
        <dt>Service</dt>
        <dd>
          {booking.service.name}
          {service.data === undefined ? null : ` (${locationLabel(service.data.location)})`}
        </dd>
        <dt>When</dt>
        <dd>
          {when}
          {provider.data === undefined || provider.data.timeZone === viewer.timeZone ? null : (
            <span className="hint">
              {' '}
              ({formatTimeRange(booking.start, booking.end, { locale: viewer.locale, timeZone: provider.data.timeZone })} for {providerName}, who works in {provider.data.timeZone})
            </span>
          )}
        </dd>
        <dt>Status</dt>
        <dd>
          <StatusTag status={booking.status} />
          {booking.seat > 1 ? ` Seat ${booking.seat}` : null}
        </dd>
        <dt>Price</dt>
        <dd>{formatPrice(booking.service.priceAmount, booking.service.currency, viewer.locale)}</dd>
        {booking.notes === null ? null : (
          <>
            <dt>Notes</dt>
            <dd className="profile-bio">{booking.notes}</dd>
          </>
        )}
        {booking.cancelReason === null ? null : (
          <>
            <dt>Reason for cancelling</dt>
            <dd>{booking.cancelReason}</dd>
          </>
        )}
        {live && booking.meeting.status !== 'none' ? (
          <>
            <dt>Meeting</dt>
            <dd>
              <MeetingInfo meeting={booking.meeting} />
            </dd>
          </>
        ) : null}
      </dl>

      {booking.status === 'confirmed' && upcoming ? (
        <p>
          <AddToCalendar booking={booking} providerName={providerName} label={when} />
        </p>
      ) : null}

      {paid ? <PaymentPanel booking={booking} isClient={isClient} /> : null}

      {live && upcoming ? (
        <section aria-labelledby="manage-heading" className="panel">
          <h2 id="manage-heading">Change this booking</h2>
          {isClient && windowMinutes > 0 ? (
            <p className="hint">
              {deadline.getTime() > Date.now() ? `You can cancel or reschedule until ${formatDateTime(deadline, viewer)}.` : 'The time to cancel or reschedule this booking has passed.'}
            </p>
          ) : null}
          <div className="actions">
            <Button variant="secondary" aria-expanded={rescheduling} onClick={() => setRescheduling((open) => !open)}>
              {rescheduling ? 'Keep this time' : 'Reschedule'}
            </Button>
            <CancelBooking booking={booking} paid={paid} onCancelled={() => setChanged('Your booking is cancelled.')} />
          </div>
          {rescheduling ? (
            <Reschedule
              booking={booking}
              lastDate={service.data === undefined ? undefined : addDays(todayIn(viewer.timeZone), service.data.bookingWindowDays)}
              seated={(service.data?.capacity ?? 1) > 1}
              onMoved={(moved) => {
                setRescheduling(false);
                setChanged(`Moved to ${formatLongDay(moved.start, viewer)}, ${formatTimeRange(moved.start, moved.end, viewer)}.`);
              }}
            />
          ) : null}
        </section>
      ) : null}

      <p>
        <Link href="/bookings">All my bookings</Link>
      </p>
    </>
  );
}

const paymentLabels: Record<BookingPayment['status'], string> = {
  created: 'Not paid yet',
  authorized: 'Authorised, not yet taken',
  captured: 'Paid',
  refunded: 'Refunded',
  partially_refunded: 'Partly refunded',
  failed: 'Payment failed',
  cancelled: 'Cancelled: nothing was charged',
};

function PaymentPanel({ booking, isClient }: { readonly booking: Booking; readonly isClient: boolean }) {
  const viewer = useViewer();
  const held = booking.status === 'pending_payment';
  // A paid booking just cancelled: its refund is decided and sent after the answer; follow it for a while.
  const refundAwaited = booking.status === 'cancelled' && Date.now() - Date.parse(booking.updatedAt) < refundWatchMs;
  const payment = useQuery({
    ...bookingPaymentQuery(booking.id),
    // While held, until the order exists and then until it is paid; after a cancellation, until refunded.
    refetchInterval: (query) => (held || (refundAwaited && query.state.data?.status === 'captured') ? pollMs : false),
    retry: (failures, error) => failures < 3 && !(error instanceof ApiError && error.status < 500 && error.code !== 'PAYMENT_NOT_FOUND'),
  });
  const order = payment.data;
  const refundDue = order !== undefined && (order.status === 'refunded' || order.status === 'partially_refunded' || (order.status === 'captured' && booking.status === 'cancelled'));
  const details = useQuery({
    queryKey: ['payments', order?.orderId ?? ''],
    queryFn: async () => data(await api.GET('/api/v1/payments/{id}', { params: { path: { id: order?.orderId ?? '' } } })),
    enabled: refundDue,
    refetchInterval: (query) => (refundAwaited && refundPending(query.state.data) ? pollMs : false),
  });
  const price = formatPrice(booking.service.priceAmount, booking.service.currency, viewer.locale);

  let body;
  if (payment.isPending) body = <Loading label="Loading the payment…" />;
  else if (payment.isError) {
    body =
      payment.error instanceof ApiError && payment.error.code === 'PAYMENT_NOT_FOUND' ? (
        held ? (
          <p>Preparing the payment…</p>
        ) : (
          <p className="muted">No payment was taken for this booking.</p>
        )
      ) : (
        <ErrorMessage error={payment.error} />
      );
  } else {
    const current = payment.data;
    const payable = held && (current.status === 'created' || current.status === 'failed');
    body = (
      <>
        <p>
          <span className="tag status">{paymentLabels[current.status]}</span> {formatPrice(current.amount, current.currency, viewer.locale)}
        </p>
        {payable && isClient ? (
          <>
            {booking.holdExpiresAt === null ? null : (
              <p>
                Your time is held until {formatTime(booking.holdExpiresAt, viewer)}. Pay {price} to confirm it.
              </p>
            )}
            {current.status === 'failed' ? <Notice tone="warning">The last payment attempt failed. You can try again while the time is held.</Notice> : null}
            {current.checkoutUrl === null ? (
              <p>
                This booking is paid through {current.gateway}, whose checkout this app does not include yet.
              </p>
            ) : (
              <div className="actions">
                <a className="button button-primary" href={current.checkoutUrl} target="_blank" rel="noopener">
                  Pay {price}
                  <span className="visually-hidden"> (opens in a new tab)</span>
                </a>
              </div>
            )}
            <p className="hint" role="status">
              This page updates by itself as soon as the payment arrives.
            </p>
          </>
        ) : null}
        {held && current.status === 'captured' ? <p role="status">Payment received; confirming your booking…</p> : null}
        {refundDue ? <Refunds payment={details.data} loading={details.isPending} error={details.error} /> : null}
      </>
    );
  }
  return (
    <section aria-labelledby="payment-heading" className="panel">
      <h2 id="payment-heading">Payment</h2>
      {body}
    </section>
  );
}

function refundPending(payment: Payment | undefined): boolean {
  return payment === undefined || payment.refunds.length === 0 || payment.refunds.some((refund) => refund.status === 'pending');
}

function Refunds({ payment, loading, error }: { readonly payment: Payment | undefined; readonly loading: boolean; readonly error: unknown }) {
  const viewer = useViewer();
  let body;
  if (error !== null && error !== undefined) body = <ErrorMessage error={error} />;
  else if (loading || payment === undefined) body = <Loading label="Loading refunds…" />;
  else if (payment.refunds.length === 0) body = <p>A refund due under the cancellation policy shows here as soon as it is made.</p>;
  else {
    body = (
      <ul className="list">
        {payment.refunds.map((refund) => (
          <li key={refund.id}>
            {formatPrice(refund.amount, refund.currency, viewer.locale)} on {formatDateTime(refund.createdAt, viewer)}:{' '}
            {refund.status === 'succeeded' ? 'refunded' : refund.status === 'pending' ? 'on its way' : 'failed; it is being retried'}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <>
      <h3>Refunds</h3>
      {body}
    </>
  );
}

function CancelBooking({ booking, paid, onCancelled }: { readonly booking: Booking; readonly paid: boolean; readonly onCancelled: () => void }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const cancel = useMutation({
    mutationFn: async () =>
      data(await api.POST('/api/v1/bookings/{id}/cancel', { params: { path: { id: booking.id } }, body: reason.trim() === '' ? {} : { reason: reason.trim() } })),
    onSuccess: (cancelled) => {
      queryClient.setQueryData(bookingQuery(booking.id).queryKey, cancelled);
      void queryClient.invalidateQueries({ queryKey: ['bookings', booking.id, 'payment'] });
      void queryClient.invalidateQueries({ queryKey: ['bookings', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['slots', booking.providerId] });
      onCancelled();
    },
  });
  return (
    <>
      <ConfirmDialog
        trigger={
          <Button variant="danger" busy={cancel.isPending}>
            Cancel booking
          </Button>
        }
        title="Cancel this booking?"
        description={paid && booking.status === 'confirmed' ? 'The time is released for others; what you paid is refunded under the cancellation policy.' : 'The time is released for others.'}
        confirmLabel="Yes, cancel it"
        onConfirm={() => cancel.mutate()}
      >
        <div className="field">
          <label htmlFor={reasonId}>Reason (optional)</label>
          <textarea id={reasonId} rows={2} maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
        </div>
      </ConfirmDialog>
      {cancel.isError ? <ErrorMessage error={cancel.error} /> : null}
    </>
  );
}

interface RescheduleProps {
  readonly booking: Booking;
  readonly lastDate: string | undefined;
  readonly seated: boolean;
  readonly onMoved: (booking: Booking) => void;
}

function Reschedule({ booking, lastDate, seated, onMoved }: RescheduleProps) {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const [picker, setPicker] = useState<PickerState>(() => ({ first: todayIn(viewer.timeZone), view: 'week', day: null }));
  const [chosen, setChosen] = useState<Slot | null>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const move = useMutation({
    mutationFn: async (start: string) => data(await api.POST('/api/v1/bookings/{id}/reschedule', { params: { path: { id: booking.id } }, body: { start } })),
    onSuccess: (moved) => {
      queryClient.setQueryData(bookingQuery(booking.id).queryKey, moved);
      void queryClient.invalidateQueries({ queryKey: ['bookings', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['slots', booking.providerId] });
      onMoved(moved);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'SLOT_TAKEN') {
        setChosen(null);
        void queryClient.invalidateQueries({ queryKey: ['slots', booking.providerId, booking.serviceId] });
      }
    },
  });

  useEffect(() => {
    if (chosen !== null) confirmHeading.current?.focus();
  }, [chosen]);

  return (
    <div className="reschedule">
      <h3>Pick a new time</h3>
      <p className="hint">Times in {viewer.timeZone}.</p>
      {move.isError ? <ErrorMessage error={move.error} /> : null}
      <SlotPicker
        providerId={booking.providerId}
        serviceId={booking.serviceId}
        state={picker}
        onStateChange={setPicker}
        selected={chosen?.start ?? null}
        onSelect={(slot) => {
          move.reset();
          setChosen(slot);
        }}
        lastDate={lastDate}
        seated={seated}
      />
      {chosen === null ? null : (
        <div className="confirmation">
          <h3 ref={confirmHeading} tabIndex={-1}>
            Move to {formatLongDay(chosen.start, viewer)}, {formatTimeRange(chosen.start, chosen.end, viewer)}?
          </h3>
          <div className="actions">
            <Button busy={move.isPending} onClick={() => move.mutate(chosen.start)}>
              Move booking
            </Button>
            <Button variant="secondary" onClick={() => setChosen(null)}>
              Choose another time
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}

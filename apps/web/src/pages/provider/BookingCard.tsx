import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, data } from '../../api/client';
import { useViewer } from '../../auth/auth';
import { Button, ConfirmDialog, ErrorMessage, Notice } from '../../components/ui';
import { formatDateTime, formatDay, formatPrice, formatTime, formatTimeRange } from '../../lib/format';
import { TextAreaField } from './fields';
import type { Booking, BookingStatus } from './types';

/*
 * One booking as its provider sees it, with what the provider may do next: cancel it (with a
 * reason the client is told), and once it has started, say how it went (completed or no-show).
 * The server decides; when it refuses, its sentence is shown on the card.
 */

export const statusLabels: Record<BookingStatus, string> = {
  pending_payment: 'Awaiting payment',
  confirmed: 'Confirmed',
  expired: 'Expired (not paid in time)',
  cancelled: 'Cancelled',
  completed: 'Completed',
  no_show: 'No-show',
};

type Action = 'complete' | 'no-show' | 'cancel';

const done: Record<Action, string> = {
  complete: 'Marked as completed.',
  'no-show': 'Marked as a no-show.',
  cancel: 'Booking cancelled. The client is told, with your reason.',
};

export function BookingCard({ booking, now, headingLevel = 3 }: { readonly booking: Booking; readonly now: number; readonly headingLevel?: 3 | 4 }) {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const act = useMutation({
    mutationFn: async (action: Action): Promise<Booking> => {
      const params = { path: { id: booking.id } };
      switch (action) {
        case 'complete':
          return data(await api.POST('/api/v1/bookings/{id}/complete', { params }));
        case 'no-show':
          return data(await api.POST('/api/v1/bookings/{id}/no-show', { params }));
        case 'cancel':
          return data(await api.POST('/api/v1/bookings/{id}/cancel', { params, body: reason.trim() === '' ? {} : { reason: reason.trim() } }));
      }
    },
    onSuccess: async (_saved, action) => {
      if (action === 'cancel') setReason('');
      await queryClient.invalidateQueries({ queryKey: ['bookings'] });
      await queryClient.invalidateQueries({ queryKey: ['slots', booking.providerId] });
    },
  });

  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const started = Date.parse(booking.start) <= now;
  const canFinish = booking.status === 'confirmed' && started;
  const canCancel = booking.status === 'confirmed' || booking.status === 'pending_payment';
  const when = formatDateTime(booking.start, viewer);

  return (
    <article className="provider-booking" aria-label={`${booking.service.name}, ${when}`}>
      <Heading>
        {formatDay(booking.start, viewer)}, {formatTimeRange(booking.start, booking.end, viewer)}
      </Heading>
      <p>
        {booking.service.name}
        {booking.seat > 1 ? `, seat ${booking.seat}` : ''}
        {booking.service.priceAmount > 0 ? ` · ${formatPrice(booking.service.priceAmount, booking.service.currency, viewer.locale)}` : ''}
      </p>
      <p>
        Status: <span className={`provider-status provider-status-${booking.status}`}>{statusLabels[booking.status]}</span>
        {booking.status === 'pending_payment' && booking.holdExpiresAt !== null ? ` (held until ${formatTime(booking.holdExpiresAt, viewer)})` : ''}
      </p>
      {booking.status === 'cancelled' && booking.cancelReason !== null ? <p>Reason: {booking.cancelReason}</p> : null}
      {booking.notes === null || booking.notes === '' ? null : <p>Client’s note: {booking.notes}</p>}
      {booking.meeting.status === 'ready' && booking.meeting.url !== null && (booking.status === 'confirmed' || booking.status === 'completed') ? (
        <p>
          <a href={booking.meeting.url} target="_blank" rel="noreferrer">
            Join the video call<span className="provider-vh"> for {booking.service.name} on {when}</span>
          </a>
        </p>
      ) : null}
      {booking.meeting.status === 'pending' && booking.status === 'confirmed' ? <p className="muted">The meeting link is on its way.</p> : null}
      <ErrorMessage error={act.error ?? undefined} />
      {act.isSuccess ? <Notice tone="success">{done[act.variables]}</Notice> : null}
      {canFinish || canCancel ? (
        <div className="actions">
          {canFinish ? (
            <>
              <Button variant="secondary" busy={act.isPending && act.variables === 'complete'} disabled={act.isPending} onClick={() => act.mutate('complete')}>
                Mark completed
              </Button>
              <Button variant="secondary" busy={act.isPending && act.variables === 'no-show'} disabled={act.isPending} onClick={() => act.mutate('no-show')}>
                Mark no-show
              </Button>
            </>
          ) : null}
          {canCancel ? (
            <ConfirmDialog
              trigger={
                <Button variant="danger" disabled={act.isPending}>
                  Cancel booking
                </Button>
              }
              title="Cancel this booking?"
              description={`${booking.service.name} on ${when}. The client is told and the time becomes free again.`}
              confirmLabel="Cancel booking"
              onConfirm={() => act.mutate('cancel')}
            >
              <TextAreaField label="Reason (the client sees it)" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
            </ConfirmDialog>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

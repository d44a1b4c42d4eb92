import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { bookingIcs, icsFileName } from './ics';
import { providerQuery, statusLabels, type Booking, type BookingStatus } from './queries';

/* Pieces of a booking shown by both the list (My bookings) and a booking's own page. */

export function StatusTag({ status }: { readonly status: BookingStatus }) {
  return <span className={`tag status status-${status}`}>{statusLabels[status]}</span>;
}

/** A booking's provider by name (the booking itself carries only the id); cached per provider. */
export function useProviderName(providerId: string): string {
  const provider = useQuery(providerQuery(providerId));
  return provider.data?.displayName ?? (provider.isError ? 'your provider' : '…');
}

export function MeetingInfo({ meeting }: { readonly meeting: Booking['meeting'] }) {
  if (meeting.status === 'ready' && meeting.url !== null) {
    return (
      <a href={meeting.url} target="_blank" rel="noopener noreferrer">
        Join the video call<span className="visually-hidden"> (opens in a new tab)</span>
      </a>
    );
  }
  if (meeting.status === 'pending') return <span className="muted">Meeting link pending: it appears here as soon as it is ready.</span>;
  return null;
}

/** A link that downloads the booking as an .ics file, made in the browser (a Blob URL). */
export function AddToCalendar({ booking, providerName, label }: { readonly booking: Booking; readonly providerName: string; readonly label: string }) {
  const text = useMemo(
    () =>
      bookingIcs({
        id: booking.id,
        start: booking.start,
        end: booking.end,
        createdAt: booking.createdAt,
        updatedAt: booking.updatedAt,
        status: booking.status,
        serviceName: booking.service.name,
        providerName,
        notes: booking.notes,
        meetingUrl: booking.meeting.url,
      }),
    [booking.id, booking.start, booking.end, booking.createdAt, booking.updatedAt, booking.status, booking.service.name, providerName, booking.notes, booking.meeting.url],
  );
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/calendar;charset=utf-8' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [text]);
  if (href === null) return null;
  return (
    <a href={href} download={icsFileName(booking.service.name, booking.start)}>
      Add to calendar<span className="visually-hidden">: {label}</span>
    </a>
  );
}

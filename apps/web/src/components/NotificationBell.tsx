import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api, data } from '../api/client';
import type { Notification } from '../pages/notifications/notifications';
import { useNotificationStream } from '../pages/notifications/useNotificationStream';
import '../pages/notifications/notifications.css';

/** While the live stream is down the count is polled this often, so the badge never goes stale for long. */
const pollWhileDownMs = 30_000;

/**
 * The inbox link in the header with the unread count, kept current by the live stream; a new
 * entry is also announced politely (the live region exists before anything is put in it, so
 * screen readers hear the first announcement too).
 */
export function NotificationBell() {
  const [location] = useLocation();
  const [announcement, setAnnouncement] = useState('');
  const onNotification = useCallback((notification: Notification) => {
    setAnnouncement(`New notification: ${notification.title}`);
  }, []);
  const stream = useNotificationStream(onNotification);
  const unread = useQuery({
    queryKey: ['notifications', 'unread-count'],
    queryFn: async () => data(await api.GET('/api/v1/notifications/unread-count')),
    refetchInterval: stream === 'live' ? false : pollWhileDownMs,
  });
  const count = unread.data?.count;
  const current = location === '/notifications';

  // The name says what the badge means; it begins with the visible words ("Notifications 3"), so
  // speech-input users can say what they see.
  return (
    <>
      <Link
        href="/notifications"
        aria-label={count === undefined ? 'Notifications' : `Notifications, ${count} unread`}
        aria-current={current ? 'page' : undefined}
        className="bell"
      >
        Notifications
        {count !== undefined && count > 0 ? (
          <>
            {' '}
            <span className="badge">{count > 99 ? '99+' : count}</span>
          </>
        ) : null}
      </Link>
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </>
  );
}

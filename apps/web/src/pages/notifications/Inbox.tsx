import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef } from 'react';
import { Link } from 'wouter';
import { api, data } from '../../api/client';
import { useViewer } from '../../auth/auth';
import { Button, Empty, ErrorMessage, Loading, Notice, PageTitle, QueryError } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { bookingIdOf, type Notification } from './notifications';
import './notifications.css';

const pageSize = 20;

/** The signed-in user's notifications, newest first; new ones appear as the live stream reports them. */
export function Inbox() {
  const queryClient = useQueryClient();
  const list = useInfiniteQuery({
    queryKey: ['notifications', 'list'],
    queryFn: async ({ pageParam }) =>
      data(await api.GET('/api/v1/notifications', { params: { query: { limit: pageSize, ...(pageParam === null ? {} : { cursor: pageParam }) } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  // The bell's query: the same cache entry, kept current by the live stream.
  const unreadCount = useQuery({
    queryKey: ['notifications', 'unread-count'],
    queryFn: async () => data(await api.GET('/api/v1/notifications/unread-count')),
  });
  const markAll = useMutation({
    mutationFn: async () => data(await api.POST('/api/v1/notifications/read-all')),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });

  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const anyUnread = (unreadCount.data?.count ?? 1) > 0 || items.some((item) => item.readAt === null);

  return (
    <>
      <PageTitle>Notifications</PageTitle>
      {list.isPending ? <Loading /> : null}
      {list.isError ? (
        <QueryError error={list.error} retry={() => list.refetch()} />
      ) : null}
      {list.isSuccess && items.length === 0 ? <Empty>No notifications yet. Bookings, changes and reminders will show up here.</Empty> : null}
      {items.length > 0 ? (
        <>
          <div className="actions">
            <Button variant="secondary" busy={markAll.isPending} disabled={!anyUnread} onClick={() => markAll.mutate()}>
              Mark all as read
            </Button>
          </div>
          <ErrorMessage error={markAll.error ?? undefined} />
          {markAll.isSuccess ? <Notice tone="success">{markAll.data.marked === 1 ? 'Marked 1 notification as read.' : `Marked ${markAll.data.marked} notifications as read.`}</Notice> : null}
          <ul className="inbox" aria-label="Notifications, newest first">
            {items.map((item) => (
              <InboxItem key={item.id} notification={item} />
            ))}
          </ul>
          {list.isFetchNextPageError ? <ErrorMessage error={list.error} /> : null}
          {list.hasNextPage ? (
            <div className="actions">
              <Button variant="secondary" busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                Show more
              </Button>
            </div>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function InboxItem({ notification }: { readonly notification: Notification }) {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const markRead = useMutation({
    mutationFn: async () => data(await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id: notification.id } } })),
    onSuccess: async () => {
      // The button goes away with the unread state: keep the keyboard user where they were.
      heading.current?.focus();
      await queryClient.invalidateQueries({ queryKey: ['notifications'] });
    },
  });
  const unread = notification.readAt === null && !markRead.isSuccess;
  const bookingId = bookingIdOf(notification);

  return (
    <li className={`inbox-item${unread ? ' inbox-item-unread' : ''}`}>
      <div className="inbox-head">
        {unread ? <span className="tag tag-new">New</span> : null}
        <h2 className="inbox-title" id={titleId} ref={heading} tabIndex={-1}>
          {notification.title}
        </h2>
      </div>
      {notification.body === '' ? null : <p className="inbox-body">{notification.body}</p>}
      <div className="inbox-meta">
        <time dateTime={notification.createdAt}>{formatDateTime(notification.createdAt, viewer)}</time>
        {bookingId === undefined ? null : (
          <Link href={`/bookings/${encodeURIComponent(bookingId)}`} aria-describedby={titleId}>
            View booking
          </Link>
        )}
        {unread ? (
          <Button variant="secondary" busy={markRead.isPending} aria-describedby={titleId} onClick={() => markRead.mutate()}>
            Mark as read
          </Button>
        ) : (
          <span>Read</span>
        )}
      </div>
      <ErrorMessage error={markRead.error ?? undefined} />
    </li>
  );
}

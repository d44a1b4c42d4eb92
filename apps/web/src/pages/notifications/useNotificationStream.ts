import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useAuth } from '../../auth/auth';
import { session } from '../../auth/session';
import type { Notification } from './notifications';

/*
 * The signed-in user's live notifications (GET /api/v1/notifications/stream, Server-Sent Events).
 *
 * EventSource cannot send an Authorization header, so the access token travels in the URL, and
 * that is the catch: the browser's own reconnect reuses the URL, token and all, long after the
 * token has expired (15 minutes by default). So:
 * - a dropped stream whose token is still fresh is left to the browser, which reconnects with
 *   Last-Event-ID and gets what was stored meanwhile from the server;
 * - otherwise (token stale, or the browser gave up: a 401, 429 TOO_MANY_STREAMS or 5xx fails an
 *   EventSource for good) we close it and open a new one with a fresh token from session.accessToken(),
 *   after a growing, jittered pause when attempts keep failing.
 * A stream we open ourselves cannot send Last-Event-ID, and a first one replays nothing, so every
 * time a stream opens the ['notifications'] queries are refetched: what was stored before it
 * opened (after the page's first read, or while it was down) is counted too.
 * The server sends `: heartbeat` comments, which EventSource swallows without an event: they keep
 * proxies from cutting the stream, but cannot drive a watchdog here.
 */

export type StreamStatus = 'connecting' | 'live' | 'retrying';

export interface StreamCallbacks {
  readonly onNotification: (notification: Notification) => void;
  /** A stream is open (first or again): whatever was stored before it opened should be fetched. */
  readonly onOpen: () => void;
  /** An attempt failed and the next waits `delayMs`. */
  readonly onFailure: (delayMs: number) => void;
  readonly onStatus: (status: StreamStatus) => void;
}

const baseDelayMs = 1_000;
const maxDelayMs = 60_000;

/** 1 s, 2 s, 4 s … up to a minute, ±25 % so many tabs do not come back in step. */
export function retryDelayMs(failures: number): number {
  const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(delay * (0.75 + Math.random() * 0.5));
}

function tokenIsFresh(token: string): boolean {
  const { accessToken, expiresAt } = session.snapshot();
  return accessToken === token && Date.now() < expiresAt;
}

/** Opens the stream and keeps it open until the returned function is called. */
export function connectNotificationStream(callbacks: StreamCallbacks): () => void {
  let stopped = false;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Attempts that failed since the last open stream. */
  let failures = 0;
  let droppedSinceOpen = false;

  const retryLater = (): void => {
    source?.close();
    source = null;
    failures += 1;
    const delay = retryDelayMs(failures);
    callbacks.onStatus('retrying');
    callbacks.onFailure(delay);
    clearTimeout(timer);
    timer = setTimeout(() => void open(), delay);
  };

  const open = async (): Promise<void> => {
    timer = undefined;
    if (stopped) return;
    callbacks.onStatus('connecting');
    const token = await session.accessToken();
    if (stopped) return;
    if (token === null) {
      // Signed out meanwhile (or the refresh was refused): the hook's owner closes us on sign-out.
      retryLater();
      return;
    }
    const stream = new EventSource(`/api/v1/notifications/stream?access_token=${encodeURIComponent(token)}`);
    source = stream;
    stream.onopen = () => {
      if (stream !== source) return;
      failures = 0;
      droppedSinceOpen = false;
      callbacks.onStatus('live');
      callbacks.onOpen();
    };
    stream.addEventListener('notification', (event) => {
      if (stream !== source) return;
      let notification: Notification;
      try {
        notification = JSON.parse((event as MessageEvent<string>).data) as Notification;
      } catch {
        return;
      }
      callbacks.onNotification(notification);
    });
    stream.onerror = () => {
      if (stream !== source) return;
      if (stream.readyState === EventSource.CLOSED) {
        retryLater();
        return;
      }
      // CONNECTING: the browser is about to reconnect with this same URL. Let it, once, while the
      // token in the URL is still good; a second failure in a row is ours to pace.
      if (!droppedSinceOpen && failures === 0 && tokenIsFresh(token)) {
        droppedSinceOpen = true;
        callbacks.onStatus('connecting');
        return;
      }
      retryLater();
    };
  };

  // Back online: do not wait out the pause.
  const online = (): void => {
    if (timer === undefined || stopped) return;
    clearTimeout(timer);
    void open();
  };
  window.addEventListener('online', online);
  void open();

  return () => {
    stopped = true;
    clearTimeout(timer);
    window.removeEventListener('online', online);
    source?.close();
    source = null;
  };
}

/**
 * One live stream for this tab while someone is signed in, closed on sign-out and reopened for the
 * next user. New entries refresh every ['notifications'] query and are handed to `onNotification`.
 */
export function useNotificationStream(onNotification: (notification: Notification) => void): StreamStatus | 'off' {
  const { user } = useAuth();
  const userId = user?.id ?? null;
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const latest = useRef(onNotification);
  useEffect(() => {
    latest.current = onNotification;
  }, [onNotification]);

  useEffect(() => {
    if (userId === null) return undefined;
    const refresh = () => void queryClient.invalidateQueries({ queryKey: ['notifications'] });
    return connectNotificationStream({
      onNotification(notification) {
        refresh();
        latest.current(notification);
      },
      onOpen: refresh,
      // The count is fetched through the API client, which refreshes an expired session and signs a
      // revoked one out (closing this stream): the stream's own failures cannot tell which it was.
      onFailure: () => void queryClient.invalidateQueries({ queryKey: ['notifications', 'unread-count'] }),
      onStatus: setStatus,
    });
  }, [userId, queryClient]);

  return userId === null ? 'off' : status;
}

import type { Logger } from '@timeslot/kernel';
import { events, parseEvent, type Identity, type Subscription } from '@timeslot/ports';
import type { NotificationsContext } from '../context';
import type { InboxRow } from '../inbox/inbox.repository';
import { toNotification } from '../inbox/inbox.service';
import type { NotificationKind } from '../kinds';
import type { LiveStream, StreamEntry, StreamHub } from './stream.hub';

/** At most this many missed entries are replayed on (re)connect: the newest; older ones are in the list. */
const REPLAY_LIMIT = 100;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toEntry(row: InboxRow): StreamEntry {
  return { seq: row.seq, notification: toNotification(row) };
}

/**
 * Opens the caller's stream. With a Last-Event-ID naming one of their entries, the entries stored
 * after it are sent first; an id that is not theirs (or not an id) is ignored, as for a first
 * connection. The stream joins the hub before the inbox is read, so an entry stored meanwhile
 * arrives live if the read missed it (and once if not).
 */
export async function openStream(ctx: NotificationsContext, hub: StreamHub, caller: Identity, lastEventId: string | undefined): Promise<LiveStream> {
  const { inbox } = ctx.store;
  const db = ctx.database.db;
  const after = lastEventId !== undefined && uuidPattern.test(lastEventId.trim()) ? await inbox.find(db, caller.userId, lastEventId.trim()) : undefined;
  const stream = hub.open(caller.userId, 0);
  try {
    if (after === undefined) {
      stream.highSeq = await inbox.latestSeq(db, caller.userId);
      stream.replay([]);
    } else {
      stream.replay((await inbox.newer(db, caller.userId, after.seq, REPLAY_LIMIT)).map(toEntry));
    }
  } catch (error) {
    stream.close();
    throw error;
  }
  return stream;
}

/** Sends every open stream what was stored after the newest entry it has: the bus may have dropped some. */
export async function catchUp(ctx: NotificationsContext, hub: StreamHub): Promise<void> {
  for (const stream of hub.streams()) {
    const missed = await ctx.store.inbox.newer(ctx.database.db, stream.userId, stream.highSeq, REPLAY_LIMIT);
    for (const row of missed) stream.push(toEntry(row));
  }
}

/** The consumer name of the broadcast, for logs: every replica gets every entry. */
export const streamConsumerName = 'notifications-stream';

/**
 * Feeds this process's streams from `notification.created`, whichever replica stored the entry.
 * A broadcast copy is lost while the broker connection is down, so each reconnect is followed by
 * a catch-up read of the open streams' users.
 */
export async function followNotifications(ctx: NotificationsContext, hub: StreamHub, logger: Logger): Promise<Subscription> {
  const subscription = await ctx.bus.subscribe(
    streamConsumerName,
    [events.notificationCreated.type],
    async (raw) => {
      const { data } = parseEvent(events.notificationCreated, raw);
      hub.push(data.userId, {
        seq: data.seq,
        notification: { id: data.notificationId, kind: data.kind as NotificationKind, title: data.title, body: data.body, data: data.data, createdAt: data.createdAt, readAt: null },
      });
    },
    { broadcast: true, prefetch: 50 },
  );
  const stopListening = ctx.bus.onReconnect?.(() => {
    catchUp(ctx, hub).catch((error: unknown) => logger.warn({ err: error }, 'live streams could not catch up after a broker reconnect'));
  });
  return {
    async close() {
      stopListening?.();
      await subscription.close();
    },
  };
}

import { PassThrough } from 'node:stream';
import type { NotificationBody } from '../inbox/inbox.schemas';
import { notificationsErrors } from '../notifications.errors';

/** An entry as a live stream sends it: the API's notification, and its place in the inbox. */
export interface StreamEntry {
  readonly seq: number;
  readonly notification: NotificationBody;
}

export interface StreamHubOptions {
  /** Open streams per user on this process; one more is refused (TOO_MANY_STREAMS). */
  readonly maxPerUser: number;
  /** A comment line this often keeps proxies from timing the stream out. */
  readonly heartbeatMs: number;
  /** The `retry:` hint: how long a browser waits before reconnecting. */
  readonly retryMs: number;
}

/** A client that reads slower than this many bytes behind is cut off; it resumes with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Ids remembered per stream to send no entry twice (live push and catch-up can both carry one). */
const REMEMBERED_IDS = 1000;

/**
 * One open Server-Sent Events response. Entries that arrive while it is still sending what the
 * client missed are held back, then sent after those, so the client sees each entry once, in order.
 */
export class LiveStream {
  readonly output = new PassThrough();
  private readonly sent = new Set<string>();
  private held: StreamEntry[] | undefined = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  /** The newest place in the inbox this stream has sent. */
  highSeq: number;

  constructor(
    readonly userId: string,
    resumeSeq: number,
    private readonly options: StreamHubOptions,
    private readonly onClose: (stream: LiveStream) => void,
  ) {
    this.highSeq = resumeSeq;
    this.write(`retry: ${options.retryMs}\n: connected\n\n`);
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), options.heartbeatMs);
    this.heartbeat.unref();
    this.output.on('close', () => this.close());
  }

  /** Entries the client missed, oldest first; live entries wait until these are out. */
  replay(entries: readonly StreamEntry[]): void {
    for (const entry of entries) this.send(entry);
    const held = this.held ?? [];
    this.held = undefined;
    for (const entry of held) this.send(entry);
  }

  push(entry: StreamEntry): void {
    if (this.held !== undefined) this.held.push(entry);
    else this.send(entry);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.output.end();
    this.onClose(this);
  }

  private send(entry: StreamEntry): void {
    const id = entry.notification.id;
    if (this.sent.has(id)) return;
    this.sent.add(id);
    if (this.sent.size > REMEMBERED_IDS) this.sent.delete(this.sent.values().next().value as string);
    this.highSeq = Math.max(this.highSeq, entry.seq);
    this.write(`id: ${id}\nevent: notification\ndata: ${JSON.stringify(entry.notification)}\n\n`);
  }

  private write(text: string): void {
    if (this.closed) return;
    if (this.output.writableLength > MAX_BUFFERED_BYTES) {
      this.close();
      return;
    }
    this.output.write(text);
  }
}

/**
 * This process's open streams, by user. Entries reach it from the `notification.created`
 * broadcast, so a user connected to any replica hears of an entry stored by any other.
 */
export function createStreamHub(options: StreamHubOptions) {
  const byUser = new Map<string, Set<LiveStream>>();
  let count = 0;

  function remove(stream: LiveStream): void {
    const streams = byUser.get(stream.userId);
    if (streams?.delete(stream) !== true) return;
    count--;
    if (streams.size === 0) byUser.delete(stream.userId);
  }

  return {
    /** A new stream for the user; throws TOO_MANY_STREAMS when they already hold the maximum here. */
    open(userId: string, resumeSeq: number): LiveStream {
      const streams = byUser.get(userId) ?? new Set<LiveStream>();
      if (streams.size >= options.maxPerUser) throw notificationsErrors.tooManyStreams(options.maxPerUser);
      const stream = new LiveStream(userId, resumeSeq, options, remove);
      streams.add(stream);
      byUser.set(userId, streams);
      count++;
      return stream;
    },

    push(userId: string, entry: StreamEntry): void {
      for (const stream of byUser.get(userId) ?? []) stream.push(entry);
    },

    /** Every open stream, for a catch-up after the bus lost events (broker reconnect). */
    streams(): LiveStream[] {
      return [...byUser.values()].flatMap((streams) => [...streams]);
    },

    size(): number {
      return count;
    },

    /** Ends every stream (shutdown): browsers reconnect, to another replica, with Last-Event-ID. */
    closeAll(): void {
      for (const stream of [...byUser.values()].flatMap((streams) => [...streams])) stream.close();
    },
  };
}

export type StreamHub = ReturnType<typeof createStreamHub>;

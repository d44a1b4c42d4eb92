import { Agent, fetch } from 'undici';

/*
 * A Server-Sent Events client over a real socket (fetch), as a browser's EventSource reads a
 * stream: frames split on blank lines, `id:`, `event:`, `data:` and `retry:` fields, comments.
 */

export interface SseFrame {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  readonly retry?: number;
  /** Comment lines (": heartbeat"), without the colon. */
  readonly comments: readonly string[];
}

export interface SseConnection {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  /** The body of a refused connection (problem+json), else ''. */
  readonly problem: string;
  /** Every frame so far. */
  readonly frames: SseFrame[];
  /** Resolves with the first frame (from the start) that satisfies `match`. */
  next(match: (frame: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

function parseFrame(block: string): SseFrame {
  const frame: { id?: string; event?: string; data?: string; retry?: number; comments: string[] } = { comments: [] };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      frame.comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') frame.id = value;
    else if (field === 'event') frame.event = value;
    else if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
    else if (field === 'retry') frame.retry = Number(value);
  }
  return frame;
}

export async function openSse(url: string, options: { token?: string; lastEventId?: string } = {}): Promise<SseConnection> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  // A connection pool of its own, destroyed on close: no idle socket is left for a server's close to wait on.
  const agent = new Agent({ connections: 1 });
  const response = await fetch(url, { headers, signal: controller.signal, dispatcher: agent });
  const frames: SseFrame[] = [];
  const waiters: { match: (frame: SseFrame) => boolean; resolve: (frame: SseFrame) => void }[] = [];
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const problem = await response.text();
    await agent.close();
    return { status: response.status, headers: response.headers, problem, frames, next: () => Promise.reject(new Error(`no stream: ${response.status} ${problem}`)), ended: Promise.resolve(), close: () => undefined };
  }

  const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = parseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          frames.push(frame);
          for (const waiter of [...waiters]) {
            if (waiter.match(frame)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(frame);
            }
          }
        }
      }
    } catch {
      // Aborted by close(): the stream is over for us.
    } finally {
      void agent.destroy().catch(() => undefined);
    }
  })();

  return {
    status: response.status,
    headers: response.headers,
    problem: '',
    frames,
    ended,
    next(match, timeoutMs = 5_000) {
      const found = frames.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<SseFrame>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`)), timeoutMs);
        waiters.push({
          match,
          resolve: (frame) => {
            clearTimeout(timer);
            resolve(frame);
          },
        });
      });
    },
    close() {
      controller.abort();
      void agent.destroy().catch(() => undefined);
    },
  };
}

/** A frame carrying a notification, with its entry parsed. */
export function notificationOf(frame: SseFrame): { id: string; kind: string; title: string; body: string; data: Record<string, unknown> } {
  return JSON.parse(frame.data ?? 'null') as { id: string; kind: string; title: string; body: string; data: Record<string, unknown> };
}

export const isNotification = (frame: SseFrame) => frame.event === 'notification';

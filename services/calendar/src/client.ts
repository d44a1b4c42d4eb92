import { Agent, request } from 'undici';
import type { z } from 'zod';
import { busyTimesSchema, internalTokenHeader, meetingSchema, type CalendarClient } from '@timeslot/ports';
import { busyTimes } from './busy/busy.service';
import type { CalendarContext } from './context';
import { dropMeeting, ensureMeeting } from './meetings/meeting.service';

/** The calendar service of this process, called as functions: no network, no serialisation. */
export function createLocalCalendarClient(ctx: CalendarContext): CalendarClient {
  return {
    ensureMeeting: (meetingRequest) => ensureMeeting(ctx, meetingRequest),
    dropMeeting: (bookingId) => dropMeeting(ctx, bookingId),
    busyTimes: (providerUserId, from, to) => busyTimes(ctx, providerUserId, from, to),
  };
}

export interface HttpCalendarClientOptions {
  /** The calendar service's base URL (CALENDAR_URL), e.g. http://calendar:4003. */
  readonly url: string;
  /** The shared service token (INTERNAL_TOKEN). */
  readonly internalToken: string;
  /** Per call, connection included (CALENDAR_TIMEOUT_MS). Callers may give up sooner. */
  readonly timeoutMs: number;
}

export interface HttpCalendarClient extends CalendarClient {
  close(): Promise<void>;
}

/** The calendar service of another process, through its internal routes (undici, kept-alive connections). */
export function createHttpCalendarClient(options: HttpCalendarClientOptions): HttpCalendarClient {
  const base = options.url.replace(/\/+$/, '');
  const dispatcher = new Agent({ connect: { timeout: options.timeoutMs }, keepAliveTimeout: 10_000 });

  async function call<S extends z.ZodType>(method: 'GET' | 'PUT' | 'DELETE', path: string, schema: S | undefined, body?: unknown): Promise<z.infer<S>> {
    const response = await request(`${base}${path}`, {
      method,
      dispatcher,
      headers: { [internalTokenHeader]: options.internalToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) {
      let code = '';
      try {
        const problem = JSON.parse(text) as { code?: unknown };
        if (typeof problem.code === 'string') code = problem.code;
      } catch {
        // Not problem+json: the status says enough.
      }
      throw new Error(`calendar service answered ${response.statusCode}${code === '' ? '' : ` ${code}`} to ${method} ${path}`);
    }
    return schema === undefined ? (undefined as z.infer<S>) : schema.parse(JSON.parse(text));
  }

  return {
    ensureMeeting: (meetingRequest) => call('PUT', `/api/v1/internal/meetings/${meetingRequest.bookingId}`, meetingSchema, meetingRequest),
    dropMeeting: async (bookingId) => {
      await call('DELETE', `/api/v1/internal/meetings/${bookingId}`, undefined);
    },
    busyTimes: (providerUserId, from, to) =>
      call('GET', `/api/v1/internal/busy-times/${providerUserId}?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`, busyTimesSchema),
    close: () => dispatcher.close(),
  };
}

import type { Credentials } from 'google-auth-library';
import { LRUCache } from 'lru-cache';
import { createBuiltinProvider, type CalendarProvider } from '../adapters/calendar-provider';
import { createGoogleProvider, createOAuthClient, googleFailure } from '../adapters/google';
import type { CalendarContext } from '../context';
import type { ConnectionRow } from '../tables';
import { createConnectionRepository } from './connection.repository';

/** What each stored secret is bound to: a ciphertext copied to another row or field does not decrypt. */
export const sealedAs = {
  refreshToken: (userId: string) => `google:${userId}:refresh_token`,
  accessToken: (userId: string) => `google:${userId}:access_token`,
  codeVerifier: (userId: string) => `oauth-state:${userId}:code_verifier`,
} as const;

const builtins = new WeakMap<CalendarContext, CalendarProvider>();

export function builtinProvider(ctx: CalendarContext): CalendarProvider {
  let provider = builtins.get(ctx);
  if (provider === undefined) {
    provider = createBuiltinProvider(ctx.options.meetingBaseUrl, (bookingId) => ctx.secrets.meetingToken(bookingId));
    builtins.set(ctx, provider);
  }
  return provider;
}

/**
 * Providers found without a Google connection, remembered briefly per process, so the booking
 * path's meeting call for them is a function call (an HMAC) and not a database read. Connecting
 * through this process forgets the entry at once; through another replica, it takes effect here
 * within this time (meanwhile their bookings get built-in links).
 */
const UNCONNECTED_MEMO_MS = 60_000;
const unconnected = new WeakMap<CalendarContext, LRUCache<string, true>>();

function unconnectedOf(ctx: CalendarContext): LRUCache<string, true> {
  let memo = unconnected.get(ctx);
  if (memo === undefined) {
    memo = new LRUCache({ max: 100_000, ttl: UNCONNECTED_MEMO_MS });
    unconnected.set(ctx, memo);
  }
  return memo;
}

/** After connecting `userId`: their next meeting is made in their calendar. */
export function forgetUnconnected(ctx: CalendarContext, userId: string): void {
  unconnectedOf(ctx).delete(userId);
}

/** The connection a new meeting of `userId` is made with (see UNCONNECTED_MEMO_MS), or undefined for a built-in link. */
export async function meetingConnection(ctx: CalendarContext, userId: string): Promise<ConnectionRow | undefined> {
  if (ctx.options.google === undefined || unconnectedOf(ctx).has(userId)) return undefined;
  const connection = await activeConnection(ctx, userId);
  if (connection === undefined) unconnectedOf(ctx).set(userId, true);
  return connection;
}

/** A live Google connection (configured, not refused by Google), or undefined. */
export async function activeConnection(ctx: CalendarContext, userId: string): Promise<ConnectionRow | undefined> {
  if (ctx.options.google === undefined) return undefined;
  const connection = await createConnectionRepository(ctx.tables).find(ctx.database.db, userId);
  return connection?.brokenAt === null ? connection : undefined;
}

/**
 * The Google adapter for one connection. Its OAuth client refreshes the access token when it has
 * expired; the new token is stored (encrypted) before the call that needed it returns. A refresh
 * token Google refuses (`invalid_grant`: revoked by the user) marks the connection broken: the
 * provider must reconnect, and meanwhile gets built-in links.
 */
export function googleProvider(ctx: CalendarContext, connection: ConnectionRow): CalendarProvider {
  const settings = ctx.options.google;
  if (settings === undefined) throw new Error('Google is not configured');
  const { userId } = connection;
  const repository = createConnectionRepository(ctx.tables);
  const credentials: Credentials = {
    refresh_token: ctx.secrets.decrypt(connection.refreshToken, sealedAs.refreshToken(userId)),
    ...(connection.accessToken === null ? {} : { access_token: ctx.secrets.decrypt(connection.accessToken, sealedAs.accessToken(userId)) }),
    ...(connection.accessTokenExpiresAt === null ? {} : { expiry_date: connection.accessTokenExpiresAt.getTime() }),
  };
  // Built by the first call: the OAuth client and the API come from Google's SDKs, loaded on demand.
  let ready: Promise<CalendarProvider> | undefined;
  let saving: Promise<void> = Promise.resolve();
  const inner = (): Promise<CalendarProvider> =>
    (ready ??= (async () => {
      const client = await createOAuthClient(settings, credentials);
      client.on('tokens', (tokens: Credentials) => {
        if (typeof tokens.access_token !== 'string') return;
        const accessToken = ctx.secrets.encrypt(tokens.access_token, sealedAs.accessToken(userId));
        const refreshToken = typeof tokens.refresh_token === 'string' ? ctx.secrets.encrypt(tokens.refresh_token, sealedAs.refreshToken(userId)) : undefined;
        const expiresAt = typeof tokens.expiry_date === 'number' ? new Date(tokens.expiry_date) : null;
        saving = saving
          .then(() => repository.saveAccessToken(ctx.database.db, userId, { accessToken, expiresAt, ...(refreshToken === undefined ? {} : { refreshToken }) }, ctx.options.now()))
          .catch((error: unknown) => ctx.logger.warn({ err: error, userId }, 'could not store a refreshed Google access token; it will be refreshed again'));
      });
      return createGoogleProvider(settings, client, connection.calendarId);
    })());

  async function call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (googleFailure(error).reason === 'invalid_grant') {
        ctx.logger.warn({ userId }, 'Google refused the refresh token: the calendar connection needs to be made again');
        await repository.markBroken(ctx.database.db, userId, ctx.options.now());
      }
      throw error;
    } finally {
      await saving;
    }
  }

  return {
    kind: 'google',
    createMeeting: (details) => call(async () => (await inner()).createMeeting(details)),
    moveMeeting: (eventId, details) => call(async () => (await inner()).moveMeeting(eventId, details)),
    removeMeeting: (eventId) => call(async () => (await inner()).removeMeeting(eventId)),
    busyPeriods: (from, to) => call(async () => (await inner()).busyPeriods(from, to)),
  };
}

/** The adapter meetings of `userId` are made with: their Google calendar when connected, else built-in links. */
export async function providerFor(ctx: CalendarContext, userId: string): Promise<CalendarProvider> {
  const connection = await activeConnection(ctx, userId);
  return connection === undefined ? builtinProvider(ctx) : googleProvider(ctx, connection);
}

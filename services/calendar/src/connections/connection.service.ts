import { createHash, randomBytes } from 'node:crypto';
import { commonErrors } from '@timeslot/kernel';
import { events, makeEvent, type Identity } from '@timeslot/ports';
import { consentUrl, exchangeCode, revokeGrant, type GoogleSettings, type GoogleTokens } from '../adapters/google';
import { isStale, refreshBusy } from '../busy/busy.service';
import { eventSource, type CalendarContext } from '../context';
import { calendarErrors } from '../errors';
import type { ConnectionRow } from '../tables';
import { createConnectionRepository } from './connection.repository';
import type { Connection } from './connection.schemas';
import { forgetUnconnected, sealedAs } from './google-account';

/*
 * Connecting a provider's Google Calendar: the OAuth 2.0 authorization-code flow with PKCE (S256)
 * and a state that is random, single use, bound to the user who started it and valid 10 minutes.
 * Only the state's hash is stored; the PKCE verifier and every token are stored encrypted.
 */

const STATE_TTL_MS = 10 * 60_000;

function hashState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

function google(ctx: CalendarContext): GoogleSettings {
  if (ctx.options.google === undefined) throw calendarErrors.googleNotConfigured();
  return ctx.options.google;
}

export function toConnection(ctx: CalendarContext, row: ConnectionRow): Connection {
  return {
    provider: 'google',
    account: row.accountEmail,
    calendarId: row.calendarId,
    status: row.brokenAt === null ? 'active' : 'reconnect_needed',
    connectedAt: row.connectedAt.toISOString(),
    busyTimes: { syncedAt: row.syncedAt?.toISOString() ?? null, stale: isStale(ctx, row, ctx.options.now()) },
  };
}

/** Start connecting: a consent URL carrying a new state and PKCE challenge. */
export async function startGoogleConnect(ctx: CalendarContext, caller: Identity): Promise<{ authorizationUrl: string; expiresAt: string }> {
  const settings = google(ctx);
  const state = randomBytes(32).toString('base64url');
  // RFC 7636: 43 to 128 characters of [A-Za-z0-9-._~]; 64 bytes of base64url is 86.
  const verifier = randomBytes(64).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const now = ctx.options.now();
  const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
  await createConnectionRepository(ctx.tables).insertState(
    ctx.database.db,
    { stateHash: hashState(state), userId: caller.userId, codeVerifier: ctx.secrets.encrypt(verifier, sealedAs.codeVerifier(caller.userId)), expiresAt },
    now,
  );
  return { authorizationUrl: await consentUrl(settings, state, challenge), expiresAt: expiresAt.toISOString() };
}

/**
 * Google sent the browser back. The state is taken (deleted) whatever happens next, so it works
 * once. It must exist, be unexpired, and, when the request carries a token, belong to that user.
 */
export async function completeGoogleConnect(
  ctx: CalendarContext,
  caller: Identity | null,
  query: { state: string; code?: string | undefined; error?: string | undefined },
): Promise<Connection> {
  const settings = google(ctx);
  const repository = createConnectionRepository(ctx.tables);
  const now = ctx.options.now();
  const pending = await repository.takeState(ctx.database.db, hashState(query.state));
  if (pending === undefined || pending.expiresAt <= now) throw calendarErrors.stateInvalid();
  if (caller !== null && caller.userId !== pending.userId) throw calendarErrors.stateInvalid();
  if (query.error !== undefined) throw calendarErrors.consentDenied(query.error);
  if (query.code === undefined) throw commonErrors.validation([{ path: 'querystring.code', message: 'is required' }]);
  const userId = pending.userId;
  let verifier: string;
  try {
    verifier = ctx.secrets.decrypt(pending.codeVerifier, sealedAs.codeVerifier(userId));
  } catch {
    // Sealed under another key (CALENDAR_TOKEN_KEY changed in the last 10 minutes): start again.
    throw calendarErrors.stateInvalid();
  }
  let tokens: GoogleTokens;
  try {
    tokens = await exchangeCode(settings, query.code, verifier);
  } catch (error) {
    ctx.logger.warn({ err: error, userId }, 'Google refused the authorization code');
    throw calendarErrors.googleRefused('exchanging the authorization code', error);
  }
  const row = await ctx.database.db.transaction(async (tx) => {
    const saved = await repository.upsert(
      tx,
      {
        userId,
        accountEmail: tokens.accountEmail,
        refreshToken: ctx.secrets.encrypt(tokens.refreshToken, sealedAs.refreshToken(userId)),
        accessToken: ctx.secrets.encrypt(tokens.accessToken, sealedAs.accessToken(userId)),
        accessTokenExpiresAt: tokens.expiresAt,
        scopes: tokens.scopes,
      },
      now,
    );
    await ctx.outbox.append(tx, [makeEvent(events.calendarBusyChanged, { providerUserId: userId }, { source: eventSource })]);
    return saved;
  });
  ctx.outbox.notify();
  forgetUnconnected(ctx, userId);
  // The first read of busy times, so the provider's slots reflect them from now on. A failure is
  // recorded (stale) and retried by the background sync; connecting has succeeded regardless.
  await refreshBusy(ctx, userId);
  return toConnection(ctx, (await repository.find(ctx.database.db, userId)) ?? row);
}

export async function listConnections(ctx: CalendarContext, caller: Identity): Promise<{ items: Connection[] }> {
  const row = await createConnectionRepository(ctx.tables).find(ctx.database.db, caller.userId);
  return { items: row === undefined ? [] : [toConnection(ctx, row)] };
}

/**
 * Disconnect: the tokens and busy times are deleted at once (slots stop excluding them), and
 * Google is asked to forget the grant (best effort). Meetings already made stay in the calendar.
 */
export async function disconnectGoogle(ctx: CalendarContext, caller: Identity): Promise<void> {
  const repository = createConnectionRepository(ctx.tables);
  const removed = await ctx.database.db.transaction(async (tx) => {
    const row = await repository.remove(tx, caller.userId);
    if (row !== undefined) await ctx.outbox.append(tx, [makeEvent(events.calendarBusyChanged, { providerUserId: caller.userId }, { source: eventSource })]);
    return row;
  });
  if (removed === undefined) throw calendarErrors.connectionNotFound();
  ctx.outbox.notify();
  const settings = ctx.options.google;
  if (settings === undefined) return;
  try {
    await revokeGrant(settings, ctx.secrets.decrypt(removed.refreshToken, sealedAs.refreshToken(caller.userId)));
  } catch (error) {
    ctx.logger.warn({ err: error, userId: caller.userId }, 'Google did not confirm revoking the grant; the tokens are deleted here regardless');
  }
}

// Google's SDKs are loaded by the first call that needs them, not at start: they take a while to
// load, and most installations never connect a Google calendar.
import type { calendar_v3 } from '@googleapis/calendar';
import type { Credentials, OAuth2Client } from 'google-auth-library';
import type { BusyPeriod } from '@timeslot/ports';
import type { CalendarProvider, MeetingDetails } from './calendar-provider';

/*
 * Google Calendar + Meet through Google's own client libraries (@googleapis/calendar and
 * google-auth-library). Every endpoint can be pointed elsewhere (GOOGLE_API_URL, GOOGLE_OAUTH_URL):
 * the tests run this very code against a local server that speaks Google's OAuth and Calendar v3
 * REST shapes (test/fake-google.ts).
 */

export interface GoogleSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where Google sends the browser back: this service's /api/v1/calendar/google/callback. */
  readonly redirectUrl: string;
  /** Calendar API origin (default https://www.googleapis.com/). */
  readonly apiUrl?: string | undefined;
  /** One origin for the consent page, token and revoke endpoints (default: Google's own). */
  readonly oauthUrl?: string | undefined;
  /** Per request to Google (default 10 s). Retries are ours (bus, sweep), not the library's. */
  readonly timeoutMs?: number | undefined;
}

/** Events in the provider's calendars, their free/busy, and who they are (openid email). */
export const googleScopes = [
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.freebusy',
  'openid',
  'email',
] as const;

const DEFAULT_TIMEOUT_MS = 10_000;

export async function createOAuthClient(settings: GoogleSettings, credentials?: Credentials): Promise<OAuth2Client> {
  const { OAuth2Client } = await import('google-auth-library');
  const base = settings.oauthUrl?.replace(/\/+$/, '');
  const client = new OAuth2Client({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    redirectUri: settings.redirectUrl,
    ...(base === undefined
      ? {}
      : { endpoints: { oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`, oauth2TokenUrl: `${base}/token`, oauth2RevokeUrl: `${base}/revoke` } }),
    transporterOptions: { timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS },
  });
  if (credentials !== undefined) client.setCredentials(credentials);
  return client;
}

/** The consent page: offline access (a refresh token), PKCE S256, our state. */
export async function consentUrl(settings: GoogleSettings, state: string, codeChallenge: string): Promise<string> {
  const { CodeChallengeMethod } = await import('google-auth-library');
  return (await createOAuthClient(settings)).generateAuthUrl({
    access_type: 'offline',
    // Always ask, so Google always returns a refresh token, even to an account that granted before.
    prompt: 'consent',
    include_granted_scopes: true,
    scope: [...googleScopes],
    state,
    code_challenge_method: CodeChallengeMethod.S256,
    code_challenge: codeChallenge,
  });
}

export interface GoogleTokens {
  readonly refreshToken: string;
  readonly accessToken: string;
  readonly expiresAt: Date | null;
  readonly scopes: string;
  readonly accountEmail: string | null;
}

/** Trade the authorization code (and its PKCE verifier) for tokens. Rejects when Google refuses. */
export async function exchangeCode(settings: GoogleSettings, code: string, codeVerifier: string): Promise<GoogleTokens> {
  const { tokens } = await (await createOAuthClient(settings)).getToken({ code, codeVerifier });
  if (typeof tokens.refresh_token !== 'string' || typeof tokens.access_token !== 'string') {
    throw new Error('Google answered without a refresh token');
  }
  return {
    refreshToken: tokens.refresh_token,
    accessToken: tokens.access_token,
    expiresAt: typeof tokens.expiry_date === 'number' ? new Date(tokens.expiry_date) : null,
    scopes: tokens.scope ?? googleScopes.join(' '),
    accountEmail: emailOf(tokens.id_token),
  };
}

/**
 * The account's email from the ID token. Its signature is not checked: the token came straight
 * from Google's token endpoint over TLS in answer to our own request, which OpenID Connect Core
 * §3.1.3.7 accepts in place of a signature check. It is only shown to the user, never trusted.
 */
function emailOf(idToken: string | null | undefined): string | null {
  const payload = idToken?.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { email?: unknown };
    return typeof claims.email === 'string' ? claims.email : null;
  } catch {
    return null;
  }
}

/** Tell Google to forget the grant (best effort: disconnecting never waits on it). */
export async function revokeGrant(settings: GoogleSettings, token: string): Promise<void> {
  await (await createOAuthClient(settings)).revokeToken(token);
}

/** The HTTP status and Google's reason of a failed call (e.g. 409 duplicate, 400 invalid_grant). */
export function googleFailure(error: unknown): { status: number | undefined; reason: string | undefined } {
  const e = error as { status?: unknown; response?: { status?: unknown; data?: unknown } };
  const status = typeof e.status === 'number' ? e.status : typeof e.response?.status === 'number' ? e.response.status : undefined;
  const data = e.response?.data as { error?: unknown } | undefined;
  let reason: string | undefined;
  if (typeof data?.error === 'string') reason = data.error;
  else if (typeof data?.error === 'object' && data.error !== null) {
    const first = (data.error as { errors?: { reason?: unknown }[] }).errors?.[0]?.reason;
    reason = typeof first === 'string' ? first : undefined;
  }
  return { status, reason };
}

/** Google's event ids are base32hex (a–v, 0–9), 5 to 1024 characters: the booking id's hex fits. */
export function googleEventId(bookingId: string, generation: number): string {
  return `ts${bookingId.replace(/-/g, '').toLowerCase()}g${generation}`;
}

function eventBody(details: MeetingDetails): calendar_v3.Schema$Event {
  return {
    summary: `${details.serviceName} (Timeslot)`,
    description: `Booked through Timeslot with ${details.providerName}. Booking ${details.bookingId}.`,
    start: { dateTime: details.startsAt.toISOString(), timeZone: details.timeZone },
    end: { dateTime: details.endsAt.toISOString(), timeZone: details.timeZone },
  };
}

function meetUrl(event: calendar_v3.Schema$Event): string | undefined {
  if (typeof event.hangoutLink === 'string' && event.hangoutLink !== '') return event.hangoutLink;
  return event.conferenceData?.entryPoints?.find((entry) => entry.entryPointType === 'video')?.uri ?? undefined;
}

/** The adapter for one provider's Google account, through `auth` (which refreshes its access token itself). */
export async function createGoogleProvider(settings: GoogleSettings, auth: OAuth2Client, calendarId: string): Promise<CalendarProvider> {
  const { calendar } = await import('@googleapis/calendar');
  const api = calendar({
    version: 'v3',
    auth,
    ...(settings.apiUrl === undefined ? {} : { rootUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/` }),
    timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: false,
  });

  return {
    kind: 'google',

    async createMeeting(details) {
      const eventId = googleEventId(details.bookingId, details.generation);
      let event: calendar_v3.Schema$Event;
      try {
        const inserted = await api.events.insert({
          calendarId,
          conferenceDataVersion: 1,
          sendUpdates: 'none',
          requestBody: {
            ...eventBody(details),
            id: eventId,
            // The request id makes Google create one conference however often this is sent.
            conferenceData: { createRequest: { requestId: eventId, conferenceSolutionKey: { type: 'hangoutsMeet' } } },
          },
        });
        event = inserted.data;
      } catch (error) {
        // Made by an earlier attempt whose answer we never got: the event is there, read it.
        if (googleFailure(error).status !== 409) throw error;
        event = (await api.events.get({ calendarId, eventId })).data;
      }
      const url = meetUrl(event);
      // Google may create the conference asynchronously; a later attempt reads it once made.
      if (url === undefined) throw new Error(`Google has not made the Meet conference of event ${eventId} yet`);
      return { url, eventId };
    },

    async moveMeeting(eventId, details) {
      const { start, end } = eventBody(details);
      await api.events.patch({ calendarId, eventId, sendUpdates: 'none', requestBody: { start, end } });
    },

    async removeMeeting(eventId) {
      try {
        await api.events.delete({ calendarId, eventId, sendUpdates: 'none' });
      } catch (error) {
        const { status } = googleFailure(error);
        // Already gone (deleted by an earlier attempt, or by the provider in Google): done.
        if (status !== 404 && status !== 410) throw error;
      }
    },

    async busyPeriods(from, to) {
      const answer = await api.freebusy.query({ requestBody: { timeMin: from.toISOString(), timeMax: to.toISOString(), items: [{ id: calendarId }] } });
      const entry = answer.data.calendars?.[calendarId];
      if (entry === undefined) throw new Error('Google answered free/busy without the calendar asked for');
      if ((entry.errors?.length ?? 0) > 0) throw new Error(`Google could not read the calendar's free/busy: ${entry.errors?.map((e) => e.reason).join(', ')}`);
      const periods: BusyPeriod[] = [];
      for (const busy of entry.busy ?? []) {
        if (typeof busy.start !== 'string' || typeof busy.end !== 'string') continue;
        const start = new Date(busy.start);
        const end = new Date(busy.end);
        if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) continue;
        periods.push({ start: start.toISOString(), end: end.toISOString() });
      }
      return periods.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    },
  };
}

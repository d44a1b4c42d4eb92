import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { IdentityService } from '@timeslot/identity';
import type { JobQueue } from '@timeslot/ports';

/*
 * A realistic walk through the whole API, successes and refusals, for the contract test: every
 * operation of the document at least once. Each step states the status it expects, so a step that
 * silently stopped reaching its route (and would prove nothing about its declared answers) fails.
 */

export interface Exchange {
  readonly step: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

export interface ScenarioDeps {
  readonly identity: IdentityService;
  readonly jobs: JobQueue;
  readonly clock: { set(iso: string): void };
  /** The (fake) Google consent page: follows an authorization URL, returns the callback it redirects to. */
  readonly google: { consent(authorizationUrl: string): Promise<{ callbackPath: string }> };
  /** The simulator gateway's webhook signature header for a body, as the simulator would sign it now. */
  readonly signSimulatorWebhook: (body: string) => string;
}

type Inject = (options: InjectOptions) => Promise<LightMyRequestResponse>;

interface Call {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly token?: string;
  readonly payload?: unknown;
  readonly headers?: Record<string, string>;
  /** Default: a new address per call, so the gateway's per-address limit never interferes. */
  readonly remoteAddress?: string;
  /**
   * An endless response (Server-Sent Events): read until its first complete frame, then leave it;
   * the server ends it when the app closes.
   */
  readonly stream?: boolean;
}

const password = 'correct horse battery';
/** The names of the steps, for the report when a step fails. */
export const scenario: string[] = [];

let addressCounter = 0;
function nextAddress(): string {
  addressCounter += 1;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

/** Run the scenario; returns every request's answer. Throws when a step gets another status than expected. */
export async function collectExchanges(inject: Inject, deps: ScenarioDeps): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];

  async function step(name: string, expected: number, call: Call): Promise<LightMyRequestResponse> {
    scenario.push(name);
    const headers: Record<string, string> = { ...call.headers };
    if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
    const response = await inject({
      method: call.method,
      url: call.url,
      headers,
      remoteAddress: call.remoteAddress ?? nextAddress(),
      ...(call.payload === undefined ? {} : { payload: call.payload as InjectOptions['payload'] }),
      ...(call.stream === true ? { payloadAsStream: true } : {}),
    });
    const body = call.stream === true ? await firstFrame(response) : response.body;
    exchanges.push({
      step: name,
      method: call.method,
      path: call.url.split('?')[0] ?? call.url,
      status: response.statusCode,
      contentType: response.headers['content-type'] as string | undefined,
      body,
    });
    if (response.statusCode !== expected) throw new Error(`step "${name}": expected ${expected}, got ${response.statusCode} ${body}`);
    return response;
  }

  /** The first frame of an event stream (or the whole body of a refusal, which ends). */
  async function firstFrame(response: LightMyRequestResponse): Promise<string> {
    let text = '';
    for await (const chunk of response.stream()) {
      text += (chunk as Buffer).toString('utf8');
      if (text.includes('\n\n') && (response.headers['content-type'] ?? '').toString().startsWith('text/event-stream')) break;
    }
    return text;
  }

  const json = <T>(response: LightMyRequestResponse): T => response.json<T>();

  // Accounts and sessions.
  const unique = randomUUID().slice(0, 8);
  const register = (role: string, who: string) =>
    step(`register a ${role}`, 201, { method: 'POST', url: '/api/v1/auth/register', payload: { email: `${who}.${unique}@example.com`, password, name: who, role } });
  await register('provider', 'ada');
  const clientSession = json<{ accessToken: string; user: { id: string } }>(await register('client', 'bob'));
  const secondClient = json<{ accessToken: string }>(await register('client', 'cy'));
  const thirdClient = json<{ accessToken: string }>(await register('client', 'dee')).accessToken;
  await step('register twice', 409, { method: 'POST', url: '/api/v1/auth/register', payload: { email: `ada.${unique}@example.com`, password, name: 'Ada', role: 'provider' } });
  await step('register with a bad body', 400, { method: 'POST', url: '/api/v1/auth/register', payload: { email: 'nope', password: 'short', role: 'client' } });

  const login = json<{ accessToken: string; refreshToken: string }>(
    await step('log in', 200, { method: 'POST', url: '/api/v1/auth/login', payload: { email: `ada.${unique}@example.com`, password } }),
  );
  const provider = login.accessToken;
  const client = clientSession.accessToken;
  await step('log in with a wrong password', 401, { method: 'POST', url: '/api/v1/auth/login', payload: { email: `cy.${unique}@example.com`, password: 'wrong password' } });
  await step('log in with a wrong password again', 401, { method: 'POST', url: '/api/v1/auth/login', payload: { email: `cy.${unique}@example.com`, password: 'wrong password' } });
  await step('log in past the per-account limit', 429, { method: 'POST', url: '/api/v1/auth/login', payload: { email: `cy.${unique}@example.com`, password: 'wrong password' } });
  await step('log in with a bad body', 400, { method: 'POST', url: '/api/v1/auth/login', payload: { email: `ada.${unique}@example.com` } });

  const refreshed = json<{ refreshToken: string }>(
    await step('refresh', 200, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: login.refreshToken } }),
  );
  await step('refresh with a used token', 401, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: login.refreshToken } });
  await step('refresh with a bad body', 400, { method: 'POST', url: '/api/v1/auth/refresh', payload: {} });
  await step('log out', 204, { method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken: refreshed.refreshToken } });
  await step('log out with a bad body', 400, { method: 'POST', url: '/api/v1/auth/logout', payload: { token: 'x' } });
  await step('read the signing keys', 200, { method: 'GET', url: '/.well-known/jwks.json' });

  await step('read my profile', 200, { method: 'GET', url: '/api/v1/users/me', token: client });
  await step('read my profile without a token', 401, { method: 'GET', url: '/api/v1/users/me' });
  await step('read my profile with a forged token', 401, { method: 'GET', url: '/api/v1/users/me', token: 'not.a.token' });
  await step('change my profile', 200, { method: 'PATCH', url: '/api/v1/users/me', token: client, payload: { name: 'Bob B.' } });
  await step('change nothing in my profile', 400, { method: 'PATCH', url: '/api/v1/users/me', token: client, payload: {} });

  await deps.identity.createAdmin({ email: `root.${unique}@example.com`, password, name: 'Root' });
  const admin = json<{ accessToken: string }>(
    await step('log in as admin', 200, { method: 'POST', url: '/api/v1/auth/login', payload: { email: `root.${unique}@example.com`, password } }),
  ).accessToken;

  // Accounts an administrator disables and enables again.
  const eve = json<{ accessToken: string; user: { id: string } }>(await register('client', 'eve'));
  const disableUrl = `/api/v1/users/${eve.user.id}/disable`;
  await step('disable an account as a client', 403, { method: 'POST', url: disableUrl, token: client, payload: {} });
  await step('disable an account without a token', 401, { method: 'POST', url: disableUrl, payload: {} });
  await step('disable an unknown account', 404, { method: 'POST', url: `/api/v1/users/${randomUUID()}/disable`, token: admin, payload: {} });
  await step('disable an account with a bad id', 400, { method: 'POST', url: '/api/v1/users/not-a-uuid/disable', token: admin, payload: {} });
  await step('disable an account', 200, { method: 'POST', url: disableUrl, token: admin, payload: { reason: 'contract test' } });
  await step('use a disabled account’s token', 401, { method: 'GET', url: '/api/v1/users/me', token: eve.accessToken });
  await step('log in to a disabled account', 403, { method: 'POST', url: '/api/v1/auth/login', payload: { email: `eve.${unique}@example.com`, password } });
  await step('enable an account again', 200, { method: 'POST', url: `/api/v1/users/${eve.user.id}/enable`, token: admin, payload: {} });
  await step('enable an unknown account', 404, { method: 'POST', url: `/api/v1/users/${randomUUID()}/enable`, token: admin, payload: {} });

  // Administrators list and search accounts, newest first, in pages.
  const accounts = json<{ nextCursor: string | null }>(await step('list accounts', 200, { method: 'GET', url: '/api/v1/users?limit=2', token: admin }));
  await step('list the next page of accounts', 200, { method: 'GET', url: `/api/v1/users?limit=2&cursor=${encodeURIComponent(accounts.nextCursor ?? '')}`, token: admin });
  await step('search accounts', 200, { method: 'GET', url: `/api/v1/users?q=${unique}&role=client&status=active`, token: admin });
  await step('list accounts as a client', 403, { method: 'GET', url: '/api/v1/users', token: client });
  await step('list accounts without a token', 401, { method: 'GET', url: '/api/v1/users' });
  await step('list accounts with a bad cursor', 400, { method: 'GET', url: '/api/v1/users?cursor=nope', token: admin });

  // Signing out everywhere: every refresh token of the user is revoked; a new sign-in works.
  const fay = json<{ refreshToken: string; accessToken: string }>(await register('client', 'fay'));
  await step('sign out everywhere', 204, { method: 'POST', url: '/api/v1/auth/logout-all', token: fay.accessToken });
  await step('sign out everywhere without a token', 401, { method: 'POST', url: '/api/v1/auth/logout-all' });
  await step('refresh after signing out everywhere', 401, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: fay.refreshToken } });
  await step('log in after signing out everywhere', 200, { method: 'POST', url: '/api/v1/auth/login', payload: { email: `fay.${unique}@example.com`, password } });

  // A provider's Google Calendar: connect (OAuth with PKCE through the fake Google), list, disconnect.
  const connect = json<{ authorizationUrl: string }>(await step('start connecting Google Calendar', 200, { method: 'GET', url: '/api/v1/calendar/google/connect', token: provider }));
  await step('start connecting Google Calendar as a client', 403, { method: 'GET', url: '/api/v1/calendar/google/connect', token: client });
  await step('complete a Google connection nobody started', 400, { method: 'GET', url: `/api/v1/calendar/google/callback?state=${randomUUID()}&code=4%2Fnope` });
  await step('complete a Google connection without a code', 400, { method: 'GET', url: `/api/v1/calendar/google/callback?state=${randomUUID()}` });
  const { callbackPath } = await deps.google.consent(connect.authorizationUrl);
  await step('complete the Google connection', 200, { method: 'GET', url: callbackPath });
  await step('complete the Google connection again', 400, { method: 'GET', url: callbackPath });
  await step('list my calendar connections', 200, { method: 'GET', url: '/api/v1/calendar/connections', token: provider });
  await step('list calendar connections without a token', 401, { method: 'GET', url: '/api/v1/calendar/connections' });
  await step('disconnect Google Calendar', 204, { method: 'DELETE', url: '/api/v1/calendar/connections/google', token: provider });
  await step('disconnect a calendar that is not connected', 404, { method: 'DELETE', url: '/api/v1/calendar/connections/google', token: provider });
  await step('disconnect an unknown kind of calendar', 400, { method: 'DELETE', url: '/api/v1/calendar/connections/outlook', token: provider });

  // Providers and their services.
  const profile = json<{ id: string }>(
    await step('create a provider', 201, { method: 'POST', url: '/api/v1/providers', token: provider, payload: { displayName: 'Ada Lovelace', specialty: 'Math', timeZone: 'UTC', published: true } }),
  );
  await step('create a second profile', 409, { method: 'POST', url: '/api/v1/providers', token: provider, payload: { displayName: 'Ada again', timeZone: 'UTC' } });
  await step('create a provider as a client', 403, { method: 'POST', url: '/api/v1/providers', token: client, payload: { displayName: 'Bob', timeZone: 'UTC' } });
  await step('create a provider with a bad zone', 400, { method: 'POST', url: '/api/v1/providers', token: provider, payload: { displayName: 'Ada', timeZone: 'Mars/Olympus' } });
  await step('create a provider with a body over the limit', 413, {
    method: 'POST',
    url: '/api/v1/providers',
    token: provider,
    payload: { displayName: 'Ada', timeZone: 'UTC', bio: 'x'.repeat(20_000) },
  });
  await step('create a provider with an XML body', 415, {
    method: 'POST',
    url: '/api/v1/providers',
    token: provider,
    payload: '<provider><displayName>Ada</displayName></provider>',
    headers: { 'content-type': 'application/xml' },
  });
  await step('search providers', 200, { method: 'GET', url: '/api/v1/providers?q=ada&limit=5' });
  await step('search providers with a bad limit', 400, { method: 'GET', url: '/api/v1/providers?limit=0' });
  await step('read my provider profile', 200, { method: 'GET', url: '/api/v1/providers/me', token: provider });
  await step('read my provider profile as a client', 404, { method: 'GET', url: '/api/v1/providers/me', token: client });
  await step('read a provider', 200, { method: 'GET', url: `/api/v1/providers/${profile.id}` });
  await step('read an unknown provider', 404, { method: 'GET', url: `/api/v1/providers/${randomUUID()}` });
  await step('read a provider by a bad id', 400, { method: 'GET', url: '/api/v1/providers/not-a-uuid' });
  await step('change a provider', 200, { method: 'PATCH', url: `/api/v1/providers/${profile.id}`, token: provider, payload: { title: 'Countess' } });
  await step("change another's provider", 403, { method: 'PATCH', url: `/api/v1/providers/${profile.id}`, token: client, payload: { title: 'Nope' } });

  const services = `/api/v1/providers/${profile.id}/services`;
  const service = json<{ id: string }>(await step('add a service', 201, { method: 'POST', url: services, token: provider, payload: { name: 'Consultation', durationMinutes: 30 } }));
  const paid = json<{ id: string }>(
    await step('add a paid service', 201, { method: 'POST', url: services, token: provider, payload: { name: 'Paid', durationMinutes: 30, priceAmount: 5000, currency: 'EUR' } }),
  );
  await step('add a service with a bad duration', 400, { method: 'POST', url: services, token: provider, payload: { name: 'Bad', durationMinutes: 1 } });
  await step('list services', 200, { method: 'GET', url: services });
  await step('read a service', 200, { method: 'GET', url: `${services}/${service.id}` });
  await step('read an unknown service', 404, { method: 'GET', url: `${services}/${randomUUID()}` });
  await step('change a service', 200, { method: 'PATCH', url: `${services}/${service.id}`, token: provider, payload: { description: 'Half an hour.' } });

  // Availability and slots.
  const availability = `/api/v1/providers/${profile.id}/availability`;
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
  await step('set availability', 200, {
    method: 'PUT',
    url: availability,
    token: provider,
    payload: { weekly, overrides: [{ date: '2030-01-20', intervals: [] }], blocked: [{ start: '2030-01-21T09:00:00Z', end: '2030-01-21T10:00:00Z', reason: 'dentist' }] },
  });
  await step('set availability with a bad date', 400, { method: 'PUT', url: availability, token: provider, payload: { weekly, overrides: [{ date: '2030-02-30', intervals: [] }] } });
  await step('read availability', 200, { method: 'GET', url: availability, token: provider });
  await step('read availability as a client', 403, { method: 'GET', url: availability, token: client });

  const slotsUrl = `/api/v1/providers/${profile.id}/slots?serviceId=${service.id}&from=2030-01-08T00:00:00Z&to=2030-01-10T00:00:00Z`;
  const slots = await step('list slots', 200, { method: 'GET', url: slotsUrl });
  await step('list slots again, unchanged', 304, { method: 'GET', url: slotsUrl, headers: { 'if-none-match': String(slots.headers.etag) } });
  await step('list slots backwards', 400, { method: 'GET', url: `/api/v1/providers/${profile.id}/slots?serviceId=${service.id}&from=2030-01-10T00:00:00Z&to=2030-01-08T00:00:00Z` });

  // Bookings and their transitions.
  const book = (name: string, expected: number, token: string, payload: unknown, headers?: Record<string, string>) =>
    step(name, expected, { method: 'POST', url: '/api/v1/bookings', token, payload, ...(headers === undefined ? {} : { headers }) });
  const first = json<{ id: string }>(await book('book a slot', 201, client, { serviceId: service.id, start: '2030-01-08T10:00:00Z' }, { 'idempotency-key': `k-${unique}` }));
  await book('reuse an idempotency key with another body', 422, client, { serviceId: service.id, start: '2030-01-08T11:00:00Z' }, { 'idempotency-key': `k-${unique}` });
  await book('book a taken slot', 409, secondClient.accessToken, { serviceId: service.id, start: '2030-01-08T10:00:00Z' });
  await book('book an unknown service', 404, client, { serviceId: randomUUID(), start: '2030-01-08T10:00:00Z' });
  await book('book with a bad start', 400, client, { serviceId: service.id, start: 'tomorrow' });
  await step('book without a token', 401, { method: 'POST', url: '/api/v1/bookings', payload: { serviceId: service.id, start: '2030-01-08T10:00:00Z' } });
  await step('list my bookings', 200, { method: 'GET', url: '/api/v1/bookings?role=client&limit=10', token: client });
  await step('list bookings with a bad range', 400, { method: 'GET', url: '/api/v1/bookings?from=2030-01-09T00:00:00Z&to=2030-01-08T00:00:00Z', token: client });
  await step('read a booking', 200, { method: 'GET', url: `/api/v1/bookings/${first.id}`, token: client });
  await step("read another's booking", 404, { method: 'GET', url: `/api/v1/bookings/${first.id}`, token: secondClient.accessToken });
  await step('reschedule', 200, { method: 'POST', url: `/api/v1/bookings/${first.id}/reschedule`, token: client, payload: { start: '2030-01-08T11:00:00Z' } });
  await step('reschedule off the grid', 409, { method: 'POST', url: `/api/v1/bookings/${first.id}/reschedule`, token: client, payload: { start: '2030-01-08T11:10:00Z' } });

  // The waitlist: a full slot, a place in line, an offer when the slot frees up.
  await step('join the waitlist of a full slot', 201, { method: 'POST', url: '/api/v1/waitlist', token: secondClient.accessToken, payload: { serviceId: service.id, start: '2030-01-08T11:00:00Z' } });
  await step('join the waitlist with start and date', 400, {
    method: 'POST',
    url: '/api/v1/waitlist',
    token: client,
    payload: { serviceId: service.id, start: '2030-01-08T11:00:00Z', date: '2030-01-08' },
  });
  await step('join the waitlist of a free slot', 409, { method: 'POST', url: '/api/v1/waitlist', token: client, payload: { serviceId: service.id, start: '2030-01-08T14:00:00Z' } });
  const laterEntry = json<{ id: string }>(
    await step('join the same line second', 201, { method: 'POST', url: '/api/v1/waitlist', token: thirdClient, payload: { serviceId: service.id, start: '2030-01-08T11:00:00Z' } }),
  );
  await step('list my waitlist', 200, { method: 'GET', url: '/api/v1/waitlist', token: secondClient.accessToken });
  await step('leave the waitlist', 204, { method: 'DELETE', url: `/api/v1/waitlist/${laterEntry.id}`, token: thirdClient });
  await step('leave an unknown entry', 404, { method: 'DELETE', url: `/api/v1/waitlist/${randomUUID()}`, token: client });
  await step('cancel, freeing the slot for the line', 200, { method: 'POST', url: `/api/v1/bookings/${first.id}/cancel`, token: client, payload: { reason: 'ill' } });
  await step('cancel twice', 409, { method: 'POST', url: `/api/v1/bookings/${first.id}/cancel`, token: client });
  await settled(deps.jobs);
  const offered = json<{ items: { offeredBookingId: string | null; status: string }[] }>(
    await step('see the offer', 200, { method: 'GET', url: '/api/v1/waitlist', token: secondClient.accessToken }),
  ).items.find((entry) => entry.status === 'offered');
  if (offered?.offeredBookingId == null) throw new Error('the freed slot was not offered to the waitlist');
  await step('claim the offer', 200, { method: 'POST', url: `/api/v1/bookings/${offered.offeredBookingId}/confirm-offer`, token: secondClient.accessToken });
  await step("claim another's offer", 404, { method: 'POST', url: `/api/v1/bookings/${offered.offeredBookingId}/confirm-offer`, token: client });

  // A paid booking is held until confirmed; finished bookings are marked once they started.
  const held = json<{ id: string }>(await book('book a paid slot', 201, client, { serviceId: paid.id, start: '2030-01-09T10:00:00Z' }));
  await step('confirm a hold as a client', 403, { method: 'POST', url: `/api/v1/bookings/${held.id}/confirm`, token: client });
  await step('confirm a hold as admin', 200, { method: 'POST', url: `/api/v1/bookings/${held.id}/confirm`, token: admin });
  await payFlow(step, { client, provider, secondClient: secondClient.accessToken, paidServiceId: paid.id, freeBookingId: first.id, signSimulatorWebhook: deps.signSimulatorWebhook });
  const second = json<{ id: string }>(await book('book another slot', 201, client, { serviceId: service.id, start: '2030-01-09T12:00:00Z' }));
  await step('complete before the start', 409, { method: 'POST', url: `/api/v1/bookings/${second.id}/complete`, token: provider });
  deps.clock.set('2030-01-09T13:00:00Z');
  await step('complete', 200, { method: 'POST', url: `/api/v1/bookings/${second.id}/complete`, token: provider });
  await step('mark no-show', 200, { method: 'POST', url: `/api/v1/bookings/${held.id}/no-show`, token: provider });
  await step('mark no-show as a client', 403, { method: 'POST', url: `/api/v1/bookings/${held.id}/no-show`, token: client });

  // The provider's calendar feed.
  const feedUrl = `/api/v1/providers/${profile.id}/calendar-feed`;
  const feed = json<{ url: string }>(await step('create a calendar feed', 201, { method: 'POST', url: feedUrl, token: provider }));
  await step('create a calendar feed for another', 403, { method: 'POST', url: feedUrl, token: client });
  await step('read the calendar feed', 200, { method: 'GET', url: feed.url });
  await step('revoke the calendar feed', 204, { method: 'DELETE', url: feedUrl, token: provider });
  await step('read a revoked calendar feed', 404, { method: 'GET', url: feed.url });
  await step('read a malformed calendar feed token', 400, { method: 'GET', url: '/api/v1/calendar-feeds/short.ics' });

  // Notifications: the inbox the events above filled (through the bus, so waited for), the live
  // stream, preferences.
  const inbox = '/api/v1/notifications';
  await entriesOf(inject, client);
  const entries = json<{ items: { id: string }[]; nextCursor: string | null }>(await step('list my notifications', 200, { method: 'GET', url: `${inbox}?limit=2`, token: client }));
  if (entries.nextCursor !== null) await step('list my older notifications', 200, { method: 'GET', url: `${inbox}?limit=2&cursor=${entries.nextCursor}`, token: client });
  await step('list notifications with a forged cursor', 400, { method: 'GET', url: `${inbox}?cursor=forged`, token: client });
  await step('count my unread notifications', 200, { method: 'GET', url: `${inbox}/unread-count`, token: client });
  const entryId = entries.items[0]?.id ?? '';
  await step('mark a notification read', 200, { method: 'POST', url: `${inbox}/${entryId}/read`, token: client });
  await step("mark another's notification read", 404, { method: 'POST', url: `${inbox}/${entryId}/read`, token: secondClient.accessToken });
  await step('mark a notification read by a bad id', 400, { method: 'POST', url: `${inbox}/not-a-uuid/read`, token: client });
  await step('mark all my notifications read', 200, { method: 'POST', url: `${inbox}/read-all`, token: client });
  await step('read my notification preferences', 200, { method: 'GET', url: `${inbox}/preferences`, token: client });
  await step('change my notification preferences', 200, { method: 'PUT', url: `${inbox}/preferences`, token: client, payload: { channels: { booking_reminder: 'in_app' } } });
  await step('change the preference of an unknown kind', 400, { method: 'PUT', url: `${inbox}/preferences`, token: client, payload: { channels: { birthday: 'email' } } });
  await step('open my live notification stream', 200, { method: 'GET', url: `${inbox}/stream`, token: client, stream: true });
  await step('open a second live stream past the limit', 429, { method: 'GET', url: `${inbox}/stream`, token: client, stream: true });
  await step('open a live stream with a token in the query', 200, { method: 'GET', url: `${inbox}/stream?access_token=${secondClient.accessToken}`, stream: true });
  await step('open a live stream without a token', 401, { method: 'GET', url: `${inbox}/stream`, stream: true });

  // The job queues, as an administrator sees them.
  const queues = '/api/v1/admin/queues';
  await step('list the job queues', 200, { method: 'GET', url: queues, token: admin });
  await step('list the job queues as a client', 403, { method: 'GET', url: queues, token: client });
  await step('list the failed email jobs', 200, { method: 'GET', url: `${queues}/notifications-email/failed?limit=5`, token: admin });
  await step('list the failed jobs of an unknown queue', 404, { method: 'GET', url: `${queues}/no-such-queue/failed`, token: admin });
  await step('list failed jobs with a bad limit', 400, { method: 'GET', url: `${queues}/notifications-email/failed?limit=0`, token: admin });
  await step('retry an unknown failed job', 404, { method: 'POST', url: `${queues}/notifications-email/jobs/email-unknown/retry`, token: admin });

  // The gateway's per-address limit, on a public route from one address.
  const address = '192.0.2.77';
  let limited: LightMyRequestResponse | undefined;
  for (let i = 0; i < 1000 && limited === undefined; i += 1) {
    const response = await inject({ method: 'GET', url: '/api/v1/providers', remoteAddress: address });
    if (response.statusCode === 429) limited = response;
  }
  if (limited === undefined) throw new Error('the gateway never limited one address');
  await step('search providers past the address limit', 429, { method: 'GET', url: '/api/v1/providers', remoteAddress: address });
  return exchanges;
}

/** Until the user's inbox has entries (notifications consumes the events through the bus). */
async function entriesOf(inject: Inject, token: string): Promise<void> {
  for (let i = 0; i < 1000; i += 1) {
    const response = await inject({ method: 'GET', url: '/api/v1/notifications?limit=3', headers: { authorization: `Bearer ${token}` }, remoteAddress: nextAddress() });
    if (response.statusCode === 200 && response.json<{ items: unknown[] }>().items.length >= 3) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the notifications never arrived');
}

type Step = (name: string, expected: number, call: Call) => Promise<LightMyRequestResponse>;

/**
 * Payments with the simulator: a paid booking's order, its checkout page (failed, then paid),
 * the callback that confirms it, receipts, refunds and a webhook.
 */
async function payFlow(
  step: Step,
  who: { client: string; provider: string; secondClient: string; paidServiceId: string; freeBookingId: string; signSimulatorWebhook: (body: string) => string },
): Promise<void> {
  const { client, provider } = who;
  const booking = (
    await step('book a paid slot to pay for', 201, { method: 'POST', url: '/api/v1/bookings', token: client, payload: { serviceId: who.paidServiceId, start: '2030-01-09T14:00:00Z' } })
  ).json<{ id: string; payment: { orderId: string; checkoutUrl: string } }>();
  const { orderId } = booking.payment;
  await step('read a booking’s payment', 200, { method: 'GET', url: `/api/v1/bookings/${booking.id}/payment`, token: client });
  await step('read the payment of a free booking', 404, { method: 'GET', url: `/api/v1/bookings/${who.freeBookingId}/payment`, token: client });
  const checkout = new URL(booking.payment.checkoutUrl, 'http://contract.invalid');
  const token = checkout.searchParams.get('token') ?? '';
  await step('open the checkout page', 200, { method: 'GET', url: `${checkout.pathname}?token=${token}` });
  await step('open a tampered checkout link', 404, { method: 'GET', url: `${checkout.pathname}?token=${'0'.repeat(64)}` });
  const form = (outcome: string) => ({ method: 'POST' as const, url: checkout.pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${token}&outcome=${outcome}` });
  await step('fail on the checkout page', 200, form('fail'));
  await step('send the checkout page a bad outcome', 400, form('steal'));
  const page = (await step('pay on the checkout page', 200, form('pay'))).body;
  const gatewayPaymentId = /<dt>gatewayPaymentId<\/dt><dd>([^<]+)<\/dd>/.exec(page)?.[1] ?? '';
  const signature = /<dt>signature<\/dt><dd>([^<]+)<\/dd>/.exec(page)?.[1] ?? '';
  const verify = `/api/v1/payments/${orderId}/verify`;
  await step('confirm a checkout with a forged signature', 400, { method: 'POST', url: verify, token: client, payload: { gatewayPaymentId, signature: 'f'.repeat(64) } });
  await step('confirm another’s checkout', 404, { method: 'POST', url: verify, token: who.secondClient, payload: { gatewayPaymentId, signature } });
  await step('confirm the checkout', 200, { method: 'POST', url: verify, token: client, payload: { gatewayPaymentId, signature } });
  await step('pay a paid checkout again', 409, form('pay'));

  await step('list my payments', 200, { method: 'GET', url: '/api/v1/payments?limit=5', token: client });
  await step('list payments with a forged cursor', 400, { method: 'GET', url: '/api/v1/payments?cursor=nonsense', token: client });
  await step('read a payment', 200, { method: 'GET', url: `/api/v1/payments/${orderId}`, token: provider });
  await step('read another’s payment', 404, { method: 'GET', url: `/api/v1/payments/${orderId}`, token: who.secondClient });
  const refund = `/api/v1/payments/${orderId}/refund`;
  await step('refund a payment as its client', 403, { method: 'POST', url: refund, token: client, payload: { amount: 100 } });
  await step('refund part of a payment', 201, { method: 'POST', url: refund, token: provider, payload: { amount: 1000 }, headers: { 'idempotency-key': 'contract-refund' } });
  await step('refund again with the key for another amount', 422, { method: 'POST', url: refund, token: provider, payload: { amount: 5 }, headers: { 'idempotency-key': 'contract-refund' } });
  await step('refund more than is left', 409, { method: 'POST', url: refund, token: provider, payload: { amount: 999_999 } });

  const webhook = JSON.stringify({ id: 'evt_contract_1', type: 'payout.paid', data: {} });
  await step('send a webhook with a bad signature', 400, { method: 'POST', url: '/api/v1/payments/webhooks/simulator', headers: { 'content-type': 'application/json', 'x-simulator-signature': 't=1,v1=00' }, payload: webhook });
  await step('send a webhook for another gateway', 404, { method: 'POST', url: '/api/v1/payments/webhooks/paypal', headers: { 'content-type': 'application/json' }, payload: webhook });
  await step('send a signed webhook', 200, {
    method: 'POST',
    url: '/api/v1/payments/webhooks/simulator',
    headers: { 'content-type': 'application/json', 'x-simulator-signature': who.signSimulatorWebhook(webhook) },
    payload: webhook,
  });
}

/** Until the job queue has nothing waiting or running (the waitlist offer is made by a job). */
async function settled(jobs: JobQueue): Promise<void> {
  for (let i = 0; i < 1000; i += 1) {
    const counts = await jobs.counts('scheduling-waitlist');
    if (counts.waiting === 0 && counts.active === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the job queue did not settle');
}

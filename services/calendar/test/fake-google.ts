import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A stand-in for Google that cannot be reached from tests: a node:http server speaking the real
 * OAuth 2.0 endpoints (consent redirect, token endpoint with the authorization_code grant checked
 * against its PKCE S256 challenge, the refresh_token grant, revoke) and the Calendar v3 REST shapes
 * the calendar service uses (events insert/get/patch/delete with conferenceData, freeBusy.query).
 * Google's own client libraries run against it unchanged. It records every request, and can be
 * told to fail (answer 503) or hang (answer nothing until told otherwise).
 */

export interface FakeGoogleEvent {
  id: string;
  status: 'confirmed' | 'cancelled';
  summary?: string;
  description?: string;
  start: { dateTime: string; timeZone?: string };
  end: { dateTime: string; timeZone?: string };
  hangoutLink?: string;
  conferenceData?: unknown;
  created: string;
  updated: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
  readonly account: string | undefined;
}

export type FailureMode = 'ok' | 'fail' | 'hang';

interface Account {
  readonly email: string;
  busy: { start: string; end: string }[];
  readonly events: Map<string, FakeGoogleEvent>;
}

interface Grant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly account: string;
  readonly scope: string;
  used: boolean;
}

export interface FakeGoogle {
  /** Origin, e.g. http://127.0.0.1:40123: GOOGLE_API_URL and GOOGLE_OAUTH_URL both. */
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly requests: RecordedRequest[];
  /** The account the next consent grants (default provider@example.com). */
  nextConsent(email: string, options?: { deny?: boolean }): void;
  /**
   * What the browser does on the consent page: follows the authorization URL; Google redirects
   * back with a code (or an error). Returns the callback's path and query, as the redirect names them.
   */
  consent(authorizationUrl: string): Promise<{ callbackPath: string; code: string | null; state: string | null }>;
  setBusy(email: string, periods: { start: string; end: string }[]): void;
  events(email: string): FakeGoogleEvent[];
  /** Calendar API answers: normally, 503 backendError, or never (until set back). */
  setApi(mode: FailureMode): void;
  setTokenEndpoint(mode: FailureMode): void;
  /** Make every access token issued so far invalid (the client must refresh). */
  expireAccessTokens(): void;
  revokedTokens(): string[];
  /** Every refresh token the token endpoint handed out, in order. */
  issuedRefreshTokens(): string[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
};

const apiError = (res: ServerResponse, status: number, reason: string, message: string): void =>
  json(res, status, { error: { code: status, message, errors: [{ domain: 'global', reason, message }] } });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const base64url = (data: string): string => Buffer.from(data).toString('base64url');

export async function startFakeGoogle(options: { clientId?: string; clientSecret?: string; accessTokenTtlSeconds?: number } = {}): Promise<FakeGoogle> {
  const clientId = options.clientId ?? 'timeslot-test.apps.googleusercontent.com';
  const clientSecret = options.clientSecret ?? `secret-${randomUUID()}`;
  const accounts = new Map<string, Account>();
  const grants = new Map<string, Grant>();
  const refreshTokens = new Map<string, { account: string; revoked: boolean }>();
  const accessTokens = new Map<string, { account: string; expiresAt: number }>();
  const revoked: string[] = [];
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let consentAccount = 'provider@example.com';
  let denyNext = false;
  let apiMode: FailureMode = 'ok';
  let tokenMode: FailureMode = 'ok';

  const account = (email: string): Account => {
    let found = accounts.get(email);
    if (found === undefined) {
      found = { email, busy: [], events: new Map() };
      accounts.set(email, found);
    }
    return found;
  };

  function releaseHanging(): void {
    for (const res of hanging) apiError(res, 503, 'backendError', 'Backend Error');
    hanging.clear();
  }

  function issueTokens(email: string, withRefresh: boolean, scope: string): Record<string, unknown> {
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    const ttl = options.accessTokenTtlSeconds ?? 3600;
    accessTokens.set(accessToken, { account: email, expiresAt: Date.now() + ttl * 1000 });
    const body: Record<string, unknown> = { access_token: accessToken, expires_in: ttl, token_type: 'Bearer', scope };
    if (withRefresh) {
      const refreshToken = `1//${randomBytes(32).toString('base64url')}`;
      refreshTokens.set(refreshToken, { account: email, revoked: false });
      body.refresh_token = refreshToken;
      body.id_token = [base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' })), base64url(JSON.stringify({ iss: 'https://accounts.google.com', aud: clientId, sub: createHash('sha256').update(email).digest('hex').slice(0, 21), email, email_verified: true })), 'c2lnbmF0dXJl'].join('.');
    }
    return body;
  }

  async function token(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): Promise<void> {
    if (tokenMode === 'hang') {
      hanging.add(res);
      return;
    }
    if (tokenMode === 'fail') return json(res, 503, { error: 'temporarily_unavailable' });
    const basic = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString('utf8').split(':') : undefined;
    const id = basic?.[0] ?? form.get('client_id');
    const secret = basic?.[1] ?? form.get('client_secret');
    if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const grant = grants.get(code);
      if (grant === undefined || grant.used) return json(res, 400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
      grant.used = true;
      if (form.get('redirect_uri') !== grant.redirectUri) return json(res, 400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
      const verifier = form.get('code_verifier');
      if (verifier === null || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
        return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
      }
      return json(res, 200, issueTokens(grant.account, true, grant.scope));
    }
    if (grantType === 'refresh_token') {
      const known = refreshTokens.get(form.get('refresh_token') ?? '');
      if (known === undefined || known.revoked) return json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      return json(res, 200, issueTokens(known.account, false, 'https://www.googleapis.com/auth/calendar.events'));
    }
    return json(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grantType ?? ''}` });
  }

  function consentPage(res: ServerResponse, query: URLSearchParams): void {
    const redirectUri = query.get('redirect_uri');
    const state = query.get('state');
    if (query.get('client_id') !== clientId || redirectUri === null) return json(res, 400, { error: 'invalid_request' });
    if (query.get('response_type') !== 'code' || query.get('code_challenge_method') !== 'S256' || query.get('code_challenge') === null) {
      return json(res, 400, { error: 'invalid_request', error_description: 'PKCE S256 is required by this fake' });
    }
    const target = new URL(redirectUri);
    if (state !== null) target.searchParams.set('state', state);
    if (denyNext) {
      denyNext = false;
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = `4/${randomBytes(24).toString('base64url')}`;
      const scope = query.get('scope') ?? '';
      grants.set(code, { clientId, redirectUri, challenge: query.get('code_challenge') ?? '', account: consentAccount, scope, used: false });
      target.searchParams.set('code', code);
      target.searchParams.set('scope', scope);
    }
    res.writeHead(302, { location: target.href });
    res.end();
  }

  function calendarApi(res: ServerResponse, method: string, path: string, query: URLSearchParams, body: unknown, email: string): void {
    const owner = account(email);
    if (method === 'POST' && path === '/calendar/v3/freeBusy') {
      const request = body as { timeMin: string; timeMax: string; items: { id: string }[] };
      const from = Date.parse(request.timeMin);
      const to = Date.parse(request.timeMax);
      const busy = owner.busy.filter((period) => Date.parse(period.start) < to && Date.parse(period.end) > from);
      const calendars = Object.fromEntries(request.items.map((item) => [item.id, { busy }]));
      return json(res, 200, { kind: 'calendar#freeBusy', timeMin: request.timeMin, timeMax: request.timeMax, calendars });
    }
    const match = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(path);
    if (match === null) return apiError(res, 404, 'notFound', 'Not Found');
    const eventId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    const now = new Date().toISOString();
    if (method === 'POST' && eventId === undefined) {
      const input = body as Partial<FakeGoogleEvent> & { conferenceData?: { createRequest?: { requestId?: string } } };
      const id = input.id ?? randomBytes(12).toString('hex');
      if (owner.events.has(id)) return apiError(res, 409, 'duplicate', 'The requested identifier already exists.');
      const requestId = input.conferenceData?.createRequest?.requestId;
      const wantsMeet = query.get('conferenceDataVersion') === '1' && requestId !== undefined;
      const code = createHash('sha256').update(`${email}/${id}`).digest('hex');
      const hangoutLink = `https://meet.google.com/${code.slice(0, 3)}-${code.slice(3, 7)}-${code.slice(7, 10)}`;
      const event: FakeGoogleEvent = {
        id,
        status: 'confirmed',
        ...(input.summary === undefined ? {} : { summary: input.summary }),
        ...(input.description === undefined ? {} : { description: input.description }),
        start: input.start ?? { dateTime: now },
        end: input.end ?? { dateTime: now },
        ...(wantsMeet
          ? {
              hangoutLink,
              conferenceData: {
                createRequest: { requestId, conferenceSolutionKey: { type: 'hangoutsMeet' }, status: { statusCode: 'success' } },
                entryPoints: [{ entryPointType: 'video', uri: hangoutLink, label: hangoutLink.slice(8) }],
                conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
                conferenceId: hangoutLink.slice(24),
              },
            }
          : {}),
        created: now,
        updated: now,
      };
      owner.events.set(id, event);
      return json(res, 200, { kind: 'calendar#event', ...event });
    }
    const event = eventId === undefined ? undefined : owner.events.get(eventId);
    if (event === undefined) return apiError(res, 404, 'notFound', 'Not Found');
    if (method === 'GET') return json(res, 200, { kind: 'calendar#event', ...event });
    if (event.status === 'cancelled') return apiError(res, 410, 'deleted', 'Resource has been deleted');
    if (method === 'PATCH') {
      Object.assign(event, body as object, { updated: now });
      return json(res, 200, { kind: 'calendar#event', ...event });
    }
    if (method === 'DELETE') {
      event.status = 'cancelled';
      event.updated = now;
      res.writeHead(204);
      return void res.end();
    }
    return apiError(res, 405, 'methodNotAllowed', 'Method Not Allowed');
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake.google');
      const text = await readBody(req);
      const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const body: unknown = text === '' ? undefined : isForm ? Object.fromEntries(new URLSearchParams(text)) : (JSON.parse(text) as unknown);
      const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : undefined;
      const owner = bearer === undefined ? undefined : accessTokens.get(bearer);
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body, account: owner?.account });

      if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth') return consentPage(res, url.searchParams);
      if (req.method === 'POST' && url.pathname === '/token') return token(req, res, new URLSearchParams(text));
      if (req.method === 'POST' && url.pathname === '/revoke') {
        const revokedToken = url.searchParams.get('token') ?? new URLSearchParams(text).get('token') ?? '';
        const known = refreshTokens.get(revokedToken);
        if (known === undefined) return json(res, 400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
        known.revoked = true;
        revoked.push(revokedToken);
        return json(res, 200, {});
      }
      if (!url.pathname.startsWith('/calendar/v3/')) return apiError(res, 404, 'notFound', 'Not Found');
      if (apiMode === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (apiMode === 'fail') return apiError(res, 503, 'backendError', 'Backend Error');
      if (owner === undefined || owner.expiresAt <= Date.now()) {
        res.setHeader('www-authenticate', 'Bearer realm="https://accounts.google.com/", error="invalid_token"');
        return apiError(res, 401, 'authError', 'Invalid Credentials');
      }
      return calendarApi(res, req.method ?? 'GET', url.pathname, url.searchParams, body, owner.account);
    })().catch((error: unknown) => {
      if (!res.headersSent) apiError(res, 500, 'backendError', String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${address.port}`;

  return {
    url: origin,
    clientId,
    clientSecret,
    requests,
    nextConsent(email, nextOptions = {}) {
      consentAccount = email;
      denyNext = nextOptions.deny === true;
    },
    async consent(authorizationUrl) {
      const response = await fetch(authorizationUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (response.status !== 302 || location === null) throw new Error(`the consent page answered ${response.status}`);
      const back = new URL(location);
      return { callbackPath: `${back.pathname}${back.search}`, code: back.searchParams.get('code'), state: back.searchParams.get('state') };
    },
    setBusy(email, periods) {
      account(email).busy = periods;
    },
    events: (email) => [...account(email).events.values()],
    setApi(mode) {
      apiMode = mode;
      if (mode !== 'hang') releaseHanging();
    },
    setTokenEndpoint(mode) {
      tokenMode = mode;
      if (mode !== 'hang') releaseHanging();
    },
    expireAccessTokens() {
      for (const entry of accessTokens.values()) entry.expiresAt = 0;
    },
    revokedTokens: () => [...revoked],
    issuedRefreshTokens: () => [...refreshTokens.keys()],
    async close() {
      releaseHanging();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

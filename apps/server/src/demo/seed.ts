/**
 * Demo data for a newcomer's first run (`timeslot demo`, `timeslot start --demo`): a few published
 * providers with services and weekly hours, so slots show at once. Everything goes through the
 * public HTTP API, as a real provider would do it, so the demo exercises the product and cannot
 * drift from it. Idempotent: accounts are logged into when they exist, services are matched by
 * name, and availability is a PUT that replaces.
 */

/** One HTTP call: in-process (`app.inject`) or over a socket to a running server. */
export type Requester = (
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  options?: { body?: unknown; token?: string },
) => Promise<{ status: number; body: unknown }>;

/** Demo accounts live in a local, throwaway database; the password is printed, not secret. */
export const demoPassword = 'demo passphrase';

interface DemoService {
  readonly name: string;
  readonly description: string;
  readonly durationMinutes: number;
  readonly capacity?: number;
  readonly priceAmount?: number;
  readonly currency?: string;
}

interface DemoProvider {
  readonly email: string;
  readonly name: string;
  readonly title: string;
  readonly specialty: string;
  readonly bio: string;
  readonly timeZone: string;
  readonly services: readonly DemoService[];
  readonly weekly: readonly { weekday: number; start: string; end: string }[];
}

const weekdays = (days: readonly number[], hours: readonly [string, string][]) =>
  days.flatMap((weekday) => hours.map(([start, end]) => ({ weekday, start, end })));

export const demoProviders: readonly DemoProvider[] = [
  {
    email: 'ada.demo@example.com',
    name: 'Dr. Ada Lovelace',
    title: 'General practitioner',
    specialty: 'General medicine',
    bio: 'Demo provider: consultations on weekdays.',
    timeZone: 'Europe/London',
    services: [
      { name: 'Consultation', description: 'A 30-minute video consultation.', durationMinutes: 30 },
      { name: 'Follow-up', description: 'A short follow-up call.', durationMinutes: 15 },
    ],
    weekly: weekdays([1, 2, 3, 4, 5], [['09:00', '12:00'], ['13:00', '17:00']]),
  },
  {
    email: 'grace.demo@example.com',
    name: 'Grace Hopper',
    title: 'Engineering mentor',
    specialty: 'Software engineering',
    bio: 'Demo provider: paid mentoring sessions, every day but Sunday.',
    timeZone: 'America/New_York',
    services: [{ name: 'Career mentoring', description: 'One hour on your career.', durationMinutes: 60, priceAmount: 5000, currency: 'USD' }],
    weekly: weekdays([1, 2, 3, 4, 5, 6], [['10:00', '16:00']]),
  },
  {
    email: 'alan.demo@example.com',
    name: 'Alan Turing',
    title: 'Mathematics tutor',
    specialty: 'Mathematics',
    bio: 'Demo provider in a half-hour time zone, with a seated group workshop.',
    timeZone: 'Asia/Kolkata',
    services: [
      { name: 'Maths tutoring', description: 'One-to-one tutoring.', durationMinutes: 45 },
      { name: 'Group workshop', description: 'Up to 8 people.', durationMinutes: 90, capacity: 8 },
    ],
    weekly: weekdays([1, 2, 3, 4, 5, 6, 7], [['08:00', '13:00']]),
  },
];

export interface DemoSummary {
  readonly providers: readonly { id: string; displayName: string; email: string; services: readonly { id: string; name: string }[] }[];
  /** How many providers and services this run created (0 and 0 on a second run). */
  readonly created: { providers: number; services: number };
}

class DemoError extends Error {}

function expect(response: { status: number; body: unknown }, statuses: readonly number[], what: string): Record<string, unknown> {
  if (!statuses.includes(response.status)) {
    const detail = (response.body as { detail?: string } | null)?.detail ?? JSON.stringify(response.body);
    throw new DemoError(`demo: ${what} answered ${response.status}: ${detail}`);
  }
  return response.body as Record<string, unknown>;
}

async function signIn(request: Requester, provider: DemoProvider): Promise<string> {
  const registered = await request('POST', '/api/v1/auth/register', {
    body: { email: provider.email, password: demoPassword, name: provider.name, role: 'provider', timeZone: provider.timeZone },
  });
  if (registered.status === 201) return (registered.body as { accessToken: string }).accessToken;
  // Taken (a second run): sign in instead. Any other refusal shows up as the login's.
  const login = await request('POST', '/api/v1/auth/login', { body: { email: provider.email, password: demoPassword } });
  return expect(login, [200], `logging in ${provider.email}`).accessToken as string;
}

export async function seedDemo(request: Requester): Promise<DemoSummary> {
  const providers: DemoSummary['providers'][number][] = [];
  const created = { providers: 0, services: 0 };
  for (const demo of demoProviders) {
    const token = await signIn(request, demo);
    const mine = await request('GET', '/api/v1/providers/me', { token });
    let profile = expect(mine, [200, 404], 'reading the provider profile');
    if (mine.status === 404) {
      const body = { displayName: demo.name, title: demo.title, specialty: demo.specialty, bio: demo.bio, timeZone: demo.timeZone, published: true };
      profile = expect(await request('POST', '/api/v1/providers', { body, token }), [201], `creating ${demo.name}`);
      created.providers += 1;
    }
    const id = profile.id as string;
    const listed = expect(await request('GET', `/api/v1/providers/${id}/services`, { token }), [200], 'listing services');
    const services = (listed.items as { id: string; name: string }[]).map(({ id: serviceId, name }) => ({ id: serviceId, name }));
    for (const service of demo.services) {
      if (services.some((existing) => existing.name === service.name)) continue;
      const made = expect(await request('POST', `/api/v1/providers/${id}/services`, { body: service, token }), [201], `adding ${service.name}`);
      services.push({ id: made.id as string, name: service.name });
      created.services += 1;
    }
    expect(await request('PUT', `/api/v1/providers/${id}/availability`, { body: { weekly: demo.weekly }, token }), [200], 'setting availability');
    providers.push({ id, displayName: demo.name, email: demo.email, services });
  }
  return { providers, created };
}

/** What to print after seeding: the accounts and what to try. */
export function describeDemo(summary: DemoSummary, apiBase: string): string[] {
  const { created } = summary;
  const first = summary.providers[0];
  return [
    created.providers + created.services === 0
      ? 'Demo data already there: nothing added.'
      : `Demo data added: ${created.providers} provider(s), ${created.services} service(s), with weekly hours.`,
    ...summary.providers.map((p) => `  ${p.displayName} <${p.email}>: ${p.services.map((s) => s.name).join(', ')}`),
    `  (demo accounts sign in with the password "${demoPassword}")`,
    'Try:',
    `  curl -s '${apiBase}/providers'`,
    ...(first === undefined ? [] : [`  curl -s '${apiBase}/providers/${first.id}/services'`]),
    '  then book a slot with docs/guide-booking.md',
  ];
}

/** A Requester over HTTP to a server at `baseUrl`. */
export function httpRequester(baseUrl: string): Requester {
  return async (method, url, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(new URL(url, baseUrl), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
  };
}

export { DemoError };

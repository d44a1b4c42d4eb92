import type { Page } from 'playwright-core';
import { apiCall, type TestServer } from './harness';

/* Set-up and checks shared by the client e2e files (client-*.test.ts): straight to the API. */

export interface ApiSlot {
  readonly start: string;
  readonly end: string;
  readonly seatsLeft: number;
}

export interface ApiBooking {
  readonly id: string;
  readonly status: string;
  readonly start: string;
  readonly end: string;
  readonly serviceId: string;
  readonly clientId: string;
  readonly notes: string | null;
  readonly cancelReason: string | null;
}

/** A word no other test's provider has, to search for. */
export function uniqueWord(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 8)}`;
}

/** The free slots of a service over the next `days` days. */
export async function freeSlots(server: TestServer, providerId: string, serviceId: string, days = 8): Promise<ApiSlot[]> {
  const from = new Date().toISOString();
  const to = new Date(Date.now() + days * 86_400_000).toISOString();
  const query = new URLSearchParams({ serviceId, from, to, timeZone: 'Europe/Berlin' });
  const body = await apiCall<{ slots: ApiSlot[] }>(server, 'GET', `/api/v1/providers/${providerId}/slots?${query.toString()}`);
  return body.slots;
}

export async function bookViaApi(server: TestServer, token: string, serviceId: string, start: string): Promise<ApiBooking> {
  return apiCall<ApiBooking>(server, 'POST', '/api/v1/bookings', { token, body: { serviceId, start } });
}

export async function bookingsOf(server: TestServer, token: string, role: 'client' | 'provider' = 'client'): Promise<ApiBooking[]> {
  return (await apiCall<{ items: ApiBooking[] }>(server, 'GET', `/api/v1/bookings?role=${role}&limit=100`, { token })).items;
}

/** A date (YYYY-MM-DD) in a zone, `offset` days from today there. */
export function dateIn(timeZone: string, offset = 0): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const [y, m, d] = today.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + offset)).toISOString().slice(0, 10);
}

/** ISO weekday (1 Monday … 7 Sunday) of a YYYY-MM-DD date. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The first free time's button on the provider page (the first day that has one). */
export function firstSlotButton(page: Page) {
  return page.getByRole('list', { name: /^Free times on/ }).first().getByRole('button').first();
}

/** What the focused element is called (its accessible name, near enough: aria-label or text). */
export async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null; textContent: string | null; tagName: string } | null } }).document.activeElement;
    if (element === null) return '';
    return `${element.tagName.toLowerCase()}:${element.getAttribute('aria-label') ?? element.textContent ?? ''}`;
  });
}

/** Press Tab until the focused element's name matches (at most `limit` presses). */
export async function tabTo(page: Page, pattern: RegExp, limit = 60): Promise<string> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    const name = await focusedName(page);
    if (pattern.test(name)) return name;
  }
  throw new Error(`Tab never reached ${String(pattern)}; focus is on ${await focusedName(page)}`);
}

import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  apiCall,
  createProvider,
  newContext,
  registerUser,
  screenshot,
  seriousAxeViolations,
  signIn,
  useServerAndBrowser,
  type ProviderSetup,
  type TestServer,
  type TestUser,
} from './harness';

/*
 * Issue 11, provider workspace (bookings and feeds): a client books through the API; the provider
 * sees it in the upcoming list and the week calendar, is refused a no-show before the start, and
 * cancels with a reason; the ICS feed is made, copied, read, rotated and revoked from its page.
 */

let server: TestServer;
let browser: Browser;

useServerAndBrowser((started) => ({ server, browser } = started));

// The browser contexts' zone and locale (harness newContext), for the texts the pages show.
const zone = 'Europe/Berlin';
const format = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { ...options, timeZone: zone });
const timeOf = (instant: string) => format({ hour: 'numeric', minute: '2-digit' }).format(new Date(instant));
const dayOf = (instant: string | Date) => format({ weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(instant));
/** The Monday (YYYY-MM-DD) of an instant's week in the zone. */
function mondayOf(instant: string | Date): string {
  const date = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone }).format(new Date(instant));
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  return new Date(Date.parse(`${date}T12:00:00Z`) - ((weekday + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

interface Booking {
  id: string;
  start: string;
  end: string;
  status: string;
  cancelReason: string | null;
}

/** A provider (API) with one booking by a new client on the first free slot. */
async function bookedProvider(): Promise<{ setup: ProviderSetup; client: TestUser; booking: Booking }> {
  const setup = await createProvider(server);
  const client = await registerUser(server, 'client');
  const from = new Date().toISOString();
  const to = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const { slots } = await apiCall<{ slots: { start: string }[] }>(
    server,
    'GET',
    `/api/v1/providers/${setup.providerId}/slots?serviceId=${setup.serviceId}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
  );
  const booking = await apiCall<Booking>(server, 'POST', '/api/v1/bookings', {
    token: client.accessToken,
    body: { serviceId: setup.serviceId, start: slots[0]!.start, notes: 'Knee, left' },
  });
  return { setup, client, booking };
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
}

describe('the provider workspace', () => {
  it('lists a client’s booking and shows it in the week; an early no-show is refused; a cancel carries its reason', async () => {
    const { setup, client, booking } = await bookedProvider();
    const context = await newContext(browser, server);
    const page = await context.newPage();
    await signIn(page, setup.provider.email);
    await page.waitForURL((url) => url.pathname === '/provider');

    const upcoming = page.getByRole('list', { name: 'Upcoming bookings' });
    const card = upcoming.getByRole('article').filter({ hasText: 'Consultation' });
    await card.waitFor();
    const time = timeOf(booking.start);
    expect(await card.innerText()).toContain(time);
    expect(await card.innerText()).toContain('Confirmed');
    expect(await card.innerText()).toContain('Client’s note: Knee, left');
    // Not started: only cancelling is offered.
    expect(await card.getByRole('button', { name: 'Mark no-show' }).count()).toBe(0);

    // The week calendar: this week has today marked; the booking is in its day's list.
    const week = page.getByRole('list', { name: /^Week of / });
    const today = week.locator('li[aria-current="date"]');
    expect(await today.getByRole('heading').innerText()).toContain('Today');
    if (mondayOf(booking.start) !== mondayOf(new Date())) await page.getByRole('button', { name: 'Next week' }).click();
    const day = week.getByRole('listitem').filter({ has: page.getByRole('heading', { name: dayOf(booking.start) }) });
    const entry = day.getByRole('button', { name: new RegExp(`^${time}`) });
    await entry.waitFor();
    expect(await entry.innerText()).toContain('Consultation');
    await entry.click();
    expect(await entry.getAttribute('aria-expanded')).toBe('true');
    await page.locator('.provider-detail').getByRole('article').filter({ hasText: 'Knee, left' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'provider-workspace-desktop');

    // The server decides what has started. A browser whose clock runs ahead offers "no-show";
    // the server refuses it and the page says why.
    const ahead = await newContext(browser, server);
    const early = await ahead.newPage();
    await early.clock.setFixedTime(new Date(Date.parse(booking.start) + 5 * 60_000));
    await signIn(early, setup.provider.email);
    const waiting = early.getByRole('region', { name: 'Waiting for an outcome' });
    await waiting.getByRole('button', { name: 'Mark no-show' }).click();
    await waiting.getByRole('alert').filter({ hasText: 'The booking has not started yet.' }).waitFor();
    await ahead.close();
    expect((await apiCall<Booking>(server, 'GET', `/api/v1/bookings/${booking.id}`, { token: client.accessToken })).status).toBe('confirmed');

    // Cancel, with a reason, from the list.
    await card.getByRole('button', { name: 'Cancel booking' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Cancel this booking?' });
    await dialog.getByLabel('Reason (the client sees it)').fill('The practice is closed for repairs');
    await dialog.getByRole('button', { name: 'Cancel booking' }).click();
    await card.getByRole('status').filter({ hasText: 'Booking cancelled.' }).waitFor();
    await card.getByText('Reason: The practice is closed for repairs').waitFor();
    expect(await card.innerText()).toContain('Cancelled');
    await entry.filter({ hasText: 'Cancelled' }).waitFor();
    const after = await apiCall<Booking>(server, 'GET', `/api/v1/bookings/${booking.id}`, { token: client.accessToken });
    expect(after).toMatchObject({ status: 'cancelled', cancelReason: 'The practice is closed for repairs' });
    await context.close();
  }, 60_000);

  it('makes, copies, serves, rotates and revokes the calendar feed; says plainly that Google is not set up', async () => {
    const { setup, booking } = await bookedProvider();
    const context = await newContext(browser, server);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    await signIn(page, setup.provider.email);
    await page.goto('/provider/calendar');
    await page.getByText('The URL is shown only once, right after it is made').waitFor();

    await page.getByRole('button', { name: 'Create feed URL' }).click();
    const field = page.getByLabel('Your private feed URL');
    await field.waitFor();
    const first = await field.inputValue();
    expect(first).toMatch(new RegExp(`^${server.url}/api/v1/calendar-feeds/[A-Za-z0-9_-]{43}\\.ics$`));
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(first);

    const feed = await fetch(first);
    expect(feed.status).toBe(200);
    const ics = await feed.text();
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toContain(`UID:${booking.id}@timeslot`);
    await expectAccessible(page);
    await screenshot(page, 'provider-calendar-desktop');

    await page.getByRole('button', { name: 'Rotate URL' }).click();
    await page.getByRole('alertdialog', { name: 'Make a new feed URL?' }).getByRole('button', { name: 'Make a new URL' }).click();
    await page.waitForFunction(`document.querySelector('input[readonly]')?.value !== ${JSON.stringify(first)}`);
    const second = await field.inputValue();
    expect(second).not.toBe(first);
    expect((await fetch(first)).status).toBe(404);
    expect(await (await fetch(second)).text()).toContain(`UID:${booking.id}@timeslot`);

    // This server has no Google client: the page says so in words.
    await page.getByRole('button', { name: 'Connect Google Calendar' }).click();
    await page.getByRole('alert').filter({ hasText: 'GOOGLE_NOT_CONFIGURED' }).waitFor();
    expect(await page.getByRole('region', { name: 'Google Calendar' }).innerText()).toContain('Not connected.');

    await page.getByRole('button', { name: 'Revoke feed URL' }).click();
    await page.getByRole('alertdialog', { name: 'Revoke the feed URL?' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('status').filter({ hasText: 'Feed URL revoked' }).waitFor();
    expect((await fetch(second)).status).toBe(404);
    await page.reload();
    await page.getByRole('button', { name: 'Create feed URL' }).waitFor();
    await context.close();
  }, 60_000);

  it('holds at phone width (360 px) with no serious accessibility problems', async () => {
    const { setup } = await bookedProvider();
    const context = await newContext(browser, server, { viewport: 'phone' });
    const page = await context.newPage();
    await signIn(page, setup.provider.email);
    await page.getByRole('list', { name: 'Upcoming bookings' }).getByRole('article').first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await expectAccessible(page);
    await screenshot(page, 'provider-workspace-phone');

    await page.getByRole('navigation', { name: 'Provider' }).getByRole('link', { name: 'Calendar feed' }).click();
    await page.getByRole('button', { name: 'Create feed URL' }).click();
    await page.getByLabel('Your private feed URL').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await expectAccessible(page);
    await screenshot(page, 'provider-calendar-phone');
    await context.close();
  }, 60_000);
});

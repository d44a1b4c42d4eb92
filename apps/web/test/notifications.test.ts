import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiCall, createProvider, newContext, registerUser, screenshot, seriousAxeViolations, signIn, useServerAndBrowser, type TestServer } from './harness';

/*
 * Notifications in the browser: the header bell follows the live stream (no reload), the inbox
 * lists and marks entries, and the account page saves the per-kind channels.
 */

let server: TestServer;
let browser: Browser;

useServerAndBrowser((started) => ({ server, browser } = started));

/** The first free slot of the provider's service two days from now (set-up, through the API). */
async function firstSlot(providerId: string, serviceId: string): Promise<string> {
  const from = new Date(Date.now() + 2 * 86_400_000);
  const to = new Date(from.getTime() + 2 * 86_400_000);
  const { slots } = await apiCall<{ slots: { start: string }[] }>(
    server,
    'GET',
    `/api/v1/providers/${providerId}/slots?serviceId=${serviceId}&from=${from.toISOString()}&to=${to.toISOString()}`,
  );
  const start = slots[0]?.start;
  if (start === undefined) throw new Error('the provider has no free slot');
  return start;
}

const phone = { width: 360, height: 740 };

/** No sideways scrolling: the page is no wider than the viewport. */
function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
}

/** Resolves once the page's live notification stream has been answered (the server then holds it). */
function streamOpened(page: Page): Promise<unknown> {
  return page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/notifications/stream' && response.status() === 200);
}

describe('notifications', () => {
  it('updates a provider’s bell live when a client books, lists the booking, marks it read and saves their settings, on desktop and phone', async () => {
    const setup = await createProvider(server);
    const client = await registerUser(server, 'client', 'Casey Client');
    const context = await newContext(browser, server);
    const page = await context.newPage();

    // The first stream is refused as a stale token would be: an EventSource gives up on a 401, so
    // the page must open a new one itself (with the session's current token).
    const streamUrls: string[] = [];
    await page.route('**/api/v1/notifications/stream?*', async (route) => {
      streamUrls.push(route.request().url());
      if (streamUrls.length > 1) return route.continue();
      return route.fulfill({ status: 401, contentType: 'application/problem+json', body: JSON.stringify({ status: 401, code: 'TOKEN_EXPIRED', title: 'Unauthorized' }) });
    });
    const live = streamOpened(page);
    await signIn(page, setup.provider.email);
    // No reload from here on: the open stream is the page's own second attempt.
    await live;
    expect(streamUrls.length).toBe(2);
    await page.getByRole('link', { name: /^Notifications/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    expect(new URL(streamUrls.at(-1)!).searchParams.get('access_token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // Their welcome (it may arrive live, after the page loaded): read, so the count starts at 0.
    const welcome = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: /^Welcome to Timeslot/ }) });
    await welcome.waitFor();
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.getByRole('link', { name: 'Notifications, 0 unread' }).waitFor();
    await welcome.getByText('Read', { exact: true }).waitFor();
    expect(await welcome.getByText('New', { exact: true }).count()).toBe(0);

    const start = await firstSlot(setup.providerId, setup.serviceId);
    const booking = await apiCall<{ id: string }>(server, 'POST', '/api/v1/bookings', { token: client.accessToken, body: { serviceId: setup.serviceId, start } });

    // No reload: the stream brings the count, the list and the announcement.
    const title = 'New booking: Consultation with Casey Client';
    await page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
    await page.getByRole('status').filter({ hasText: `New notification: ${title}` }).waitFor();
    const entry = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: title }) });
    await entry.waitFor();
    expect(await entry.getByText('New', { exact: true }).isVisible()).toBe(true);
    expect(await entry.getByRole('link', { name: 'View booking' }).getAttribute('href')).toBe(`/bookings/${booking.id}`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'notifications-inbox-desktop');

    await entry.getByRole('button', { name: 'Mark as read' }).click();
    await page.getByRole('link', { name: 'Notifications, 0 unread' }).waitFor();
    await entry.getByText('Read', { exact: true }).waitFor();
    expect(await entry.getByText('New', { exact: true }).count()).toBe(0);

    // Settings: reminders in-app only, saved, and the API reads them back.
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { level: 2, name: 'Notifications' }).waitFor();
    const reminders = page.getByRole('radio', { name: 'Reminders before a booking: In-app only' });
    await reminders.check();
    await page.getByRole('button', { name: 'Save notification settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Notification settings saved.' }).waitFor();
    const saved = await apiCall<{ channels: Record<string, string> }>(server, 'GET', '/api/v1/notifications/preferences', { token: setup.provider.accessToken });
    expect(saved.channels).toMatchObject({ booking_reminder: 'in_app', booking_confirmed: 'email' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'notifications-account-desktop');

    await page.reload();
    await page.getByRole('radio', { name: 'Reminders before a booking: In-app only', checked: true }).waitFor();

    // The same pages on a phone.
    await page.setViewportSize(phone);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'notifications-account-phone');
    await page.getByRole('link', { name: 'Notifications, 0 unread' }).click();
    await entry.waitFor();
    expect(await fitsWidth(page)).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'notifications-inbox-phone');
    await context.close();
  }, 60_000);
});

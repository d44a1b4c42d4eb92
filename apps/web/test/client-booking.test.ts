import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bookingsOf, dateIn, firstSlotButton, focusedName, freeSlots, isoWeekday, tabTo, uniqueWord } from './client-helpers';
import { apiCall, createProvider, newContext, password, registerUser, screenshot, seriousAxeViolations, signIn, useServerAndBrowser, type TestServer } from './harness';

/*
 * The client's way through the app: find a provider by search, open their page, sign in part-way,
 * book a free time, see it in "My bookings" and on its own page; and the same with the keyboard
 * alone. Set-up through the API, the behaviour under test through the UI.
 */

// Generous: these run against a real server and browser on a shared CI machine (no timing is asserted).
const slow = 60_000;

let server: TestServer;
let browser: Browser;

useServerAndBrowser((started) => ({ server, browser } = started));

describe('booking as a client', () => {
  it('finds a provider by search, books a free time and sees it in my bookings and on its page', async () => {
    const word = uniqueWord('Quill');
    const [setup, , client] = await Promise.all([
      createProvider(server, { displayName: `Dr. Ada ${word}`, specialty: 'Dermatology' }),
      createProvider(server, { displayName: `Dr. Other ${uniqueWord('Zed')}` }),
      registerUser(server, 'client', 'Casey Booker'),
    ]);
    // The provider works in Kolkata; the viewer reads Berlin time.
    await apiCall(server, 'PATCH', `/api/v1/providers/${setup.providerId}`, { token: setup.provider.accessToken, body: { timeZone: 'Asia/Kolkata', bio: 'Skin, hair and nails.' } });
    // Signed out until the moment of booking.
    const context = await newContext(browser, server);
    const page = await context.newPage();
    const slotRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/slots?')) slotRequests.push(request.url());
    });

    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Find a provider' }).waitFor();
    await page.getByRole('list').getByRole('link').first().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel('Search').fill(word);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === word);
    const result = page.getByRole('link', { name: setup.displayName });
    await result.waitFor();
    expect(await page.locator('.provider-card').count()).toBe(1);
    await screenshot(page, 'client-find-desktop');
    // The search survives a reload (it is in the URL).
    await page.reload();
    await result.waitFor();
    expect(await page.getByLabel('Search').inputValue()).toBe(word);

    await result.click();
    await page.getByRole('heading', { level: 1, name: setup.displayName }).waitFor();
    await page.getByText(`Times in Europe/Berlin; ${setup.displayName} works in Asia/Kolkata.`).waitFor();
    // One service: chosen already.
    await page.getByRole('heading', { name: 'Choose a time for Consultation' }).waitFor();
    const slot = firstSlotButton(page);
    await slot.waitFor();
    // The next week is fetched while this one is shown, so "Next week" answers from the cache.
    const thisWeek = slotRequests[0];
    const nextWeek = slotRequests.find((url) => url !== thisWeek) ?? (await page.waitForRequest((request) => request.url().includes('/slots?') && request.url() !== thisWeek)).url();
    const firstDay = await page.getByRole('list', { name: /^Free times on/ }).first().getAttribute('aria-label');
    const requestsBefore = slotRequests.length;
    await page.getByRole('button', { name: /Next week/ }).click();
    await page.getByRole('list', { name: /^Free times on/ }).first().waitFor();
    expect(await page.getByRole('list', { name: /^Free times on/ }).first().getAttribute('aria-label')).not.toBe(firstDay);
    expect(slotRequests.filter((url) => url === nextWeek)).toHaveLength(1);
    expect(slotRequests.slice(requestsBefore)).not.toContain(nextWeek);
    await page.getByRole('button', { name: /Previous week/ }).click();
    await page.getByRole('list', { name: firstDay! }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'client-provider-desktop');

    await slot.click();
    await page.waitForURL((url) => url.searchParams.has('slot'));
    const start = new URL(page.url()).searchParams.get('slot')!;
    await page.getByRole('heading', { name: 'Confirm your booking' }).waitFor();
    await page.getByRole('region', { name: 'Confirm your booking' }).getByText('Free', { exact: true }).waitFor();
    // Signing in comes back to this confirmation.
    await page.getByRole('link', { name: 'Sign in to book' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByLabel('Email').fill(client.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === `/providers/${setup.providerId}` && url.searchParams.get('slot') === start);
    await page.getByRole('heading', { name: 'Confirm your booking' }).waitFor();
    await page.getByLabel(/^Notes for/).fill('First visit, please call.');
    await screenshot(page, 'client-confirm-desktop');
    await page.getByRole('button', { name: 'Book', exact: true }).click();

    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    await page.getByText('Booked: your booking is confirmed.').waitFor();
    const bookingId = new URL(page.url()).pathname.split('/').pop()!;
    const [booking, ...others] = await bookingsOf(server, client.accessToken);
    expect(others).toEqual([]);
    expect(booking).toMatchObject({ id: bookingId, status: 'confirmed', start, serviceId: setup.serviceId, notes: 'First visit, please call.' });
    await page.getByRole('link', { name: setup.displayName }).waitFor();
    await page.getByText('Confirmed', { exact: true }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'client-booking-desktop');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My bookings' }).click();
    await page.getByRole('heading', { level: 1, name: 'My bookings' }).waitFor();
    const item = page.getByRole('list', { name: 'Upcoming bookings' }).getByRole('listitem');
    await item.getByRole('link', { name: `Consultation with ${setup.displayName}` }).waitFor();
    expect(await item.count()).toBe(1);
    // The .ics is made in the browser: UTC times, the booking's UID.
    const calendarLink = item.getByRole('link', { name: /^Add to calendar/ });
    const [download] = await Promise.all([page.waitForEvent('download'), calendarLink.click()]);
    expect(download.suggestedFilename()).toBe(`consultation-${start.slice(0, 10)}.ics`);
    const ics = await readFile(await download.path(), 'utf8');
    expect(ics).toContain(`UID:${bookingId}@timeslot`);
    expect(ics).toContain(`DTSTART:${start.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'client-bookings-desktop');

    await page.getByRole('tab', { name: 'Past' }).click();
    await page.getByText('No past bookings.').waitFor();
    await page.getByRole('tab', { name: 'Upcoming' }).click();
    await item.getByRole('link', { name: `Consultation with ${setup.displayName}` }).click();
    await page.waitForURL(`**/bookings/${bookingId}`);
    await page.getByText('First visit, please call.').waitFor();
    await context.close();
  }, slow);

  it('books with the keyboard alone, from the provider page to the confirmed booking', async () => {
    // Not working today, so the first day with free times has a full day of them.
    const today = isoWeekday(dateIn('Europe/Berlin'));
    const weekly = [1, 2, 3, 4, 5, 6, 7].filter((weekday) => weekday !== today).map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
    const [setup, client] = await Promise.all([createProvider(server, { service: { name: 'Consultation', durationMinutes: 30 }, weekly }), registerUser(server, 'client')]);
    const second = await apiCall<{ id: string }>(server, 'POST', `/api/v1/providers/${setup.providerId}/services`, {
      token: setup.provider.accessToken,
      body: { name: 'Video review', durationMinutes: 60, location: { kind: 'video' } },
    });
    const context = await newContext(browser, server);
    const page = await context.newPage();
    await signIn(page, client.email);
    const slots = await freeSlots(server, setup.providerId, second.id);
    expect(slots.length).toBeGreaterThan(1);

    await page.goto(`/providers/${setup.providerId}`);
    await page.getByRole('heading', { level: 1, name: setup.displayName }).waitFor();
    await tabTo(page, /^button:Choose Video review$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Choose a time for Video review' }).waitFor();
    await firstSlotButton(page).waitFor();

    // Into the first day's times (one tab stop), then one to the right with the arrow key.
    await tabTo(page, /^button:\d/);
    const firstName = await focusedName(page);
    await page.keyboard.press('ArrowRight');
    const secondName = await focusedName(page);
    expect(secondName).not.toBe(firstName);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Confirm your booking' }).waitFor();
    // The confirmation takes focus: the next stops are the notes, then Book.
    expect(await focusedName(page)).toBe('h2:Confirm your booking');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Booked without a mouse');
    await tabTo(page, /^button:Book$/);
    await page.keyboard.press('Space');

    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    await page.getByText('Booked: your booking is confirmed.').waitFor();
    const [booking] = await bookingsOf(server, client.accessToken);
    expect(booking).toMatchObject({ serviceId: second.id, status: 'confirmed', notes: 'Booked without a mouse' });
    // The second free time of the first day that has any (the API lists them in order).
    const berlinDay = (instant: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(instant));
    const sameDay = slots.filter((slot) => berlinDay(slot.start) === berlinDay(slots[0]!.start));
    expect(booking!.start).toBe(sameDay[1]!.start);
    await context.close();
  }, slow);

  it('keeps one Idempotency-Key per attempt: the same after a network failure, a new one for another time', async () => {
    const [setup, client] = await Promise.all([createProvider(server), registerUser(server, 'client')]);
    const context = await newContext(browser, server);
    const page = await context.newPage();
    await signIn(page, client.email);
    const keys: string[] = [];
    // The network drops every booking request until the route is removed (the client's own
    // retries included, which reuse the key as well).
    await page.route('**/api/v1/bookings', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      await route.abort('internetdisconnected');
    });
    await page.goto(`/providers/${setup.providerId}`);
    const times = page.getByRole('list', { name: /^Free times on/ }).first().getByRole('button');
    await times.first().click();
    const book = page.getByRole('button', { name: 'Book', exact: true });
    await book.click();
    await page.getByRole('alert').getByText('The server cannot be reached. Check your connection and try again.').waitFor();
    const firstAttempt = [...keys];
    expect(firstAttempt.length).toBeGreaterThan(0);
    await book.click();
    await page.getByRole('alert').waitFor();
    await expect.poll(() => keys.length).toBeGreaterThan(firstAttempt.length);
    await book.waitFor({ state: 'visible' });
    await page.waitForFunction(() => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('button[aria-busy="true"]'));
    expect(new Set(keys).size).toBe(1);

    // Another time is another attempt: a new key, kept until it succeeds.
    await page.getByRole('button', { name: 'Choose another time' }).click();
    await times.nth(1).click();
    const second = new URL(page.url()).searchParams.get('slot');
    const failedSoFar = keys.length;
    await book.click();
    await page.getByRole('alert').getByText('The server cannot be reached. Check your connection and try again.').waitFor();
    await page.waitForFunction(() => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('button[aria-busy="true"]'));
    const secondKey = keys[failedSoFar];
    expect(secondKey).toBeDefined();
    expect(secondKey).not.toBe(keys[0]);
    await page.unroute('**/api/v1/bookings');
    const [sent] = await Promise.all([page.waitForRequest((request) => request.url().endsWith('/api/v1/bookings') && request.method() === 'POST'), book.click()]);
    expect(sent.headers()['idempotency-key']).toBe(secondKey);
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    expect(keys.slice(failedSoFar).every((key) => key === secondKey)).toBe(true);
    expect(await bookingsOf(server, client.accessToken)).toEqual([expect.objectContaining({ start: second, status: 'confirmed' })]);
    await context.close();
  }, slow);
  it('repeats a booking a gateway answered 502 with the same key, and the server books it once', async () => {
    const [setup, client] = await Promise.all([createProvider(server), registerUser(server, 'client')]);
    const context = await newContext(browser, server);
    const page = await context.newPage();
    await signIn(page, client.email);
    const keys: string[] = [];
    // The first request reaches the server and books; its answer is lost on the way back and the
    // browser sees a gateway's 502. The client repeats it with the same key and gets that booking.
    await page.route('**/api/v1/bookings', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length > 1) return route.continue();
      const reached = await route.fetch();
      expect(reached.status()).toBe(201);
      await route.fulfill({ status: 502, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Bad Gateway', status: 502, code: 'UPSTREAM_UNAVAILABLE' }) });
    });
    await page.goto(`/providers/${setup.providerId}`);
    await page.getByRole('list', { name: /^Free times on/ }).first().getByRole('button').first().click();
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    expect(keys.length).toBe(2);
    expect(keys[1]).toBe(keys[0]);
    const bookings = await bookingsOf(server, client.accessToken);
    expect(bookings).toHaveLength(1);
    expect(page.url()).toContain(`/bookings/${bookings[0]!.id}`);
    await context.close();
  }, slow);
});

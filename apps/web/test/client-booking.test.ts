import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingsOf, dateIn, firstSlotButton, focusedName, freeSlots, isoWeekday, tabTo, uniqueWord } from './client-helpers';
import { apiCall, createProvider, launchBrowser, newContext, registerUser, screenshot, seriousAxeViolations, signIn, startServer, type TestServer } from './harness';

/*
 * The client's way through the app: find a provider by search, open their page, book a free time,
 * see it in "My bookings" and on its own page; the same with the keyboard alone; and every main
 * page at phone width. Set-up through the API, the behaviour under test through the UI.
 */

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('booking as a client', () => {
  it('finds a provider by search, books a free time and sees it in my bookings and on its page', async () => {
    const word = uniqueWord('Quill');
    const setup = await createProvider(server, { displayName: `Dr. Ada ${word}`, specialty: 'Dermatology' });
    // The provider works in Kolkata; the viewer reads Berlin time.
    await apiCall(server, 'PATCH', `/api/v1/providers/${setup.providerId}`, { token: setup.provider.accessToken, body: { timeZone: 'Asia/Kolkata', bio: 'Skin, hair and nails.' } });
    await createProvider(server, { displayName: `Dr. Other ${uniqueWord('Zed')}` });
    const client = await registerUser(server, 'client', 'Casey Booker');
    const context = await newContext(browser, server);
    const page = await context.newPage();
    await signIn(page, client.email);

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
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'client-provider-desktop');

    await slot.click();
    await page.waitForURL((url) => url.searchParams.has('slot'));
    const start = new URL(page.url()).searchParams.get('slot')!;
    await page.getByRole('heading', { name: 'Confirm your booking' }).waitFor();
    await page.getByRole('region', { name: 'Confirm your booking' }).getByText('Free', { exact: true }).waitFor();
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
  });

  it('books with the keyboard alone, from the provider page to the confirmed booking', async () => {
    // Not working today, so the first day with free times has a full day of them.
    const today = isoWeekday(dateIn('Europe/Berlin'));
    const weekly = [1, 2, 3, 4, 5, 6, 7].filter((weekday) => weekday !== today).map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
    const setup = await createProvider(server, { service: { name: 'Consultation', durationMinutes: 30 }, weekly });
    const second = await apiCall<{ id: string }>(server, 'POST', `/api/v1/providers/${setup.providerId}/services`, {
      token: setup.provider.accessToken,
      body: { name: 'Video review', durationMinutes: 60, location: { kind: 'video' } },
    });
    const client = await registerUser(server, 'client');
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
  });

  it('fits a 360 px phone: find, provider page, my bookings and a booking, without serious axe violations', async () => {
    const word = uniqueWord('Phone');
    const setup = await createProvider(server, { displayName: `Dr. Mobile ${word}`, specialty: 'Paediatrics' });
    const client = await registerUser(server, 'client');
    const [slot] = await freeSlots(server, setup.providerId, setup.serviceId);
    const booked = await apiCall<{ id: string }>(server, 'POST', '/api/v1/bookings', { token: client.accessToken, body: { serviceId: setup.serviceId, start: slot!.start } });
    const context = await newContext(browser, server, { viewport: 'phone' });
    const page = await context.newPage();
    await signIn(page, client.email);

    const noSideScroll = async () => expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement.scrollWidth <= 360)).toBe(true);

    await page.goto(`/?q=${word}`);
    await page.getByRole('link', { name: setup.displayName }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await noSideScroll();
    await screenshot(page, 'client-find-phone');

    await page.goto(`/providers/${setup.providerId}?view=day`);
    await firstSlotButton(page).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await noSideScroll();
    await screenshot(page, 'client-provider-phone');

    await page.goto('/bookings');
    await page.getByRole('link', { name: `Consultation with ${setup.displayName}` }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await noSideScroll();
    await screenshot(page, 'client-bookings-phone');

    await page.goto(`/bookings/${booked.id}`);
    await page.getByText('Confirmed', { exact: true }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await noSideScroll();
    await screenshot(page, 'client-booking-phone');
    await context.close();
  });
});

import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bookingsOf, bookViaApi, firstSlotButton, freeSlots, uniqueWord } from './client-helpers';
import { apiCall, createProvider, newContext, registerUser, screenshot, seriousAxeViolations, signIn, useServerAndBrowser, type TestServer } from './harness';

/*
 * After booking: paying for a paid service through the embedded payment simulator's checkout (its
 * page cannot lead back into the app, so the booking's page waits for the payment), and changing
 * a booking from its page: reschedule, cancel, and the cancellation policy's refusal; and the
 * client's main pages at phone width.
 */

// Generous: these run against a real server and browser on a shared CI machine (no timing is asserted).
const slow = 60_000;

let server: TestServer;
let browser: Browser;

useServerAndBrowser((started) => ({ server, browser } = started));

async function signedInPage(email: string): Promise<Page> {
  const context = await newContext(browser, server);
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

describe('a booking after it is made', () => {
  it('pays for a paid service on the simulator’s checkout and shows the booking confirmed', async () => {
    const [setup, client] = await Promise.all([
      createProvider(server, { service: { name: 'Paid consultation', durationMinutes: 45, priceAmount: 4500, currency: 'EUR' } }),
      registerUser(server, 'client'),
    ]);
    const page = await signedInPage(client.email);
    await page.goto(`/providers/${setup.providerId}`);
    await page.getByText('€45.00').first().waitFor();
    await firstSlotButton(page).click();
    await page.getByRole('region', { name: 'Confirm your booking' }).getByText('€45.00', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Book and pay €45.00' }).click();

    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    const bookingId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByText('Awaiting payment', { exact: true }).waitFor();
    await page.getByText(/^Your time is held until .*\. Pay €45\.00 to confirm it\.$/).waitFor();
    expect(await bookingsOf(server, client.accessToken)).toEqual([expect.objectContaining({ id: bookingId, status: 'pending_payment' })]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'client-payment-desktop');

    // The checkout opens in a new tab; this page keeps watching the booking.
    const [checkout] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: /^Pay €45\.00/ }).click()]);
    await checkout.getByRole('button', { name: 'Pay', exact: true }).click();
    await checkout.getByText('Payment accepted.', { exact: false }).waitFor();
    await checkout.close();

    await page.getByText('Payment received: your booking is confirmed.').waitFor();
    await page.getByText('Confirmed', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Payment' }).getByText('Paid', { exact: true }).waitFor();
    expect(await bookingsOf(server, client.accessToken)).toEqual([expect.objectContaining({ id: bookingId, status: 'confirmed' })]);
    const payment = await apiCall<{ status: string; amount: number }>(server, 'GET', `/api/v1/bookings/${bookingId}/payment`, { token: client.accessToken });
    expect(payment).toMatchObject({ status: 'captured', amount: 4500 });

    // Cancelled in time: the page follows the refund until the gateway has made it.
    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByText('Your booking is cancelled.').waitFor();
    await page.getByRole('heading', { name: 'Refunds' }).waitFor();
    await page.getByText(/^€45\.00 on .*: refunded$/).waitFor();
    await page.getByRole('region', { name: 'Payment' }).getByText('Refunded', { exact: true }).waitFor();
    await page.context().close();
  }, slow);

  it('reschedules and then cancels a booking from its page', async () => {
    const [setup, client] = await Promise.all([createProvider(server), registerUser(server, 'client')]);
    const slots = await freeSlots(server, setup.providerId, setup.serviceId);
    const booking = await bookViaApi(server, client.accessToken, setup.serviceId, slots[0]!.start);
    const page = await signedInPage(client.email);
    await page.goto(`/bookings/${booking.id}`);
    await page.getByText('Confirmed', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Reschedule' }).click();
    await page.getByRole('heading', { name: 'Pick a new time' }).waitFor();
    // The booked time is not free any more: the first free one is the one after it.
    const slot = firstSlotButton(page);
    await slot.click();
    await page.getByRole('heading', { name: /^Move to / }).waitFor();
    await page.getByRole('button', { name: 'Move booking' }).click();
    await page.getByText(/^Moved to /).waitFor();
    const [moved] = await bookingsOf(server, client.accessToken);
    expect(moved).toMatchObject({ id: booking.id, status: 'confirmed', start: slots[1]!.start });

    await page.getByRole('button', { name: 'Cancel booking' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Cancel this booking?' });
    await dialog.getByLabel('Reason (optional)').fill('Feeling better');
    await dialog.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByText('Your booking is cancelled.').waitFor();
    await page.getByText('Cancelled', { exact: true }).waitFor();
    await page.getByText('Feeling better').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel booking' }).count()).toBe(0);
    const [cancelled] = await bookingsOf(server, client.accessToken);
    expect(cancelled).toMatchObject({ id: booking.id, status: 'cancelled', cancelReason: 'Feeling better' });
    await page.context().close();
  }, slow);

  it('shows the cancellation policy’s refusal when it is too late for the client to cancel', async () => {
    // A client may cancel until 30 days before the start: every slot of the next weeks is too late.
    const [setup, client] = await Promise.all([
      createProvider(server, { service: { name: 'Strict consultation', durationMinutes: 30, cancellationWindowMinutes: 30 * 24 * 60 } }),
      registerUser(server, 'client'),
    ]);
    const [slot] = await freeSlots(server, setup.providerId, setup.serviceId);
    const booking = await bookViaApi(server, client.accessToken, setup.serviceId, slot!.start);
    const page = await signedInPage(client.email);
    await page.goto(`/bookings/${booking.id}`);
    await page.getByText('The time to cancel or reschedule this booking has passed.').waitFor();
    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByRole('alert').getByText('This booking can no longer be changed by the client: the limit is 43200 minutes before the start.').waitFor();
    expect(await bookingsOf(server, client.accessToken)).toEqual([expect.objectContaining({ id: booking.id, status: 'confirmed' })]);
    await page.context().close();
  }, slow);

  it('fits a 360 px phone: find, provider page, my bookings and a booking, without serious axe violations', async () => {
    const word = uniqueWord('Phone');
    const [setup, client] = await Promise.all([createProvider(server, { displayName: `Dr. Mobile ${word}`, specialty: 'Paediatrics' }), registerUser(server, 'client')]);
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
  }, slow);
});

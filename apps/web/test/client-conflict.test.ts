import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bookingsOf, bookViaApi, dateIn, firstSlotButton, freeSlots, isoWeekday } from './client-helpers';
import { apiCall, createProvider, newContext, registerUser, screenshot, seriousAxeViolations, signIn, useServerAndBrowser, type TestServer } from './harness';

/*
 * When two people want the same time: exactly one gets it, the other is told kindly and sees the
 * time gone from the list; and the waitlist, for a taken time (then offered and claimed when it is
 * freed) and for a day without a free time.
 */

// Generous: these run against a real server and browser on a shared CI machine (no timing is asserted).
const slow = 60_000;

let server: TestServer;
let browser: Browser;

useServerAndBrowser((started) => ({ server, browser } = started));

const taken = 'That time was just taken — pick another.';

async function signedInPage(email: string): Promise<Page> {
  const context = await newContext(browser, server);
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** Opens the provider page and chooses its first free time; returns that time's button name and start. */
async function chooseFirstSlot(page: Page, providerId: string): Promise<{ name: string; start: string }> {
  await page.goto(`/providers/${providerId}`);
  const slot = firstSlotButton(page);
  await slot.waitFor();
  const name = (await slot.textContent()) ?? '';
  await slot.click();
  await page.getByRole('heading', { name: 'Confirm your booking' }).waitFor();
  return { name, start: new URL(page.url()).searchParams.get('slot')! };
}

describe('two clients, one time', () => {
  it('confirms exactly one of two simultaneous bookings; the other sees the conflict and the time gone', async () => {
    const [setup, alice, bob] = await Promise.all([createProvider(server), registerUser(server, 'client', 'Alice'), registerUser(server, 'client', 'Bob')]);
    const [pageA, pageB] = await Promise.all([signedInPage(alice.email), signedInPage(bob.email)]);
    const [a, b] = await Promise.all([chooseFirstSlot(pageA, setup.providerId), chooseFirstSlot(pageB, setup.providerId)]);
    expect(b.start).toBe(a.start);

    await Promise.all([pageA.getByRole('button', { name: 'Book', exact: true }).click(), pageB.getByRole('button', { name: 'Book', exact: true }).click()]);
    const outcome = async (page: Page): Promise<'booked' | 'taken'> => {
      await page.getByText('Booked: your booking is confirmed.').or(page.getByText(taken)).waitFor();
      return (await page.getByText(taken).count()) > 0 ? 'taken' : 'booked';
    };
    const outcomes = await Promise.all([outcome(pageA), outcome(pageB)]);
    expect([...outcomes].sort()).toEqual(['booked', 'taken']);
    const loser = outcomes[0] === 'taken' ? pageA : pageB;
    const winner = outcomes[0] === 'taken' ? bob : alice;

    // The loser's list is fetched again and the time is gone from it; nothing is chosen any more.
    expect(await loser.getByRole('alert').innerText()).toContain(taken);
    await loser.getByRole('button', { name: a.name, exact: true }).waitFor({ state: 'detached' });
    await firstSlotButton(loser).waitFor();
    expect(new URL(loser.url()).searchParams.has('slot')).toBe(false);
    expect(await loser.getByRole('heading', { name: 'Confirm your booking' }).count()).toBe(0);

    const [aliceBookings, bobBookings, providerBookings] = await Promise.all([
      bookingsOf(server, alice.accessToken),
      bookingsOf(server, bob.accessToken),
      bookingsOf(server, setup.provider.accessToken, 'provider'),
    ]);
    expect(aliceBookings.length + bobBookings.length).toBe(1);
    expect(providerBookings).toHaveLength(1);
    expect(providerBookings[0]).toMatchObject({ start: a.start, status: 'confirmed', clientId: winner.id });
    await Promise.all([pageA.context().close(), pageB.context().close()]);
  }, slow);

  it('puts the one who lost a time on its waitlist, offers it when freed, and books it when claimed', async () => {
    const [setup, first, waiting] = await Promise.all([createProvider(server), registerUser(server, 'client', 'Fran First'), registerUser(server, 'client', 'Wes Waiting')]);
    const page = await signedInPage(waiting.email);
    const chosen = await chooseFirstSlot(page, setup.providerId);
    // Someone else books it while this person is still on the confirmation.
    const theirs = await bookViaApi(server, first.accessToken, setup.serviceId, chosen.start);
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await page.getByText(taken).waitFor();

    await page.getByRole('button', { name: 'Join the waitlist for that time' }).click();
    await page.getByText(/You are on .*’s waitlist for/).waitFor();
    await page.getByRole('link', { name: 'your waitlist' }).click();
    await page.getByRole('heading', { level: 1, name: 'Waitlist' }).waitFor();
    await page.getByRole('button', { name: /^Leave the waitlist/ }).waitFor();

    // The time is freed: the scheduler offers it to the first in line (a held booking).
    await apiCall(server, 'POST', `/api/v1/bookings/${theirs.id}/cancel`, { token: first.accessToken, body: { reason: 'Cannot make it' } });
    await expect
      .poll(async () => (await apiCall<{ items: { status: string }[] }>(server, 'GET', '/api/v1/waitlist', { token: waiting.accessToken })).items[0]?.status, { timeout: 10_000 })
      .toBe('offered');
    await page.reload();
    const claim = page.getByRole('button', { name: /^Claim/ });
    await claim.waitFor();
    await page.getByText(/A place is free for you: .*Claim it before/).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'client-waitlist-desktop');
    await claim.click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    await page.getByText('Booked: your booking is confirmed.').waitFor();
    const [mine] = await bookingsOf(server, waiting.accessToken);
    expect(mine).toMatchObject({ start: chosen.start, status: 'confirmed' });
    await page.context().close();
  }, slow);

  it('offers the waitlist of a day when the week has no free time', async () => {
    // One 30-minute slot a week, tomorrow at 09:00 (Berlin), already taken.
    const tomorrow = dateIn('Europe/Berlin', 1);
    const [setup, other, client] = await Promise.all([
      createProvider(server, { weekly: [{ weekday: isoWeekday(tomorrow), start: '09:00', end: '09:30' }] }),
      registerUser(server, 'client'),
      registerUser(server, 'client'),
    ]);
    const [only] = await freeSlots(server, setup.providerId, setup.serviceId);
    expect(only).toBeDefined();
    await bookViaApi(server, other.accessToken, setup.serviceId, only!.start);

    const page = await signedInPage(client.email);
    await page.goto(`/providers/${setup.providerId}`);
    await page.getByText(/^No free times from/).waitFor();
    await page.getByLabel('Join the waitlist for a day').selectOption(tomorrow);
    await page.getByRole('button', { name: 'Join the waitlist', exact: true }).click();
    await page.getByText(/You are on .*’s waitlist for/).waitFor();
    const entries = (await apiCall<{ items: { date: string | null; status: string; serviceId: string }[] }>(server, 'GET', '/api/v1/waitlist', { token: client.accessToken })).items;
    expect(entries).toEqual([expect.objectContaining({ date: tomorrow, status: 'waiting', serviceId: setup.serviceId })]);

    // Joining again is refused with the server's reason.
    await page.getByRole('button', { name: 'Join the waitlist', exact: true }).click();
    await page.getByText('You are already on the waitlist for this time.').waitFor();
    await page.context().close();
  }, slow);
});

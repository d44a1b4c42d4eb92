import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  apiCall,
  createProvider,
  newContext,
  password,
  screenshot,
  seriousAxeViolations,
  signIn,
  useServerAndBrowser,
  uniqueEmail,
  type TestServer,
} from './harness';

/*
 * Issue 11, provider workspace (set-up): a provider signs up, writes a profile, adds a service and
 * sets weekly hours, a date override and a blocked period, all through the pages; the API's slots
 * for that service are then exactly those hours.
 */

let server: TestServer;
let browser: Browser;

useServerAndBrowser((started) => ({ server, browser } = started));

const zone = 'Europe/Berlin';

/** Today's date (YYYY-MM-DD) in the zone, plus some days. */
function dateIn(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function providerNav(page: Page) {
  return page.getByRole('navigation', { name: 'Provider' });
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
}

describe('the provider set-up pages', () => {
  it('take a new provider from sign-up to bookable hours, and the slots are exactly those hours', async () => {
    const context = await newContext(browser, server);
    const page = await context.newPage();
    const email = uniqueEmail('provider-ui');

    await page.goto('/register');
    await page.getByLabel('Your name').fill('Dr. Robin Setup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('offer my time (provider)').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname === '/provider/profile');

    // Profile: created here, since the account has none yet; the workspace says so too.
    await page.getByRole('button', { name: 'Create profile' }).waitFor();
    expect(await providerNav(page).getByRole('link').allInnerTexts()).toEqual(['Workspace', 'Profile', 'Services', 'Availability', 'Calendar feed']);
    await providerNav(page).getByRole('link', { name: 'Workspace' }).click();
    await page.getByRole('link', { name: 'Create your provider profile' }).click();
    await page.getByRole('button', { name: 'Create profile' }).waitFor();
    expect(await page.getByLabel('Time zone').inputValue()).toBe(zone);
    await expectAccessible(page);
    await screenshot(page, 'provider-profile-desktop');
    await page.getByLabel('Display name').fill('Dr. Robin Setup');
    await page.getByLabel('Title').fill('Physiotherapist');
    await page.getByLabel('Specialty').fill('Sports injuries');
    await page.getByLabel('About you').fill('Twenty years of helping runners run again.');
    await page.getByLabel('Photo URL').fill('http://example.test/robin.jpg');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByText('Use an address that starts with https://.').waitFor();
    await page.getByLabel('Photo URL').fill('');
    await page.getByLabel('Published').check();
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByRole('status').filter({ hasText: 'Profile created.' }).waitFor();
    await page.getByRole('button', { name: 'Save profile' }).waitFor();

    const login = await apiCall<{ accessToken: string }>(server, 'POST', '/api/v1/auth/login', { body: { email, password } });
    const profile = await apiCall<{ id: string; displayName: string; specialty: string; timeZone: string; published: boolean }>(server, 'GET', '/api/v1/providers/me', {
      token: login.accessToken,
    });
    expect(profile).toMatchObject({ displayName: 'Dr. Robin Setup', specialty: 'Sports injuries', timeZone: zone, published: true });

    // A service: 30 minutes, EUR 45.50 typed in euros, sent in cents.
    await providerNav(page).getByRole('link', { name: 'Services' }).click();
    await page.getByRole('button', { name: 'Add a service' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Assessment');
    await page.getByLabel('Description').fill('A first look at what hurts.');
    await page.getByLabel('Duration (minutes)').fill('30');
    await page.getByLabel('Price').fill('45.50');
    await page.getByLabel('Currency').selectOption('EUR');
    await page.getByRole('button', { name: 'Add service' }).click();
    await page.getByRole('status').filter({ hasText: 'Service “Assessment” added.' }).waitFor();
    await page.getByRole('heading', { name: 'Assessment' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'provider-services-desktop');
    const services = await apiCall<{ items: { id: string; priceAmount: number; currency: string; durationMinutes: number }[] }>(
      server,
      'GET',
      `/api/v1/providers/${profile.id}/services`,
      { token: login.accessToken },
    );
    expect(services.items).toHaveLength(1);
    const service = services.items[0]!;
    expect(service).toMatchObject({ priceAmount: 4550, currency: 'EUR', durationMinutes: 30 });
    // Edited, then taken off and put back on offer.
    await page.getByRole('button', { name: 'Edit Assessment' }).click();
    expect(await page.getByLabel('Price').inputValue()).toBe('45.50');
    await page.getByLabel('Booking window (days)').fill('30');
    await page.getByRole('button', { name: 'Save service' }).click();
    await page.getByRole('status').filter({ hasText: 'Service “Assessment” saved.' }).waitFor();
    await page.getByRole('button', { name: 'Deactivate Assessment' }).click();
    await page.getByText('Inactive: hidden from clients').waitFor();
    await page.getByRole('button', { name: 'Activate Assessment' }).click();
    await page.getByRole('button', { name: 'Deactivate Assessment' }).waitFor();
    const edited = await apiCall<{ bookingWindowDays: number; active: boolean }>(server, 'GET', `/api/v1/providers/${profile.id}/services/${service.id}`, {
      token: login.accessToken,
    });
    expect(edited).toMatchObject({ bookingWindowDays: 30, active: true });

    // Availability: two intervals on one weekday, a date with its own hours, a closed date, a blocked period.
    const first = dateIn(2);
    const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${first}T12:00:00Z`));
    const second = dateIn(9);
    const third = dateIn(16);

    await providerNav(page).getByRole('link', { name: 'Availability' }).click();
    await page.getByText(`All times on this page are in your profile’s time zone, ${zone}`).waitFor();
    await page.getByRole('button', { name: `Add hours on ${weekday}` }).click();
    await page.getByLabel(`${weekday} hours 1 from`).fill('09:00');
    await page.getByLabel(`${weekday} hours 1 to`).fill('11:00');
    await page.getByRole('button', { name: `Add hours on ${weekday}` }).click();
    await page.getByText('Unsaved changes').waitFor();
    // An overlap is caught before anything is sent.
    await page.getByLabel(`${weekday} hours 2 from`).fill('10:00');
    await page.getByLabel(`${weekday} hours 2 to`).fill('15:30');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await page.getByText('Overlaps other hours of the same day.').waitFor();
    await page.getByLabel(`${weekday} hours 2 from`).fill('14:00');
    await page.getByText('Overlaps other hours of the same day.').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Add a date' }).click();
    await page.getByLabel('Override 1 date').fill(second);
    await page.getByLabel('Closed all day').uncheck();
    await page.getByLabel('Override 1 hours 1 from').fill('12:00');
    await page.getByLabel('Override 1 hours 1 to').fill('13:00');
    await page.getByRole('button', { name: 'Add a date' }).click();
    await page.getByLabel('Override 2 date').fill(third);

    await page.getByRole('button', { name: 'Add a blocked period' }).click();
    await page.getByLabel('Blocked period 1 start date').fill(first);
    await page.getByLabel('Blocked period 1 start time').fill('09:30');
    await page.getByLabel('Blocked period 1 end date').fill(first);
    await page.getByLabel('Blocked period 1 end time').fill('10:30');
    await page.getByLabel('Blocked period 1 reason (only you see it)').fill('Dentist');

    await page.getByRole('button', { name: 'Save availability' }).click();
    await page.getByText('Saved: clients see these hours now.').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'provider-availability-desktop');

    // From before midnight of the first date in Berlin to past the third: the days around have no hours.
    const from = new Date(Date.parse(`${first}T00:00:00Z`) - 3 * 3_600_000).toISOString();
    const to = `${dateIn(17)}T00:00:00Z`;
    const slots = await apiCall<{ slots: { localStart: string }[] }>(
      server,
      'GET',
      `/api/v1/providers/${profile.id}/slots?serviceId=${service.id}&timeZone=${encodeURIComponent(zone)}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    expect(slots.slots.map((slot) => slot.localStart.slice(0, 16))).toEqual([
      // The weekday's 09:00–11:00 and 14:00–15:30, less 09:30–10:30 blocked.
      `${first}T09:00`,
      `${first}T10:30`,
      `${first}T14:00`,
      `${first}T14:30`,
      `${first}T15:00`,
      // A week later the date's own hours replace the weekday's.
      `${second}T12:00`,
      `${second}T12:30`,
      // Two weeks later the date is closed.
    ]);

    // What was saved comes back when the page is opened again.
    await page.reload();
    await page.getByLabel(`${weekday} hours 2 from`).waitFor();
    expect(await page.getByLabel(`${weekday} hours 2 from`).inputValue()).toBe('14:00');
    expect(await page.getByLabel('Blocked period 1 start time').inputValue()).toBe('09:30');
    await page.getByText('No unsaved changes.').waitFor();
    await context.close();
  }, 60_000);

  it('hold at phone width (360 px) with no serious accessibility problems', async () => {
    const setup = await createProvider(server, { service: { name: 'Video call', priceAmount: 2500, currency: 'EUR' } });
    const context = await newContext(browser, server, { viewport: 'phone' });
    const page = await context.newPage();
    await signIn(page, setup.provider.email);

    for (const [path, heading, name] of [
      ['/provider/profile', 'Your provider profile', 'provider-profile-phone'],
      ['/provider/services', 'Your services', 'provider-services-phone'],
      ['/provider/availability', 'Your availability', 'provider-availability-phone'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.getByRole('navigation', { name: 'Provider' }).waitFor();
      if (path === '/provider/availability') await page.getByLabel('Monday hours 1 from').waitFor();
      if (path === '/provider/services') await page.getByRole('heading', { name: 'Video call' }).waitFor();
      if (path === '/provider/profile') await page.getByRole('button', { name: 'Save profile' }).waitFor();
      // Nothing wider than the screen.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
      await expectAccessible(page);
      await screenshot(page, name);
    }
    await context.close();
  }, 60_000);
});

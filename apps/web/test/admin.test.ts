import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createAdmin, createProvider, launchBrowser, newContext, password, registerUser, screenshot, seriousAxeViolations, signIn, startServer, type TestServer } from './harness';

/*
 * The admin page in the browser: find an account and disable it (the API then refuses its login)
 * and enable it again; find a provider; see the job queues and retry a failed job. Emails fail at
 * once here: SMTP_URL points at a server that answers every connection with a permanent 554, so
 * every welcome email becomes a failed job without waiting out retries.
 */

let server: TestServer;
let browser: Browser;
let smtp: net.Server;

beforeAll(async () => {
  smtp = net.createServer((socket) => socket.end('554 5.3.2 This test server refuses all mail\r\n'));
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.address() as net.AddressInfo;
  [server, browser] = await Promise.all([startServer({ SMTP_URL: `smtp://127.0.0.1:${port}` }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => smtp?.close(resolve));
});

async function loginStatus(email: string): Promise<{ status: number; code?: string }> {
  const response = await fetch(new URL('/api/v1/auth/login', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { code?: string };
  return { status: response.status, ...(body.code === undefined ? {} : { code: body.code }) };
}

function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
}

describe('the admin page', () => {
  it('disables and enables an account, finds a provider, and retries a failed email job, on desktop and phone', async () => {
    const [admin, target, setup] = await Promise.all([createAdmin(server), registerUser(server, 'client', 'Terry Target'), createProvider(server)]);
    const context = await newContext(browser, server);
    const page = await context.newPage();
    await signIn(page, admin.email);
    await page.waitForURL((url) => url.pathname === '/admin');
    await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor();

    // Users: search by email, disable with a reason.
    await page.getByLabel('Email or name').fill(target.email);
    await page.getByRole('button', { name: 'Search users' }).click();
    const row = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Terry Target' }) });
    await row.getByText(target.email).waitFor();
    expect(await page.getByRole('list', { name: 'Accounts, newest first' }).getByRole('listitem').count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-users-desktop');

    await row.getByRole('button', { name: 'Disable…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Disable Terry Target?' });
    await dialog.getByLabel('Reason').fill('Fake bookings');
    await dialog.getByRole('button', { name: 'Disable account' }).click();
    await row.getByText('Disabled', { exact: true }).waitFor();
    await row.getByText('“Fake bookings”', { exact: false }).waitFor();
    expect(await loginStatus(target.email)).toEqual({ status: 403, code: 'ACCOUNT_DISABLED' });

    // The status filter finds it among the disabled accounts.
    await page.getByLabel('Status').selectOption('disabled');
    await page.getByRole('button', { name: 'Search users' }).click();
    await row.getByRole('button', { name: 'Enable' }).click();
    await row.getByText('Active', { exact: true }).waitFor();
    expect((await loginStatus(target.email)).status).toBe(200);

    // Providers: search by name, link to the public page.
    await page.getByRole('tab', { name: 'Providers' }).click();
    await page.getByLabel('Name, title or specialty').fill(setup.displayName);
    await page.getByRole('button', { name: 'Search providers' }).click();
    const providerLink = page.getByRole('link', { name: setup.displayName });
    await providerLink.waitFor();
    expect(await providerLink.getAttribute('href')).toBe(`/providers/${setup.providerId}`);

    // Queues: the email queue's health (notifications-email), and the welcome emails refused by the SMTP server.
    const boardProbe = page.waitForResponse((response) => new URL(response.url()).pathname === '/admin/queues' && response.request().method() === 'HEAD');
    await page.getByRole('tab', { name: 'Job queues' }).click();
    await page.getByRole('rowheader', { name: 'notifications-email' }).waitFor();
    expect(new URL(page.url()).searchParams.get('tab')).toBe('queues');
    // Embedded mode has no Bull Board: the probe gets the API's 404 and no link is shown.
    expect((await boardProbe).status()).toBe(404);
    expect(await page.getByRole('link', { name: /job board/ }).count()).toBe(0);

    const failures = page.getByRole('region', { name: 'Failed jobs in notifications-email' });
    const failedJob = failures.getByRole('listitem').filter({ hasText: '554' }).first();
    await failedJob.waitFor();
    await page.getByRole('row', { name: /^notifications-email Has failures/ }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-queues-desktop');

    await failedJob.getByRole('button', { name: 'Retry' }).click();
    await failures.getByRole('status').filter({ hasText: 'was queued again.' }).waitFor();

    // The same tabs on a phone.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await fitsWidth(page)).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-queues-phone');
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('list', { name: 'Accounts, newest first' }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'admin-users-phone');
    await context.close();
  }, 60_000);
});

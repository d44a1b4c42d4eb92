import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { newContext, password, registerUser, seriousAxeViolations, signIn, useServerAndBrowser, uniqueEmail, type TestServer } from './harness';

/*
 * The shell every page shares: served by the gateway, sign-up, a session that survives a reload and
 * an expired access token, sign-out here and everywhere.
 */

let server: TestServer;
let browser: Browser;

useServerAndBrowser((started) => ({ server, browser } = started));

describe('the web app shell', () => {
  it('signs a new client up, keeps them signed in across a reload, and signs them out', async () => {
    const context = await newContext(browser, server);
    const page = await context.newPage();
    await page.goto('/register');
    await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
    const email = uniqueEmail('shell');
    await page.getByLabel('Your name').fill('Sam Shell');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('link', { name: 'My bookings' }).waitFor();

    await page.reload();
    await page.getByRole('link', { name: 'My bookings' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await context.close();
  });

  it('shows a wrong password as a clear error and stays on the page', async () => {
    const context = await newContext(browser, server);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(uniqueEmail('nobody'));
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('answers an unknown page with the app’s own not-found page', async () => {
    const context = await newContext(browser, server);
    const page = await context.newPage();
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await context.close();
  });
  it('refreshes an expired access token once and repeats the request, without a word to the person', async () => {
    const client = await registerUser(server, 'client');
    const context = await newContext(browser, server);
    const page = await context.newPage();
    await signIn(page, client.email);
    // The first list request meets an access token the server says has expired.
    let refused = 0;
    await page.route(
      (url) => url.pathname === '/api/v1/bookings',
      async (route) => {
        if (refused > 0) return route.continue();
        refused += 1;
        await route.fulfill({ status: 401, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'TOKEN_EXPIRED' }) });
      },
    );
    const refreshed = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/v1/auth/refresh' && request.method() === 'POST');
    const repeated = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/bookings' && response.status() === 200);
    // A link inside the app: no reload, so the page still holds the token that "expired".
    await page.getByRole('link', { name: 'My bookings' }).click();
    await Promise.all([refreshed, repeated]);
    expect(refused).toBe(1);
    await page.getByRole('heading', { level: 1, name: /bookings/i }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await context.close();
  });

  it('signs out everywhere: another browser signed in to the same account is signed out too', async () => {
    const client = await registerUser(server, 'client');
    const [here, elsewhere] = await Promise.all([newContext(browser, server), newContext(browser, server)]);
    const [page, other] = await Promise.all([here.newPage(), elsewhere.newPage()]);
    await signIn(page, client.email);
    await signIn(other, client.email);
    await page.goto('/account');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    // The other browser's refresh token was revoked: its next start finds the session gone.
    await other.reload();
    await other.getByRole('link', { name: 'Sign in' }).waitFor();
    await other.goto('/bookings');
    await other.waitForURL((url) => url.pathname === '/login');
    await Promise.all([here.close(), elsewhere.close()]);
  });
});

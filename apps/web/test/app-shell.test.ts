import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { newContext, password, seriousAxeViolations, useServerAndBrowser, uniqueEmail, type TestServer } from './harness';

/* The shell every page shares: served by the gateway, sign-up, a session that survives a reload, sign-out. */

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
});

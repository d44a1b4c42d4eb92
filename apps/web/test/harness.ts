import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort, repoRoot, runTimeslot, sharedTimeslot, startTimeslot } from '@timeslot/testing';

/*
 * End-to-end tests of the web app: the real embedded server (one process, PGlite, built web app
 * served by its gateway), shared by the test files of a run, driven by Debian's Chromium through playwright-core.
 * No browser is ever downloaded. Screenshots go to .tmp/screenshots (kept by CI as artifacts,
 * never committed).
 */

export const webRoot = fileURLToPath(new URL('../dist', import.meta.url));
const sourceRoot = fileURLToPath(new URL('../src', import.meta.url));
export const screenshotDir = path.join(repoRoot, '.tmp', 'screenshots');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const password = 'correct horse battery';

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/** Fails loudly when the built app is missing or older than its sources (never tests a stale build). */
export async function assertBuilt(): Promise<void> {
  const built = await stat(path.join(webRoot, 'index.html')).catch(() => null);
  if (built === null) throw new Error(`The web app is not built (${webRoot}). Run: npm run build -w @timeslot/web`);
  if ((await newestMtime(sourceRoot)) > built.mtimeMs) throw new Error('The web app build is older than apps/web/src. Run: npm run build -w @timeslot/web');
}

export interface TestServer {
  readonly url: string;
  readonly dataDir: string;
  /** Stops a server of the file's own; the shared one is stopped by the run's global teardown. */
  stop(): Promise<void>;
}

/** Limits raised for the many users a browser test makes from one address. */
const testLimits = {
  RATE_LIMIT_IP_PER_SECOND: '10000',
  RATE_LIMIT_AUTH_PER_MINUTE: '10000',
  RATE_LIMIT_USER_PER_SECOND: '10000',
  REGISTRATIONS_PER_IP_PER_HOUR: '10000',
  LOGIN_MAX_FAILURES_PER_IP: '10000',
};

/**
 * The embedded server the browser tests run against. Without `env`, the one server every such test
 * file of the run shares (each file makes its own users and providers); with `env` (a setting only
 * this file needs), a server of the file's own on a free port with its own data directory.
 */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  await assertBuilt();
  if (Object.keys(env).length === 0) {
    const shared = await sharedTimeslot('web-e2e', { WEB_ROOT: webRoot, ...testLimits });
    return { url: shared.url, dataDir: shared.dataDir, stop: async () => undefined };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'timeslot-web-'));
  const port = await freePort();
  const process = await startTimeslot(['start'], { DATA_DIR: dataDir, WEB_ROOT: webRoot, ...testLimits, ...env }, { port, timeoutMs: 60_000 });
  return {
    url: process.url,
    dataDir,
    async stop() {
      await process.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The server and the browser of one test file: started before its tests (the server shared unless
 * `env` asks for one of its own), closed after them. `use` receives them once they run.
 */
export function useServerAndBrowser(use: (started: { server: TestServer; browser: Browser }) => void, env: Record<string, string> = {}): void {
  let started: { server: TestServer; browser: Browser } | undefined;
  beforeAll(async () => {
    const [server, browser] = await Promise.all([startServer(env), launchBrowser()]);
    started = { server, browser };
    use(started);
  });
  afterAll(async () => {
    await started?.browser.close();
    await started?.server.stop();
  });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // This machine has no network beyond loopback: keep Chromium from trying.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export type Viewport = 'desktop' | 'phone';
const viewports = { desktop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;

/** A fresh browser profile (no stored session) at a viewport, in a fixed zone and locale. */
export async function newContext(browser: Browser, server: TestServer, options: { viewport?: Viewport; timeZone?: string; locale?: string } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: viewports[options.viewport ?? 'desktop'],
    timezoneId: options.timeZone ?? 'Europe/Berlin',
    locale: options.locale ?? 'en-GB',
  });
  context.setDefaultTimeout(10_000);
  return context;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. The script is evaluated
 * through the DevTools protocol, which the page's Content-Security-Policy does not govern.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    // Runs in the page: `globalThis` is its window.
    const page = globalThis as unknown as { axe: { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> }; document: unknown };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

// ---- Test data through the API (the browser tests exercise the UI; set-up goes straight to the API).

let counter = 0;
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.test`;
}

export interface TestUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly accessToken: string;
}

export async function apiCall<T>(server: TestServer, method: string, url: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const response = await fetch(new URL(url, server.url), {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

export async function registerUser(server: TestServer, role: 'client' | 'provider', name = role === 'client' ? 'Casey Client' : 'Dr. Pat Provider'): Promise<TestUser> {
  const email = uniqueEmail(role);
  const body = await apiCall<{ accessToken: string; user: { id: string } }>(server, 'POST', '/api/v1/auth/register', {
    body: { email, password, name, role, timeZone: 'Europe/Berlin', locale: 'en-GB' },
  });
  return { id: body.user.id, email, name, accessToken: body.accessToken };
}

/** An administrator made with the CLI against the running server's data directory. */
export async function createAdmin(server: TestServer): Promise<{ email: string }> {
  const email = uniqueEmail('admin');
  const result = await runTimeslot(['create-admin', '--email', email, '--name', 'Ada Admin'], { DATA_DIR: server.dataDir }, `${password}\n`);
  if (result.code !== 0) throw new Error(`create-admin failed (${result.code}): ${result.output}`);
  return { email };
}

export interface ProviderSetup {
  readonly provider: TestUser;
  readonly providerId: string;
  readonly serviceId: string;
  readonly displayName: string;
}

/**
 * A published provider (Europe/Berlin) with one free 30-minute video service and weekday hours
 * 09:00–17:00 (and weekends, so a slot exists whatever day the test runs).
 */
export async function createProvider(
  server: TestServer,
  options: { displayName?: string; specialty?: string; service?: Record<string, unknown>; weekly?: { weekday: number; start: string; end: string }[] } = {},
): Promise<ProviderSetup> {
  const displayName = options.displayName ?? `Dr. ${Math.random().toString(36).slice(2, 8)} Test`;
  const provider = await registerUser(server, 'provider', displayName);
  const profile = await apiCall<{ id: string }>(server, 'POST', '/api/v1/providers', {
    token: provider.accessToken,
    body: { displayName, title: 'General practitioner', specialty: options.specialty ?? 'General practice', timeZone: 'Europe/Berlin', published: true },
  });
  const service = await apiCall<{ id: string }>(server, 'POST', `/api/v1/providers/${profile.id}/services`, {
    token: provider.accessToken,
    body: { name: 'Consultation', durationMinutes: 30, ...options.service },
  });
  const weekly = options.weekly ?? [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
  await apiCall(server, 'PUT', `/api/v1/providers/${profile.id}/availability`, { token: provider.accessToken, body: { weekly } });
  return { provider, providerId: profile.id, serviceId: service.id, displayName };
}

/** Sign in through the login page, as a person would. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

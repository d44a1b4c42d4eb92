/**
 * The web app in Debian's Chromium against the real embedded server: how long a person waits.
 *
 *   npm run bench:web                 # BENCH_ROUNDS=3 by default
 *
 * - first load: from navigating to a provider's page to its free times on screen (network, cold);
 * - next week: the following week's times, fetched ahead while the current one was shown (cache);
 * - previous week: a week already seen (cache);
 * - day: another day in the day view (render only).
 * Each switch is timed inside the page, from the click to the DOM showing the new times (a
 * MutationObserver), and to the next frame after it. Percentiles in ms. Not a test: no assertion.
 */
import type { Page } from 'playwright-core';
import { createProvider, launchBrowser, newContext, registerUser, signIn, startServer } from '../apps/web/test/harness';
import { percentile } from './lib';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

interface Switch {
  readonly dom: number;
  readonly frame: number;
}

/**
 * Runs in the page. Kept as source text: tsx's transform would otherwise add helpers (`__name`) to
 * the function that do not exist in the page.
 */
const timeSwitchSource = `async ({ name, watch }) => {
  const text = (selector) => document.querySelector(selector)?.textContent ?? '';
  const watched = watch === 'range' ? '.picker-range' : '.days [aria-pressed="true"]';
  const before = text(watched);
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent.includes(name) && !b.disabled);
  if (button === undefined) throw new Error('no enabled button ' + name);
  const shown = () => text(watched) !== before && document.querySelector('ul.slots') !== null && document.querySelector('.loading') === null;
  const started = performance.now();
  const dom = await new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (shown()) {
        observer.disconnect();
        resolve(performance.now() - started);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    button.click();
  });
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return { dom, frame: performance.now() - started };
}`;

/** Click the button named `name` and time until the picker shows a new range (or day) with its times. */
function timeSwitch(page: Page, name: string, watch: 'range' | 'day'): Promise<Switch> {
  return page.evaluate<Switch>(`(${timeSwitchSource})(${JSON.stringify({ name, watch })})`);
}

function summary(label: string, samples: readonly Switch[]): void {
  const dom = samples.map((s) => s.dom).sort((a, b) => a - b);
  const frame = samples.map((s) => s.frame).sort((a, b) => a - b);
  console.log(
    `${label.padEnd(34)} n=${String(samples.length).padStart(3)}  DOM p50 ${percentile(dom, 0.5).toFixed(1).padStart(6)}  p95 ${percentile(dom, 0.95).toFixed(1).padStart(6)}  max ${(dom.at(-1) ?? 0).toFixed(1).padStart(6)}   next frame p50 ${percentile(frame, 0.5).toFixed(1).padStart(6)}  p95 ${percentile(frame, 0.95).toFixed(1).padStart(6)}`,
  );
}

const server = await startServer({ LOG_LEVEL: 'warn' });
const browser = await launchBrowser();
try {
  const [setup, client] = await Promise.all([createProvider(server), registerUser(server, 'client')]);
  const context = await newContext(browser, server);
  const page = await context.newPage();
  await signIn(page, client.email);
  const firstLoad: Switch[] = [];
  const next: Switch[] = [];
  const previous: Switch[] = [];
  const day: Switch[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const began = Date.now();
    await page.goto(`/providers/${setup.providerId}?service=${setup.serviceId}`);
    await page.locator('ul.slots').first().waitFor();
    const elapsed = Date.now() - began;
    firstLoad.push({ dom: elapsed, frame: elapsed });
    for (let week = 0; week < 6; week += 1) {
      // Let the prefetch of the following week land, as it does while a person reads the times.
      await page.waitForTimeout(400);
      next.push(await timeSwitch(page, 'Next week', 'range'));
    }
    for (let week = 0; week < 6; week += 1) previous.push(await timeSwitch(page, 'Previous week', 'range'));
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    const days = page.locator('.days button');
    const count = await days.count();
    for (let i = 1; i < count; i += 1) {
      const label = ((await days.nth(i).locator('span').first().textContent()) ?? '').trim();
      day.push(await timeSwitch(page, label, 'day'));
    }
    await page.getByRole('button', { name: 'Week', exact: true }).click();
  }
  console.log(`web app, Chromium ${browser.version()}, ${rounds} rounds (ms; from the click)`);
  summary('first load (navigation → times)', firstLoad);
  summary('next week (prefetched)', next);
  summary('previous week (cached)', previous);
  summary('another day (day view)', day);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}

/**
 * Uncached slot computation (no slot cache, no I/O), in process: 31 days at 15-minute steps for a
 * provider with 100 live bookings in the range; the target is 5 ms of server time. Prints
 * the median and p95 of 200 runs for office hours, for a 24/7 provider (the most candidates), and
 * for office hours in months whose zone offsets the engine has not memoised yet (a first call).
 *
 *   node --import tsx bench/slots.ts
 */
import { computeSlots, type BusyInterval, type SlotInput } from '@timeslot/scheduling/slots/compute';

const MINUTE = 60_000;
const DAY = 86_400_000;
const runs = 200;

// Deterministic bookings, so every run and every machine measures the same work.
let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}

function scenario(label: string, weekly: SlotInput['weekly']): { label: string; input: SlotInput } {
  // Spans the London fall-back (2030-10-27) so the DST path is part of the measured work.
  const from = Date.parse('2030-10-14T00:00:00Z');
  const to = from + 31 * DAY;
  const service = {
    id: 'service-1',
    durationMinutes: 30,
    slotIntervalMinutes: 15,
    bufferBeforeMinutes: 10,
    bufferAfterMinutes: 5,
    minNoticeMinutes: 60,
    bookingWindowDays: 90,
    capacity: 1,
  };
  const busy: BusyInterval[] = [];
  for (let index = 0; index < 100; index++) {
    // A weekday-ish daytime booking of 30 or 60 minutes on a quarter hour.
    const day = Math.floor(random() * 31);
    const start = from + day * DAY + (8 * 60 + Math.floor(random() * 40) * 15) * MINUTE;
    const length = (random() < 0.5 ? 30 : 60) * MINUTE;
    busy.push({ start: start - 10 * MINUTE, end: start + length + 5 * MINUTE, serviceId: 'other', startsAt: start });
  }
  return {
    label,
    input: {
      providerTimeZone: 'Europe/London',
      weekly,
      overrides: [
        { date: '2030-10-21', intervals: [] },
        { date: '2030-10-22', intervals: [{ start: '10:00', end: '14:00' }] },
      ],
      blocked: [
        { start: from + 3 * DAY + 12 * 60 * MINUTE, end: from + 3 * DAY + 15 * 60 * MINUTE },
        { start: from + 17 * DAY, end: from + 18 * DAY },
      ],
      busy,
      service,
      range: { from, to, now: from - DAY, outputTimeZone: 'America/New_York' },
    },
  };
}

const workdays = [1, 2, 3, 4, 5, 6].flatMap((weekday) => [
  { weekday, start: '08:00', end: '12:00' },
  { weekday, start: '13:00', end: '19:00' },
]);
const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

/**
 * The engine memoises zone offsets per UTC day across calls; `shiftEachRun` moves every run to
 * months never listed before, so each run pays for its luxon offset lookups as a first call would.
 */
function measure(label: string, input: SlotInput, shiftEachRun: boolean): void {
  const shifted = (run: number): SlotInput => {
    if (!shiftEachRun) return input;
    const shift = (run + 1) * 35 * DAY;
    const move = (ms: number | Date) => Number(ms) + shift;
    return {
      ...input,
      blocked: input.blocked?.map((period) => ({ start: move(period.start), end: move(period.end) })),
      busy: input.busy?.map((busy) => ({ ...busy, start: move(busy.start), end: move(busy.end), startsAt: move(busy.startsAt!) })),
      range: { ...input.range, from: move(input.range.from), to: move(input.range.to), now: move(input.range.now) },
    };
  };
  for (let warmup = 0; warmup < 50; warmup++) computeSlots(shifted(runs + warmup));
  const inputs = Array.from({ length: runs }, (_, run) => shifted(run));
  const times: number[] = [];
  let slots = 0;
  for (const each of inputs) {
    const started = performance.now();
    slots = computeSlots(each).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(runs / 2)]!;
  const p95 = times[Math.floor(runs * 0.95)]!;
  process.stdout.write(`slots ${label}: ${slots} slots, median ${median.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms (${runs} runs)\n`);
}

const office = scenario('31 days, Mon–Sat 08–12 + 13–19', workdays);
const always = scenario('31 days, 24/7', allDay);
measure(`${office.label}, 15-min steps, 100 bookings`, office.input, false);
measure(`${always.label} (most candidates), 15-min steps, 100 bookings`, always.input, false);
measure(`${office.label}, 15-min steps, 100 bookings, zone offsets not yet memoised`, office.input, true);

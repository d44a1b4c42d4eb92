import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { computeSlots, type Slot, type SlotService, type WeeklyRule } from '../src/slots/compute';

// Every DST change used here falls on a Sunday (ISO weekday 7) in 2030:
// London 31 Mar (01:00Z, GMT→BST) and 27 Oct (01:00Z, BST→GMT); New York 10 Mar (02:00 EST→EDT)
// and 3 Nov (02:00 EDT→EST); Lord Howe 7 Apr (02:00 +11→01:30 +10:30) and 6 Oct (02:00 +10:30→02:30 +11).
const service: SlotService = {
  id: 'service-a',
  durationMinutes: 60,
  slotIntervalMinutes: 60,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minNoticeMinutes: 0,
  bookingWindowDays: 730,
  capacity: 1,
};

interface Case {
  zone: string;
  weekly: WeeklyRule[];
  from: string;
  to: string;
  minutes?: number;
  outputTimeZone?: string;
}

function list(c: Case): Slot[] {
  const minutes = c.minutes ?? 60;
  return computeSlots({
    providerTimeZone: c.zone,
    weekly: c.weekly,
    service: { ...service, durationMinutes: minutes, slotIntervalMinutes: minutes },
    range: { from: Date.parse(c.from), to: Date.parse(c.to), now: Date.parse('2029-06-01T00:00:00Z'), outputTimeZone: c.outputTimeZone },
  });
}

const sunday = (start: string, end: string): WeeklyRule[] => [{ weekday: 7, start, end }];
const everyDay = (start: string, end: string): WeeklyRule[] => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));
const pairs = (slots: readonly Slot[]) => slots.map((slot) => [slot.start, slot.localStart]);
const startsOn = (slots: readonly Slot[], utcDate: string) => slots.filter((slot) => slot.start.startsWith(utcDate)).map((slot) => slot.start);

describe('Europe/London', () => {
  it('keeps 09:00–17:00 on the wall clock across spring-forward: 09:00Z in winter, 08:00Z in summer', () => {
    const slots = list({ zone: 'Europe/London', weekly: everyDay('09:00', '17:00'), from: '2030-03-30T00:00:00Z', to: '2030-04-01T00:00:00Z' });
    expect(slots).toHaveLength(16);
    expect(startsOn(slots, '2030-03-30')).toEqual(['09', '10', '11', '12', '13', '14', '15', '16'].map((h) => `2030-03-30T${h}:00:00.000Z`));
    expect(startsOn(slots, '2030-03-31')).toEqual(['08', '09', '10', '11', '12', '13', '14', '15'].map((h) => `2030-03-31T${h}:00:00.000Z`));
    expect(slots[0]!.localStart).toBe('2030-03-30T09:00:00.000+00:00');
    expect(slots[8]!.localStart).toBe('2030-03-31T09:00:00.000+01:00');
    expect(slots[15]!.localEnd).toBe('2030-03-31T17:00:00.000+01:00');
  });

  it('keeps 09:00–17:00 on the wall clock across fall-back', () => {
    const slots = list({ zone: 'Europe/London', weekly: everyDay('09:00', '17:00'), from: '2030-10-26T00:00:00Z', to: '2030-10-28T00:00:00Z' });
    expect(slots).toHaveLength(16);
    expect(slots[0]!.start).toBe('2030-10-26T08:00:00.000Z');
    expect(slots[8]!.start).toBe('2030-10-27T09:00:00.000Z');
    expect(slots[8]!.localStart).toBe('2030-10-27T09:00:00.000+00:00');
  });

  it('covers exactly the day with 00:00–24:00: 23 hours on the spring day, 25 on the autumn day', () => {
    const spring = list({ zone: 'Europe/London', weekly: sunday('00:00', '24:00'), from: '2030-03-30T00:00:00Z', to: '2030-04-02T00:00:00Z' });
    expect(spring).toHaveLength(23);
    expect(pairs(spring.slice(0, 2))).toEqual([
      ['2030-03-31T00:00:00.000Z', '2030-03-31T00:00:00.000+00:00'],
      ['2030-03-31T01:00:00.000Z', '2030-03-31T02:00:00.000+01:00'],
    ]);
    expect(spring[22]!.localEnd).toBe('2030-04-01T00:00:00.000+01:00');

    const autumn = list({ zone: 'Europe/London', weekly: sunday('00:00', '24:00'), from: '2030-10-26T00:00:00Z', to: '2030-10-29T00:00:00Z' });
    expect(autumn).toHaveLength(25);
    expect(autumn[0]!.start).toBe('2030-10-26T23:00:00.000Z');
    expect(autumn.map((slot) => slot.localStart).slice(1, 3)).toEqual(['2030-10-27T01:00:00.000+01:00', '2030-10-27T01:00:00.000+00:00']);
    expect(autumn[24]!.end).toBe('2030-10-28T00:00:00.000Z');
  });

  it('offers nothing for a rule that lies wholly in the spring-forward gap', () => {
    expect(list({ zone: 'Europe/London', weekly: sunday('01:00', '02:00'), from: '2030-03-31T00:00:00Z', to: '2030-04-01T00:00:00Z' })).toEqual([]);
  });
});

describe('America/New_York', () => {
  it('makes 01:00–03:00 on the spring-forward day one real hour', () => {
    const slots = list({ zone: 'America/New_York', weekly: sunday('01:00', '03:00'), minutes: 30, from: '2030-03-10T00:00:00Z', to: '2030-03-11T00:00:00Z' });
    expect(slots).toEqual([
      {
        start: '2030-03-10T06:00:00.000Z',
        end: '2030-03-10T06:30:00.000Z',
        localStart: '2030-03-10T01:00:00.000-05:00',
        localEnd: '2030-03-10T01:30:00.000-05:00',
        seatsLeft: 1,
      },
      {
        start: '2030-03-10T06:30:00.000Z',
        end: '2030-03-10T07:00:00.000Z',
        localStart: '2030-03-10T01:30:00.000-05:00',
        localEnd: '2030-03-10T03:00:00.000-04:00',
        seatsLeft: 1,
      },
    ]);
  });

  it('moves a start inside the gap forward by the gap (02:30 → 03:30 EDT)', () => {
    const slots = list({ zone: 'America/New_York', weekly: sunday('02:30', '04:00'), minutes: 30, from: '2030-03-10T00:00:00Z', to: '2030-03-11T00:00:00Z' });
    expect(pairs(slots)).toEqual([['2030-03-10T07:30:00.000Z', '2030-03-10T03:30:00.000-04:00']]);
  });

  it('steps in elapsed time through the repeated hour of fall-back: 01:00–03:00 is three real hours', () => {
    const slots = list({ zone: 'America/New_York', weekly: sunday('01:00', '03:00'), minutes: 30, from: '2030-11-03T00:00:00Z', to: '2030-11-04T00:00:00Z' });
    expect(pairs(slots)).toEqual([
      ['2030-11-03T05:00:00.000Z', '2030-11-03T01:00:00.000-04:00'],
      ['2030-11-03T05:30:00.000Z', '2030-11-03T01:30:00.000-04:00'],
      ['2030-11-03T06:00:00.000Z', '2030-11-03T01:00:00.000-05:00'],
      ['2030-11-03T06:30:00.000Z', '2030-11-03T01:30:00.000-05:00'],
      ['2030-11-03T07:00:00.000Z', '2030-11-03T02:00:00.000-05:00'],
      ['2030-11-03T07:30:00.000Z', '2030-11-03T02:30:00.000-05:00'],
    ]);
  });

  it('reads an ambiguous start as its first occurrence, whatever the date the code runs on', () => {
    // luxon's own fromObject picks by the offset in force today, so this pins our choice.
    const slots = list({ zone: 'America/New_York', weekly: sunday('01:30', '02:30'), minutes: 30, from: '2030-11-03T00:00:00Z', to: '2030-11-04T00:00:00Z' });
    expect(slots.map((slot) => slot.start)).toEqual(['05:30', '06:00', '06:30', '07:00'].map((t) => `2030-11-03T${t}:00.000Z`));
  });

  it('puts 09:00 at 14:00Z in winter and 13:00Z in summer, and the day at 23 or 25 hours', () => {
    const nine = list({ zone: 'America/New_York', weekly: everyDay('09:00', '10:00'), from: '2030-03-09T00:00:00Z', to: '2030-03-11T00:00:00Z' });
    expect(nine.map((slot) => slot.start)).toEqual(['2030-03-09T14:00:00.000Z', '2030-03-10T13:00:00.000Z']);
    const whole = (from: string, to: string) => list({ zone: 'America/New_York', weekly: sunday('00:00', '24:00'), from, to });
    expect(whole('2030-03-10T00:00:00Z', '2030-03-12T00:00:00Z')).toHaveLength(23);
    expect(whole('2030-11-03T00:00:00Z', '2030-11-05T00:00:00Z')).toHaveLength(25);
  });
});

describe('Australia/Lord_Howe (a 30-minute DST shift)', () => {
  it('keeps 09:00 on the wall clock: 22:00Z the day before in summer (+11), 22:30Z in winter (+10:30)', () => {
    const slots = list({ zone: 'Australia/Lord_Howe', weekly: everyDay('09:00', '10:00'), from: '2030-04-05T12:00:00Z', to: '2030-04-07T12:00:00Z' });
    expect(pairs(slots)).toEqual([
      ['2030-04-05T22:00:00.000Z', '2030-04-06T09:00:00.000+11:00'],
      ['2030-04-06T22:30:00.000Z', '2030-04-07T09:00:00.000+10:30'],
    ]);
  });

  it('repeats half an hour on the fall-back day: 01:00–03:00 is two and a half real hours', () => {
    const slots = list({ zone: 'Australia/Lord_Howe', weekly: sunday('01:00', '03:00'), minutes: 30, from: '2030-04-06T00:00:00Z', to: '2030-04-07T00:00:00Z' });
    expect(pairs(slots)).toEqual([
      ['2030-04-06T14:00:00.000Z', '2030-04-07T01:00:00.000+11:00'],
      ['2030-04-06T14:30:00.000Z', '2030-04-07T01:30:00.000+11:00'],
      ['2030-04-06T15:00:00.000Z', '2030-04-07T01:30:00.000+10:30'],
      ['2030-04-06T15:30:00.000Z', '2030-04-07T02:00:00.000+10:30'],
      ['2030-04-06T16:00:00.000Z', '2030-04-07T02:30:00.000+10:30'],
    ]);
  });

  it('skips half an hour on the spring day: 01:00–03:00 is one and a half real hours', () => {
    const slots = list({ zone: 'Australia/Lord_Howe', weekly: sunday('01:00', '03:00'), minutes: 30, from: '2030-10-05T00:00:00Z', to: '2030-10-06T00:00:00Z' });
    expect(pairs(slots)).toEqual([
      ['2030-10-05T14:30:00.000Z', '2030-10-06T01:00:00.000+10:30'],
      ['2030-10-05T15:00:00.000Z', '2030-10-06T01:30:00.000+10:30'],
      ['2030-10-05T15:30:00.000Z', '2030-10-06T02:30:00.000+11:00'],
    ]);
  });

  it('makes 00:00–24:00 24½ hours on the fall-back day and 23½ on the spring day', () => {
    const whole = (from: string, to: string) =>
      list({ zone: 'Australia/Lord_Howe', weekly: sunday('00:00', '24:00'), minutes: 30, from, to });
    const autumn = whole('2030-04-06T00:00:00Z', '2030-04-08T00:00:00Z');
    expect(autumn).toHaveLength(49);
    expect([autumn[0]!.start, autumn[48]!.end]).toEqual(['2030-04-06T13:00:00.000Z', '2030-04-07T13:30:00.000Z']);
    expect(whole('2030-10-05T00:00:00Z', '2030-10-07T00:00:00Z')).toHaveLength(47);
  });
});

describe('Asia/Kathmandu (+05:45)', () => {
  it('places wall-clock hours at quarter past in UTC', () => {
    const slots = list({ zone: 'Asia/Kathmandu', weekly: [{ weekday: 1, start: '09:00', end: '12:00' }], from: '2030-03-04T00:00:00Z', to: '2030-03-05T00:00:00Z' });
    expect(pairs(slots)).toEqual([
      ['2030-03-04T03:15:00.000Z', '2030-03-04T09:00:00.000+05:45'],
      ['2030-03-04T04:15:00.000Z', '2030-03-04T10:00:00.000+05:45'],
      ['2030-03-04T05:15:00.000Z', '2030-03-04T11:00:00.000+05:45'],
    ]);
  });

  it('starts the provider’s date at 18:15Z the day before', () => {
    const slots = list({ zone: 'Asia/Kathmandu', weekly: [{ weekday: 1, start: '00:00', end: '01:00' }], from: '2030-03-03T00:00:00Z', to: '2030-03-05T00:00:00Z', outputTimeZone: 'UTC' });
    expect(pairs(slots)).toEqual([['2030-03-03T18:15:00.000Z', '2030-03-03T18:15:00.000+00:00']]);
  });
});

describe('provider and client in different zones', () => {
  it('shows a New York provider’s 09:00 to a London client through both countries’ DST changes', () => {
    const slots = list({
      zone: 'America/New_York',
      weekly: [{ weekday: 1, start: '09:00', end: '10:00' }],
      from: '2030-03-04T00:00:00Z',
      to: '2030-04-02T00:00:00Z',
      outputTimeZone: 'Europe/London',
    });
    expect(pairs(slots)).toEqual([
      ['2030-03-04T14:00:00.000Z', '2030-03-04T14:00:00.000+00:00'],
      ['2030-03-11T13:00:00.000Z', '2030-03-11T13:00:00.000+00:00'],
      ['2030-03-18T13:00:00.000Z', '2030-03-18T13:00:00.000+00:00'],
      ['2030-03-25T13:00:00.000Z', '2030-03-25T13:00:00.000+00:00'],
      ['2030-04-01T13:00:00.000Z', '2030-04-01T14:00:00.000+01:00'],
    ]);
  });

  it('shows a Kathmandu provider to a Lord Howe client across the client’s fall-back', () => {
    const slots = list({
      zone: 'Asia/Kathmandu',
      weekly: everyDay('09:00', '10:00'),
      from: '2030-04-05T00:00:00Z',
      to: '2030-04-08T00:00:00Z',
      outputTimeZone: 'Australia/Lord_Howe',
    });
    expect(slots.map((slot) => [slot.localStart, slot.localEnd])).toEqual([
      ['2030-04-05T14:15:00.000+11:00', '2030-04-05T15:15:00.000+11:00'],
      ['2030-04-06T14:15:00.000+11:00', '2030-04-06T15:15:00.000+11:00'],
      ['2030-04-07T13:45:00.000+10:30', '2030-04-07T14:45:00.000+10:30'],
    ]);
  });

  it('writes every local time exactly as luxon would, for a month of 15-minute slots in several zones', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham'];
    for (const outputTimeZone of zones) {
      const slots = list({
        zone: 'Europe/London',
        weekly: everyDay('00:00', '24:00'),
        minutes: 15,
        from: '2030-03-25T00:00:00Z',
        to: '2030-04-12T00:00:00Z',
        outputTimeZone,
      });
      // Open around the clock: every quarter hour of the 18 days, the 23-hour London day included.
      expect(slots).toHaveLength(18 * 96);
      for (const slot of slots) {
        expect(slot.localStart).toBe(DateTime.fromISO(slot.start).setZone(outputTimeZone).toISO());
        expect(slot.localEnd).toBe(DateTime.fromISO(slot.end).setZone(outputTimeZone).toISO());
        expect(slot.start).toBe(new Date(slot.localStart).toISOString());
      }
    }
  });
});

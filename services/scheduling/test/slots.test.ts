import { describe, expect, it } from 'vitest';
import {
  computeSlots,
  type BusyInterval,
  type DateOverride,
  type InstantInterval,
  type Slot,
  type SlotInput,
  type SlotService,
  type WeeklyRule,
} from '../src/slots/compute';

// 2030-03-04 is a Monday; nothing here is near a DST change (see slots.dst.test.ts for those).
const service: SlotService = {
  id: 'service-a',
  durationMinutes: 60,
  slotIntervalMinutes: 60,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minNoticeMinutes: 0,
  bookingWindowDays: 365,
  capacity: 1,
};

interface Case {
  zone?: string;
  weekly?: WeeklyRule[];
  overrides?: DateOverride[];
  blocked?: InstantInterval[];
  busy?: BusyInterval[];
  seatsTaken?: SlotInput['seatsTaken'];
  service?: Partial<SlotService>;
  from?: string;
  to?: string;
  now?: string;
  outputTimeZone?: string;
}

function list(c: Case): Slot[] {
  return computeSlots({
    providerTimeZone: c.zone ?? 'UTC',
    weekly: c.weekly ?? [{ weekday: 1, start: '09:00', end: '12:00' }],
    overrides: c.overrides,
    blocked: c.blocked,
    busy: c.busy,
    seatsTaken: c.seatsTaken,
    service: { ...service, ...c.service },
    range: {
      from: new Date(c.from ?? '2030-03-04T00:00:00Z'),
      to: Date.parse(c.to ?? '2030-03-11T00:00:00Z'),
      now: Date.parse(c.now ?? '2030-03-01T00:00:00Z'),
      outputTimeZone: c.outputTimeZone,
    },
  });
}

const starts = (slots: readonly Slot[]) => slots.map((slot) => slot.start);
const at = (iso: string) => Date.parse(iso);
const monday = (time: string) => `2030-03-04T${time}:00.000Z`;

describe('weekly rules', () => {
  it('lists each start of a rule on its weekday only, with UTC and local times', () => {
    const slots = list({});
    expect(starts(slots)).toEqual([monday('09:00'), monday('10:00'), monday('11:00')]);
    expect(slots[0]).toEqual({
      start: '2030-03-04T09:00:00.000Z',
      end: '2030-03-04T10:00:00.000Z',
      localStart: '2030-03-04T09:00:00.000+00:00',
      localEnd: '2030-03-04T10:00:00.000+00:00',
      seatsLeft: 1,
    });
  });

  it('takes several intervals a day', () => {
    const slots = list({
      weekly: [
        { weekday: 1, start: '14:00', end: '16:00' },
        { weekday: 1, start: '09:00', end: '11:00' },
      ],
      service: { slotIntervalMinutes: 30 },
    });
    expect(starts(slots)).toEqual(['09:00', '09:30', '10:00', '14:00', '14:30', '15:00'].map(monday));
  });

  it('unites touching intervals, so a slot may span the seam', () => {
    const slots = list({
      weekly: [
        { weekday: 1, start: '09:00', end: '10:00' },
        { weekday: 1, start: '10:00', end: '11:00' },
      ],
      service: { durationMinutes: 90, slotIntervalMinutes: 30 },
    });
    expect(starts(slots)).toEqual([monday('09:00'), monday('09:30')]);
  });

  it('aligns starts on the window start, not on the hour', () => {
    const slots = list({ weekly: [{ weekday: 1, start: '09:10', end: '10:30' }], service: { durationMinutes: 20, slotIntervalMinutes: 20 } });
    expect(starts(slots)).toEqual(['09:10', '09:30', '09:50', '10:10'].map(monday));
  });

  it('never runs a slot past the provider midnight, even when the next day is open too', () => {
    const slots = list({
      weekly: [1, 2].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
      service: { durationMinutes: 120 },
      to: '2030-03-06T00:00:00Z',
    });
    expect(slots).toHaveLength(46);
    expect(starts(slots)).not.toContain(monday('23:00'));
    expect(slots[22]!.start).toBe(monday('22:00'));
    expect(slots[23]!.start).toBe('2030-03-05T00:00:00.000Z');
  });

  it('reads "HH:MM:SS" as PostgreSQL prints a time', () => {
    expect(starts(list({ weekly: [{ weekday: 1, start: '09:00:00', end: '11:00:00' }] }))).toEqual([monday('09:00'), monday('10:00')]);
  });
});

describe('overrides', () => {
  const mondayAndTuesday = [1, 2].map((weekday) => ({ weekday, start: '09:00', end: '11:00' }));

  it('closes a date with an empty override and leaves the other days alone', () => {
    const slots = list({ weekly: mondayAndTuesday, overrides: [{ date: '2030-03-05', intervals: [] }] });
    expect(starts(slots)).toEqual([monday('09:00'), monday('10:00')]);
  });

  it('replaces a date’s weekly hours with the override’s, and opens a date with no weekly rule', () => {
    const slots = list({
      weekly: mondayAndTuesday,
      overrides: [
        { date: '2030-03-05', intervals: [{ start: '13:00', end: '14:00' }] },
        { date: '2030-03-10', intervals: [{ start: '08:00', end: '09:00' }] },
        { date: '2030-03-10', intervals: [{ start: '09:00', end: '10:00' }] },
      ],
    });
    expect(starts(slots)).toEqual([
      monday('09:00'),
      monday('10:00'),
      '2030-03-05T13:00:00.000Z',
      '2030-03-10T08:00:00.000Z',
      '2030-03-10T09:00:00.000Z',
    ]);
  });

  it('reads the override date in the provider’s zone, not in UTC', () => {
    // 2030-03-05 in Tokyo starts at 2030-03-04T15:00Z: closing it must not close the UTC Tuesday.
    const slots = list({
      zone: 'Asia/Tokyo',
      weekly: [2, 3].map((weekday) => ({ weekday, start: '07:00', end: '08:00' })),
      overrides: [{ date: '2030-03-05', intervals: [] }],
    });
    expect(starts(slots)).toEqual(['2030-03-05T22:00:00.000Z']);
    expect(slots[0]!.localStart).toBe('2030-03-06T07:00:00.000+09:00');
  });
});

describe('provider-local dates at the edges of the range', () => {
  it('includes the local date `from` falls on when the provider is west of UTC', () => {
    // 2030-03-04T00:00Z is still Sunday 3 March, 19:00, in New York.
    const slots = list({ zone: 'America/New_York', weekly: [{ weekday: 7, start: '22:00', end: '23:00' }] });
    expect(slots.map((slot) => [slot.start, slot.localStart])).toEqual([['2030-03-04T03:00:00.000Z', '2030-03-03T22:00:00.000-05:00']]);
  });

  it('includes the local date `to` falls on when the provider is east of UTC', () => {
    // 2030-03-10T23:00Z is already Monday 11 March, 08:00, in Tokyo.
    const slots = list({ zone: 'Asia/Tokyo', weekly: [{ weekday: 1, start: '07:00', end: '08:00' }], to: '2030-03-10T23:00:00Z' });
    expect(slots.map((slot) => slot.start)).toEqual(['2030-03-10T22:00:00.000Z']);
  });
});

describe('blocked and busy time', () => {
  const morning = [{ weekday: 1, start: '09:00', end: '13:00' }];

  it('leaves out every slot overlapping a blocked period; touching is fine', () => {
    const slots = list({
      weekly: morning,
      service: { slotIntervalMinutes: 30 },
      blocked: [{ start: at(monday('10:00')), end: new Date(monday('11:30')) }],
    });
    expect(starts(slots)).toEqual(['09:00', '11:30', '12:00'].map(monday));
  });

  it('keeps the buffers before and after clear of a neighbouring booking', () => {
    const booking: BusyInterval = { start: at(monday('11:00')), end: at(monday('12:00')), serviceId: 'other', startsAt: at(monday('11:00')) };
    const weekly = [{ weekday: 1, start: '09:00', end: '14:00' }];
    const plain = list({ weekly, busy: [booking], service: { durationMinutes: 30, slotIntervalMinutes: 30 } });
    expect(starts(plain)).toEqual(['09:00', '09:30', '10:00', '10:30', '12:00', '12:30', '13:00', '13:30'].map(monday));
    const buffered = list({
      weekly,
      busy: [booking],
      service: { durationMinutes: 30, slotIntervalMinutes: 30, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 },
    });
    // 10:30 would end its buffer after at 11:15; 12:00 would start its buffer before at 11:45.
    expect(starts(buffered)).toEqual(['09:00', '09:30', '10:00', '12:30', '13:00', '13:30'].map(monday));
    expect(buffered[0]!.end).toBe(monday('09:30'));
  });

  it('lets buffers fall outside the availability window, but not on blocked time there', () => {
    const weekly = [{ weekday: 1, start: '09:00', end: '10:00' }];
    const buffers = { bufferBeforeMinutes: 30, bufferAfterMinutes: 30 };
    expect(starts(list({ weekly, service: buffers }))).toEqual([monday('09:00')]);
    expect(starts(list({ weekly, service: buffers, blocked: [{ start: at(monday('08:00')), end: at(monday('08:30')) }] }))).toEqual([
      monday('09:00'),
    ]);
    expect(list({ weekly, service: buffers, blocked: [{ start: at(monday('08:00')), end: at(monday('08:45')) }] })).toEqual([]);
    expect(list({ weekly, service: buffers, busy: [{ start: at(monday('10:15')), end: at(monday('11:00')) }] })).toEqual([]);
  });

  it('blocks through every overlapping period, a short booking inside a long block included', () => {
    const slots = list({
      weekly: morning,
      blocked: [{ start: at(monday('09:00')), end: at(monday('12:00')) }],
      busy: [{ start: at(monday('09:00')), end: at(monday('09:30')) }, { start: at(monday('11:30')), end: at(monday('12:30')) }],
    });
    expect(starts(slots)).toEqual([]);
  });

  it('ignores empty or inverted intervals', () => {
    const slots = list({ blocked: [{ start: at(monday('10:30')), end: at(monday('10:30')) }], busy: [{ start: at(monday('11:00')), end: at(monday('10:00')) }] });
    expect(starts(slots)).toEqual(['09:00', '10:00', '11:00'].map(monday));
  });
});

describe('minimum notice, booking window and range', () => {
  const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '12:00' }));

  it('starts no earlier than now + minimum notice (exactly then is fine)', () => {
    const half = { durationMinutes: 30, slotIntervalMinutes: 30, minNoticeMinutes: 60 };
    expect(starts(list({ service: half, now: monday('08:10') }))).toEqual(['09:30', '10:00', '10:30', '11:00', '11:30'].map(monday));
    expect(starts(list({ service: half, now: monday('08:00') }))[0]).toBe(monday('09:00'));
  });

  it('starts no later than now + the booking window in elapsed days (exactly then is fine)', () => {
    const slots = list({ weekly: everyDay, service: { bookingWindowDays: 1 }, now: monday('10:00') });
    expect(starts(slots)).toEqual([monday('10:00'), monday('11:00'), '2030-03-05T09:00:00.000Z', '2030-03-05T10:00:00.000Z']);
  });

  it('keeps starts in [from, to): a slot may end after `to` but not start before `from`', () => {
    const slots = list({ service: { slotIntervalMinutes: 30 }, from: monday('09:45'), to: monday('10:30') });
    expect(starts(slots)).toEqual([monday('10:00')]);
    expect(slots[0]!.end).toBe(monday('11:00'));
    expect(starts(list({ from: monday('10:00'), to: monday('11:00') }))).toEqual([monday('10:00')]);
    expect(list({ from: monday('10:00'), to: monday('10:00') })).toEqual([]);
  });

  it('lists the same starts for a month as for each of its days asked one by one', () => {
    // Odd steps and a DST change (New York, 10 March): alignment must not depend on `from`.
    const month: Case = {
      zone: 'America/New_York',
      weekly: everyDay,
      service: { durationMinutes: 45, slotIntervalMinutes: 40, bufferAfterMinutes: 10 },
      now: '2030-02-01T00:00:00Z',
    };
    const wide = list({ ...month, from: '2030-03-01T00:00:00Z', to: '2030-04-01T00:00:00Z' });
    const byDay: Slot[] = [];
    for (let day = 1; day <= 31; day++) {
      const from = new Date(Date.UTC(2030, 2, day)).toISOString();
      const to = new Date(Date.UTC(2030, 2, day + 1)).toISOString();
      byDay.push(...list({ ...month, from, to }));
    }
    expect(wide).toHaveLength(31 * 4);
    expect(byDay).toEqual(wide);
  });
});

describe('seats', () => {
  const seated = { capacity: 3, slotIntervalMinutes: 30 };
  const session = (time: string, extra: Partial<BusyInterval> = {}): BusyInterval => ({
    start: at(monday(time)),
    end: at(monday(time)) + 3_600_000,
    serviceId: 'service-a',
    startsAt: at(monday(time)),
    ...extra,
  });

  it('counts seats left in a session, and its own seats do not block it', () => {
    const slots = list({ service: seated, busy: [session('10:00'), session('10:00')], seatsTaken: new Map([[at(monday('10:00')), 2]]) });
    expect(slots.map((slot) => [slot.start, slot.seatsLeft])).toEqual([
      [monday('09:00'), 3],
      [monday('10:00'), 1],
      [monday('11:00'), 3],
    ]);
  });

  it('leaves out a full session', () => {
    const slots = list({ service: seated, busy: [session('10:00')], seatsTaken: [{ start: new Date(monday('10:00')), seats: 3 }] });
    expect(starts(slots)).toEqual([monday('09:00'), monday('11:00')]);
  });

  it('adds up seat counts given as a list', () => {
    const slots = list({ service: seated, seatsTaken: [{ start: at(monday('09:00')), seats: 1 }, { start: at(monday('09:00')), seats: 1 }] });
    expect(slots[0]).toMatchObject({ start: monday('09:00'), seatsLeft: 1 });
  });

  it('recognises the session by its session key when service and start are not given', () => {
    const busy = [{ start: at(monday('10:00')), end: at(monday('11:00')), sessionKey: 'service-a@2030-03-04T10:00:00Z' }];
    expect(starts(list({ service: seated, busy }))).toEqual(['09:00', '10:00', '11:00'].map(monday));
    const otherService = [{ ...busy[0]!, sessionKey: 'service-b@2030-03-04T10:00:00Z' }];
    expect(starts(list({ service: seated, busy: otherService }))).toEqual([monday('09:00'), monday('11:00')]);
  });

  it('is blocked by another service’s booking at the same start', () => {
    expect(starts(list({ service: seated, busy: [session('10:00', { serviceId: 'service-b' })] }))).toEqual([monday('09:00'), monday('11:00')]);
  });

  it('never shares a start for a one-to-one service, even with the same service', () => {
    expect(starts(list({ service: { slotIntervalMinutes: 30 }, busy: [session('10:00')] }))).toEqual([monday('09:00'), monday('11:00')]);
  });
});

describe('output zone', () => {
  it('shows the same instants with the client zone’s offset', () => {
    const slots = list({ zone: 'Europe/London', weekly: [{ weekday: 1, start: '09:00', end: '10:00' }], outputTimeZone: 'America/Los_Angeles' });
    expect(slots).toEqual([
      {
        start: '2030-03-04T09:00:00.000Z',
        end: '2030-03-04T10:00:00.000Z',
        localStart: '2030-03-04T01:00:00.000-08:00',
        localEnd: '2030-03-04T02:00:00.000-08:00',
        seatsLeft: 1,
      },
    ]);
  });

  it('rolls the local date over when the client is a day ahead', () => {
    const slots = list({ zone: 'America/New_York', weekly: [{ weekday: 1, start: '20:00', end: '21:00' }], outputTimeZone: 'Asia/Tokyo' });
    expect(slots.map((slot) => [slot.start, slot.localStart])).toEqual([['2030-03-05T01:00:00.000Z', '2030-03-05T10:00:00.000+09:00']]);
  });
});

describe('malformed input', () => {
  it.each<[string, Case]>([
    ['an unknown zone', { zone: 'Mars/Olympus' }],
    ['an unknown output zone', { outputTimeZone: 'Nowhere' }],
    ['an hour past 24', { weekly: [{ weekday: 1, start: '09:00', end: '25:00' }] }],
    ['24:00 as a start', { weekly: [{ weekday: 1, start: '24:00', end: '24:00' }] }],
    ['an inverted interval', { weekly: [{ weekday: 1, start: '12:00', end: '09:00' }] }],
    ['weekday 0', { weekly: [{ weekday: 0, start: '09:00', end: '10:00' }] }],
    ['30 February', { overrides: [{ date: '2030-02-30', intervals: [] }] }],
    ['a zero duration', { service: { durationMinutes: 0 } }],
    ['a negative buffer', { service: { bufferBeforeMinutes: -5 } }],
    ['a fractional capacity', { service: { capacity: 1.5 } }],
  ])('throws a RangeError on %s', (_name, c) => {
    expect(() => list(c)).toThrow(RangeError);
  });
});

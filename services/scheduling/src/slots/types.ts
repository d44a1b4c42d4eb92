/**
 * Input and output of the slot engine (see computeSlots in ./compute for the semantics). Kept in
 * their own file so the engine's parts can share them without importing each other in a cycle.
 */

/** An instant: a Date or epoch milliseconds. */
export type Instant = Date | number;

/**
 * A wall-clock interval in the provider's zone: "HH:MM" (or "HH:MM:SS", as PostgreSQL prints a
 * `time`), start < end. `end` may be "24:00", the next date's midnight.
 */
export interface WallInterval {
  readonly start: string;
  readonly end: string;
}

/** A weekly rule: `start`–`end` on the provider's wall clock every ISO weekday (1 = Monday … 7 = Sunday). */
export interface WeeklyRule extends WallInterval {
  readonly weekday: number;
}

/**
 * A date override in the provider's zone: it replaces that date's weekly rules. An empty
 * `intervals` list means closed all day. Several entries for one date are united.
 */
export interface DateOverride {
  /** "YYYY-MM-DD", a calendar date in the provider's zone. */
  readonly date: string;
  readonly intervals: readonly WallInterval[];
}

/** A half-open span of instants [start, end). Empty or inverted spans are ignored. */
export interface InstantInterval {
  readonly start: Instant;
  readonly end: Instant;
}

/**
 * Time the provider is occupied by a live (held or confirmed) booking: its `occupied` range, buffers
 * included, [starts_at - bufferBefore, ends_at + bufferAfter).
 *
 * For a seated service (capacity > 1) every seat of one session is a booking with the same service
 * and start; such an interval does not block a candidate of that same service at that same start
 * (its seats are counted through `SlotInput.seatsTaken` instead), but it blocks every other
 * candidate it overlaps, exactly as the `bookings_no_overlap` constraint does. The session is
 * recognised by `serviceId` + `startsAt`, or, when those are absent, by a seated `sessionKey`
 * of the form `<serviceId>@<startISO>`. Without either, the interval always blocks.
 */
export interface BusyInterval extends InstantInterval {
  readonly serviceId?: string;
  /** The booking's own start (not the start of its occupied range). */
  readonly startsAt?: Instant;
  /** The booking's `session_key`: its id for one-to-one, `<serviceId>@<startISO>` for seats. */
  readonly sessionKey?: string;
}

/** Seats already taken (held or confirmed) in one session of the service being listed. */
export interface SeatsTaken {
  /** The session's start. */
  readonly start: Instant;
  readonly seats: number;
}

/** The service (event type) slots are listed for. All durations in minutes. */
export interface SlotService {
  /** Recognises the service's own seated sessions among `busy`. */
  readonly id: string;
  /** > 0. */
  readonly durationMinutes: number;
  /** > 0: the step between candidate starts, in elapsed minutes. */
  readonly slotIntervalMinutes: number;
  /** ≥ 0. */
  readonly bufferBeforeMinutes: number;
  /** ≥ 0. */
  readonly bufferAfterMinutes: number;
  /** ≥ 0: a slot starts no earlier than now + minNotice. */
  readonly minNoticeMinutes: number;
  /** ≥ 0: a slot starts no later than now + bookingWindowDays × 24 h. */
  readonly bookingWindowDays: number;
  /** ≥ 1: 1 = one-to-one, more = seats in one session. */
  readonly capacity: number;
}

/** Which slots to list, as of when, and in which zone to show them. */
export interface SlotRange {
  /** Inclusive lower bound on a slot's start. */
  readonly from: Instant;
  /** Exclusive upper bound on a slot's start. The caller keeps to - from ≤ 31 days. */
  readonly to: Instant;
  /** The clock (the service's options.now()), for minimum notice and the booking window. */
  readonly now: Instant;
  /** IANA zone of `localStart`/`localEnd`: the client's requested zone. Defaults to the provider's. */
  readonly outputTimeZone?: string;
}

export interface SlotInput {
  /** IANA zone the weekly rules and overrides are written in. */
  readonly providerTimeZone: string;
  readonly weekly: readonly WeeklyRule[];
  readonly overrides?: readonly DateOverride[];
  /** The provider's blocked periods (instants). */
  readonly blocked?: readonly InstantInterval[];
  /** The provider's live bookings, of every service. */
  readonly busy?: readonly BusyInterval[];
  /**
   * Seats taken per session start of this service: a Map from start (epoch ms) to seats, or a
   * list. The only source of seat counts: `busy` entries are never counted as seats.
   */
  readonly seatsTaken?: ReadonlyMap<number, number> | readonly SeatsTaken[];
  readonly service: SlotService;
  readonly range: SlotRange;
}

export interface Slot {
  /** UTC ISO 8601 with "Z", e.g. "2030-03-11T09:00:00.000Z". */
  readonly start: string;
  /** start + duration (buffers are not part of the slot the client sees). */
  readonly end: string;
  /** ISO 8601 in the output zone with its offset, e.g. "2030-03-11T05:00:00.000-04:00". */
  readonly localStart: string;
  readonly localEnd: string;
  /** capacity - seats taken at this start; always ≥ 1 (full sessions are left out). */
  readonly seatsLeft: number;
}

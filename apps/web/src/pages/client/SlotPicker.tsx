import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useViewer } from '../../auth/auth';
import { Button, Loading, QueryError } from '../../components/ui';
import { addDays, dayKey, formatDay, formatLongDay, formatTime, zonedInstant, type Viewer } from '../../lib/format';
import { slotsQuery, type Slot } from './queries';
import { groupByDay, windowDates, windowDays, windowRange } from './slots';

/*
 * Free times of one service, a week (seven days from a start date) at a time, in the viewer's zone:
 * a week view (every day with its times) and a day view (one day, chosen from the seven). The next
 * week is fetched as soon as this one is shown, so "Next week" is instant from the cache. Used to
 * book (the provider page) and to reschedule (a booking's page).
 *
 * Keyboard: Tab reaches each day's list of times once; the arrow keys, Home and End move within it
 * (one tab stop per list instead of dozens), Enter or Space chooses.
 */

export interface PickerState {
  /** The window's first date (YYYY-MM-DD, viewer's zone). */
  readonly first: string;
  readonly view: 'day' | 'week';
  /** The day shown by the day view; null: the first day with free times. */
  readonly day: string | null;
}

interface SlotPickerProps {
  readonly providerId: string;
  readonly serviceId: string;
  readonly state: PickerState;
  readonly onStateChange: (next: PickerState) => void;
  /** The chosen slot's start (UTC), if any. */
  readonly selected: string | null;
  readonly onSelect: (slot: Slot) => void;
  /** The last date slots can be booked on (the service's booking window), if known. */
  readonly lastDate?: string | undefined;
  /** Group services: show the seats left. */
  readonly seated?: boolean;
  /** What to offer when the whole week has no free time (e.g. the waitlist). */
  readonly renderEmptyWeek?: (dates: readonly string[]) => ReactNode;
  /** What to offer under a day without free time in the day view. */
  readonly renderEmptyDay?: (date: string) => ReactNode;
}

/** Noon of a date in the zone: an instant that formats as that date there. */
export function dateInstant(date: string, timeZone: string): Date {
  return zonedInstant(date, '12:00', timeZone);
}

export function todayIn(timeZone: string): string {
  return dayKey(new Date(), timeZone);
}

export function SlotPicker(props: SlotPickerProps) {
  const { providerId, serviceId, state, onStateChange, selected, onSelect, lastDate, seated = false } = props;
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const today = todayIn(viewer.timeZone);
  const dates = windowDates(state.first);
  const range = windowRange(state.first, viewer.timeZone);
  const query = useQuery(slotsQuery(providerId, serviceId, range.from, range.to, viewer.timeZone));
  const nextFirst = addDays(state.first, windowDays);
  const hasNext = lastDate === undefined || nextFirst <= lastDate;
  const hasPrevious = state.first > today;

  // The following week, into the cache while this one is being looked at.
  const loaded = query.isSuccess;
  useEffect(() => {
    if (!loaded || !hasNext) return;
    const next = windowRange(nextFirst, viewer.timeZone);
    void queryClient.prefetchQuery(slotsQuery(providerId, serviceId, next.from, next.to, viewer.timeZone));
  }, [loaded, hasNext, nextFirst, viewer.timeZone, providerId, serviceId, queryClient]);

  const days = groupByDay(query.data?.slots ?? [], dates, viewer.timeZone);
  const firstFree = dates.find((date) => (days.get(date)?.length ?? 0) > 0) ?? null;
  const day = state.day !== null && dates.includes(state.day) ? state.day : (firstFree ?? state.first);
  const total = query.data?.slots.length ?? 0;
  const label = (date: string) => formatDay(dateInstant(date, viewer.timeZone), viewer);
  const move = (first: string) => onStateChange({ ...state, first, day: null });

  return (
    <div className="slot-picker">
      <div className="picker-bar">
        <div className="picker-nav" role="group" aria-label="Week">
          <Button variant="secondary" disabled={!hasPrevious} onClick={() => move(addDays(state.first, -windowDays) < today ? today : addDays(state.first, -windowDays))}>
            <span aria-hidden="true">←</span> Previous week
          </Button>
          <span className="picker-range" aria-live="polite">
            {label(state.first)} – {label(dates[dates.length - 1] ?? state.first)}
          </span>
          <Button variant="secondary" disabled={!hasNext} onClick={() => move(nextFirst)}>
            Next week <span aria-hidden="true">→</span>
          </Button>
        </div>
        <div className="picker-views" role="group" aria-label="Show">
          {(['day', 'week'] as const).map((view) => (
            <button key={view} type="button" className="button button-secondary" aria-pressed={state.view === view} onClick={() => onStateChange({ ...state, view })}>
              {view === 'day' ? 'Day' : 'Week'}
            </button>
          ))}
        </div>
      </div>
      {query.isPending ? (
        <Loading label="Loading free times…" />
      ) : query.isError ? (
        <QueryError error={query.error} retry={() => query.refetch()} />
      ) : (
        <>
          {query.data.busyTimes === 'unknown' ? (
            <p className="hint">The provider’s own calendar could not be checked just now; a time shown here may still turn out to be taken.</p>
          ) : null}
          {total === 0 ? (
            <div className="picker-empty">
              <p>
                No free times from {label(state.first)} to {label(dates[dates.length - 1] ?? state.first)}.
                {hasNext ? ' Try the next week.' : ''}
              </p>
              {props.renderEmptyWeek?.(dates)}
            </div>
          ) : state.view === 'week' ? (
            <div className="week">
              {dates.map((date) => (
                <DayTimes key={date} date={date} slots={days.get(date) ?? []} selected={selected} onSelect={onSelect} viewer={viewer} seated={seated} />
              ))}
            </div>
          ) : (
            <>
              <ul className="days" aria-label="Days">
                {dates.map((date) => {
                  const count = days.get(date)?.length ?? 0;
                  return (
                    <li key={date}>
                      <button type="button" className="button button-secondary day-button" aria-pressed={date === day} onClick={() => onStateChange({ ...state, day: date })}>
                        <span>{label(date)}</span>
                        <span className="day-count">{count === 0 ? 'none free' : `${count} free`}</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
              <DayTimes date={day} slots={days.get(day) ?? []} selected={selected} onSelect={onSelect} viewer={viewer} seated={seated} long empty={props.renderEmptyDay?.(day)} />
            </>
          )}
        </>
      )}
    </div>
  );
}

interface DayTimesProps {
  readonly date: string;
  readonly slots: readonly Slot[];
  readonly selected: string | null;
  readonly onSelect: (slot: Slot) => void;
  readonly viewer: Viewer;
  readonly seated: boolean;
  /** The day view: the date written out in full. */
  readonly long?: boolean;
  readonly empty?: ReactNode;
}

function DayTimes({ date, slots, selected, onSelect, viewer, seated, long = false, empty }: DayTimesProps) {
  const headingId = useId();
  const instant = dateInstant(date, viewer.timeZone);
  const short = formatDay(instant, viewer);
  return (
    <section className="day" aria-labelledby={headingId}>
      <h3 id={headingId} className="day-title">
        {long ? formatLongDay(instant, viewer) : short}
      </h3>
      {slots.length === 0 ? (
        <>
          <p className="muted">No free times.</p>
          {empty}
        </>
      ) : (
        <TimeList slots={slots} selected={selected} onSelect={onSelect} viewer={viewer} seated={seated} dayLabel={short} />
      )}
    </section>
  );
}

interface TimeListProps {
  readonly slots: readonly Slot[];
  readonly selected: string | null;
  readonly onSelect: (slot: Slot) => void;
  readonly viewer: Viewer;
  readonly seated: boolean;
  readonly dayLabel: string;
}

/** One day's times: a single tab stop, arrow keys within (a roving tabindex). */
function TimeList({ slots, selected, onSelect, viewer, seated, dayLabel }: TimeListProps) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const selectedIndex = slots.findIndex((slot) => slot.start === selected);
  const [active, setActive] = useState(0);
  const current = selectedIndex >= 0 ? selectedIndex : Math.min(active, slots.length - 1);

  function columns(): number {
    const top = buttons.current[0]?.offsetTop;
    return Math.max(1, buttons.current.filter((button) => button !== null && button.offsetTop === top).length);
  }

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const from = buttons.current.findIndex((button) => button === document.activeElement);
    if (from < 0) return;
    const last = slots.length - 1;
    const to =
      event.key === 'ArrowRight'
        ? from + 1
        : event.key === 'ArrowLeft'
          ? from - 1
          : event.key === 'ArrowDown'
            ? from + columns()
            : event.key === 'ArrowUp'
              ? from - columns()
              : event.key === 'Home'
                ? 0
                : event.key === 'End'
                  ? last
                  : null;
    if (to === null) return;
    event.preventDefault();
    const index = Math.max(0, Math.min(last, to));
    setActive(index);
    buttons.current[index]?.focus();
  }

  return (
    <ul className="slots" aria-label={`Free times on ${dayLabel}`} onKeyDown={onKeyDown}>
      {slots.map((slot, index) => (
        <li key={slot.start}>
          <button
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            className="button button-secondary slot"
            aria-pressed={slot.start === selected}
            tabIndex={index === current ? 0 : -1}
            onFocus={() => setActive(index)}
            onClick={() => onSelect(slot)}
          >
            {formatTime(slot.start, viewer)}
            <span className="visually-hidden">, {dayLabel}</span>
            {seated ? <span className="seats">{slot.seatsLeft === 1 ? '1 seat left' : `${slot.seatsLeft} seats left`}</span> : null}
          </button>
        </li>
      ))}
    </ul>
  );
}

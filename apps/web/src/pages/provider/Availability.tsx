import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { Link } from 'wouter';
import { api, data } from '../../api/client';
import { fieldErrors } from '../../api/problem';
import { useViewer } from '../../auth/auth';
import { Button, ErrorMessage, Loading } from '../../components/ui';
import { addDays, formatLongDay, zoneName, zonedInstant } from '../../lib/format';
import {
  fingerprint,
  fromApi,
  newInterval,
  newKey,
  problemsFromServer,
  validate,
  weekdays,
  type BlockedPeriod,
  type DateOverride,
  type Draft,
  type Interval,
  type Problems,
} from './availability';
import { CheckboxField } from './fields';
import { WithProfile } from './ProviderNav';
import type { AvailabilityData, Provider } from './types';

/*
 * When clients can book: weekly hours, dates with their own hours (or closed), and blocked
 * periods, all in the provider's zone. One PUT replaces all three, so the page edits a draft and
 * saves it whole.
 */

export function Availability() {
  return <WithProfile title="Your availability">{(provider) => <AvailabilityLoader provider={provider} />}</WithProfile>;
}

function availabilityKey(providerId: string) {
  return ['providers', providerId, 'availability'] as const;
}

function AvailabilityLoader({ provider }: { readonly provider: Provider }) {
  const availability = useQuery({
    queryKey: availabilityKey(provider.id),
    queryFn: async () => data(await api.GET('/api/v1/providers/{id}/availability', { params: { path: { id: provider.id } } })),
    // The editor works on a copy; a background refetch must not reset what the person is typing.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  if (availability.isPending) return <Loading />;
  if (availability.isError) return <ErrorMessage error={availability.error} />;
  return <Editor providerId={provider.id} saved={availability.data} />;
}

function weekdayName(weekday: number, locale: string): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, weekday)));
}

function Editor({ providerId, saved }: { readonly providerId: string; readonly saved: AvailabilityData }) {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const zone = saved.timeZone;
  const [draft, setDraft] = useState<Draft>(() => fromApi(saved));
  const [baseline, setBaseline] = useState(() => fingerprint(fromApi(saved)));
  // After the first attempt to save, problems follow the draft as it is edited (and go as they are fixed).
  const [checking, setChecking] = useState(false);
  const [serverProblems, setServerProblems] = useState<Problems>({});
  const problems = useMemo<Problems>(() => ({ ...serverProblems, ...(checking ? validate(draft, zone).problems : {}) }), [serverProblems, checking, draft, zone]);
  const dirty = fingerprint(draft) !== baseline;

  const save = useMutation({
    mutationFn: async (body: ReturnType<typeof validate>) =>
      data(await api.PUT('/api/v1/providers/{id}/availability', { params: { path: { id: providerId } }, body: body.body })),
    onSuccess: async (result) => {
      queryClient.setQueryData(availabilityKey(providerId), result);
      const next = fromApi(result);
      setDraft(next);
      setBaseline(fingerprint(next));
      await queryClient.invalidateQueries({ queryKey: ['slots', providerId] });
    },
    onError: (error, sent) => setServerProblems(problemsFromServer(fieldErrors(error), sent.origins)),
  });

  // Leaving the site (reload, closing the tab) with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const update = (change: (current: Draft) => Draft) => {
    save.reset();
    setServerProblems({});
    setDraft(change);
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = validate(draft, zone);
    setChecking(true);
    if (Object.keys(checked.problems).length > 0) return;
    save.mutate(checked);
  }

  const problemCount = Object.keys(problems).length;
  const names = useMemo(() => Object.fromEntries(weekdays.map((day) => [day, weekdayName(day, viewer.locale)])), [viewer.locale]);

  return (
    <form onSubmit={submit} noValidate className="provider-availability">
      <p>
        All times on this page are in your profile’s time zone, <strong>{zone}</strong> ({zoneName(zone, viewer.locale)}).
        {viewer.timeZone === zone ? null : <> Elsewhere on the site you see times in {viewer.timeZone}.</>} <Link href="/provider/profile">Change the zone on your profile</Link>.
      </p>

      <Section title="Weekly hours" hint="Your usual hours for each day of the week. A day can have several intervals, for example a morning and an afternoon. An end of 00:00 means midnight.">
        <ul className="provider-week">
          {weekdays.map((day) => (
            <li key={day}>
              <IntervalsEditor
                heading={names[day] ?? String(day)}
                level={3}
                context={names[day] ?? String(day)}
                intervals={draft.weekly[day] ?? []}
                problems={problems}
                empty="Not available"
                onChange={(intervals) => update((current) => ({ ...current, weekly: { ...current.weekly, [day]: intervals } }))}
              />
            </li>
          ))}
        </ul>
      </Section>

      <Section title="Date overrides" hint="A date with its own hours instead of the weekly ones, or closed that day (a holiday).">
        {draft.overrides.length === 0 ? <p className="empty">No dates with their own hours.</p> : null}
        <ul className="list">
          {draft.overrides.map((item, index) => (
            <li key={item.key}>
              <OverrideEditor
                item={item}
                number={index + 1}
                problems={problems}
                onChange={(next) => update((current) => ({ ...current, overrides: current.overrides.map((entry) => (entry.key === item.key ? next : entry)) }))}
                onRemove={() => update((current) => ({ ...current, overrides: current.overrides.filter((entry) => entry.key !== item.key) }))}
              />
            </li>
          ))}
        </ul>
        <div className="actions">
          <Button
            variant="secondary"
            onClick={() => update((current) => ({ ...current, overrides: [...current.overrides, { key: newKey(), date: '', closed: true, intervals: [] }] }))}
          >
            Add a date
          </Button>
        </div>
      </Section>

      <Section title="Blocked periods" hint={`Time off: no bookings between the start and the end, whatever the hours say. Times in ${zone}.`}>
        {draft.blocked.length === 0 ? <p className="empty">No blocked periods.</p> : null}
        <ul className="list">
          {draft.blocked.map((item, index) => (
            <li key={item.key}>
              <BlockedEditor
                item={item}
                number={index + 1}
                zone={zone}
                problems={problems}
                onChange={(next) => update((current) => ({ ...current, blocked: current.blocked.map((entry) => (entry.key === item.key ? next : entry)) }))}
                onRemove={() => update((current) => ({ ...current, blocked: current.blocked.filter((entry) => entry.key !== item.key) }))}
              />
            </li>
          ))}
        </ul>
        <div className="actions">
          <Button
            variant="secondary"
            onClick={() =>
              update((current) => ({
                ...current,
                blocked: [...current.blocked, { key: newKey(), startDate: '', startTime: '00:00', endDate: '', endTime: '00:00', reason: '' }],
              }))
            }
          >
            Add a blocked period
          </Button>
        </div>
      </Section>

      <div className="provider-savebar">
        <p className="provider-savestate" role="status">
          {save.isPending ? 'Saving…' : dirty ? <strong>Unsaved changes</strong> : save.isSuccess ? 'Saved: clients see these hours now.' : 'No unsaved changes.'}
        </p>
        {problemCount > 0 ? (
          <ErrorMessage>
            {problemCount === 1 ? 'One entry needs' : `${problemCount} entries need`} fixing before saving; {problemCount === 1 ? 'it is' : 'they are'} marked below each field.
          </ErrorMessage>
        ) : null}
        <ErrorMessage error={save.error ?? undefined} />
        <div className="actions">
          <Button type="submit" busy={save.isPending} disabled={!dirty}>
            Save availability
          </Button>
          <Button
            variant="secondary"
            disabled={!dirty || save.isPending}
            onClick={() => {
              setDraft(fromApi(saved));
              setChecking(false);
              setServerProblems({});
              save.reset();
            }}
          >
            Discard changes
          </Button>
        </div>
      </div>
    </form>
  );
}

function Section({ title, hint, children }: { readonly title: string; readonly hint: string; readonly children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="provider-section">
      <h2 id={id}>{title}</h2>
      <p className="hint">{hint}</p>
      {children}
    </section>
  );
}

/** A labelled input whose accessible name carries its context ("Monday hours 2 from") while showing a short label. */
function ContextInput({
  context,
  label,
  error,
  inline = false,
  ...input
}: { readonly context: string; readonly label: string; readonly error?: string | undefined; readonly inline?: boolean } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className={`field provider-compact${inline ? ' provider-inline' : ''}`}>
      <label htmlFor={id}>
        <span className="provider-vh">{context} </span>
        {label}
      </label>
      <input {...input} id={id} aria-invalid={error === undefined ? undefined : true} aria-describedby={error === undefined ? undefined : `${id}-error`} />
      {error === undefined ? null : (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function IntervalsEditor({
  heading,
  level,
  context,
  intervals,
  problems,
  empty,
  onChange,
}: {
  readonly heading: string;
  readonly level: 3 | 4;
  readonly context: string;
  readonly intervals: readonly Interval[];
  readonly problems: Problems;
  readonly empty: string;
  readonly onChange: (intervals: readonly Interval[]) => void;
}) {
  const id = useId();
  const Heading = level === 3 ? 'h3' : 'h4';
  const last = intervals[intervals.length - 1];
  return (
    <div role="group" aria-labelledby={id} className="provider-intervals">
      <Heading id={id}>{heading}</Heading>
      <div className="provider-interval-list">
        {intervals.length === 0 ? <p className="muted provider-closed">{empty}</p> : null}
        {intervals.map((entry, index) => {
          const name = `${context} hours ${index + 1}`;
          const change = (field: 'start' | 'end', value: string) => onChange(intervals.map((item) => (item.key === entry.key ? { ...item, [field]: value } : item)));
          return (
            <div className="provider-interval" key={entry.key}>
              <ContextInput inline context={name} label="from" type="time" step={300} value={entry.start} onChange={(e) => change('start', e.target.value)} error={problems[`${entry.key}.start`]} />
              <ContextInput inline context={name} label="to" type="time" step={300} value={entry.end} onChange={(e) => change('end', e.target.value)} error={problems[`${entry.key}.end`]} />
              <Button variant="link" className="provider-remove" aria-label={`Remove ${name}`} onClick={() => onChange(intervals.filter((item) => item.key !== entry.key))}>
                Remove
              </Button>
            </div>
          );
        })}
      </div>
      <Button
        variant="secondary"
        className="provider-add"
        aria-label={`Add hours on ${context}`}
        // A new interval starts an hour after the last one ends, so adding does not overlap.
        onClick={() => onChange([...intervals, last === undefined ? newInterval() : nextInterval(last)])}
      >
        Add hours
      </Button>
    </div>
  );
}

function nextInterval(last: Interval): Interval {
  const [h = 17, m = 0] = last.end.split(':').map(Number);
  const start = Math.min(h + 1, 22);
  const pad = (value: number) => String(value).padStart(2, '0');
  return newInterval(`${pad(start)}:${pad(m)}`, `${pad(start + 1)}:${pad(m)}`);
}

function OverrideEditor({
  item,
  number,
  problems,
  onChange,
  onRemove,
}: {
  readonly item: DateOverride;
  readonly number: number;
  readonly problems: Problems;
  readonly onChange: (next: DateOverride) => void;
  readonly onRemove: () => void;
}) {
  const viewer = useViewer();
  const context = `Override ${number}`;
  const title = item.date === '' ? context : formatLongDay(zonedInstant(item.date, '12:00', 'UTC'), { ...viewer, timeZone: 'UTC' });
  return (
    <fieldset className="card provider-override">
      <legend>{title}</legend>
      <ContextInput context={context} label="Date" type="date" value={item.date} onChange={(e) => onChange({ ...item, date: e.target.value })} error={problems[`${item.key}.date`]} />
      <CheckboxField
        label="Closed all day"
        checked={item.closed}
        onChange={(e) => onChange({ ...item, closed: e.target.checked, intervals: !e.target.checked && item.intervals.length === 0 ? [newInterval()] : item.intervals })}
      />
      {item.closed ? null : (
        <IntervalsEditor heading="Hours" level={4} context={context} intervals={item.intervals} problems={problems} empty="No hours yet." onChange={(intervals) => onChange({ ...item, intervals })} />
      )}
      <Button variant="link" aria-label={`Remove this date (${context.toLowerCase()})`} onClick={onRemove}>
        Remove this date
      </Button>
    </fieldset>
  );
}

function BlockedEditor({
  item,
  number,
  zone,
  problems,
  onChange,
  onRemove,
}: {
  readonly item: BlockedPeriod;
  readonly number: number;
  readonly zone: string;
  readonly problems: Problems;
  readonly onChange: (next: BlockedPeriod) => void;
  readonly onRemove: () => void;
}) {
  const context = `Blocked period ${number}`;
  const set = (field: 'startDate' | 'startTime' | 'endDate' | 'endTime' | 'reason', value: string) => onChange({ ...item, [field]: value });
  return (
    <fieldset className="card provider-blocked">
      <legend>{context}</legend>
      <div className="provider-interval">
        <ContextInput
          context={context}
          label="Start date"
          type="date"
          value={item.startDate}
          // A new period defaults to whole days: from the start date's midnight to the next one.
          onChange={(e) => onChange({ ...item, startDate: e.target.value, endDate: item.endDate === '' && e.target.value !== '' ? addDays(e.target.value, 1) : item.endDate })}
          error={problems[`${item.key}.startDate`]}
        />
        <ContextInput context={context} label="Start time" type="time" value={item.startTime} onChange={(e) => set('startTime', e.target.value)} error={problems[`${item.key}.startTime`]} />
      </div>
      <div className="provider-interval">
        <ContextInput context={context} label="End date" type="date" value={item.endDate} onChange={(e) => set('endDate', e.target.value)} error={problems[`${item.key}.endDate`]} />
        <ContextInput context={context} label="End time" type="time" value={item.endTime} onChange={(e) => set('endTime', e.target.value)} error={problems[`${item.key}.endTime`]} />
      </div>
      <ContextInput context={context} label="Reason (only you see it)" maxLength={500} value={item.reason} onChange={(e) => set('reason', e.target.value)} error={problems[`${item.key}.reason`]} />
      <p className="hint">In {zone}.</p>
      <Button variant="link" aria-label={`Remove this period (${context.toLowerCase()})`} onClick={onRemove}>
        Remove this period
      </Button>
    </fieldset>
  );
}

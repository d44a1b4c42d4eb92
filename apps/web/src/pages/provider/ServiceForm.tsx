import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, data } from '../../api/client';
import { fieldErrors } from '../../api/problem';
import { useViewer } from '../../auth/auth';
import { Button, ErrorMessage, SelectField, TextField } from '../../components/ui';
import { CheckboxField, TextAreaField } from './fields';
import { currencies, currencyDigits, currencyLabel, fromMinorUnits, toMinorUnits } from './money';
import type { LocationKind, NewOffering, Offering } from './types';

/*
 * Create or edit one service. Numbers are typed as text and checked here against the limits the
 * API states (so a person sees every problem at once), then sent; anything the API still refuses
 * comes back as field errors under the same fields.
 */

interface Values {
  name: string;
  description: string;
  durationMinutes: string;
  slotIntervalMinutes: string;
  bufferBeforeMinutes: string;
  bufferAfterMinutes: string;
  minNoticeMinutes: string;
  bookingWindowDays: string;
  cancellationWindowMinutes: string;
  capacity: string;
  price: string;
  currency: string;
  locationKind: LocationKind;
  address: string;
  active: boolean;
}

type Key = keyof Values;

function initialValues(service: Offering | undefined): Values {
  return {
    name: service?.name ?? '',
    description: service?.description ?? '',
    durationMinutes: String(service?.durationMinutes ?? 30),
    slotIntervalMinutes: service === undefined ? '' : String(service.slotIntervalMinutes),
    bufferBeforeMinutes: String(service?.bufferBeforeMinutes ?? 0),
    bufferAfterMinutes: String(service?.bufferAfterMinutes ?? 0),
    minNoticeMinutes: String(service?.minNoticeMinutes ?? 0),
    bookingWindowDays: String(service?.bookingWindowDays ?? 60),
    cancellationWindowMinutes: String(service?.cancellationWindowMinutes ?? 0),
    capacity: String(service?.capacity ?? 1),
    price: service === undefined ? '0' : fromMinorUnits(service.priceAmount, service.currency),
    currency: service?.currency ?? 'EUR',
    locationKind: service?.location.kind ?? 'video',
    address: service?.location.address ?? '',
    active: service?.active ?? true,
  };
}

const limits: Partial<Record<Key, readonly [number, number]>> = {
  durationMinutes: [5, 1440],
  slotIntervalMinutes: [5, 1440],
  bufferBeforeMinutes: [0, 1440],
  bufferAfterMinutes: [0, 1440],
  minNoticeMinutes: [0, 525_600],
  bookingWindowDays: [1, 730],
  cancellationWindowMinutes: [0, 525_600],
  capacity: [1, 1000],
};

function wholeNumber(text: string, [min, max]: readonly [number, number]): number | string {
  if (!/^\d+$/.test(text.trim())) return 'Enter a whole number.';
  const value = Number(text.trim());
  if (value < min) return `Must be at least ${min}.`;
  if (value > max) return `Must be at most ${max}.`;
  return value;
}

/** The request body, or the problems that keep it from being sent (by field). */
function toBody(values: Values): { body: NewOffering } | { problems: Partial<Record<Key, string>> } {
  const problems: Partial<Record<Key, string>> = {};
  const numbers: Partial<Record<Key, number>> = {};
  for (const [key, range] of Object.entries(limits) as [Key, readonly [number, number]][]) {
    if (key === 'slotIntervalMinutes' && values.slotIntervalMinutes.trim() === '') continue;
    const result = wholeNumber(String(values[key]), range);
    if (typeof result === 'string') problems[key] = result;
    else numbers[key] = result;
  }
  if (values.name.trim() === '') problems.name = 'Give the service a name.';
  const priceAmount = toMinorUnits(values.price, values.currency);
  if (priceAmount === undefined) {
    const digits = currencyDigits(values.currency);
    problems.price = digits === 0 ? `Enter a whole amount of ${values.currency}.` : `Enter an amount such as 45 or 45.50 (at most ${digits} decimals).`;
  }
  if (values.locationKind === 'in_person' && values.address.trim() === '') problems.address = 'An in-person service needs an address.';
  if (Object.keys(problems).length > 0 || priceAmount === undefined) return { problems };
  return {
    body: {
      name: values.name.trim(),
      description: values.description.trim(),
      durationMinutes: numbers.durationMinutes ?? 30,
      ...(numbers.slotIntervalMinutes === undefined ? {} : { slotIntervalMinutes: numbers.slotIntervalMinutes }),
      bufferBeforeMinutes: numbers.bufferBeforeMinutes ?? 0,
      bufferAfterMinutes: numbers.bufferAfterMinutes ?? 0,
      minNoticeMinutes: numbers.minNoticeMinutes ?? 0,
      bookingWindowDays: numbers.bookingWindowDays ?? 60,
      cancellationWindowMinutes: numbers.cancellationWindowMinutes ?? 0,
      capacity: numbers.capacity ?? 1,
      priceAmount,
      currency: values.currency,
      location: values.locationKind === 'in_person' ? { kind: 'in_person', address: values.address.trim() } : { kind: values.locationKind },
      active: values.active,
    },
  };
}

/** API field paths → this form's fields. */
function serverProblems(error: unknown): Partial<Record<Key, string>> {
  const fields = fieldErrors(error);
  const mapped: Partial<Record<Key, string>> = {};
  for (const [path, message] of Object.entries(fields)) {
    const key: string = path === 'priceAmount' ? 'price' : path === 'location.address' ? 'address' : path === 'location' || path === 'location.kind' ? 'locationKind' : path;
    if (key in initialValues(undefined)) mapped[key as Key] ??= message;
  }
  return mapped;
}

const locationChoices: readonly { kind: LocationKind; label: string }[] = [
  { kind: 'video', label: 'Video call (a meeting link is made for each booking)' },
  { kind: 'in_person', label: 'In person' },
  { kind: 'phone', label: 'Phone call' },
];

export function ServiceForm({
  providerId,
  service,
  onDone,
  onCancel,
}: {
  readonly providerId: string;
  readonly service?: Offering | undefined;
  readonly onDone: (saved: Offering) => void;
  readonly onCancel: () => void;
}) {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const headingId = useId();
  const [values, setValues] = useState<Values>(() => initialValues(service));
  // After the first attempt to save, problems follow the values as they are edited.
  const [checking, setChecking] = useState(false);
  const set = <K extends Key>(key: K, value: Values[K]) => setValues((current) => ({ ...current, [key]: value }));

  const save = useMutation({
    mutationFn: async (body: NewOffering): Promise<Offering> =>
      service === undefined
        ? data(await api.POST('/api/v1/providers/{id}/services', { params: { path: { id: providerId } }, body }))
        : data(await api.PATCH('/api/v1/providers/{id}/services/{serviceId}', { params: { path: { id: providerId, serviceId: service.id } }, body })),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['providers', providerId] });
      await queryClient.invalidateQueries({ queryKey: ['slots', providerId] });
      onDone(saved);
    },
  });

  const checked = toBody(values);
  const problems = checking && 'problems' in checked ? checked.problems : {};
  const fromServer = serverProblems(save.error);
  const error = (key: Key): string | undefined => problems[key] ?? fromServer[key];

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecking(true);
    if ('problems' in checked) return;
    save.mutate(checked.body);
  }

  const numberField = (key: Key, label: string, hint?: string) => {
    const [min, max] = limits[key] ?? [0, 0];
    return (
      <TextField
        label={label}
        hint={hint}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        value={String(values[key])}
        onChange={(e) => set(key, e.target.value)}
        error={error(key)}
      />
    );
  };

  const currencyOptions = currencies.includes(values.currency as (typeof currencies)[number]) ? currencies : [values.currency, ...currencies];

  return (
    <section aria-labelledby={headingId} className="provider-panel">
      <h2 id={headingId}>{service === undefined ? 'New service' : `Edit “${service.name}”`}</h2>
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={save.error ?? undefined} />
        {Object.keys(problems).length > 0 ? <ErrorMessage>Some fields need your attention.</ErrorMessage> : null}
        <TextField label="Name" required maxLength={100} value={values.name} onChange={(e) => set('name', e.target.value)} error={error('name')} />
        <TextAreaField label="Description" maxLength={5000} value={values.description} onChange={(e) => set('description', e.target.value)} error={error('description')} />
        <div className="row">
          {numberField('durationMinutes', 'Duration (minutes)', '5 to 1440.')}
          {numberField('slotIntervalMinutes', 'Slot interval (minutes)', 'Minutes between possible start times. Empty: the duration.')}
        </div>
        <div className="row">
          {numberField('bufferBeforeMinutes', 'Buffer before (minutes)', 'Kept free before each session.')}
          {numberField('bufferAfterMinutes', 'Buffer after (minutes)', 'Kept free after each session.')}
        </div>
        <div className="row">
          {numberField('minNoticeMinutes', 'Minimum notice (minutes)', 'How long before the start a slot can still be booked.')}
          {numberField('bookingWindowDays', 'Booking window (days)', 'How many days ahead clients can book (1 to 730).')}
        </div>
        <div className="row">
          {numberField('capacity', 'Seats per session', '1 for one-to-one; more for group sessions.')}
          {numberField('cancellationWindowMinutes', 'Client cancellation limit (minutes)', 'Clients may cancel until this long before the start.')}
        </div>
        <div className="row">
          <TextField
            label="Price"
            inputMode="decimal"
            hint="0 for free. In the currency below, e.g. 45.50."
            value={values.price}
            onChange={(e) => set('price', e.target.value)}
            error={error('price')}
          />
          <SelectField label="Currency" value={values.currency} onChange={(e) => set('currency', e.target.value)} error={error('currency')}>
            {currencyOptions.map((code) => (
              <option key={code} value={code}>
                {currencyLabel(code, viewer.locale)}
              </option>
            ))}
          </SelectField>
        </div>
        <fieldset className="field provider-fieldset">
          <legend>Location</legend>
          {locationChoices.map((choice) => (
            <label key={choice.kind} className="provider-radio">
              <input type="radio" name="location" value={choice.kind} checked={values.locationKind === choice.kind} onChange={() => set('locationKind', choice.kind)} />{' '}
              {choice.label}
            </label>
          ))}
          {error('locationKind') === undefined ? null : <p className="field-error">{error('locationKind')}</p>}
        </fieldset>
        {values.locationKind === 'in_person' ? (
          <TextField label="Address" required maxLength={500} autoComplete="street-address" value={values.address} onChange={(e) => set('address', e.target.value)} error={error('address')} />
        ) : null}
        <CheckboxField
          label="Active"
          checked={values.active}
          onChange={(e) => set('active', e.target.checked)}
          hint="Inactive services are hidden from clients and cannot be booked; bookings already made stay."
        />
        <div className="actions">
          <Button type="submit" busy={save.isPending}>
            {service === undefined ? 'Add service' : 'Save service'}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </form>
    </section>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, data } from '../../api/client';
import { useViewer } from '../../auth/auth';
import { Button, Empty, ErrorMessage, Loading, Notice } from '../../components/ui';
import { formatPrice } from '../../lib/format';
import { WithProfile } from './ProviderNav';
import { ServiceForm } from './ServiceForm';
import type { Offering, Provider } from './types';

/* The provider's services (event types): the list, with a form to add one or change one. */

export function Services() {
  return <WithProfile title="Your services">{(provider) => <ServiceList provider={provider} />}</WithProfile>;
}

export function servicesKey(providerId: string) {
  return ['providers', providerId, 'services'] as const;
}

export function useServices(providerId: string) {
  return useQuery({
    queryKey: servicesKey(providerId),
    queryFn: async () => data(await api.GET('/api/v1/providers/{id}/services', { params: { path: { id: providerId } } })).items,
  });
}

function minutesText(minutes: number): string {
  if (minutes < 60 || minutes % 60 !== 0) return `${minutes} min`;
  const hours = minutes / 60;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

function locationText(service: Offering): string {
  switch (service.location.kind) {
    case 'video':
      return 'Video call';
    case 'phone':
      return 'Phone call';
    case 'in_person':
      return `In person: ${service.location.address ?? ''}`;
  }
}

function ServiceList({ provider }: { readonly provider: Provider }) {
  const services = useServices(provider.id);
  // 'new', a service's id, or null when no form is open.
  const [editing, setEditing] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  if (services.isPending) return <Loading />;
  if (services.isError) return <ErrorMessage error={services.error} />;
  const items = services.data;
  const form = editing === null ? null : (
    <ServiceForm
      key={editing}
      providerId={provider.id}
      service={items.find((item) => item.id === editing)}
      onDone={(saved) => {
        setMessage(editing === 'new' ? `Service “${saved.name}” added.` : `Service “${saved.name}” saved.`);
        setEditing(null);
      }}
      onCancel={() => setEditing(null)}
    />
  );

  return (
    <>
      {provider.published ? null : (
        <Notice tone="warning">
          Your profile is not published yet, so clients cannot book these services. <Link href="/provider/profile">Publish it on your profile</Link>.
        </Notice>
      )}
      {message === null ? null : <Notice tone="success">{message}</Notice>}
      {items.length === 0 && editing === null ? <Empty>No services yet. Add the first thing clients can book with you.</Empty> : null}
      {items.length > 0 ? (
        <ul className="cards provider-services" aria-label="Services">
          {items.map((service) => (
            <ServiceCard
              key={service.id}
              providerId={provider.id}
              service={service}
              onEdit={() => {
                setMessage(null);
                setEditing(service.id);
              }}
            />
          ))}
        </ul>
      ) : null}
      {editing === 'new' ? form : null}
      {editing === null ? (
        <div className="actions">
          <Button
            onClick={() => {
              setMessage(null);
              setEditing('new');
            }}
          >
            Add a service
          </Button>
        </div>
      ) : null}
      {editing !== null && editing !== 'new' ? form : null}
      {items.length > 0 ? (
        <p className="hint">
          Clients see active services once your <Link href="/provider/availability">availability</Link> has hours.
        </p>
      ) : null}
    </>
  );
}

function ServiceCard({ providerId, service, onEdit }: { readonly providerId: string; readonly service: Offering; readonly onEdit: () => void }) {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: async () =>
      data(await api.PATCH('/api/v1/providers/{id}/services/{serviceId}', { params: { path: { id: providerId, serviceId: service.id } }, body: { active: !service.active } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['providers', providerId] });
      await queryClient.invalidateQueries({ queryKey: ['slots', providerId] });
    },
  });
  return (
    <li className="card">
      <h2>{service.name}</h2>
      <p>
        <span className="tag">{service.active ? 'Active' : 'Inactive: hidden from clients'}</span>
      </p>
      {service.description === '' ? null : <p className="provider-description">{service.description}</p>}
      <dl className="provider-facts">
        <dt>Length</dt>
        <dd>
          {minutesText(service.durationMinutes)}, starts every {minutesText(service.slotIntervalMinutes)}
        </dd>
        {service.bufferBeforeMinutes > 0 || service.bufferAfterMinutes > 0 ? (
          <>
            <dt>Buffers</dt>
            <dd>
              {minutesText(service.bufferBeforeMinutes)} before, {minutesText(service.bufferAfterMinutes)} after
            </dd>
          </>
        ) : null}
        <dt>Booking</dt>
        <dd>
          {service.minNoticeMinutes > 0 ? `${minutesText(service.minNoticeMinutes)} notice, ` : ''}up to {service.bookingWindowDays} days ahead
        </dd>
        <dt>Seats</dt>
        <dd>{service.capacity === 1 ? 'One-to-one' : `${service.capacity} per session`}</dd>
        <dt>Price</dt>
        <dd>{formatPrice(service.priceAmount, service.currency, viewer.locale)}</dd>
        <dt>Where</dt>
        <dd>{locationText(service)}</dd>
      </dl>
      <ErrorMessage error={toggle.error ?? undefined} />
      <div className="actions">
        <Button variant="secondary" onClick={onEdit} aria-label={`Edit ${service.name}`}>
          Edit
        </Button>
        <Button variant="secondary" busy={toggle.isPending} onClick={() => toggle.mutate()} aria-label={`${service.active ? 'Deactivate' : 'Activate'} ${service.name}`}>
          {service.active ? 'Deactivate' : 'Activate'}
        </Button>
      </div>
    </li>
  );
}

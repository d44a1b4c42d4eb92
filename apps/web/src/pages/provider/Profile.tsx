import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, data } from '../../api/client';
import { fieldErrors } from '../../api/problem';
import { Button, ErrorMessage, Loading, Notice, PageTitle, SelectField, TextField } from '../../components/ui';
import { browserTimeZone, knownTimeZones } from '../../lib/format';
import { CheckboxField, TextAreaField } from './fields';
import { ProviderNav } from './ProviderNav';
import type { Provider } from './types';
import { myProviderKey, useMyProvider } from './useMyProvider';

/*
 * The provider's public profile: created here the first time (the register page sends new
 * providers here), edited afterwards. Clients see it on the provider's page once published.
 */

export function Profile() {
  const me = useMyProvider();
  return (
    <>
      <ProviderNav />
      <PageTitle>Your provider profile</PageTitle>
      {me.isPending ? <Loading /> : me.isError ? <ErrorMessage error={me.error} /> : <ProfileForm provider={me.data} />}
    </>
  );
}

interface Values {
  readonly displayName: string;
  readonly title: string;
  readonly specialty: string;
  readonly bio: string;
  readonly photoUrl: string;
  readonly timeZone: string;
  readonly published: boolean;
}

function initialValues(provider: Provider | null): Values {
  return {
    displayName: provider?.displayName ?? '',
    title: provider?.title ?? '',
    specialty: provider?.specialty ?? '',
    bio: provider?.bio ?? '',
    photoUrl: provider?.photoUrl ?? '',
    timeZone: provider?.timeZone ?? browserTimeZone(),
    published: provider?.published ?? false,
  };
}

/** An https address, or why not (photos are shown on an https page; http ones would be blocked). */
function photoProblem(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  try {
    return new URL(value.trim()).protocol === 'https:' ? undefined : 'Use an address that starts with https://.';
  } catch {
    return 'Enter a full web address, such as https://example.com/me.jpg.';
  }
}

function ProfileForm({ provider }: { readonly provider: Provider | null }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(() => initialValues(provider));
  const [checked, setChecked] = useState(false);
  const [brokenPhoto, setBrokenPhoto] = useState<string | null>(null);
  const creating = provider === null;
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((current) => ({ ...current, [key]: value }));

  const save = useMutation({
    mutationFn: async (mode: 'create' | 'update'): Promise<Provider> => {
      const body = {
        displayName: values.displayName.trim(),
        title: values.title.trim(),
        specialty: values.specialty.trim() === '' ? null : values.specialty.trim(),
        bio: values.bio.trim(),
        photoUrl: values.photoUrl.trim() === '' ? null : values.photoUrl.trim(),
        timeZone: values.timeZone,
        published: values.published,
      };
      if (mode === 'create' || provider === null) return data(await api.POST('/api/v1/providers', { body }));
      return data(await api.PATCH('/api/v1/providers/{id}', { params: { path: { id: provider.id } }, body }));
    },
    onSuccess: async (saved) => {
      queryClient.setQueryData(myProviderKey, saved);
      await queryClient.invalidateQueries({ queryKey: ['providers'], predicate: (query) => query.queryKey[1] !== 'me' });
    },
  });

  const local = {
    displayName: values.displayName.trim() === '' ? 'Enter the name clients will see.' : undefined,
    photoUrl: photoProblem(values.photoUrl),
  };
  const server = fieldErrors(save.error);
  const errors = (key: keyof Values): string | undefined => (checked ? local[key as keyof typeof local] : undefined) ?? server[key];
  const photo = values.photoUrl.trim();
  const showPreview = photo !== '' && local.photoUrl === undefined;
  const zones = knownTimeZones();

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (Object.values(local).some((problem) => problem !== undefined)) return;
    save.mutate(creating ? 'create' : 'update');
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      {creating ? <p>Tell clients who you are. You can change all of this later.</p> : null}
      <ErrorMessage error={save.error ?? undefined} />
      {checked && Object.values(local).some((problem) => problem !== undefined) ? <ErrorMessage>Some fields need your attention.</ErrorMessage> : null}
      {save.isSuccess ? (
        <Notice tone="success">
          {save.variables === 'create' ? (
            <>
              Profile created. Next, <Link href="/provider/services">add the services</Link> clients can book.
            </>
          ) : (
            'Profile saved.'
          )}
        </Notice>
      ) : null}
      <TextField
        label="Display name"
        required
        maxLength={100}
        autoComplete="name"
        value={values.displayName}
        onChange={(e) => set('displayName', e.target.value)}
        error={errors('displayName')}
      />
      <TextField label="Title" hint="For example: Physiotherapist, Maths tutor." maxLength={100} value={values.title} onChange={(e) => set('title', e.target.value)} error={errors('title')} />
      <TextField label="Specialty" hint="Clients can search by it." maxLength={100} value={values.specialty} onChange={(e) => set('specialty', e.target.value)} error={errors('specialty')} />
      <TextAreaField label="About you" maxLength={5000} rows={6} value={values.bio} onChange={(e) => set('bio', e.target.value)} error={errors('bio')} />
      <TextField
        label="Photo URL"
        type="url"
        inputMode="url"
        hint="An https:// address of a square photo of you."
        maxLength={2048}
        value={values.photoUrl}
        onChange={(e) => set('photoUrl', e.target.value)}
        onBlur={() => photo !== '' && setChecked(true)}
        error={errors('photoUrl')}
      />
      {showPreview ? (
        <figure className="provider-photo">
          {brokenPhoto === photo ? (
            <p className="hint">The image at this address could not be loaded. Check that it is public and points to an image.</p>
          ) : (
            <img src={photo} alt={`Photo of ${values.displayName.trim() === '' ? 'you' : values.displayName.trim()}`} width={96} height={96} onError={() => setBrokenPhoto(photo)} />
          )}
          <figcaption className="hint">Preview</figcaption>
        </figure>
      ) : null}
      <SelectField
        label="Time zone"
        hint="Your working hours are written in this zone."
        value={values.timeZone}
        onChange={(e) => set('timeZone', e.target.value)}
        error={errors('timeZone')}
      >
        {(zones.includes(values.timeZone) ? zones : [values.timeZone, ...zones]).map((zone) => (
          <option key={zone} value={zone}>
            {zone}
          </option>
        ))}
      </SelectField>
      <CheckboxField
        label="Published"
        checked={values.published}
        onChange={(e) => set('published', e.target.checked)}
        error={errors('published')}
        hint="When published, clients can find you in search and book your active services. While unpublished, only you (and administrators) can see this profile."
      />
      <div className="actions">
        <Button type="submit" busy={save.isPending}>
          {creating ? 'Create profile' : 'Save profile'}
        </Button>
      </div>
    </form>
  );
}

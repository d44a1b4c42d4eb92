import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { api, data } from '../../api/client';
import { fieldErrors } from '../../api/problem';
import { useAuth, useViewer } from '../../auth/auth';
import { NotificationPreferences } from '../../components/NotificationPreferences';
import { Button, ConfirmDialog, ErrorMessage, Notice, PageTitle, SelectField, TextField } from '../../components/ui';
import { knownTimeZones } from '../../lib/format';

export function Account() {
  const { user, updateUser, logoutEverywhere } = useAuth();
  const viewer = useViewer();
  const [, navigate] = useLocation();
  const [name, setName] = useState(user?.name ?? '');
  const [timeZone, setTimeZone] = useState(user?.timeZone ?? viewer.timeZone);
  const [locale, setLocale] = useState(user?.locale ?? viewer.locale);
  const save = useMutation({
    mutationFn: async () => data(await api.PATCH('/api/v1/users/me', { body: { name, timeZone, locale } })),
    onSuccess: (saved) => {
      updateUser(saved);
      viewer.setTimeZone(saved.timeZone);
    },
  });
  const everywhere = useMutation({ mutationFn: logoutEverywhere, onSuccess: () => navigate('/login', { replace: true }) });
  if (user === null) return null;
  const fields = fieldErrors(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <>
      <PageTitle>Your account</PageTitle>
      <p className="muted">
        Signed in as {user.email} ({user.role}).
      </p>
      <form className="form" onSubmit={submit} noValidate>
        <h2>Profile</h2>
        <ErrorMessage error={save.error ?? undefined} />
        {save.isSuccess ? <Notice tone="success">Saved.</Notice> : null}
        <TextField label="Name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} error={fields.name} />
        <SelectField label="Time zone" hint="Emails and this site show times in it." value={timeZone} onChange={(e) => setTimeZone(e.target.value)} error={fields.timeZone}>
          {[timeZone, ...knownTimeZones().filter((zone) => zone !== timeZone)].map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </SelectField>
        <TextField label="Language and region" hint="A language tag such as en-GB or de-DE." value={locale} onChange={(e) => setLocale(e.target.value)} error={fields.locale} />
        <div className="actions">
          <Button type="submit" busy={save.isPending}>
            Save
          </Button>
        </div>
      </form>
      <NotificationPreferences />
      <h2>Sessions</h2>
      <p>Signs you out on every device and browser, this one included.</p>
      <ErrorMessage error={everywhere.error ?? undefined} />
      <ConfirmDialog
        trigger={<Button variant="secondary">Sign out everywhere</Button>}
        title="Sign out everywhere?"
        description="Every device signed in to this account will have to sign in again."
        confirmLabel="Sign out everywhere"
        onConfirm={() => everywhere.mutate()}
      />
    </>
  );
}

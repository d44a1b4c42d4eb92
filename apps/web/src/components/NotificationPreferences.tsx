import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, data } from '../api/client';
import { channelLabels, kindLabels, type Channel, type NotificationKind, type Preferences } from '../pages/notifications/notifications';
import { Button, ErrorMessage, Loading, Notice } from './ui';
import '../pages/notifications/notifications.css';

const channels: readonly Channel[] = ['email', 'in_app', 'off'];
type Choices = Partial<Record<NotificationKind, Channel>>;

/**
 * Per-kind delivery choices (email and in-app, in-app only, off) as a table: one row per kind, one
 * radio group per row (its radios share a name, so arrow keys move within the row). Only the rows
 * changed since loading are sent; the others keep their channel.
 */
export function NotificationPreferences() {
  const queryClient = useQueryClient();
  const headingId = useId();
  const prefs = useQuery({
    queryKey: ['notifications', 'preferences'],
    queryFn: async () => data(await api.GET('/api/v1/notifications/preferences')),
  });
  const [edits, setEdits] = useState<Choices>({});
  const [nothingToSave, setNothingToSave] = useState(false);
  const save = useMutation({
    mutationFn: async (changes: Choices) => data(await api.PUT('/api/v1/notifications/preferences', { body: { channels: changes } })),
    onSuccess: (saved) => {
      queryClient.setQueryData(['notifications', 'preferences'], saved);
      setEdits({});
    },
  });

  const loaded = prefs.data;
  const changes = loaded === undefined ? {} : changedOnly(edits, loaded);
  const dirty = Object.keys(changes).length > 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    // The button stays enabled (a disabled one would drop the keyboard focus after saving).
    setNothingToSave(!dirty);
    if (dirty) save.mutate(changes);
  }

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Notifications</h2>
      <p>How you hear of each kind of event. In-app notifications appear under Notifications at the top of the page.</p>
      {prefs.isPending ? <Loading label="Loading your notification settings…" /> : null}
      {prefs.isError ? (
        <ErrorMessage error={prefs.error}>
          {' '}
          <Button variant="link" onClick={() => void prefs.refetch()}>
            Try again
          </Button>
        </ErrorMessage>
      ) : null}
      {loaded === undefined ? null : (
        <form onSubmit={submit} noValidate>
          <div className="table-wrap">
            <table className="prefs">
              <caption className="visually-hidden">Notification channel for each kind</caption>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  {channels.map((channel) => (
                    <th scope="col" key={channel}>
                      {channelLabels[channel]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {kindsOf(loaded).map((kind) => {
                  const value = edits[kind] ?? loaded.channels[kind];
                  return (
                    <tr key={kind}>
                      <th scope="row">
                        {kindLabels[kind] ?? kind}
                        <span className="prefs-default">Default: {channelLabels[loaded.defaults[kind]].toLowerCase()}</span>
                      </th>
                      {channels.map((channel) => (
                        <td key={channel}>
                          <label>
                            <input
                              type="radio"
                              name={`channel-${kind}`}
                              value={channel}
                              checked={value === channel}
                              onChange={() => {
                                save.reset();
                                setNothingToSave(false);
                                setEdits((current) => ({ ...current, [kind]: channel }));
                              }}
                            />
                            <span className="visually-hidden">
                              {kindLabels[kind] ?? kind}: {channelLabels[channel]}
                            </span>
                          </label>
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <ErrorMessage error={save.error ?? undefined} />
          {save.isSuccess ? <Notice tone="success">Notification settings saved.</Notice> : null}
          {nothingToSave ? <Notice>No changes to save.</Notice> : null}
          <div className="actions">
            <Button type="submit" busy={save.isPending}>
              Save notification settings
            </Button>
            {dirty ? (
              <Button variant="secondary" onClick={() => setEdits({})}>
                Undo changes
              </Button>
            ) : null}
          </div>
        </form>
      )}
    </section>
  );
}

/** The kinds in the order people think of them; kinds this page does not know yet go last. */
function kindsOf(prefs: Preferences): NotificationKind[] {
  const known = Object.keys(kindLabels) as NotificationKind[];
  const present = Object.keys(prefs.channels) as NotificationKind[];
  return [...known.filter((kind) => present.includes(kind)), ...present.filter((kind) => !known.includes(kind))];
}

function changedOnly(edits: Choices, prefs: Preferences): Choices {
  const changes: Choices = {};
  for (const [kind, channel] of Object.entries(edits) as [NotificationKind, Channel][]) {
    if (prefs.channels[kind] !== channel) changes[kind] = channel;
  }
  return changes;
}

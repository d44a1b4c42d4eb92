import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useLocation, useSearchParams } from 'wouter';
import { api, data } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import { useViewer } from '../../auth/auth';
import { Button, ConfirmDialog, Empty, ErrorMessage, Loading, Notice } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { WithProfile } from './ProviderNav';
import type { CalendarConnection, Provider } from './types';

/*
 * Calendars: the provider's secret iCalendar (ICS) feed URL, and the Google Calendar connection.
 *
 * The server keeps only a hash of the feed URL, so it can show the URL only in the answer that
 * makes it; the page says so. What this browser remembers is only *that* it made one, and when.
 */

export function CalendarSettings() {
  return (
    <WithProfile title="Calendar feed and Google Calendar">
      {(provider) => (
        <>
          <FeedSection provider={provider} />
          <GoogleSection />
        </>
      )}
    </WithProfile>
  );
}

function Section({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="provider-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

const madeKey = (providerId: string) => `timeslot.feedMadeAt.${providerId}`;

function rememberMade(providerId: string, at: string | null): void {
  try {
    if (at === null) localStorage.removeItem(madeKey(providerId));
    else localStorage.setItem(madeKey(providerId), at);
  } catch {
    // Without storage the page only forgets that a URL was made here.
  }
}

function madeAt(providerId: string): string | null {
  try {
    return localStorage.getItem(madeKey(providerId));
  } catch {
    return null;
  }
}

type CopyState = 'idle' | 'copied' | 'selected';

function FeedSection({ provider }: { readonly provider: Provider }) {
  const viewer = useViewer();
  const [url, setUrl] = useState<string | null>(null);
  const [made, setMade] = useState(() => madeAt(provider.id));
  const [copy, setCopy] = useState<CopyState>('idle');
  const [revoked, setRevoked] = useState<'revoked' | 'none' | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();

  const rotate = useMutation({
    mutationFn: async () => data(await api.POST('/api/v1/providers/{id}/calendar-feed', { params: { path: { id: provider.id } } })),
    onSuccess: (result) => {
      const now = new Date().toISOString();
      setUrl(new URL(result.url, window.location.origin).href);
      setCopy('idle');
      setRevoked(null);
      rememberMade(provider.id, now);
      setMade(now);
      revoke.reset();
    },
  });
  const revoke = useMutation({
    mutationFn: async () => {
      const result = await api.DELETE('/api/v1/providers/{id}/calendar-feed', { params: { path: { id: provider.id } } });
      // Nothing to revoke is the outcome the person wanted: say so, not as an error.
      if (result.response.status === 404) return 'none' as const;
      data(result);
      return 'revoked' as const;
    },
    onSuccess: (outcome) => {
      setUrl(null);
      setRevoked(outcome);
      rememberMade(provider.id, null);
      setMade(null);
      rotate.reset();
    },
  });

  async function copyUrl() {
    if (url === null) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopy('copied');
    } catch {
      // No clipboard access (permissions, an insecure origin): select the text for the person to copy.
      input.current?.focus();
      input.current?.select();
      setCopy('selected');
    }
  }

  const rotateDialog = (label: string) => (
    <ConfirmDialog
      trigger={<Button variant={url === null ? 'primary' : 'secondary'}>{label}</Button>}
      title="Make a new feed URL?"
      description="The current URL stops working at once: calendars subscribed to it stop updating until you give them the new URL."
      confirmLabel="Make a new URL"
      onConfirm={() => rotate.mutate()}
    />
  );

  return (
    <Section title="Calendar feed (ICS)">
      <p>
        A private web address (URL) for your calendar app (Google Calendar, Apple Calendar, Outlook) to subscribe to. It lists your confirmed and completed
        bookings, from 90 days ago onwards, and calendar apps refresh it on their own every few hours.
      </p>
      <p>
        <strong>The URL is shown only once, right after it is made:</strong> Timeslot keeps only a fingerprint of it. Anyone with the URL can see your
        bookings, so keep it private. If it is lost or shared, make a new one: the old one then stops working.
      </p>
      <ErrorMessage error={rotate.error ?? revoke.error ?? undefined} />
      {revoked === 'revoked' ? <Notice tone="success">Feed URL revoked: calendars subscribed to it no longer get your bookings.</Notice> : null}
      {revoked === 'none' ? <Notice>There was no feed URL to revoke.</Notice> : null}

      {url === null ? (
        <>
          {made === null ? null : <Notice>You made a feed URL in this browser on {formatDateTime(made, viewer)}. It cannot be shown again.</Notice>}
          <div className="actions">
            {made === null ? (
              <Button busy={rotate.isPending} onClick={() => rotate.mutate()}>
                Create feed URL
              </Button>
            ) : (
              rotateDialog('Make a new feed URL')
            )}
            <RevokeDialog busy={revoke.isPending} onConfirm={() => revoke.mutate()} />
          </div>
          {made === null ? <p className="hint">If you made one before (on another device), creating a new one replaces it.</p> : null}
        </>
      ) : (
        <>
          <Notice tone="warning">Copy your feed URL now: this is the only time it is shown.</Notice>
          <div className="field provider-feed">
            <label htmlFor={inputId}>Your private feed URL</label>
            <div className="provider-copyrow">
              <input id={inputId} ref={input} readOnly value={url} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
              <Button onClick={() => void copyUrl()}>Copy</Button>
            </div>
          </div>
          {copy === 'copied' ? <Notice tone="success">Copied</Notice> : null}
          {copy === 'selected' ? <Notice>The browser did not allow copying. The URL is selected: press Ctrl+C (⌘C on a Mac) to copy it.</Notice> : null}
          <div className="actions">
            {rotateDialog('Rotate URL')}
            <RevokeDialog busy={revoke.isPending} onConfirm={() => revoke.mutate()} />
          </div>
        </>
      )}
      <details className="provider-howto">
        <summary>How to subscribe</summary>
        <ul>
          <li>Google Calendar (on a computer): Other calendars → + → From URL, then paste the URL.</li>
          <li>Apple Calendar: File → New Calendar Subscription, then paste the URL.</li>
          <li>Outlook: Add calendar → Subscribe from web, then paste the URL.</li>
        </ul>
      </details>
    </Section>
  );
}

function RevokeDialog({ busy, onConfirm }: { readonly busy: boolean; readonly onConfirm: () => void }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="secondary" busy={busy}>
          Revoke feed URL
        </Button>
      }
      title="Revoke the feed URL?"
      description="The URL stops working at once and calendars subscribed to it stop updating. You can make a new one later."
      confirmLabel="Revoke"
      onConfirm={onConfirm}
    />
  );
}

/**
 * What to say when connecting fails. A 5xx problem carries no detail (the server does not expose
 * them), so the one a person meets here, Google not set up on this server (501), is said in words;
 * Google's own refusal (502 GOOGLE_REFUSED) has a sentence meant to be shown.
 */
function googleError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'GOOGLE_NOT_CONFIGURED') {
    return 'Google Calendar cannot be connected on this server: its administrator has not set up a Google client (GOOGLE_NOT_CONFIGURED).';
  }
  if (error instanceof ApiError && error.code === 'GOOGLE_REFUSED' && error.problem?.detail !== undefined) return error.problem.detail;
  return describeError(error);
}

const connectionsKey = ['calendar', 'connections'] as const;
/** Callback states already sent: each works once, and an effect may run twice. */
const handledStates = new Set<string>();

function GoogleSection() {
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [, navigate] = useLocation();
  const connections = useQuery({
    queryKey: connectionsKey,
    queryFn: async () => data(await api.GET('/api/v1/calendar/connections')).items,
  });
  const connect = useMutation({
    mutationFn: async () => data(await api.GET('/api/v1/calendar/google/connect')),
    onSuccess: (result) => window.location.assign(result.authorizationUrl),
  });
  const disconnect = useMutation({
    mutationFn: async () => {
      const result = await api.DELETE('/api/v1/calendar/connections/{provider}', { params: { path: { provider: 'google' } } });
      if (result.response.status !== 404) data(result);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: connectionsKey }),
  });
  // When the server's GOOGLE_REDIRECT_URL points at this page, Google comes back here with a state.
  const complete = useMutation({
    mutationFn: async (query: { state: string; code?: string; error?: string }) => data(await api.GET('/api/v1/calendar/google/callback', { params: { query } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: connectionsKey }),
  });
  const state = params.get('state');
  const { mutate: completeConnection } = complete;
  useEffect(() => {
    if (state === null || handledStates.has(state)) return;
    handledStates.add(state);
    const code = params.get('code');
    const error = params.get('error');
    completeConnection({ state, ...(code === null ? {} : { code }), ...(error === null ? {} : { error }) });
    navigate('/provider/calendar', { replace: true });
  }, [state, params, navigate, completeConnection]);

  const google = connections.data?.find((item) => item.provider === 'google');
  const actionError = connect.error ?? disconnect.error ?? complete.error;

  return (
    <Section title="Google Calendar">
      <p>Connect your Google Calendar so the times you are busy there are kept out of your slots.</p>
      {actionError === null ? null : <ErrorMessage>{googleError(actionError)}</ErrorMessage>}
      {complete.isSuccess ? <Notice tone="success">Google Calendar connected.</Notice> : null}
      {disconnect.isSuccess ? <Notice tone="success">Google Calendar disconnected.</Notice> : null}
      {connections.isPending ? <Loading /> : null}
      {connections.isError ? <ErrorMessage error={connections.error} /> : null}
      {connections.isSuccess ? (
        google === undefined ? (
          <>
            <Empty>Not connected.</Empty>
            <div className="actions">
              <Button busy={connect.isPending || connect.isSuccess} onClick={() => connect.mutate()}>
                Connect Google Calendar
              </Button>
            </div>
          </>
        ) : (
          <GoogleConnection connection={google} connecting={connect.isPending} onConnect={() => connect.mutate()} onDisconnect={() => disconnect.mutate()} disconnecting={disconnect.isPending} />
        )
      ) : null}
    </Section>
  );
}

function GoogleConnection({
  connection,
  connecting,
  disconnecting,
  onConnect,
  onDisconnect,
}: {
  readonly connection: CalendarConnection;
  readonly connecting: boolean;
  readonly disconnecting: boolean;
  readonly onConnect: () => void;
  readonly onDisconnect: () => void;
}) {
  const viewer = useViewer();
  return (
    <>
      <dl className="provider-facts">
        <dt>Status</dt>
        <dd>{connection.status === 'active' ? 'Connected' : 'Needs reconnecting'}</dd>
        <dt>Account</dt>
        <dd>{connection.account ?? 'Google account'}</dd>
        <dt>Calendar</dt>
        <dd>{connection.calendarId}</dd>
        <dt>Connected</dt>
        <dd>{formatDateTime(connection.connectedAt, viewer)}</dd>
        <dt>Busy times read</dt>
        <dd>{connection.busyTimes.syncedAt === null ? 'Not yet' : formatDateTime(connection.busyTimes.syncedAt, viewer)}</dd>
      </dl>
      {connection.status === 'reconnect_needed' ? <Notice tone="warning">Google no longer accepts Timeslot’s access to this calendar. Connect it again.</Notice> : null}
      {connection.status === 'active' && connection.busyTimes.stale ? (
        <Notice tone="warning">Your busy times could not be read lately: slots use the last ones known.</Notice>
      ) : null}
      <div className="actions">
        {connection.status === 'reconnect_needed' ? (
          <Button busy={connecting} onClick={onConnect}>
            Connect again
          </Button>
        ) : null}
        <ConfirmDialog
          trigger={
            <Button variant="secondary" busy={disconnecting}>
              Disconnect Google Calendar
            </Button>
          }
          title="Disconnect Google Calendar?"
          description="Timeslot forgets its access and your busy times; your slots no longer skip the times you are busy in Google Calendar."
          confirmLabel="Disconnect"
          onConfirm={onDisconnect}
        />
      </div>
    </>
  );
}

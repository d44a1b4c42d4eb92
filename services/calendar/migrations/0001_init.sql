-- Calendar: meeting links of bookings, Google Calendar connections and the busy times they report.
-- Runs with search_path = calendar, public. No foreign keys to other services' tables: booking and
-- user ids are references by value (scheduling owns bookings, identity owns users).

-- One row per booking that has (or is owed) a meeting.
--   unattached: made in the booking request; the booking's confirmation has not been seen yet
--   pending:    the booking is confirmed but its link could not be made yet (retried)
--   ready:      the booking is confirmed and has its link
--   cancelled:  the booking was cancelled; its calendar event was removed
--   dropped:    made for a booking that was never committed (lost its slot, or never confirmed)
create table meetings (
  booking_id uuid primary key,
  provider_user_id uuid not null,
  client_id uuid not null,
  state text not null check (state in ('unattached', 'pending', 'ready', 'cancelled', 'dropped')),
  kind text check (kind in ('builtin', 'google')),
  url text,
  -- Google: the event's id is derived from the booking id and this generation, so creating it
  -- twice (a retry after a timeout) finds the first; a meeting dropped and made again gets a new one.
  generation int not null default 0,
  google_event_id text,
  service_name text not null,
  provider_name text not null,
  time_zone text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  -- When the booking event that set starts_at/ends_at happened: an older one arriving late never
  -- moves the meeting back.
  times_as_of timestamptz not null,
  attempts int not null default 0,
  next_attempt_at timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (state <> 'ready' or url is not null)
);
create index meetings_pending on meetings (next_attempt_at) where state = 'pending';
create index meetings_unattached on meetings (created_at) where state = 'unattached';

-- A provider's Google account. Tokens are AES-256-GCM ciphertexts (see token-cipher.ts), never clear.
create table google_connections (
  user_id uuid primary key,
  account_email text,
  calendar_id text not null default 'primary',
  refresh_token text not null,
  access_token text,
  access_token_expires_at timestamptz,
  scopes text not null,
  -- Google refused the refresh token (revoked by the user): reconnect needed.
  broken_at timestamptz,
  -- Busy-time sync: last success, last failure (null once a sync succeeds again), when the next is due.
  synced_at timestamptz,
  sync_failed_at timestamptz,
  sync_error text,
  next_sync_at timestamptz not null default now(),
  busy_digest text,
  busy_until timestamptz,
  connected_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index google_connections_due on google_connections (next_sync_at) where broken_at is null;

-- The last known busy periods of each connected calendar.
create table busy_periods (
  user_id uuid not null references google_connections (user_id) on delete cascade,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  check (ends_at > starts_at)
);
create index busy_periods_user on busy_periods (user_id, starts_at);

-- OAuth authorization requests in flight: single use, bound to the user who started them, 10 minutes.
-- Only the state's hash is kept; the PKCE verifier is encrypted like the tokens.
create table oauth_states (
  state_hash text primary key,
  user_id uuid not null,
  code_verifier text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index oauth_states_expiry on oauth_states (expires_at);

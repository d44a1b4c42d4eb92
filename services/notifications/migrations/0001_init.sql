-- The notifications service's own tables. It never reads another service's schema: what it knows
-- of users and bookings it learnt from their events (user.*, booking.*), kept here as projections.

-- Who can be told, from user.registered / user.updated / user.disabled / user.enabled.
create table recipients (
  user_id uuid primary key,
  email text not null,
  name text not null,
  role text not null,
  time_zone text not null,
  locale text not null,
  disabled boolean not null default false,
  updated_at timestamptz not null default now()
);

-- Each booking as its latest event described it. Reminders are checked against this at send time,
-- so a cancelled or moved booking never gets a stale reminder. `last_event_at` keeps an older event
-- that arrives late from overwriting a newer state.
create table bookings (
  id uuid primary key,
  client_id uuid not null,
  provider_user_id uuid,
  status text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  snapshot jsonb not null,
  last_event_at timestamptz not null
);

-- The in-app inbox: one entry per recipient per event, rendered in the recipient's language and
-- zone when it was stored. (event_id, user_id) makes a redelivered event harmless.
create table notifications (
  id uuid primary key,
  user_id uuid not null,
  kind text not null,
  title text not null,
  body text not null,
  data jsonb not null default '{}',
  event_id uuid not null,
  created_at timestamptz not null default now(),
  read_at timestamptz null,
  unique (event_id, user_id)
);
create index notifications_user_idx on notifications (user_id, created_at desc, id desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;

-- Per user and kind: 'email' (email and in-app), 'in_app' (in-app only) or 'off'. No row: the
-- kind's default.
create table preferences (
  user_id uuid not null,
  kind text not null,
  channel text not null check (channel in ('email', 'in_app', 'off')),
  updated_at timestamptz not null default now(),
  primary key (user_id, kind)
);

-- Every email, written in the same transaction as the event that asked for it, before any job
-- exists: the row, not the queue, is the source of truth, so a job lost with Redis is enqueued
-- again from here. `id` is also the job id (derived from event id and recipient, or from booking,
-- offset and start for reminders), so a redelivered event never sends a second email.
create table emails (
  id text primary key,
  user_id uuid not null,
  kind text not null,
  booking_id uuid null,
  -- When its event happened: the emails of one booking go out in this order.
  occurred_at timestamptz not null,
  -- Not before this instant (reminders).
  send_after timestamptz not null default now(),
  data jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'skipped')),
  attempts int not null default 0,
  message_id text null,
  last_error text null,
  created_at timestamptz not null default now(),
  sent_at timestamptz null
);
create index emails_pending_idx on emails (send_after) where status = 'pending';
create index emails_booking_idx on emails (booking_id, occurred_at) where booking_id is not null;

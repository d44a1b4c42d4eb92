-- Scheduling: providers, their services (event types), availability, bookings, waitlist, ICS feeds.
-- Runs with search_path = scheduling, public. Instants are timestamptz (UTC); availability rules are
-- wall-clock times in the provider's IANA zone.

create extension if not exists btree_gist with schema public;

create table providers (
  id uuid primary key,
  -- identity's user id; no foreign key across services (identity owns users).
  user_id uuid not null unique,
  display_name text not null check (length(display_name) between 1 and 100),
  title text not null default '',
  specialty text,
  bio text not null default '',
  time_zone text not null,
  photo_url text,
  published boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index providers_published_name on providers (display_name, id) where published;
create index providers_specialty on providers (lower(specialty)) where published;

create table services (
  id uuid primary key,
  provider_id uuid not null references providers (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  description text not null default '',
  duration_minutes int not null check (duration_minutes between 5 and 1440),
  slot_interval_minutes int not null check (slot_interval_minutes between 5 and 1440),
  buffer_before_minutes int not null default 0 check (buffer_before_minutes between 0 and 1440),
  buffer_after_minutes int not null default 0 check (buffer_after_minutes between 0 and 1440),
  min_notice_minutes int not null default 0 check (min_notice_minutes >= 0),
  booking_window_days int not null default 60 check (booking_window_days between 1 and 730),
  -- 1 = one-to-one; more = seats in one session (a group class, a cohort).
  capacity int not null default 1 check (capacity between 1 and 1000),
  -- Minor units (cents); 0 = free.
  price_amount bigint not null default 0 check (price_amount >= 0),
  currency char(3) not null default 'USD',
  location_kind text not null check (location_kind in ('video', 'in_person', 'phone')),
  location_address text,
  cancellation_window_minutes int not null default 0 check (cancellation_window_minutes >= 0),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (location_kind <> 'in_person' or location_address is not null)
);
create index services_provider on services (provider_id);

-- Weekly rules: several intervals a day, ISO weekday (1 = Monday … 7 = Sunday).
create table availability_rules (
  provider_id uuid not null references providers (id) on delete cascade,
  weekday smallint not null check (weekday between 1 and 7),
  start_time time not null,
  end_time time not null,
  check (start_time < end_time),
  primary key (provider_id, weekday, start_time)
);

-- Date overrides replace that date's weekly rules: one row with null times = closed all day;
-- rows with times = those hours instead.
create table availability_overrides (
  provider_id uuid not null references providers (id) on delete cascade,
  date date not null,
  start_time time,
  end_time time,
  check ((start_time is null) = (end_time is null)),
  check (start_time is null or start_time < end_time)
);
create unique index availability_overrides_key on availability_overrides (provider_id, date, coalesce(start_time, '00:00'));

create table blocked_periods (
  id uuid primary key,
  provider_id uuid not null references providers (id) on delete cascade,
  period tstzrange not null check (not isempty(period)),
  reason text not null default ''
);
create index blocked_periods_provider on blocked_periods using gist (provider_id, period);

create table bookings (
  id uuid primary key,
  provider_id uuid not null references providers (id),
  service_id uuid not null references services (id),
  client_id uuid not null,
  status text not null check (status in ('pending_payment', 'confirmed', 'expired', 'cancelled', 'completed', 'no_show')),
  starts_at timestamptz not null,
  ends_at timestamptz not null check (ends_at > starts_at),
  -- The provider's occupied time: [starts_at - buffer_before, ends_at + buffer_after).
  occupied tstzrange not null,
  -- One-to-one: the booking's own id. Seated: service id and start, shared by every seat of the
  -- session, so seats of one session may overlap each other and nothing else.
  session_key text not null,
  capacity int not null check (capacity >= 1),
  seat int not null check (seat between 1 and capacity),
  notes text,
  hold_expires_at timestamptz,
  cancel_reason text,
  cancelled_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- No double booking, enforced by PostgreSQL: two live bookings of one provider whose occupied
  -- ranges (buffers included) overlap must belong to the same seated session.
  constraint bookings_no_overlap exclude using gist (provider_id with =, occupied with &&, session_key with <>)
    where (status in ('pending_payment', 'confirmed')),
  check ((status = 'pending_payment') = (hold_expires_at is not null))
);
-- No seat sold twice; with seat between 1 and capacity, no more than capacity live seats.
create unique index bookings_live_seat on bookings (session_key, seat) where status in ('pending_payment', 'confirmed');
create index bookings_client on bookings (client_id, starts_at, id);
create index bookings_provider on bookings (provider_id, starts_at, id);
create index bookings_hold_expiry on bookings (hold_expires_at) where status = 'pending_payment';

-- Idempotency-Key: the same key and body replays the first response; kept 24 hours.
create table idempotency_keys (
  client_id uuid not null,
  key text not null,
  request_hash text not null,
  status_code int not null,
  response jsonb not null,
  created_at timestamptz not null default now(),
  primary key (client_id, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);

-- Waitlist, served strictly in arrival order (position is assigned by the database).
create table waitlist_entries (
  id uuid primary key,
  position bigint generated always as identity,
  client_id uuid not null,
  provider_id uuid not null references providers (id) on delete cascade,
  service_id uuid not null references services (id) on delete cascade,
  -- A slot (starts_at) or a whole day in the provider's zone (date).
  starts_at timestamptz,
  date date,
  status text not null check (status in ('waiting', 'offered', 'booked', 'cancelled')),
  offered_booking_id uuid references bookings (id),
  offer_expires_at timestamptz,
  created_at timestamptz not null default now(),
  check ((starts_at is null) <> (date is null))
);
create index waitlist_service_order on waitlist_entries (service_id, position) where status in ('waiting', 'offered');
create index waitlist_client on waitlist_entries (client_id, created_at);

-- Secret, revocable iCalendar feed per provider (only the token's hash is stored).
create table ics_feeds (
  provider_id uuid primary key references providers (id) on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null default now()
);

-- Payments: orders of paid bookings, their transitions, refunds, and the gateway events received.
-- Runs with search_path = payments, public. No foreign keys to other services' tables: booking and
-- user ids are references by value (scheduling owns bookings, identity owns users). Amounts are
-- integers in minor units (cents), never floats. "gateway" is the payment provider (simulator,
-- Stripe, Razorpay), so as not to be confused with the booking's provider (the person paid).

-- One order per booking.
create table orders (
  id uuid primary key,
  booking_id uuid not null unique,
  client_id uuid not null,
  provider_id uuid not null,
  -- Null only for an order first learnt of by an event written before events named it.
  provider_user_id uuid,
  service_id uuid not null,
  description text not null,
  amount bigint not null check (amount > 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  status text not null check (status in ('created', 'authorized', 'captured', 'refunded', 'partially_refunded', 'failed', 'cancelled')),
  -- Refunds the gateway accepted; pending ones are in refunds.
  refunded_amount bigint not null default 0 check (refunded_amount >= 0 and refunded_amount <= amount),
  gateway text not null check (gateway in ('simulator', 'stripe', 'razorpay')),
  -- The gateway's order (Razorpay order, Stripe payment intent, simulator order); null until made.
  gateway_order_id text,
  -- The payment that captured the money.
  gateway_payment_id text,
  checkout_url text,
  client_secret text,
  -- The booking as payments last heard of it (from scheduling's events).
  booking_status text not null default 'pending_payment'
    check (booking_status in ('pending_payment', 'confirmed', 'expired', 'cancelled', 'completed', 'no_show')),
  starts_at timestamptz not null,
  hold_expires_at timestamptz,
  cancellation_window_minutes int not null default 0,
  -- Making the gateway's order: attempts, the last failure, and when the sweep may try again.
  attempts int not null default 0,
  last_error text,
  next_attempt_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index orders_gateway_order on orders (gateway, gateway_order_id) where gateway_order_id is not null;
create index orders_client on orders (client_id, created_at desc, id desc);
create index orders_provider_user on orders (provider_user_id, created_at desc, id desc);
create index orders_listed on orders (created_at desc, id desc);
create index orders_unplaced on orders (next_attempt_at) where gateway_order_id is null and status = 'created';

-- Every change of an order's status, with the gateway's reference for it.
create table transitions (
  id bigint generated always as identity primary key,
  order_id uuid not null references orders (id),
  from_status text,
  to_status text not null,
  gateway_ref text,
  amount bigint,
  reason text not null,
  at timestamptz not null default now()
);
create index transitions_order on transitions (order_id, id);

-- Money sent back. Made pending in the transaction that decides it, sent to the gateway after
-- commit with an idempotency key derived from its id (retried by the sweep until it succeeds).
create table refunds (
  id uuid primary key,
  order_id uuid not null references orders (id),
  gateway_payment_id text not null,
  amount bigint not null check (amount > 0),
  currency text not null,
  reason text not null check (reason in ('cancellation', 'late_payment', 'manual')),
  status text not null check (status in ('pending', 'succeeded', 'failed')),
  gateway_refund_id text,
  requested_by uuid,
  idempotency_key text,
  request_hash text,
  attempts int not null default 0,
  last_error text,
  next_attempt_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index refunds_idempotency on refunds (order_id, requested_by, idempotency_key) where idempotency_key is not null;
create index refunds_order on refunds (order_id, created_at);
create index refunds_pending on refunds (next_attempt_at) where status = 'pending';

-- Verified gateway events (webhooks and checkout callbacks), stored before they are acted on: the
-- gateway gets its answer at once, and the same event id is applied once however often it comes.
create table gateway_events (
  id uuid primary key,
  gateway text not null,
  event_id text not null,
  order_id uuid not null references orders (id),
  kind text not null check (kind in ('authorized', 'captured', 'failed')),
  gateway_payment_id text,
  amount bigint,
  currency text,
  source text not null check (source in ('webhook', 'callback')),
  detail text,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  outcome text,
  unique (gateway, event_id)
);
create index gateway_events_unprocessed on gateway_events (received_at) where processed_at is null;

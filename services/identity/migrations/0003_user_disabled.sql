-- Account disabling: an administrator's decision, kept here (the source of truth). Login and
-- refresh consult it; the account-status entries in the shared cache (docs/architecture.md) are
-- re-seeded from it, through these partial indexes, for accounts disabled or re-enabled within one
-- access-token lifetime.
alter table users add column disabled_at timestamptz;
alter table users add column disabled_reason text check (length(disabled_reason) <= 500);
alter table users add column enabled_at timestamptz;
create index users_disabled_at_idx on users (disabled_at) where disabled_at is not null;
create index users_enabled_at_idx on users (enabled_at) where enabled_at is not null;

-- Account disabling: an administrator's decision, kept here (the source of truth). Login and
-- refresh consult it; the account-status entries in the shared cache (docs/architecture.md) are
-- re-seeded from it, through these partial indexes, for accounts whose tokens from before a
-- disabling could still be unexpired. tokens_valid_after is set when an account is re-enabled, to
-- the instant it had been disabled: access tokens issued until then stay refused.
alter table users add column disabled_at timestamptz;
alter table users add column disabled_reason text check (length(disabled_reason) <= 500);
alter table users add column tokens_valid_after timestamptz;
create index users_disabled_at_idx on users (disabled_at) where disabled_at is not null;
create index users_tokens_valid_after_idx on users (tokens_valid_after) where tokens_valid_after is not null;

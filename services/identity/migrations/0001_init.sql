-- Users: the email is kept as the user typed it (trimmed); uniqueness ignores case.
create table users (
  id uuid primary key,
  email text not null check (length(email) between 3 and 254),
  name text not null check (length(name) between 1 and 100),
  role text not null check (role in ('client', 'provider', 'admin')),
  password_hash text not null,
  time_zone text not null default 'UTC',
  locale text not null default 'en',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create unique index users_email_lower_key on users (lower(email));

-- Refresh tokens: only a SHA-256 hash of each token is stored. Every rotation adds a row to the
-- token's family; a used or revoked row is kept so that replaying it can be detected.
create table refresh_tokens (
  id uuid primary key,
  token_hash text not null,
  user_id uuid not null references users (id) on delete cascade,
  family_id uuid not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz
);

create unique index refresh_tokens_token_hash_key on refresh_tokens (token_hash);
create index refresh_tokens_family_id_idx on refresh_tokens (family_id);
create index refresh_tokens_user_id_idx on refresh_tokens (user_id);

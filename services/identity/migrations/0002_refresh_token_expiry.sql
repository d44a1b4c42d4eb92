-- The hourly prune (refresh-token.repository.ts, deleteExpired) finds long-expired tokens by
-- expiry; without an index each batch would scan the table.
create index refresh_tokens_expires_at_idx on refresh_tokens (expires_at);

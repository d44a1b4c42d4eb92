-- The administrators' user list (GET /api/v1/users) pages newest first on (created_at, id); this
-- index serves that keyset scanned backwards, so a page costs the same however deep it lies.
create index users_created_at_id_idx on users (created_at, id);

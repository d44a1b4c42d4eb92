-- A worker's lease on an email while it sends it. Two jobs for one row (a sweep re-enqueued it
-- while its job waited; BullMQ handed a stalled job to a second worker) must not both send: the
-- first to claim the row sends, the other sees the lease and comes back when it ends. A worker
-- killed mid-send leaves a lease that simply runs out.
alter table emails add column claimed_until timestamptz null;

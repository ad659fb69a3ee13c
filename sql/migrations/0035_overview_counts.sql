-- 0035_overview_counts: the overview's counts of vendors, certifications,
-- engagements, assessments and negotiation rule results, kept by the
-- writes, so that a tenant's overview sums a few thousand rows instead of
-- counting its records (at 10,000 vendors, counting them was most of the
-- 60 ms the overview took: bench/README.md).
--
-- Each row is a number of records with one fact (kind and figure) on one
-- day: the day the fact is about (a monitoring due date, an expiry, the
-- day an engagement ends, the day a rule result was evaluated), or
-- 'infinity' when it has none. The overview adds up the rows of a kind,
-- and those whose day falls in the range a figure asks about (expired:
-- before today), so figures that move with the date stay exact without
-- being rewritten at midnight.
--
-- A write adds rows (settled = false) that say by how much it changed
-- each count, in its own transaction, so a reader sees counts that agree
-- with the records in its snapshot and writers never wait on one another
-- for a shared row. The scheduler folds those rows into one settled row
-- per (kind, figure, day). The functions and triggers are in
-- sql/functions/94_overview_counts.sql.
--
-- No foreign key to tenants: the rows written while a tenant's records
-- are deleted would have to outlive it until the end of the statement.
create table overview_counts (
    tenant_id uuid not null,
    kind      text not null,
    figure    text not null,
    day       date not null default 'infinity',
    n         bigint not null,
    settled   boolean not null default false
);
create index overview_counts_read on overview_counts (tenant_id, kind) include (figure, day, n);
create unique index overview_counts_settled on overview_counts (tenant_id, kind, figure, day) where settled;
create index overview_counts_unsettled on overview_counts (tenant_id) where not settled;

-- The tenants whose counts are complete. A tenant is listed when it is
-- created (it has nothing to count yet) or once the scheduler has counted
-- its records; until then the overview counts the records themselves.
-- Tenants that existed before this migration are counted by the scheduler.
create table overview_counts_ready (
    tenant_id  uuid primary key references tenants (id),
    counted_at timestamptz not null default now()
);

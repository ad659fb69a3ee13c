-- 0027_overview: the overview's daily figures (GET /v1/overview/trend).
--
-- One row per tenant per Tokyo day, written by the scheduler's
-- 'overview_snapshot' run (overview_snapshot_step() in
-- sql/functions/95_overview.sql): the primary key makes a second write of
-- the same day a no-op, so two replicas racing on the day keep one row.
-- A day without a row is a gap in the series, never a zero. Rows older
-- than three years are pruned by the same run.
create table overview_days (
    tenant_id  uuid not null references tenants (id),
    day        date not null,
    figures    jsonb not null check (jsonb_typeof(figures) = 'object'),
    created_at timestamptz not null default now(),
    primary key (tenant_id, day)
);

alter table scheduler_runs drop constraint scheduler_runs_job_check;
alter table scheduler_runs add constraint scheduler_runs_job_check
    check (job in ('vendor_rederive', 'negotiation_risks', 'overview_snapshot'));

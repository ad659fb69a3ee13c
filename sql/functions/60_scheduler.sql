-- 60_scheduler.sql: the daily re-derivation of what depends on the date.
--
-- The one live copy of these functions and triggers: `itaku migrate`
-- re-applies this file, after the numbered migrations, whenever its
-- checksum changes. Change them here, never in a migration.

-- Changes made by a job, not a request, are audited here, in the job's
-- transaction: the vendors it re-derives and those the chain triggers
-- re-derive in turn. The job names itself in the transaction-local
-- setting itaku.actor; requests never set it and audit their own changes.
-- A version that moved is a derived value that changed (vendors_derive).
create or replace function vendors_audit_job() returns trigger
language plpgsql as $$
begin
    insert into audit_events (tenant_id, actor, action, resource_type, resource_id, before, after)
    values (new.tenant_id, current_setting('itaku.actor'), 'vendor.rederived', 'vendor', new.id::text,
            vendor_json(old)::jsonb, vendor_json(new)::jsonb);
    return null;
end
$$;

-- One step of the day's run: re-derives what is stale among the next
-- p_limit candidates (in key order, after the run's position). more:
-- another step has work; rederived: vendors this step re-derived itself
-- (cascades through chains come on top). A run already finished, or held
-- by another replica's step right now, is left alone (more = false).
create or replace function vendors_rederive_step(p_limit integer, out more boolean, out rederived integer)
language plpgsql as $$
declare
    today date := tokyo_today();
    d0 date;
    run scheduler_runs;
    v record;
    n integer := 0;
    last_tenant uuid;
    last_id uuid;
begin
    more := false;
    rederived := 0;
    insert into scheduler_runs (job, day) values ('vendor_rederive', today) on conflict do nothing;
    select * into run from scheduler_runs
     where job = 'vendor_rederive' and day = today for update skip locked;
    if not found or run.finished_at is not null then
        return;
    end if;
    select coalesce(max(day), '-infinity') into d0 from scheduler_runs
     where job = 'vendor_rederive' and day < today and finished_at is not null;
    perform set_config('itaku.actor', 'scheduler', true);
    for v in
        select b.tenant_id, b.id,
               (r.tier, r.reasons) is distinct from (b.risk_computed_tier, b.risk_reasons) as stale
          from (select x.tenant_id, x.id, x.corporate_number, x.risk_computed_tier, x.risk_reasons,
                       x.last_monitoring_verdict
                  from vendors x
                  join (select distinct c.tenant_id, c.vendor_id
                          from (select e.tenant_id, e.vendor_id from engagements e
                                 where e.ends_on >= d0 and e.ends_on < today
                                union all
                                select c.tenant_id, c.vendor_id from certifications c
                                 where c.expires_on >= d0 and c.expires_on < today) c) k
                    on k.tenant_id = x.tenant_id and k.vendor_id = x.id
                 where run.after_tenant is null
                    or (x.tenant_id, x.id) > (run.after_tenant, run.after_id)
                 order by x.tenant_id, x.id
                 limit p_limit) b
         cross join lateral vendor_risk(b.tenant_id, b.id, b.corporate_number, b.last_monitoring_verdict) r
         order by b.tenant_id, b.id
    loop
        n := n + 1;
        last_tenant := v.tenant_id;
        last_id := v.id;
        if v.stale then
            update vendors set tenant_id = tenant_id where tenant_id = v.tenant_id and id = v.id;
            rederived := rederived + 1;
        end if;
    end loop;
    more := n = p_limit;
    update scheduler_runs s
       set after_tenant = coalesce(last_tenant, s.after_tenant), after_id = coalesce(last_id, s.after_id),
           checked = s.checked + n, changed = s.changed + rederived,
           finished_at = case when more then null else now() end
     where s.job = 'vendor_rederive' and s.day = today;
end
$$;

create or replace trigger vendors_audit_job after update on vendors
    for each row
    when (old.version <> new.version and coalesce(current_setting('itaku.actor', true), '') <> '')
    execute function vendors_audit_job();

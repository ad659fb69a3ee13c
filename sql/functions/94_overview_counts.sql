-- 94_overview_counts.sql: the overview's counts kept by the writes
-- (migration 0035 says why and what a row means).
--
-- What each record contributes is written once, in its kind's facts
-- function below: the triggers count with it, a recount of a tenant counts
-- with it, and an overview within a scope (department, tag, category,
-- tier), which the kept counts cannot answer, counts its records with it
-- too (overview_facts_of()). tests/http/test_overview.c checks the figures
-- of both against their lists, and tests/http/test_overview_counts.c the
-- kept counts against a recount after writes of every shape.
--
-- A fact's day is 'infinity' when it has none: "not ended" is then
-- day >= today for every engagement alike.

-- ---- what one record counts for ----------------------------------------------

-- A vendor: every vendor (total), its tier, its last verdict, an override
-- in force, and the day its monitoring falls due.
create or replace function overview_vendor_facts(p_tier text, p_verdict text, p_override text, p_due date)
returns table (kind text, figure text, day date)
language sql immutable parallel safe as $$
    select 'vendors', f.figure, f.day
      from (values ('total', 'infinity'::date),
                   ('tier:' || p_tier, 'infinity'),
                   ('verdict:' || p_verdict, 'infinity'),
                   (case when p_override is not null then 'overridden' end, 'infinity'),
                   (case when p_due is not null then 'monitoring_due' end, p_due)) f(figure, day)
     where f.figure is not null
$$;

-- A certification: the day it expires, and whether its scope was never
-- verified.
create or replace function overview_certification_facts(p_expires date, p_verified boolean)
returns table (kind text, figure text, day date)
language sql immutable parallel safe as $$
    select 'certifications', f.figure, f.day
      from (values (case when p_expires is not null then 'expires' end, p_expires),
                   (case when not p_verified then 'unverified' end, 'infinity'::date)) f(figure, day)
     where f.figure is not null
$$;

-- An engagement, on the day it ends: personal data, data held outside
-- Japan, a required measure's clause missing. And whether it is answered
-- as within a 取適法 type: one that keeps rule 7's results (kind 'kept').
create or replace function overview_engagement_facts(p_personal boolean, p_locations text[],
                                                     p_clauses_missing boolean, p_ends date, p_torihiki text)
returns table (kind text, figure text, day date)
language sql immutable parallel safe as $$
    select f.kind, f.figure, f.day
      from (values ('engagements', case when p_personal then 'personal' end, coalesce(p_ends, 'infinity'::date)),
                   ('engagements', case when not (p_locations <@ '{JP}'::text[]) then 'foreign_locations' end,
                    coalesce(p_ends, 'infinity')),
                   ('engagements', case when p_clauses_missing then 'clauses_missing' end, coalesce(p_ends, 'infinity')),
                   ('kept', case when p_torihiki <> 'not_applicable' then 'torihiki' end, 'infinity')) f(kind, figure, day)
     where f.figure is not null
$$;

-- An assessment: its status, and the day it falls due while it waits on
-- the vendor (sent, in progress, returned).
create or replace function overview_assessment_facts(p_status text, p_due date)
returns table (kind text, figure text, day date)
language sql immutable parallel safe as $$
    select 'assessments', f.figure, f.day
      from (values ('status:' || p_status, 'infinity'::date),
                   (case when p_status in ('sent', 'in_progress', 'returned') and p_due is not null
                         then 'open_due' end, p_due)) f(figure, day)
     where f.figure is not null
$$;

-- An engagement's kept rule-7 results (91_rule_results.sql): that it keeps
-- them; covered by 取適法 with a payment term over 60 days, on the day it
-- ends; and each result by its rule. Rule 7 does not move with the date:
-- no day.
create or replace function overview_engagement_rule_facts(p_coverage text, p_days integer, p_ends date,
                                                          p_keys text[])
returns table (kind text, figure text, day date)
language sql immutable parallel safe as $$
    select 'kept', 'engagement_rows', 'infinity'::date
    union all
    select 'pay', 'over_60', coalesce(p_ends, 'infinity'::date)
     where p_coverage = 'covered' and p_days > 59
    union all
    select 'rules', split_part(k.key, ':', 1), 'infinity'::date from unnest(p_keys) k(key)
$$;

-- A request's kept rule results, on the day they were evaluated (a
-- reader takes only today's): that it keeps them, and each by its rule.
create or replace function overview_request_rule_facts(p_held_on date, p_keys text[])
returns table (kind text, figure text, day date)
language sql immutable parallel safe as $$
    select 'kept', 'request_rows', p_held_on
    union all
    select 'rules', split_part(k.key, ':', 1), p_held_on from unnest(p_keys) k(key)
$$;

-- A security request: open or not; and that it is one, for the rule
-- results (kind 'kept': when as many requests keep today's results as
-- there are requests, and as many engagements keep theirs as are within
-- 取適法, nothing needs evaluating).
create or replace function overview_request_facts(p_status text)
returns table (kind text, figure text, day date)
language sql immutable parallel safe as $$
    select 'kept', 'requests', 'infinity'::date
    union all
    select 'requests', 'open', 'infinity'::date where p_status = 'open'
$$;

-- Every fact of a tenant's records within a list scope (all null: the
-- whole tenant), as the triggers below count them. (The scope is the set
-- of vendors_in_scope(), built once and only when a scope is given,
-- rather than vendor_in_scope() per record.)
create or replace function overview_facts_of(p_tenant uuid, p_department text, p_tag text, p_category text,
                                             p_tiers text[])
returns table (kind text, figure text, day date)
language sql stable as $$
    with sv as (select * from vendors_in_scope(p_tenant, p_department, p_tag, p_category, p_tiers))
    select f.*
      from sv r,
           overview_vendor_facts(r.risk_tier, r.last_monitoring_verdict, r.risk_override_tier,
                                 r.next_monitoring_due) f
    union all
    select f.*
      from certifications r, overview_certification_facts(r.expires_on, r.scope_verified) f
     where r.tenant_id = p_tenant
       and ((p_department is null and p_tag is null and p_category is null and p_tiers is null)
            or r.vendor_id in (select sv.id from sv))
    union all
    select f.*
      from engagements r,
           overview_engagement_facts(r.handles_personal_data, r.data_locations, r.clauses_missing, r.ends_on,
                                     r.torihiki_type) f
     where r.tenant_id = p_tenant
       and ((p_department is null and p_tag is null and p_category is null and p_tiers is null)
            or r.vendor_id in (select sv.id from sv))
    union all
    select f.*
      from assessments r, overview_assessment_facts(r.status, r.due_on) f
     where r.tenant_id = p_tenant
       and ((p_department is null and p_tag is null and p_category is null and p_tiers is null)
            or r.vendor_id in (select sv.id from sv))
    union all
    select f.*
      from engagement_rule_results r,
           overview_engagement_rule_facts(r.coverage, r.payment_days, r.ends_on, r.keys) f
     where r.tenant_id = p_tenant
       and ((p_department is null and p_tag is null and p_category is null and p_tiers is null)
            or r.vendor_id in (select sv.id from sv))
    union all
    select f.*
      from security_requests r, overview_request_facts(r.status) f
     where r.tenant_id = p_tenant
       and ((p_department is null and p_tag is null and p_category is null and p_tiers is null)
            or r.vendor_id in (select sv.id from sv))
    union all
    select f.*
      from request_rule_results r, overview_request_rule_facts(r.held_on, r.keys) f
     where r.tenant_id = p_tenant
       and ((p_department is null and p_tag is null and p_category is null and p_tiers is null)
            or r.vendor_id in (select sv.id from sv))
$$;

-- ---- keeping them --------------------------------------------------------------

-- Serialises the recount and the settling of one tenant's counts, until
-- the end of the transaction (the writers never take it). p_wait: wait
-- for it, else answer whether it was free.
create or replace function overview_counts_lock(p_tenant uuid, p_wait boolean) returns boolean
language plpgsql as $$
begin
    if p_wait then
        perform pg_advisory_xact_lock(hashtext('overview_counts'), hashtext(p_tenant::text));
        return true;
    end if;
    return pg_try_advisory_xact_lock(hashtext('overview_counts'), hashtext(p_tenant::text));
end
$$;

-- The version of what records count for: the definitions of the facts
-- functions and of the triggers' functions that call them. Counts made
-- under another version are made again (see the end of this file).
create or replace function overview_facts_version() returns text
language sql stable as $$
    select md5(string_agg(pg_get_functiondef(p.oid), '' order by p.proname, p.oid))
      from pg_proc p
     where pg_function_is_visible(p.oid)
       and (p.proname ~ '^overview_([a-z_]+_)?facts(_of)?$' or p.proname ~ '^[a-z_]+_overview_counts$')
$$;

-- Counts a tenant's records afresh and lists it as counted. One statement,
-- so that the rows it deletes and the records it counts are of the same
-- snapshot: a write committed after it keeps its own unsettled rows.
create or replace function overview_counts_rebuild(p_tenant uuid) returns void
language plpgsql as $$
begin
    perform overview_counts_lock(p_tenant, true);
    with gone as (delete from overview_counts where tenant_id = p_tenant returning 1)
    insert into overview_counts (tenant_id, kind, figure, day, n, settled)
    select p_tenant, f.kind, f.figure, f.day, count(*), true
      from overview_facts_of(p_tenant, null, null, null, null) f
     where (select count(*) from gone) >= 0   -- (the deletion first: it frees the settled keys)
     group by f.kind, f.figure, f.day;
    insert into overview_counts_ready (tenant_id, checked_on, facts)
    values (p_tenant, tokyo_today(), overview_facts_version())
    on conflict (tenant_id) do update set counted_at = now(), checked_on = excluded.checked_on,
                                          facts = excluded.facts;
end
$$;

-- Folds a tenant's unsettled rows into its settled ones. Returns how many
-- counts it changed; 0 when another process is at it.
create or replace function overview_counts_settle(p_tenant uuid) returns integer
language plpgsql as $$
declare
    folded integer;
begin
    if not overview_counts_lock(p_tenant, false) then
        return 0;
    end if;
    with d as (delete from overview_counts where tenant_id = p_tenant and not settled
               returning kind, figure, day, n),
         s as (select kind, figure, day, sum(n) as n from d group by 1, 2, 3)
    insert into overview_counts as c (tenant_id, kind, figure, day, n, settled)
    select p_tenant, s.kind, s.figure, s.day, s.n, true from s
    on conflict (tenant_id, kind, figure, day) where settled do update set n = c.n + excluded.n;
    get diagnostics folded = row_count;
    delete from overview_counts where tenant_id = p_tenant and settled and n = 0;
    return folded;
end
$$;

-- The counts that differ from a recount of the tenant's records (kept
-- and counted side by side): none while the triggers have seen every
-- write.
create or replace function overview_counts_diff(p_tenant uuid)
returns table (kind text, figure text, day date, kept bigint, counted bigint)
language sql stable as $$
    select kind, figure, day, coalesce(k.n, 0)::bigint, coalesce(c.n, 0)::bigint
      from (select o.kind, o.figure, o.day, sum(o.n) as n from overview_counts o
             where o.tenant_id = p_tenant group by 1, 2, 3 having sum(o.n) <> 0) k
      full join (select f.kind, f.figure, f.day, count(*) as n
                   from overview_facts_of(p_tenant, null, null, null, null) f group by 1, 2, 3) c
           using (kind, figure, day)
     where k.n is distinct from c.n
$$;

-- Once a day, before the day's snapshot (95_overview.sql): a counted
-- tenant not checked today has its counts compared with a recount. If
-- they differ (a write made with the triggers off), it is taken off the
-- counted list, so that the snapshot and every overview read its records
-- until the scheduler has counted it afresh. Returns whether it was.
create or replace function overview_counts_check(p_tenant uuid) returns boolean
language plpgsql as $$
begin
    if not exists (select 1 from overview_counts_ready r where r.tenant_id = p_tenant
                      and (r.checked_on is null or r.checked_on < tokyo_today())) then
        return false;
    end if;
    if exists (select 1 from overview_counts_diff(p_tenant)) then
        delete from overview_counts_ready where tenant_id = p_tenant;
        return true;
    end if;
    update overview_counts_ready set checked_on = tokyo_today() where tenant_id = p_tenant;
    return false;
end
$$;

-- The scheduler's upkeep (service/webhooks/scheduler.c), in two
-- statements, so that a recount that fails (a statement timeout on a very
-- large register) never holds up the folding.
--
-- One step of folding: up to p_limit tenants' unsettled rows. more: the
-- step had as many as it could take (call again).
create or replace function overview_counts_settle_step(p_limit integer, out more boolean, out changed integer)
language plpgsql as $$
declare
    t uuid;
    n integer := 0;
begin
    changed := 0;
    for t in select distinct c.tenant_id from overview_counts c
              where not c.settled
                and exists (select 1 from overview_counts_ready r where r.tenant_id = c.tenant_id)
              limit p_limit loop
        changed := changed + overview_counts_settle(t);
        n := n + 1;
    end loop;
    more := n = p_limit;
end
$$;

-- One step of counting: up to p_limit tenants not on the counted list
-- (from before migration 0035, taken off by the day's check, or counted
-- under other facts functions), in random order, so that one whose count
-- keeps failing holds up no other for long. more: the step had as many as
-- it could take; changed: tenants counted.
create or replace function overview_counts_recount_step(p_limit integer, out more boolean, out changed integer)
language plpgsql as $$
declare
    t uuid;
begin
    changed := 0;
    for t in select x.id from tenants x
              where not exists (select 1 from overview_counts_ready r where r.tenant_id = x.id)
              order by random() loop
        exit when changed = p_limit;
        continue when not overview_counts_lock(t, false);   -- (another process is at it)
        perform overview_counts_rebuild(t);
        changed := changed + 1;
    end loop;
    more := changed = p_limit;
end
$$;

-- ---- triggers ----------------------------------------------------------------------

create or replace function tenants_overview_counted() returns trigger
language plpgsql as $$
begin
    insert into overview_counts_ready (tenant_id, checked_on, facts)
    values (new.id, tokyo_today(), overview_facts_version()) on conflict do nothing;
    return null;
end
$$;
create or replace trigger tenants_overview_counted after insert on tenants
    for each row execute function tenants_overview_counted();

-- Each counted table: its facts call over a row "r", a trigger function
-- that adds what a statement changed, by fact, as unsettled rows (static
-- statements, so that their plans are cached: a statement planned per
-- call doubled a one-row update's time), and three triggers, one per
-- event (a trigger with transition tables takes only one).
do $$
declare
    t record;
begin
    for t in select * from (values
        ('vendors', 'overview_vendor_facts(r.risk_tier, r.last_monitoring_verdict, r.risk_override_tier,
                                           r.next_monitoring_due)'),
        ('certifications', 'overview_certification_facts(r.expires_on, r.scope_verified)'),
        ('engagements', 'overview_engagement_facts(r.handles_personal_data, r.data_locations, r.clauses_missing,
                                                   r.ends_on, r.torihiki_type)'),
        ('assessments', 'overview_assessment_facts(r.status, r.due_on)'),
        ('engagement_rule_results', 'overview_engagement_rule_facts(r.coverage, r.payment_days, r.ends_on, r.keys)'),
        ('security_requests', 'overview_request_facts(r.status)'),
        ('request_rule_results', 'overview_request_rule_facts(r.held_on, r.keys)')) x(tab, facts)
    loop
        execute format($f$
            create or replace function %1$I() returns trigger
            language plpgsql as $b$
            begin
                if tg_op = 'INSERT' then
                    insert into overview_counts (tenant_id, kind, figure, day, n)
                    select r.tenant_id, f.kind, f.figure, f.day, count(*) from new_rows r, %2$s f
                     group by 1, 2, 3, 4;
                elsif tg_op = 'DELETE' then
                    insert into overview_counts (tenant_id, kind, figure, day, n)
                    select r.tenant_id, f.kind, f.figure, f.day, -count(*) from old_rows r, %2$s f
                     group by 1, 2, 3, 4;
                else
                    insert into overview_counts (tenant_id, kind, figure, day, n)
                    select x.tenant_id, x.kind, x.figure, x.day, sum(x.n)
                      from (select r.tenant_id, f.kind, f.figure, f.day, 1 as n from new_rows r, %2$s f
                            union all
                            select r.tenant_id, f.kind, f.figure, f.day, -1 from old_rows r, %2$s f) x
                     group by 1, 2, 3, 4 having sum(x.n) <> 0;
                end if;
                return null;
            end
            $b$ $f$, t.tab || '_overview_counts', t.facts);
        execute format('create or replace trigger %I after insert on %I
                            referencing new table as new_rows for each statement
                            execute function %I()', t.tab || '_counted_insert', t.tab, t.tab || '_overview_counts');
        execute format('create or replace trigger %I after update on %I
                            referencing old table as old_rows new table as new_rows for each statement
                            execute function %I()', t.tab || '_counted_update', t.tab, t.tab || '_overview_counts');
        execute format('create or replace trigger %I after delete on %I
                            referencing old table as old_rows for each statement
                            execute function %I()', t.tab || '_counted_delete', t.tab, t.tab || '_overview_counts');
    end loop;
end
$$;

-- Counts made under other facts functions (this file changed them) are
-- made again by the scheduler; their tenants are read from their records
-- until then. A change elsewhere in the file leaves the counts alone.
delete from overview_counts_ready where facts is distinct from overview_facts_version();

-- 91_rule_results.sql: the negotiation rules' results, kept and announced.
--
-- Rules 1-6 hold per security request (security_request_risks(),
-- 90_negotiations.sql), rule 7 per engagement answered as within 取適法
-- (torihiki_payment_risks_of(), 89_torihiki.sql). Evaluating them is
-- dear (about a millisecond a request), and the tenant-wide list and the
-- overview need all of them, so the results are kept (migration 0033):
--   - every write that changes what a rule sees re-evaluates the requests
--     and engagements it touches (the triggers at the end of this file);
--   - the day's scan re-evaluates every request, because rules 1, 3 and 5
--     also change with the date (rule 7 does not);
--   - a reader takes a request's kept results only when they are of today
--     and an engagement's whenever they exist, and evaluates otherwise
--     (negotiation_risk_rows()): a missing or old row costs time, never a
--     wrong answer.
-- Re-evaluating is also when a rule that newly holds is announced
-- (negotiation.risk_detected), once per rule and request and once per
-- rule-7 term and engagement.

-- What tells a result apart within its source: the rule and the
-- negotiation (rules 1-6), or the rule and its term's code (rule 7).
create or replace function rule_key(x jsonb) returns text
language sql immutable parallel safe as $$
    select (x ->> 'rule') || ':' || case when x ->> 'rule' = 'R7_payment_terms' then x #>> '{explanation,code}'
                                         else coalesce(x ->> 'negotiation_id', '') end
$$;

-- An engagement's day in the rule lists: its order date, else the Tokyo
-- day it was recorded.
create or replace function engagement_rule_day(e engagements) returns date
language sql stable as $$
    select coalesce(e.ordered_on, (e.created_at at time zone 'Asia/Tokyo')::date)
$$;

-- The keys of a results array, in order.
create or replace function rule_keys(p_results jsonb) returns text[]
language sql immutable parallel safe as $$
    select coalesce(array_agg(rule_key(x) order by i), '{}')
      from jsonb_array_elements(p_results) with ordinality r(x, i)
$$;

-- Re-evaluates one request's rules, announces each that newly holds and
-- keeps the results as of today. Returns how many were announced.
create or replace function security_request_rules_refresh(p_tenant uuid, p_request uuid) returns integer
language plpgsql as $$
declare
    r security_requests;
    res jsonb;
    x jsonb;
    n integer := 0;
begin
    -- Two refreshes of one request, from concurrent writes, take turns, and
    -- the second evaluates with what the first committed rather than
    -- overwriting its results with older ones. An advisory lock, not the
    -- request's row: writers that hold that row and then wait for a row
    -- the other refresh's writer holds would deadlock with it.
    perform pg_advisory_xact_lock(hashtext('rule_results'), hashtext(p_request::text));
    select * into r from security_requests s where s.tenant_id = p_tenant and s.id = p_request;
    if not found then
        return 0;
    end if;
    res := security_request_risks(p_tenant, p_request);
    for x in select distinct on (e ->> 'rule') e from jsonb_array_elements(res) e
              where not exists (select 1 from negotiation_risk_signals s where s.tenant_id = p_tenant
                                   and s.request_id = p_request and s.rule = e ->> 'rule') loop
        insert into negotiation_risk_signals (tenant_id, request_id, rule, event_id)
        values (p_tenant, p_request, x ->> 'rule',
                webhook_emit(p_tenant, 'negotiation.risk_detected', p_request, x))
        on conflict do nothing;
        n := n + 1;
    end loop;
    if n > 0 then   -- the kept results say when each rule was first detected
        res := security_request_risks(p_tenant, p_request);
    end if;
    insert into request_rule_results as k (tenant_id, request_id, vendor_id, engagement_id, day, held_on,
                                           results, keys)
    values (p_tenant, p_request, r.vendor_id, r.engagement_id, r.requested_on, tokyo_today(), res, rule_keys(res))
    on conflict (tenant_id, request_id) do update
       set vendor_id = excluded.vendor_id, engagement_id = excluded.engagement_id, day = excluded.day,
           held_on = excluded.held_on, results = excluded.results, keys = excluded.keys
     where (k.vendor_id, k.engagement_id, k.day, k.held_on, k.results)
           is distinct from (excluded.vendor_id, excluded.engagement_id, excluded.day, excluded.held_on,
                             excluded.results);
    return n;
end
$$;

-- The same for one engagement and rule 7, whose terms are told apart by
-- their explanation's code. An engagement not answered as within a
-- 取適法 type keeps no results.
create or replace function engagement_rules_refresh(p_tenant uuid, p_engagement uuid) returns integer
language plpgsql as $$
declare
    e engagements;
    cov jsonb;
    res jsonb;
    x jsonb;
    n integer := 0;
begin
    -- Locked as above: a refresh from the tenant's settings or the day's
    -- scan waits for a concurrent change of the engagement (whose own
    -- refresh holds the lock), and then sees it. Else it could keep results
    -- for an engagement just taken out of 取適法, which keeps none, and the
    -- overview relies on that. (Not the engagement's row: a subcontract
    -- action holds it while it touches the vendor, and a vendor's change
    -- that refreshes this engagement holds the vendor.)
    perform pg_advisory_xact_lock(hashtext('rule_results'), hashtext(p_engagement::text));
    select * into e from engagements g where g.tenant_id = p_tenant and g.id = p_engagement;
    if not found then
        return 0;
    end if;
    if e.torihiki_type is null or e.torihiki_type = 'not_applicable' then
        delete from engagement_rule_results where tenant_id = p_tenant and engagement_id = p_engagement;
        return 0;
    end if;
    cov := torihiki_coverage_of(e);
    res := torihiki_payment_risks_of(e, cov);
    for x in select r from jsonb_array_elements(res) r
              where not exists (select 1 from engagement_risk_signals s
                                 where s.tenant_id = p_tenant and s.engagement_id = p_engagement
                                   and s.rule = r ->> 'rule' and s.term = r #>> '{explanation,code}') loop
        insert into engagement_risk_signals (tenant_id, engagement_id, rule, term, event_id)
        values (p_tenant, p_engagement, x ->> 'rule', x #>> '{explanation,code}',
                webhook_emit(p_tenant, 'negotiation.risk_detected', p_engagement, x))
        on conflict do nothing;
        n := n + 1;
    end loop;
    if n > 0 then
        res := torihiki_payment_risks_of(e, cov);
    end if;
    insert into engagement_rule_results as k (tenant_id, engagement_id, vendor_id, day, ends_on, coverage,
                                              payment_days, results, keys)
    values (p_tenant, p_engagement, e.vendor_id,
            engagement_rule_day(e), e.ends_on, cov ->> 'status',
            torihiki_payment_days(e.payment_due_basis, e.payment_due_days, e.payment_cutoff_day,
                                  e.payment_month_offset, e.payment_day),
            res, rule_keys(res))
    on conflict (tenant_id, engagement_id) do update
       set vendor_id = excluded.vendor_id, day = excluded.day, ends_on = excluded.ends_on,
           coverage = excluded.coverage, payment_days = excluded.payment_days, results = excluded.results,
           keys = excluded.keys
     where (k.vendor_id, k.day, k.ends_on, k.coverage, k.payment_days, k.results)
           is distinct from (excluded.vendor_id, excluded.day, excluded.ends_on, excluded.coverage,
                             excluded.payment_days, excluded.results);
    return n;
end
$$;

-- The rule results that nothing keeps, evaluated: requests not kept today
-- and engagements not kept at all (the arguments as below). The overview
-- adds them to its kept counts (94_overview_counts.sql).
create or replace function negotiation_risk_rows_fresh(p_tenant uuid, p_vendor uuid, p_engagement uuid,
                                                       p_rule text, p_department text, p_tag text,
                                                       p_category text, p_tiers text[])
returns table (day date, id uuid, key text, result jsonb)
language sql stable as $$
    select s.requested_on, s.id, rule_key(x), x
      from security_requests s
     cross join lateral jsonb_array_elements(security_request_risks(s.tenant_id, s.id)) x
     where s.tenant_id = p_tenant
       and not exists (select 1 from request_rule_results k
                        where k.tenant_id = s.tenant_id and k.request_id = s.id and k.held_on = tokyo_today())
       and p_rule is distinct from 'R7_payment_terms'
       and (p_rule is null or x ->> 'rule' = p_rule)
       and (p_vendor is null or s.vendor_id = p_vendor)
       and (p_engagement is null or s.engagement_id = p_engagement)
       and ((p_department is null and p_tag is null and p_category is null and p_tiers is null)
            or vendor_in_scope(p_tenant, s.vendor_id, p_department, p_tag, p_category, p_tiers))
    union all
    -- (offset 0: the engagements keeping nothing found from the indexes
    -- alone, and only their rows read)
    select engagement_rule_day(e), e.id, rule_key(x), x
      from (select g.id from engagements g
             where g.tenant_id = p_tenant
               and g.torihiki_type is not null and g.torihiki_type <> 'not_applicable'
               and not exists (select 1 from engagement_rule_results k
                                where k.tenant_id = g.tenant_id and k.engagement_id = g.id)
               and (p_rule is null or p_rule = 'R7_payment_terms')
               and (p_engagement is null or g.id = p_engagement)
             offset 0) m
      join engagements e on e.tenant_id = p_tenant and e.id = m.id
     cross join lateral jsonb_array_elements(torihiki_payment_risks_of(e, torihiki_coverage_of(e))) x
     where (p_vendor is null or e.vendor_id = p_vendor)
       and ((p_department is null and p_tag is null and p_category is null and p_tiers is null)
            or vendor_in_scope(p_tenant, e.vendor_id, p_department, p_tag, p_category, p_tiers))
$$;

-- Every rule result of a tenant, or of one vendor or engagement, within a
-- list scope (http/scope.h), with the list's keyset: the day (a request's
-- requested_on; an engagement's ordered_on, else the day it was created),
-- the request's or engagement's id, and the result's key (rule_keys()).
-- GET /v1/negotiation-risks pages through it and the overview counts it
-- by rule. Kept results are read from their rows alone (unnest of the
-- keys; a result is only taken out of the array where it is asked for);
-- the others are evaluated (negotiation_risk_rows_fresh()).
create or replace function negotiation_risk_rows(p_tenant uuid, p_vendor uuid, p_engagement uuid, p_rule text,
                                                 p_department text, p_tag text, p_category text, p_tiers text[])
returns table (day date, id uuid, key text, result jsonb)
language sql stable as $$
    select k.day, k.request_id, u.key, k.results -> (u.i - 1)::int
      from request_rule_results k
     cross join lateral unnest(k.keys) with ordinality u(key, i)
     where k.tenant_id = p_tenant and k.held_on = tokyo_today() and k.keys <> '{}'
       and p_rule is distinct from 'R7_payment_terms'
       and (p_rule is null or split_part(u.key, ':', 1) = p_rule)
       and (p_vendor is null or k.vendor_id = p_vendor)
       and (p_engagement is null or k.engagement_id = p_engagement)
       and ((p_department is null and p_tag is null and p_category is null and p_tiers is null)
            or vendor_in_scope(p_tenant, k.vendor_id, p_department, p_tag, p_category, p_tiers))
    union all
    select k.day, k.engagement_id, u.key, k.results -> (u.i - 1)::int
      from engagement_rule_results k
     cross join lateral unnest(k.keys) with ordinality u(key, i)
     where k.tenant_id = p_tenant and k.keys <> '{}'
       and (p_rule is null or p_rule = 'R7_payment_terms')
       and (p_vendor is null or k.vendor_id = p_vendor)
       and (p_engagement is null or k.engagement_id = p_engagement)
       and ((p_department is null and p_tag is null and p_category is null and p_tiers is null)
            or vendor_in_scope(p_tenant, k.vendor_id, p_department, p_tag, p_category, p_tiers))
    union all
    select * from negotiation_risk_rows_fresh(p_tenant, p_vendor, p_engagement, p_rule, p_department, p_tag,
                                              p_category, p_tiers)
$$;

-- ---- what a write re-evaluates ----------------------------------------------------

-- The negotiation records: each request a row touches.
create or replace function negotiation_records_refresh() returns trigger
language plpgsql as $$
declare
    req uuid;
    neg uuid;
begin
    if tg_op = 'DELETE' then   -- negotiation_requests, as a negotiation past its retention goes
        perform security_request_rules_refresh(old.tenant_id, old.request_id);
        return null;
    end if;
    if tg_table_name = 'security_requests' then
        perform security_request_rules_refresh(new.tenant_id, new.id);
    elsif tg_table_name = 'cost_estimates' then
        perform security_request_rules_refresh(new.tenant_id, new.request_id);
    else
        if tg_table_name = 'negotiation_outcomes' then
            perform webhook_emit(new.tenant_id, 'negotiation.outcome_recorded', new.negotiation_id,
                jsonb_build_object('negotiation', (select negotiation_json(n) from negotiations n
                                                    where n.tenant_id = new.tenant_id and n.id = new.negotiation_id),
                                   'outcome', negotiation_outcome_json(new)));
        end if;
        if tg_table_name = 'negotiations' then
            neg := new.id;
        else
            neg := new.negotiation_id;
        end if;
        for req in select x.request_id from negotiation_requests x
                    where x.tenant_id = new.tenant_id and x.negotiation_id = neg loop
            perform security_request_rules_refresh(new.tenant_id, req);
        end loop;
    end if;
    return null;
end
$$;

-- 取適法 coverage changes with the engagement, with the vendor's figures
-- and with the tenant's own (and rule 1's period with the tenant's
-- setting): rule 7 of the engagements, and rules 1-6 of the requests,
-- whose results carry the coverage among their preconditions.
create or replace function torihiki_rules_refresh() returns trigger
language plpgsql as $$
declare
    g record;
    v_tenant uuid;
    v_vendor uuid;
begin
    if tg_table_name = 'engagements' then
        perform engagement_rules_refresh(new.tenant_id, new.id);
        for g in select s.id from security_requests s where s.tenant_id = new.tenant_id and s.engagement_id = new.id loop
            perform security_request_rules_refresh(new.tenant_id, g.id);
        end loop;
        return null;
    end if;
    -- NEW's fields differ by table: each branch names only its own.
    if tg_table_name = 'tenants' then
        v_tenant := new.id;
    else
        v_tenant := new.tenant_id;
        v_vendor := new.id;
    end if;
    for g in select e.id from engagements e
              where e.tenant_id = v_tenant and (v_vendor is null or e.vendor_id = v_vendor)
                and e.torihiki_type is not null and e.torihiki_type <> 'not_applicable' loop
        perform engagement_rules_refresh(v_tenant, g.id);
    end loop;
    for g in select s.id from security_requests s
              where s.tenant_id = v_tenant and (v_vendor is null or s.vendor_id = v_vendor) loop
        perform security_request_rules_refresh(v_tenant, g.id);
    end loop;
    return null;
end
$$;

-- A certification's scope check or expiry: the requests that claim it as
-- the equivalent of a designated item (rule 5).
create or replace function certification_rules_refresh() returns trigger
language plpgsql as $$
declare
    g record;
begin
    for g in select s.id from security_requests s
              where s.tenant_id = new.tenant_id and s.equivalent_certification_id = new.id loop
        perform security_request_rules_refresh(new.tenant_id, g.id);
    end loop;
    return null;
end
$$;

-- ---- the day's scan ----------------------------------------------------------------

-- Re-evaluates every request once per Tokyo day across replicas, for the
-- rules that hold by the date (rule 1's period, rule 3's renewal, rule
-- 5's certificate expiry), then gives engagements their first kept
-- results (rule 7 changes only by writes). In steps of p_limit (the run
-- row keeps the position), so that no statement grows with the register.
-- Returns the risks announced by this step; 0 once the day's run is done
-- or while another replica holds the step.
create or replace function negotiation_risks_scan(p_limit integer default 500) returns integer
language plpgsql as $$
declare
    run scheduler_runs;
    r record;
    n integer := 0;
    got integer;
    seen integer := 0;
    v_changed integer := 0;
    last_tenant uuid;
    last_id uuid;
begin
    insert into scheduler_runs (job, day) values ('negotiation_risks', tokyo_today()) on conflict do nothing;
    select * into run from scheduler_runs where job = 'negotiation_risks' and day = tokyo_today()
       for update skip locked;
    if not found or run.finished_at is not null then
        return 0;
    end if;
    last_tenant := run.after_tenant;
    last_id := run.after_id;
    for r in select s.tenant_id, s.id from security_requests s
              where last_tenant is null or (s.tenant_id, s.id) > (last_tenant, last_id)
              order by s.tenant_id, s.id limit p_limit loop
        got := security_request_rules_refresh(r.tenant_id, r.id);
        n := n + got;
        v_changed := v_changed + (got > 0)::int;
        seen := seen + 1;
        last_tenant := r.tenant_id;
        last_id := r.id;
    end loop;
    if seen < p_limit then
        for r in select e.tenant_id, e.id from engagements e
                  where e.torihiki_type is not null and e.torihiki_type <> 'not_applicable'
                    and not exists (select 1 from engagement_rule_results k
                                     where k.tenant_id = e.tenant_id and k.engagement_id = e.id)
                  limit p_limit - seen loop
            got := engagement_rules_refresh(r.tenant_id, r.id);
            n := n + got;
            v_changed := v_changed + (got > 0)::int;
            seen := seen + 1;
        end loop;
    end if;
    update scheduler_runs x set after_tenant = last_tenant, after_id = last_id,
           checked = x.checked + seen, changed = x.changed + v_changed,
           finished_at = case when seen < p_limit then now() end
     where x.job = 'negotiation_risks' and x.day = run.day;
    return n;
end
$$;

-- One step of the day's scan for the scheduler, and whether the day's run
-- has steps left here: false once it is finished, and while another
-- replica holds the run (its row is locked; this transaction holds it
-- itself after a step of its own).
create or replace function negotiation_risks_step(p_limit integer default 500)
returns table (more boolean, announced integer)
language plpgsql as $$
begin
    announced := negotiation_risks_scan(p_limit);
    more := exists (select 1 from scheduler_runs
                     where job = 'negotiation_risks' and day = tokyo_today() and finished_at is null
                       for update skip locked);
    return next;
end
$$;

-- ---- triggers ----------------------------------------------------------------------

create or replace trigger security_requests_signal after insert or update on security_requests
    for each row execute function negotiation_records_refresh();
create or replace trigger cost_estimates_signal after insert on cost_estimates
    for each row execute function negotiation_records_refresh();
create or replace trigger negotiation_requests_signal after insert or delete on negotiation_requests
    for each row execute function negotiation_records_refresh();
create or replace trigger negotiation_sessions_signal after insert on negotiation_sessions
    for each row execute function negotiation_records_refresh();
create or replace trigger negotiation_outcomes_signal after insert on negotiation_outcomes
    for each row execute function negotiation_records_refresh();
create or replace trigger negotiations_signal after update on negotiations
    for each row execute function negotiation_records_refresh();

create or replace trigger engagements_risk_signal after insert on engagements
    for each row when (new.torihiki_type is not null and new.torihiki_type <> 'not_applicable')
    execute function torihiki_rules_refresh();
create or replace trigger engagements_rules_refresh after update on engagements
    for each row execute function torihiki_rules_refresh();
create or replace trigger vendors_risk_signal after update of capital_jpy, employee_count, entity_type on vendors
    for each row when (old.capital_jpy is distinct from new.capital_jpy
                       or old.employee_count is distinct from new.employee_count
                       or old.entity_type is distinct from new.entity_type)
    execute function torihiki_rules_refresh();
create or replace trigger tenants_risk_signal after update of settings on tenants
    for each row when (old.settings -> 'torihiki' is distinct from new.settings -> 'torihiki'
                       or old.settings -> 'negotiation_consultation_days'
                          is distinct from new.settings -> 'negotiation_consultation_days')
    execute function torihiki_rules_refresh();
create or replace trigger certifications_rules_refresh
    after update of scope_verified, expires_on on certifications
    for each row when (old.scope_verified is distinct from new.scope_verified
                       or old.expires_on is distinct from new.expires_on)
    execute function certification_rules_refresh();

-- Earlier names of these functions.
drop function if exists security_request_signal(uuid, uuid);
drop function if exists rule_names(jsonb);
drop function if exists negotiation_records_signal();
drop function if exists engagement_risk_signal(uuid, uuid);
drop function if exists engagement_risk_signal_trigger();

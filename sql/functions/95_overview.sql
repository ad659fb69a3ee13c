-- 95_overview.sql: the dashboard overview (GET /v1/overview), its scope
-- filter shared with the list endpoints, and the daily figures of the trend.
--
-- The one live copy of these functions: `itaku migrate` re-applies this
-- file, after the numbered migrations, whenever its checksum changes.
--
-- Every figure of the overview is {count, href}: href is the list request
-- that returns exactly count items. The counts here and the lists' filters
-- must therefore say the same thing; each figure names the list filter it
-- mirrors, and tests/http/test_overview.c follows every href to check.

-- The scope of lists and of the overview: the vendors that match every
-- given condition (department in charge, a tag, at least one engagement of
-- the category, the vendor's tier). All null: every vendor. Inlined where
-- it is used: the overview's vendor figures read it from the vendors'
-- index, and the other figures' "in scope" builds the set only when a
-- scope is given.
create or replace function vendors_in_scope(p_tenant uuid, p_department text, p_tag text, p_category text,
                                            p_tiers text[])
returns table (id uuid, risk_tier text, last_monitoring_verdict text, risk_override_tier text,
               next_monitoring_due date)
language sql stable as $$
    select v.id, v.risk_tier, v.last_monitoring_verdict, v.risk_override_tier, v.next_monitoring_due
      from vendors v
     where v.tenant_id = p_tenant
       and (p_department is null or v.department = p_department)
       and (p_tag is null or v.tags @> array[p_tag])
       and (p_tiers is null or v.risk_tier = any(p_tiers))
       and (p_category is null or v.id in (select e.vendor_id from engagements e
                                            where e.tenant_id = p_tenant and e.category = p_category))
$$;

-- One vendor in that scope, the same conditions: the lists call it per row
-- (it is only evaluated after their cheaper filters). Written out rather
-- than as a test against vendors_in_scope(): planned per call that way,
-- the engagement-category condition scanned the tenant's engagements (20
-- ms against 580 ms for 1,250 rows at 10,000 vendors).
create or replace function vendor_in_scope(p_tenant uuid, p_vendor uuid, p_department text, p_tag text,
                                           p_category text, p_tiers text[]) returns boolean
language sql stable as $$
    select (p_department is null and p_tag is null and p_category is null and p_tiers is null)
        or exists (select 1 from vendors v
                    where v.tenant_id = p_tenant and v.id = p_vendor
                      and (p_department is null or v.department = p_department)
                      and (p_tag is null or v.tags @> array[p_tag])
                      and (p_tiers is null or v.risk_tier = any(p_tiers))
                      and (p_category is null or exists (
                               select 1 from engagements e
                                where e.tenant_id = p_tenant and e.vendor_id = p_vendor
                                  and e.category = p_category)))
$$;

-- Earlier homes of the required-clauses check (now engagements.clauses_missing, 0034).
drop function if exists engagement_required_clauses(text);

-- The chain's assessment coverage: the vendor has an assessment completed
-- within the last year.
create or replace function vendor_assessed_within_year(p_tenant uuid, p_vendor uuid) returns boolean
language sql stable as $$
    select exists (select 1 from assessments a
                    where a.tenant_id = p_tenant and a.vendor_id = p_vendor and a.status = 'completed'
                      and a.completed_at >= now() - interval '1 year')
$$;

-- Negotiations (sql/functions/90_negotiations.sql, 89_torihiki.sql):
-- the day a negotiation concluded, its current outcome's decision when
-- that outcome settles it (price revised, partially, declined, cost borne
-- by the outsourcer); null while open, pending or withdrawn.
create or replace function negotiation_concluded_on(n negotiations) returns date
language sql stable as $$
    select o.decided_on from negotiation_current_outcome(n.tenant_id, n.id) o
     where o.kind in ('price_revised', 'partially', 'declined', 'cost_borne_by_outsourcer')
$$;

-- An engagement covered by 取適法 whose payment can fall due more than 60
-- days after receipt (rule 7's due-date check: receipt + 59 days at the
-- latest). Coverage and days as kept with rule 7's results
-- (91_rule_results.sql), evaluated when none are kept.
create or replace function engagement_payment_over_60(e engagements) returns boolean
language sql stable as $$
    select e.payment_due_basis is not null and e.torihiki_type is not null and e.torihiki_type <> 'not_applicable'
       and coalesce((select k.coverage = 'covered' and coalesce(k.payment_days, 0) > 59
                       from engagement_rule_results k where k.tenant_id = e.tenant_id and k.engagement_id = e.id),
                    torihiki_coverage_of(e) ->> 'status' = 'covered'
                    and torihiki_payment_days(e.payment_due_basis, e.payment_due_days, e.payment_cutoff_day,
                                              e.payment_month_offset, e.payment_day) > 59)
$$;

-- Percent-encoding of a query parameter's value (RFC 3986 unreserved
-- characters stay as they are).
create or replace function overview_urlencode(p text) returns text
language sql immutable strict as $$
    select coalesce(string_agg(case when b between 48 and 57 or b between 65 and 90 or b between 97 and 122
                                         or b in (45, 46, 95, 126) then chr(b)
                                    else '%' || upper(lpad(to_hex(b), 2, '0')) end, '' order by i), '')
      from (select i, get_byte(convert_to(p, 'UTF8'), i) as b
              from generate_series(0, octet_length(convert_to(p, 'UTF8')) - 1) i) x
$$;

-- The scope as query parameters ("&department=...&tier_param=high,low"),
-- the tier under the list's own name (risk_tier for vendors, vendor_tier
-- elsewhere).
create or replace function overview_scope_query(p_tier_param text, p_department text, p_tag text,
                                                p_category text, p_tiers text[]) returns text
language sql immutable as $$
    select coalesce('&department=' || overview_urlencode(p_department), '')
        || coalesce('&tag=' || overview_urlencode(p_tag), '')
        || coalesce('&engagement_category=' || p_category, '')
        || coalesce('&' || p_tier_param || '=' || array_to_string(p_tiers, ','), '')
$$;

-- A figure: the count and the list that returns it. p_query and p_scope
-- are "&name=value..." strings (or '').
create or replace function overview_fig(p_count bigint, p_path text, p_query text, p_scope text) returns json
language sql immutable as $$
    select json_build_object('count', coalesce(p_count, 0),
        'href', p_path || case when p_query || p_scope = '' then ''
                               else '?' || ltrim(p_query || p_scope, '&') end)
$$;

-- The whole overview of one tenant within a scope, in one statement (one
-- snapshot). p_admin: the caller may see the webhook figures (their lists
-- are for admins). The whole tenant's vendor, certification, engagement,
-- assessment, request and rule figures are sums of its kept counts
-- (94_overview_counts.sql); within a scope, of its records' facts.
-- PL/pgSQL for its plan cache: planning the statement
-- takes about 20 ms, which a SQL function would pay on every call; the
-- generic plan serves every scope, since each condition is written to
-- hold for a null filter. JIT compilation is off: the plan's cost is past
-- jit_above_cost, and compiling took 500 ms of a 700 ms call at 10,000
-- vendors (bench/README.md).
create or replace function overview_json(p_tenant uuid, p_department text, p_tag text, p_category text,
                                         p_tiers text[], p_admin boolean) returns json
language plpgsql stable
set jit = off set plan_cache_mode = force_generic_plan as $$
declare
    -- the whole tenant, whose counts are kept (94_overview_counts.sql);
    -- read in the same snapshot as the statement (a stable function's)
    ready boolean := exists (select 1 from overview_counts_ready r where r.tenant_id = p_tenant);
    counted boolean := ready and p_department is null and p_tag is null and p_category is null and p_tiers is null;
    -- whether some rule results are kept nowhere (a request not yet
    -- re-evaluated today, an engagement within 取適法 keeping none) and
    -- must be evaluated; the kept counts tell when none are, in the whole
    -- tenant and so in any scope
    fresh boolean := true;
begin
if ready then
    select coalesce(sum(c.n) filter (where c.figure = 'requests'), 0)
           <> coalesce(sum(c.n) filter (where c.figure = 'request_rows' and c.day = tokyo_today()), 0)
        or coalesce(sum(c.n) filter (where c.figure = 'torihiki'), 0)
           <> coalesce(sum(c.n) filter (where c.figure = 'engagement_rows'), 0)
      into fresh
      from overview_counts c where c.tenant_id = p_tenant and c.kind = 'kept';
end if;
return (
with
p as (
    select tokyo_today() as today,
           date_trunc('month', tokyo_today())::date as month_start,
           (date_trunc('month', tokyo_today()) + interval '1 month')::date as month_end,
           date_trunc('year', tokyo_today())::date as year_start,
           (p_department is null and p_tag is null and p_category is null and p_tiers is null) as all_vendors,
           overview_scope_query('risk_tier', p_department, p_tag, p_category, p_tiers) as qv,
           -- by tier: the tier asked for replaces the scope's tiers (it is one of them)
           overview_scope_query('risk_tier', p_department, p_tag, p_category, null) as qv_tierless,
           overview_scope_query('vendor_tier', p_department, p_tag, p_category, p_tiers) as qo
),
-- the vendors in scope, for the other figures' "in scope" (only read when
-- a scope is given)
sv as (
    select v.id from vendors_in_scope(p_tenant, p_department, p_tag, p_category, p_tiers) v
),
-- the counted figures' facts (94_overview_counts.sql): the tenant's kept
-- counts, or within a scope the facts of its records there, one each
oc as materialized (
    select c.kind, c.figure, c.day, c.n::integer as n
      from overview_counts c where counted and c.tenant_id = p_tenant
    union all
    select f.kind, f.figure, f.day, 1
      from overview_facts_of(p_tenant, p_department, p_tag, p_category, p_tiers) f where not counted
),
vf as (
    select sum(n) filter (where figure = 'total') as total,
           sum(n) filter (where figure = 'tier:high') as high,
           sum(n) filter (where figure = 'tier:medium') as medium,
           sum(n) filter (where figure = 'tier:low') as low,
           sum(n) filter (where figure = 'verdict:no_issues') as no_issues,
           sum(n) filter (where figure = 'verdict:watch') as watch,
           sum(n) filter (where figure = 'verdict:action_required') as action_required,
           sum(n) filter (where figure = 'overridden') as overridden,
           sum(n) filter (where figure = 'monitoring_due' and day < p.today) as overdue,
           sum(n) filter (where figure = 'monitoring_due' and day between p.today and p.today + 30) as due30,
           sum(n) filter (where figure = 'monitoring_due' and day between p.today and p.today + 90) as due90
      from oc, p where oc.kind = 'vendors'
),
cf as (
    select sum(n) filter (where figure = 'expires' and day < p.today) as expired,
           sum(n) filter (where figure = 'expires' and day between p.today and p.today + 30) as exp30,
           sum(n) filter (where figure = 'expires' and day between p.today and p.today + 90) as exp90,
           sum(n) filter (where figure = 'unverified') as unverified
      from oc, p where oc.kind = 'certifications'
),
-- (the day an engagement ends, 'infinity' if it does not: not ended)
ef as (
    select sum(n) filter (where figure = 'personal') as personal,
           sum(n) filter (where figure = 'foreign_locations') as foreign_locations,
           sum(n) filter (where figure = 'clauses_missing') as clauses_missing
      from oc, p where oc.kind = 'engagements' and oc.day >= p.today
),
-- engagement_payment_over_60() of the engagements within a 取適法 type:
-- the counts of the kept coverage and days (91_rule_results.sql), and for
-- those that keep none the function itself
pay as (
    select coalesce((select sum(n) from oc where oc.kind = 'pay' and oc.day >= p.today), 0)
         + (select count(*)
              from (select e.id from engagements e   -- (offset 0: from the indexes, then only their rows)
                     where fresh and e.tenant_id = p_tenant and e.torihiki_type is not null
                       and e.torihiki_type <> 'not_applicable'
                       and not exists (select 1 from engagement_rule_results k
                                        where k.tenant_id = e.tenant_id and k.engagement_id = e.id)
                       and not coalesce(e.ends_on < p.today, false)
                       and (p.all_vendors or e.vendor_id in (select id from sv))
                    offset 0) m
              join engagements g on g.tenant_id = p_tenant and g.id = m.id
             where engagement_payment_over_60(g)) as n
      from p
),
sc as (
    select s.tenant_id, s.id, s.vendor_id, s.status, s.depth, s.requested_at, s.created_at,
           s.equal_obligations and s.direct_incident_notice and s.recurrence_prevention
           and s.status_reports_visible and s.return_or_erasure as flow_down
      from subcontracts s, p
     where s.tenant_id = p_tenant and (p.all_vendors or s.path[1] in (select id from sv))
),
sf as (
    select count(*) filter (where status = 'requested') as pending,
           min(requested_at) filter (where status = 'requested') as oldest,
           count(*) filter (where status = 'requested' and not flow_down) as incomplete,
           max(depth) filter (where status = 'approved') as deepest
      from sc
),
sd as (
    select count(*) as n from sc, sf where sc.status = 'approved' and sc.depth = sf.deepest
),
oldest as (
    select sc.id from sc where sc.status = 'requested' order by sc.created_at, sc.id limit 1
),
-- the approved links' subcontractors: assessed within a year, and tiers
-- (vendor_assessed_within_year() for all at once)
assessed as (
    select distinct a.vendor_id from assessments a
     where a.tenant_id = p_tenant and a.status = 'completed' and a.completed_at >= now() - interval '1 year'
),
chain as (
    select sc.vendor_id in (select vendor_id from assessed) as assessed, v.risk_tier
      from sc join vendors v on v.tenant_id = sc.tenant_id and v.id = sc.vendor_id
     where sc.status = 'approved'
),
cf2 as (
    select count(*) filter (where assessed) as covered, count(*) filter (where not assessed) as uncovered,
           case when bool_or(risk_tier = 'high') then 'high' when bool_or(risk_tier = 'medium') then 'medium'
                when bool_or(risk_tier = 'low') then 'low' end as weakest
      from chain
),
cw as (
    select count(*) as n from chain, cf2 where chain.risk_tier = cf2.weakest
),
af as (
    select sum(n) filter (where figure = 'status:draft') as draft,
           sum(n) filter (where figure = 'status:sent') as sent,
           sum(n) filter (where figure = 'status:in_progress') as in_progress,
           sum(n) filter (where figure = 'status:submitted') as submitted,
           sum(n) filter (where figure = 'status:in_review') as in_review,
           sum(n) filter (where figure = 'status:returned') as returned,
           sum(n) filter (where figure = 'status:completed') as completed,
           sum(n) filter (where figure = 'status:cancelled') as cancelled,
           sum(n) filter (where figure = 'open_due' and day < p.today) as overdue,
           sum(n) filter (where figure = 'open_due' and day >= p.month_start and day < p.month_end) as due_month
      from oc, p where oc.kind = 'assessments'
),
at as (
    select a.template_id, t.name, count(*) as n,
           round(avg(a.overall_score), 1) as average
      from assessments a
      join questionnaire_templates t on t.tenant_id = a.tenant_id and t.id = a.template_id, p
     where a.tenant_id = p_tenant and a.status = 'completed'
       and (a.completed_at at time zone 'Asia/Tokyo')::date >= p.year_start
       and (p.all_vendors or a.vendor_id in (select id from sv))
     group by a.template_id, t.name
),
ff as (
    select count(*) filter (where f.severity = 'low') as low,
           count(*) filter (where f.severity = 'medium') as medium,
           count(*) filter (where f.severity = 'high') as high,
           count(*) filter (where f.severity = 'critical') as critical,
           count(*) filter (where f.due_on < p.today) as overdue
      from findings f, p
     where f.tenant_id = p_tenant and f.status in ('open', 'in_progress')
       and (p.all_vendors or f.vendor_id in (select id from sv))
),
inc as (
    select i.id, i.severity, i.status, incident_next_deadline(i) as deadline,
           case when i.preliminary_filed_at is null then 'preliminary' else 'final' end as filing
      from incidents i, p
     where i.tenant_id = p_tenant and (p.all_vendors or i.vendor_id in (select id from sv))
       and (i.status not in ('resolved', 'closed') or incident_next_deadline(i) is not null)
),
inf as (
    select count(*) filter (where status not in ('resolved', 'closed') and severity = 'low') as low,
           count(*) filter (where status not in ('resolved', 'closed') and severity = 'medium') as medium,
           count(*) filter (where status not in ('resolved', 'closed') and severity = 'high') as high,
           count(*) filter (where status not in ('resolved', 'closed') and severity = 'critical') as critical,
           count(*) filter (where status = 'reported') as reported,
           count(*) filter (where status = 'investigating') as investigating,
           count(*) filter (where status = 'contained') as contained,
           count(*) filter (where deadline is not null) as ppc_pending,
           count(*) filter (where deadline < now()) as filings_overdue
      from inc
),
nearest as (
    select id, deadline, filing from inc where deadline is not null order by deadline, id limit 1
),
nrf as (
    select sum(n) filter (where figure = 'open') as open_requests from oc where oc.kind = 'requests'
),
-- The rules that hold, by rule: the rows GET /v1/negotiation-risks lists
-- (negotiation_risk_rows(), 91_rule_results.sql), by the rule in each key:
-- the counts of the kept ones (requests' of today, engagements'), and
-- those evaluated because nothing keeps them.
nrr as materialized (
    select r.rule, sum(r.n) as n
      from (select oc.figure as rule, oc.n from oc, p where oc.kind = 'rules' and oc.day in (p.today, 'infinity')
            union all
            select split_part(x.key, ':', 1), 1
              from negotiation_risk_rows_fresh(p_tenant, null, null, null, p_department, p_tag, p_category,
                                               p_tiers) x
             where fresh) r
     group by r.rule
),
-- The pass-through rate of the negotiations concluded this year, set-based
-- (negotiation_derived() per negotiation costs a millisecond or more):
-- each one's current outcome (the latest recorded), its requests' latest
-- estimates (first year: one-off plus a year of recurring cost), and what
-- the outcome passes through in the same terms.
nego as (
    select n.id, o.kind, o.decided_on, o.agreed_one_off_jpy, o.agreed_recurring_yearly_jpy
      from negotiations n, p,
           lateral (select o.* from negotiation_outcomes o
                     where o.tenant_id = n.tenant_id and o.negotiation_id = n.id
                     order by o.recorded_at desc, o.id desc limit 1) o
     where n.tenant_id = p_tenant and (p.all_vendors or n.vendor_id in (select id from sv))
       and o.kind in ('price_revised', 'partially', 'declined', 'cost_borne_by_outsourcer')
       and o.decided_on >= p.year_start
),
nest as (
    select x.negotiation_id, sum(e.one_off_jpy + e.recurring_yearly_jpy) as est
      from nego join negotiation_requests x on x.tenant_id = p_tenant and x.negotiation_id = nego.id
      cross join lateral (select c.one_off_jpy, c.recurring_yearly_jpy from cost_estimates c
                           where c.tenant_id = x.tenant_id and c.request_id = x.request_id
                           order by c.revision desc limit 1) e
     group by x.negotiation_id
),
nyf as (
    select count(*) as concluded,
           round(sum(agreed) filter (where est > 0) / nullif(sum(est) filter (where est > 0), 0), 4) as rate
      from (select nest.est,
                   case nego.kind when 'declined' then 0 when 'cost_borne_by_outsourcer' then nest.est
                        else coalesce(nego.agreed_one_off_jpy, 0) + coalesce(nego.agreed_recurring_yearly_jpy, 0)
                   end::numeric as agreed
              from nego left join nest on nest.negotiation_id = nego.id) y
),
hf as (
    select count(*) as overdue
      from handovers h, p
     where h.tenant_id = p_tenant and h.status = 'held' and h.return_due_on < p.today
       and (p.all_vendors or h.engagement_id in (select e.id from engagements e
                                                  where e.tenant_id = p_tenant and e.vendor_id in (select id from sv)))
),
wf as (
    select (select count(*) from webhook_deliveries d where d.tenant_id = p_tenant and d.status = 'dead') as dead,
           (select count(*) from webhook_subscriptions w where w.tenant_id = p_tenant and not w.enabled) as disabled
     where p_admin
)
select json_build_object(
    'as_of', now(),
    'today', p.today,
    'scope', json_build_object('department', p_department, 'tag', p_tag, 'engagement_category', p_category,
                               'risk_tier', to_json(p_tiers)),
    'vendors', json_build_object(
        'total', overview_fig(vf.total, '/v1/vendors', '', p.qv),
        'by_tier', (select json_object_agg(t, overview_fig(case t when 'high' then vf.high when 'medium' then vf.medium
                                                                   else vf.low end,
                                                              '/v1/vendors', '&risk_tier=' || t, p.qv_tierless) order by o)
                      from unnest(array['high', 'medium', 'low']) with ordinality x(t, o)
                     where p_tiers is null or t = any(p_tiers)),
        'by_verdict', json_build_object(
            'no_issues', overview_fig(vf.no_issues, '/v1/vendors', '&last_verdict=no_issues', p.qv),
            'watch', overview_fig(vf.watch, '/v1/vendors', '&last_verdict=watch', p.qv),
            'action_required', overview_fig(vf.action_required, '/v1/vendors', '&last_verdict=action_required', p.qv)),
        'overrides_in_force', overview_fig(vf.overridden, '/v1/vendors', '&risk_overridden=true', p.qv),
        'monitoring_overdue', overview_fig(vf.overdue, '/v1/vendors', '&monitoring_overdue=true', p.qv),
        'monitoring_due_within_30_days', overview_fig(vf.due30, '/v1/vendors', '&monitoring_due_within_days=30', p.qv),
        'monitoring_due_within_90_days', overview_fig(vf.due90, '/v1/vendors', '&monitoring_due_within_days=90', p.qv)),
    'certifications', json_build_object(
        'expired', overview_fig(cf.expired, '/v1/certifications', '&status=expired', p.qo),
        'expiring_within_30_days', overview_fig(cf.exp30, '/v1/certifications', '&expiring_within_days=30', p.qo),
        'expiring_within_90_days', overview_fig(cf.exp90, '/v1/certifications', '&expiring_within_days=90', p.qo),
        'scope_never_verified', overview_fig(cf.unverified, '/v1/certifications', '&scope_verified=false', p.qo)),
    'engagements', json_build_object(
        'personal_data', overview_fig(ef.personal, '/v1/engagements', '&ended=false&handles_personal_data=true', p.qo),
        'foreign_data_locations', overview_fig(ef.foreign_locations, '/v1/engagements',
                                               '&ended=false&foreign_data_location=true', p.qo),
        'clauses_missing', overview_fig(ef.clauses_missing, '/v1/engagements', '&ended=false&clauses_missing=true', p.qo)),
    'subcontracting', json_build_object(
        'pending_approvals', (overview_fig(sf.pending, '/v1/subcontracts', '&status=requested', p.qo)::jsonb
                              || jsonb_build_object('oldest_requested_at', sf.oldest,
                                                    'oldest_id', (select id from oldest)))::json,
        'incomplete_flow_down', overview_fig(sf.incomplete, '/v1/subcontracts',
                                             '&status=requested&flow_down_complete=false', p.qo),
        'deepest_approved', (overview_fig(sd.n, '/v1/subcontracts',
                                          '&status=approved&depth=' || coalesce(sf.deepest, 0), p.qo)::jsonb
                             || jsonb_build_object('depth', sf.deepest))::json,
        'chain_assessed', overview_fig(cf2.covered, '/v1/subcontracts',
                                       '&status=approved&subcontractor_assessed=true', p.qo),
        'chain_not_assessed', overview_fig(cf2.uncovered, '/v1/subcontracts',
                                           '&status=approved&subcontractor_assessed=false', p.qo),
        'weakest_link', (overview_fig(cw.n, '/v1/subcontracts',
                                      '&status=approved&subcontractor_tier=' || coalesce(cf2.weakest, 'high'), p.qo)::jsonb
                         || jsonb_build_object('tier', cf2.weakest))::json),
    'assessments', json_build_object(
        'by_status', json_build_object(
            'draft', overview_fig(af.draft, '/v1/assessments', '&status=draft', p.qo),
            'sent', overview_fig(af.sent, '/v1/assessments', '&status=sent', p.qo),
            'in_progress', overview_fig(af.in_progress, '/v1/assessments', '&status=in_progress', p.qo),
            'submitted', overview_fig(af.submitted, '/v1/assessments', '&status=submitted', p.qo),
            'in_review', overview_fig(af.in_review, '/v1/assessments', '&status=in_review', p.qo),
            'returned', overview_fig(af.returned, '/v1/assessments', '&status=returned', p.qo),
            'completed', overview_fig(af.completed, '/v1/assessments', '&status=completed', p.qo),
            'cancelled', overview_fig(af.cancelled, '/v1/assessments', '&status=cancelled', p.qo)),
        'overdue', overview_fig(af.overdue, '/v1/assessments', '&overdue=true', p.qo),
        'due_this_month', overview_fig(af.due_month, '/v1/assessments',
                                       '&status=sent,in_progress,returned&due_after=' || p.month_start
                                       || '&due_before=' || p.month_end, p.qo),
        'average_score_by_template', coalesce((
            select json_agg((overview_fig(at.n, '/v1/assessments', '&status=completed&template_id=' || at.template_id
                                          || '&completed_after=' || p.year_start, p.qo)::jsonb
                             || jsonb_build_object('template_id', at.template_id, 'template_name', at.name,
                                                   'average', at.average))::json order by at.name, at.template_id)
              from at), '[]'::json)),
    'findings', json_build_object(
        'open_by_severity', json_build_object(
            'critical', overview_fig(ff.critical, '/v1/findings', '&status=open,in_progress&severity=critical', p.qo),
            'high', overview_fig(ff.high, '/v1/findings', '&status=open,in_progress&severity=high', p.qo),
            'medium', overview_fig(ff.medium, '/v1/findings', '&status=open,in_progress&severity=medium', p.qo),
            'low', overview_fig(ff.low, '/v1/findings', '&status=open,in_progress&severity=low', p.qo)),
        'overdue', overview_fig(ff.overdue, '/v1/findings', '&overdue=true', p.qo)),
    'incidents', json_build_object(
        'open_by_severity', json_build_object(
            'critical', overview_fig(inf.critical, '/v1/incidents', '&open=true&severity=critical', p.qo),
            'high', overview_fig(inf.high, '/v1/incidents', '&open=true&severity=high', p.qo),
            'medium', overview_fig(inf.medium, '/v1/incidents', '&open=true&severity=medium', p.qo),
            'low', overview_fig(inf.low, '/v1/incidents', '&open=true&severity=low', p.qo)),
        'open_by_status', json_build_object(
            'reported', overview_fig(inf.reported, '/v1/incidents', '&status=reported', p.qo),
            'investigating', overview_fig(inf.investigating, '/v1/incidents', '&status=investigating', p.qo),
            'contained', overview_fig(inf.contained, '/v1/incidents', '&status=contained', p.qo)),
        'ppc_filings_pending', (overview_fig(inf.ppc_pending, '/v1/incidents', '&sort=deadline', p.qo)::jsonb
                                || jsonb_build_object('nearest', (select json_build_object(
                                       'incident_id', n.id, 'filing', n.filing, 'due_at', n.deadline)
                                     from nearest n)))::json,
        'ppc_filings_overdue', overview_fig(inf.filings_overdue, '/v1/incidents', '&overdue=true', p.qo)),
    'negotiations', json_build_object(
        'open_requests', overview_fig(nrf.open_requests, '/v1/security-requests', '&status=open', p.qo),
        'risks_by_rule', (select json_object_agg(r, overview_fig((select nrr.n from nrr where nrr.rule = r),
                                                                  '/v1/negotiation-risks', '&rule=' || r, p.qo) order by r)
                            from unnest(array['R1_no_timely_consultation', 'R2_decline_without_written_reason',
                                              'R3_unchanged_at_renewal', 'R4_low_price_unilateral',
                                              'R5_designation_with_equivalent', 'R6_charge_without_agreement',
                                              'R7_payment_terms']) r),
        'concluded_this_year', (overview_fig(nyf.concluded, '/v1/negotiations', '&concluded_after=' || p.year_start,
                                             p.qo)::jsonb
                                || jsonb_build_object('pass_through_rate', nyf.rate))::json,
        'payment_term_over_60_days', overview_fig(pay.n, '/v1/engagements',
                                                  '&ended=false&payment_term_over_60_days=true', p.qo)),
    'handovers', json_build_object(
        'overdue', overview_fig(hf.overdue, '/v1/handovers', '&overdue=true', p.qo)),
    'webhooks', (select json_build_object(
        'dead_deliveries', overview_fig(wf.dead, '/v1/webhook-deliveries', '&status=dead', ''),
        'disabled_subscriptions', overview_fig(wf.disabled, '/v1/webhook-subscriptions', '&enabled=false', ''))
        from wf))
  from p
  left join vf on true left join cf on true left join ef on true left join pay on true
  left join sf on true left join sd on true
  left join cf2 on true left join cw on true left join nrf on true left join nyf on true
  left join af on true left join ff on true left join inf on true left join hf on true);
end
$$;

-- ---- the trend ------------------------------------------------------------

-- The main figures kept per day: a metric name and its path in the overview.
create or replace function overview_metrics(o json) returns jsonb
language sql immutable as $$
    select jsonb_object_agg(m.name, (o #>> m.path)::bigint)
      from (values
        ('vendors_total', '{vendors,total,count}'::text[]),
        ('vendors_high', '{vendors,by_tier,high,count}'),
        ('vendors_action_required', '{vendors,by_verdict,action_required,count}'),
        ('monitoring_overdue', '{vendors,monitoring_overdue,count}'),
        ('certifications_expired', '{certifications,expired,count}'),
        ('certifications_expiring_30', '{certifications,expiring_within_30_days,count}'),
        ('subcontracts_pending', '{subcontracting,pending_approvals,count}'),
        ('assessments_overdue', '{assessments,overdue,count}'),
        ('findings_overdue', '{findings,overdue,count}'),
        ('findings_open_high', '{findings,open_by_severity,high,count}'),
        ('findings_open_critical', '{findings,open_by_severity,critical,count}'),
        ('incidents_open_critical', '{incidents,open_by_severity,critical,count}'),
        ('incidents_open_high', '{incidents,open_by_severity,high,count}'),
        ('ppc_filings_overdue', '{incidents,ppc_filings_overdue,count}'),
        ('handovers_overdue', '{handovers,overdue,count}')) m(name, path)
$$;

-- One step of the day's snapshot: the next p_limit tenants (in id order,
-- after the run's position) get their row of the day. Exactly once across
-- replicas: the run row of the Tokyo day is claimed with SKIP LOCKED (a
-- step held elsewhere is left alone), and (tenant_id, day) is the key of
-- overview_days. The last step prunes rows older than three years. The
-- figures are taken after the day's re-derivation of tiers (60_scheduler):
-- until that run is finished, a step does nothing (more = false; the next
-- scan tries again).
create or replace function overview_snapshot_step(p_limit integer, out more boolean, out written integer)
language plpgsql as $$
declare
    today date := tokyo_today();
    run scheduler_runs;
    t record;
    n integer := 0;
    k integer;
    last_tenant uuid;
begin
    more := false;
    written := 0;
    if not exists (select 1 from scheduler_runs where job = 'vendor_rederive' and day = today
                                                  and finished_at is not null) then
        return;
    end if;
    insert into scheduler_runs (job, day) values ('overview_snapshot', today) on conflict do nothing;
    select * into run from scheduler_runs
     where job = 'overview_snapshot' and day = today for update skip locked;
    if not found or run.finished_at is not null then
        return;
    end if;
    for t in select id from tenants
              where run.after_tenant is null or id > run.after_tenant
              order by id limit p_limit
    loop
        n := n + 1;
        last_tenant := t.id;
        -- the kept counts checked against a recount first; counts that
        -- differ are set aside, and the figures read from the records
        perform overview_counts_check(t.id);
        insert into overview_days (tenant_id, day, figures)
        values (t.id, today, overview_metrics(overview_json(t.id, null, null, null, null, false)))
        on conflict do nothing;
        get diagnostics k = row_count;
        written := written + k;
    end loop;
    more := n = p_limit;
    if not more then
        delete from overview_days where day < (today - interval '3 years')::date;
    end if;
    update scheduler_runs s
       set after_tenant = coalesce(last_tenant, s.after_tenant), after_id = coalesce(last_tenant, s.after_id),
           checked = s.checked + n, changed = s.changed + written,
           finished_at = case when more then null else now() end
     where s.job = 'overview_snapshot' and s.day = today;
end
$$;

-- The series of one metric, one row per day of [p_from, p_to]; a day with
-- no snapshot (or no such metric then) is null, not zero.
create or replace function overview_trend(p_tenant uuid, p_metric text, p_from date, p_to date) returns json
language sql stable as $$
    select json_build_object('metric', p_metric, 'from', p_from, 'to', p_to,
        'points', coalesce(json_agg(json_build_object('day', d.day::date, 'value', (o.figures ->> p_metric)::bigint)
                                    order by d.day), '[]'::json))
      from generate_series(p_from, p_to, interval '1 day') d(day)
      left join overview_days o on o.tenant_id = p_tenant and o.day = d.day::date
$$;

-- ---- the board report -----------------------------------------------------

-- The vendors in scope with at least one problem, and which: each problem
-- is one the overview counts (monitoring overdue, last verdict "action
-- required", an expired certificate, an overdue assessment or finding, an
-- open high or critical incident, a PPC filing overdue, a handover not
-- returned or erased by its due date).
create or replace function overview_problem_vendors(p_tenant uuid, p_department text, p_tag text,
                                                    p_category text, p_tiers text[])
returns table (id uuid, name text, external_ref text, risk_tier text, problems text[])
language sql stable as $$
    select v.id, v.name, v.external_ref, v.risk_tier, pr.problems
      from vendors v
     cross join lateral (select array_remove(array[
         case when v.next_monitoring_due < tokyo_today() then 'monitoring_overdue' end,
         case when v.last_monitoring_verdict = 'action_required' then 'action_required' end,
         case when exists (select 1 from certifications c where c.tenant_id = v.tenant_id and c.vendor_id = v.id
                              and c.expires_on < tokyo_today()) then 'certification_expired' end,
         case when exists (select 1 from assessments a where a.tenant_id = v.tenant_id and a.vendor_id = v.id
                              and a.status in ('sent', 'in_progress', 'returned') and a.due_on < tokyo_today())
              then 'assessment_overdue' end,
         case when exists (select 1 from findings f where f.tenant_id = v.tenant_id and f.vendor_id = v.id
                              and f.status in ('open', 'in_progress') and f.due_on < tokyo_today())
              then 'finding_overdue' end,
         case when exists (select 1 from incidents i where i.tenant_id = v.tenant_id and i.vendor_id = v.id
                              and i.status not in ('resolved', 'closed') and i.severity in ('high', 'critical'))
              then 'incident_open' end,
         case when exists (select 1 from incidents i where i.tenant_id = v.tenant_id and i.vendor_id = v.id
                              and incident_next_deadline(i) < now()) then 'ppc_filing_overdue' end,
         case when exists (select 1 from handovers h join engagements e on e.tenant_id = h.tenant_id
                                                                        and e.id = h.engagement_id
                            where e.tenant_id = v.tenant_id and e.vendor_id = v.id
                              and h.status = 'held' and h.return_due_on < tokyo_today())
              then 'handover_overdue' end], null) as problems) pr
     where v.tenant_id = p_tenant
       and (p_department is null or v.department = p_department)
       and (p_tag is null or v.tags @> array[p_tag])
       and (p_tiers is null or v.risk_tier = any(p_tiers))
       and (p_category is null or exists (select 1 from engagements e
                                           where e.tenant_id = p_tenant and e.vendor_id = v.id
                                             and e.category = p_category))
       and cardinality(pr.problems) > 0
     order by v.name, v.id
$$;

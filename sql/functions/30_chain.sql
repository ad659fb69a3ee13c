-- 30_chain.sql: subcontractor chains: the policy checks, closing subtrees, chain health, the chain-aware risk tier.
--
-- The one live copy of these functions and triggers: `itaku migrate`
-- re-applies this file, after the numbered migrations, whenever its
-- checksum changes. Change them here, never in a migration.

-- The names the API uses for the confirmations still missing.
create or replace function subcontract_missing(s subcontracts) returns text[]
language sql immutable as $$
    select array_remove(array[
        case when not s.equal_obligations then 'equal_obligations' end,
        case when not s.direct_incident_notice then 'direct_incident_notice' end,
        case when not s.recurrence_prevention then 'recurrence_prevention' end,
        case when not s.status_reports_visible then 'status_reports_visible' end,
        case when not s.return_or_erasure then 'return_or_erasure' end], null)
$$;

create or replace function subcontracts_check() returns trigger
language plpgsql as $$
declare
    e engagements;
    p subcontracts;
    child vendors;
    limit_conf smallint;
    limit_personal boolean;
    limit_categories text[];
begin
    if tg_op = 'UPDATE' then
        if (new.engagement_id, new.parent_id, new.vendor_id, new.depth, new.path, new.parent_vendor_id)
           is distinct from
           (old.engagement_id, old.parent_id, old.vendor_id, old.depth, old.path, old.parent_vendor_id) then
            raise exception 'a subcontract link cannot move: withdraw or end it and request a new one';
        end if;
        if old.status in ('rejected', 'withdrawn', 'ended') then
            raise exception 'a % subcontract link is closed and cannot change', old.status;
        end if;
        if new.status <> old.status and not (
               (old.status = 'requested' and new.status in ('approved', 'rejected', 'withdrawn'))
            or (old.status = 'approved' and new.status = 'ended')) then
            raise exception 'a % subcontract link cannot become %', old.status, new.status;
        end if;
        if old.status = 'approved' and (new.scope, new.data_categories, new.personal_data,
               new.confidentiality, new.reason) is distinct from
               (old.scope, old.data_categories, old.personal_data, old.confidentiality, old.reason) then
            raise exception 'scope, data shared and reason of an approved link are fixed; request a new link to change them';
        end if;
        if new.status = old.status and new.status = 'approved' then
            return new;
        end if;
        if new.status in ('rejected', 'withdrawn', 'ended') then
            return new;
        end if;
    elsif new.status not in ('requested', 'approved') then
        raise exception 'a new subcontract link is requested or, where the engagement allows it, approved';
    end if;

    -- New links, approvals and edits of requests: the structural rules.
    select * into e from engagements
     where tenant_id = new.tenant_id and id = new.engagement_id for no key update;
    if not found then
        raise foreign_key_violation using message = 'no such engagement';
    end if;
    if e.subcontracting = 'prohibited' then
        raise exception 'engagement "%" prohibits subcontracting', e.title;
    end if;
    if tg_op = 'INSERT' and new.status = 'approved' and e.subcontracting <> 'allowed' then
        raise exception 'engagement "%" requires prior approval: a link starts as requested', e.title;
    end if;

    if new.parent_id is null then
        new.parent_vendor_id := e.vendor_id;
        new.depth := 1;
        new.path := array[e.vendor_id, new.vendor_id];
        limit_conf := e.confidentiality;
        limit_personal := e.handles_personal_data;
        limit_categories := null;
    else
        select * into p from subcontracts where tenant_id = new.tenant_id and id = new.parent_id;
        if not found then
            raise foreign_key_violation using message = 'no such parent link';
        end if;
        if p.engagement_id <> new.engagement_id then
            raise exception 'the parent link belongs to another engagement';
        end if;
        if p.status <> 'approved' then
            raise exception 'the parent link is %: only an approved link can have subcontractors', p.status;
        end if;
        new.parent_vendor_id := p.vendor_id;
        new.depth := p.depth + 1;
        new.path := p.path || new.vendor_id;
        limit_conf := p.confidentiality;
        limit_personal := p.personal_data;
        limit_categories := p.data_categories;
    end if;

    if new.depth > e.subcontract_max_depth then
        raise exception 'depth % exceeds the maximum of % set on engagement "%"',
            new.depth, e.subcontract_max_depth, e.title;
    end if;
    if new.vendor_id = any(new.path[1:cardinality(new.path) - 1]) then
        raise exception 'the vendor already appears on this path: a chain cannot loop';
    end if;
    -- Across the tree: the child must not already delegate, directly or
    -- further down, to the parent's vendor in this engagement.
    if exists (
        with recursive below(v) as (
            select new.vendor_id
            union
            select s.vendor_id from subcontracts s join below on s.parent_vendor_id = below.v
             where s.tenant_id = new.tenant_id and s.engagement_id = new.engagement_id
               and s.status in ('requested', 'approved') and s.id <> new.id)
        select 1 from below where v = new.parent_vendor_id) then
        raise exception 'the vendor already subcontracts to its parent in this engagement: a chain cannot loop';
    end if;
    if new.confidentiality > limit_conf then
        raise exception 'confidentiality % exceeds the % level %', new.confidentiality,
            case when new.parent_id is null then 'engagement''s' else 'parent link''s' end, limit_conf;
    end if;
    if new.personal_data and not limit_personal then
        raise exception 'personal data cannot be shared: the % does not handle any',
            case when new.parent_id is null then 'engagement' else 'parent link' end;
    end if;
    if limit_categories is not null and not (new.data_categories <@ limit_categories) then
        raise exception 'data categories must be among the parent link''s (%)',
            array_to_string(limit_categories, ', ');
    end if;
    select * into child from vendors where tenant_id = new.tenant_id and id = new.vendor_id;
    if found and child.status = 'terminated' then
        raise exception 'vendor "%" is terminated', child.name;
    end if;
    if new.status = 'approved' and (tg_op = 'INSERT' or old.status <> 'approved')
       and cardinality(subcontract_missing(new)) > 0 then
        raise exception 'flow-down confirmations missing: %', array_to_string(subcontract_missing(new), ', ');
    end if;
    return new;
end
$$;

-- Closing a link closes what hangs below it (the API does it in the same
-- transaction, with an audit event per link); this refuses a commit that
-- would leave an open link under a closed one.
create or replace function subcontracts_closed_subtree() returns trigger
language plpgsql as $$
begin
    if exists (select 1 from subcontracts
                where tenant_id = new.tenant_id and parent_id = new.id
                  and status in ('requested', 'approved')) then
        raise exception 'links below a % link must be closed with it', new.status;
    end if;
    return null;
end
$$;

-- An engagement cannot be tightened below the chain it already has.
create or replace function engagements_guard_chain() returns trigger
language plpgsql as $$
declare
    deepest int;
begin
    select max(depth) into deepest from subcontracts
     where tenant_id = new.tenant_id and engagement_id = new.id and status in ('requested', 'approved');
    if deepest is null then
        return new;
    end if;
    if new.subcontracting = 'prohibited' then
        raise exception 'the engagement has open subcontract links: end or withdraw them before prohibiting subcontracting';
    end if;
    if new.subcontract_max_depth < deepest then
        raise exception 'the engagement has open subcontract links down to depth %', deepest;
    end if;
    if new.vendor_id <> old.vendor_id then
        raise exception 'the engagement has open subcontract links: its vendor cannot change';
    end if;
    if exists (select 1 from subcontracts
                where tenant_id = new.tenant_id and engagement_id = new.id and parent_id is null
                  and status in ('requested', 'approved')
                  and (confidentiality > new.confidentiality or (personal_data and not new.handles_personal_data))) then
        raise exception 'open subcontract links share more data than the engagement would allow';
    end if;
    return new;
end
$$;

-- The link's public shape.
create or replace function subcontract_json(s subcontracts) returns json
language sql stable as $$
    select json_build_object(
        'id', s.id, 'engagement_id', s.engagement_id, 'parent_id', s.parent_id,
        'parent_vendor_id', s.parent_vendor_id, 'vendor_id', s.vendor_id,
        'depth', s.depth, 'path', to_jsonb(s.path),
        'scope', s.scope, 'data_categories', to_jsonb(s.data_categories),
        'personal_data', s.personal_data, 'confidentiality', s.confidentiality,
        'reason', s.reason, 'starts_on', s.starts_on, 'ends_on', s.ends_on,
        'flow_down', json_build_object(
            'equal_obligations', s.equal_obligations, 'equal_obligations_ref', s.equal_obligations_ref,
            'direct_incident_notice', s.direct_incident_notice,
            'recurrence_prevention', s.recurrence_prevention,
            'status_reports_visible', s.status_reports_visible,
            'return_or_erasure', s.return_or_erasure),
        'flow_down_missing', to_jsonb(subcontract_missing(s)),
        'status', s.status,
        'requested_by', s.requested_by, 'requested_at', s.requested_at,
        'decided_by', s.decided_by, 'decided_at', s.decided_at,
        'decision_note', s.decision_note, 'conditions', s.conditions,
        'ended_by', s.ended_by, 'ended_at', s.ended_at, 'end_note', s.end_note,
        'closed_with', s.closed_with,
        'version', s.version, 'created_at', s.created_at, 'updated_at', s.updated_at)
$$;

-- A chain node's latest completed assessment (of its vendor, for any
-- engagement): verdict, overall score, date, and whether it is still
-- within the vendor's monitoring cadence.
create or replace function chain_node_assessment(p_tenant uuid, p_vendor uuid) returns json
language sql stable as $$
    select json_build_object(
        'assessment_id', a.id, 'verdict', a.verdict, 'overall', a.score -> 'overall',
        'completed_on', (a.completed_at at time zone 'Asia/Tokyo')::date,
        'engagement_id', a.engagement_id, 'subcontract_id', a.subcontract_id,
        'within_cadence', (a.completed_at at time zone 'Asia/Tokyo')::date
                          + make_interval(months => v.monitoring_cadence_months) >= tokyo_today())
      from assessments a join vendors v on v.tenant_id = a.tenant_id and v.id = a.vendor_id
     where a.tenant_id = p_tenant and a.vendor_id = p_vendor and a.status = 'completed'
     order by a.completed_at desc, a.id desc
     limit 1
$$;

create or replace function chain_health(p_tenant uuid, p_engagement uuid) returns json
language sql stable as $$
    with open as (
        select s.id, s.vendor_id, s.depth, s.status, v.name, v.risk_tier, v.last_monitoring_verdict,
               subcontract_missing(s) as missing,
               case v.risk_tier when 'high' then 3 when 'medium' then 2 else 1 end as tier_rank,
               case v.last_monitoring_verdict when 'action_required' then 3 when 'watch' then 2
                    when 'no_issues' then 0 else 1 end as verdict_rank
          from subcontracts s join vendors v on v.tenant_id = s.tenant_id and v.id = s.vendor_id
         where s.tenant_id = p_tenant and s.engagement_id = p_engagement
           and s.status in ('requested', 'approved')),
    inc as (
        select i.severity, i.depth from incidents i
         where i.tenant_id = p_tenant and i.engagement_id = p_engagement
           and i.status not in ('resolved', 'closed')),
    -- the engagement's vendor and every open link, with its latest assessment
    nodes as (
        select null::uuid as id, e.vendor_id, v.name, 0 as depth,
               chain_node_assessment(p_tenant, e.vendor_id)::jsonb as a
          from engagements e join vendors v on v.tenant_id = e.tenant_id and v.id = e.vendor_id
         where e.tenant_id = p_tenant and e.id = p_engagement
        union all
        select o.id, o.vendor_id, o.name, o.depth, chain_node_assessment(p_tenant, o.vendor_id)::jsonb
          from open o)
    select json_build_object(
        'deepest_depth', coalesce((select max(depth) from open where status = 'approved'), 0),
        'approved_links', (select count(*) from open where status = 'approved'),
        'pending_approvals', (select count(*) from open where status = 'requested'),
        'open_incidents', (select count(*) from inc),
        'open_incidents_below', (select count(*) from inc where depth > 0),
        'worst_open_severity', (select severity from inc
                                 order by array_position(array['critical', 'high', 'medium', 'low'], severity)
                                 limit 1),
        'weakest_link', (select json_build_object(
                'subcontract_id', o.id, 'vendor_id', o.vendor_id, 'vendor_name', o.name,
                'depth', o.depth, 'status', o.status, 'risk_tier', o.risk_tier,
                'last_verdict', o.last_monitoring_verdict, 'flow_down_missing', to_jsonb(o.missing))
              from open o
             order by o.tier_rank desc, o.verdict_rank desc, cardinality(o.missing) desc,
                      o.depth desc, o.id
             limit 1),
        'assessments', (select json_build_object(
                'nodes', count(*),
                'assessed_within_cadence', count(*) filter (where (n.a ->> 'within_cadence')::boolean),
                'coverage_percent', round(100.0 * count(*) filter (where (n.a ->> 'within_cadence')::boolean)
                                          / greatest(count(*), 1), 1),
                'never_assessed_count', count(*) filter (where n.a is null),
                -- the first 100, shallowest first: a long tail is a list call away
                'never_assessed', (select coalesce(json_agg(json_build_object('subcontract_id', x.id,
                                              'vendor_id', x.vendor_id, 'vendor_name', x.name,
                                              'depth', x.depth) order by x.depth, x.name, x.vendor_id), '[]')
                                     from (select * from nodes where a is null
                                            order by depth, name, vendor_id limit 100) x),
                'weakest', (select json_build_object('verdict', w.a ->> 'verdict',
                                                     'assessment_id', w.a ->> 'assessment_id',
                                                     'subcontract_id', w.id, 'vendor_id', w.vendor_id,
                                                     'vendor_name', w.name, 'depth', w.depth)
                              from nodes w where w.a is not null
                             order by case w.a ->> 'verdict' when 'action_required' then 3
                                      when 'watch' then 2 else 0 end desc, w.depth desc, w.vendor_id
                             limit 1))
              from nodes n))
$$;

-- A chain change re-derives the engagement's vendor (its tier counts the
-- chain). Statement-level, so closing a subtree of many links touches each
-- vendor once.
create or replace function subcontracts_touch_vendor() returns trigger
language plpgsql as $$
begin
    update vendors v set tenant_id = v.tenant_id
      from (select distinct e.tenant_id, e.vendor_id
              from changed c join engagements e on e.tenant_id = c.tenant_id and e.id = c.engagement_id) x
     where v.tenant_id = x.tenant_id and v.id = x.vendor_id;
    return null;
end
$$;

-- A subcontractor whose tier or assessment changed re-derives the vendors
-- whose approved chains hold it. Tiers only rise through chains, so the
-- propagation settles; the depth guard is a backstop.
create or replace function vendors_touch_chains() returns trigger
language plpgsql as $$
begin
    if pg_trigger_depth() > 16 then
        return null;
    end if;
    update vendors v set tenant_id = v.tenant_id
      from (select distinct e.vendor_id
              from subcontracts s join engagements e on e.tenant_id = s.tenant_id and e.id = s.engagement_id
             where s.tenant_id = new.tenant_id and s.vendor_id = new.id and s.status = 'approved') x
     where v.tenant_id = new.tenant_id and v.id = x.vendor_id and v.id <> new.id;
    return null;
end
$$;

create or replace trigger subcontracts_check before insert or update on subcontracts
    for each row execute function subcontracts_check();

drop trigger if exists subcontracts_closed_subtree on subcontracts;
create constraint trigger subcontracts_closed_subtree after update on subcontracts
    deferrable initially deferred for each row
    when (new.status in ('rejected', 'withdrawn', 'ended'))
    execute function subcontracts_closed_subtree();

create or replace trigger engagements_guard_chain before update on engagements
    for each row execute function engagements_guard_chain();

create or replace trigger subcontracts_touch_vendor_ins after insert on subcontracts
    referencing new table as changed for each statement execute function subcontracts_touch_vendor();

create or replace trigger subcontracts_touch_vendor_upd after update on subcontracts
    referencing new table as changed for each statement execute function subcontracts_touch_vendor();

create or replace trigger vendors_touch_chains after update on vendors
    for each row
    when (old.risk_tier is distinct from new.risk_tier
          or old.last_monitoring_date is distinct from new.last_monitoring_date
          or old.last_monitoring_verdict is distinct from new.last_monitoring_verdict)
    execute function vendors_touch_chains();

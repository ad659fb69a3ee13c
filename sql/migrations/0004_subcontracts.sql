-- Subcontractor chains (再委託・再々委託). A link belongs to one engagement
-- and hangs below the engagement's vendor (parent_id null) or below an
-- approved link of the same engagement, so the links of an engagement form
-- a tree. depth, path and parent_vendor_id are derived here, never
-- supplied, and never change: a link's path is fixed when it is made.
--
-- Every rule the API reports is also enforced below, so that no writer can
-- produce a chain the API would refuse. Structural changes to a chain
-- (new links, status changes) take a lock on the engagement row first: two
-- transactions that each add half of a loop are serialised, and the second
-- sees the first's link.

create table subcontracts (
    tenant_id          uuid not null,
    id                 uuid not null default gen_random_uuid(),
    engagement_id      uuid not null,
    parent_id          uuid,
    parent_vendor_id   uuid not null,
    vendor_id          uuid not null,
    depth              smallint not null check (depth between 1 and 10),
    path               uuid[] not null,
    scope              text not null check (char_length(scope) between 1 and 4000),
    data_categories    text[] not null default '{}' check (cardinality(data_categories) <= 30),
    personal_data      boolean not null default false,
    confidentiality    smallint not null check (confidentiality between 1 and 3),
    reason             text not null check (char_length(reason) between 1 and 4000),
    starts_on          date,
    ends_on            date,
    -- flow-down confirmations (seed 001 別紙 1.2, seed 002 9.3.5)
    equal_obligations      boolean not null default false,
    equal_obligations_ref  text check (char_length(equal_obligations_ref) between 1 and 500),
    direct_incident_notice boolean not null default false,
    recurrence_prevention  boolean not null default false,
    status_reports_visible boolean not null default false,
    return_or_erasure      boolean not null default false,
    status             text not null default 'requested'
                       check (status in ('requested', 'approved', 'rejected', 'withdrawn', 'ended')),
    requested_by       uuid,
    requested_at       timestamptz not null default now(),
    decided_by         uuid,
    decided_at         timestamptz,
    decision_note      text check (char_length(decision_note) between 1 and 2000),
    conditions         text check (char_length(conditions) between 1 and 4000),
    ended_by           uuid,
    ended_at           timestamptz,
    end_note           text check (char_length(end_note) between 1 and 2000),
    closed_with        uuid,     -- the link whose ending or rejection closed this one
    version            integer not null default 1 check (version > 0),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, engagement_id) references engagements (tenant_id, id),
    foreign key (tenant_id, vendor_id) references vendors (tenant_id, id),
    foreign key (tenant_id, parent_id) references subcontracts (tenant_id, id),
    check (ends_on is null or starts_on is null or ends_on >= starts_on),
    check (not equal_obligations or equal_obligations_ref is not null),
    check (status not in ('approved', 'ended') or (equal_obligations and direct_incident_notice
           and recurrence_prevention and status_reports_visible and return_or_erasure)),
    check (status <> 'rejected' or decision_note is not null),
    check (status = 'requested' or decided_at is not null),
    check (status <> 'ended' or ended_at is not null),
    check (depth = cardinality(path) - 1 and path[cardinality(path)] = vendor_id
           and path[cardinality(path) - 1] = parent_vendor_id)
);
create index subcontracts_engagement on subcontracts (tenant_id, engagement_id, created_at, id);
create index subcontracts_parent on subcontracts (tenant_id, parent_id);
create index subcontracts_vendor on subcontracts (tenant_id, vendor_id, depth, id);
create index subcontracts_queue on subcontracts (tenant_id, status, created_at, id);
-- One open request or approval per child under one parent.
create unique index subcontracts_open_once on subcontracts
    (tenant_id, engagement_id, coalesce(parent_id, engagement_id), vendor_id)
    where status in ('requested', 'approved');

-- The names the API uses for the confirmations still missing.
create function subcontract_missing(s subcontracts) returns text[]
language sql immutable as $$
    select array_remove(array[
        case when not s.equal_obligations then 'equal_obligations' end,
        case when not s.direct_incident_notice then 'direct_incident_notice' end,
        case when not s.recurrence_prevention then 'recurrence_prevention' end,
        case when not s.status_reports_visible then 'status_reports_visible' end,
        case when not s.return_or_erasure then 'return_or_erasure' end], null)
$$;

create function subcontracts_check() returns trigger
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
create trigger subcontracts_check before insert or update on subcontracts
    for each row execute function subcontracts_check();

-- Closing a link closes what hangs below it (the API does it in the same
-- transaction, with an audit event per link); this refuses a commit that
-- would leave an open link under a closed one.
create function subcontracts_closed_subtree() returns trigger
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
create constraint trigger subcontracts_closed_subtree after update on subcontracts
    deferrable initially deferred for each row
    when (new.status in ('rejected', 'withdrawn', 'ended'))
    execute function subcontracts_closed_subtree();

-- An engagement cannot be tightened below the chain it already has.
create function engagements_guard_chain() returns trigger
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
create trigger engagements_guard_chain before update on engagements
    for each row execute function engagements_guard_chain();

-- The link's public shape.
create function subcontract_json(s subcontracts) returns json
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

-- Chain health of an engagement: how deep the approved chain goes, how many
-- links are approved or waiting, and the weakest open link (highest tier,
-- then worst verdict, never-assessed counting between watch and no issues,
-- then most missing confirmations, then deepest).
create function chain_health(p_tenant uuid, p_engagement uuid) returns json
language sql stable as $$
    with open as (
        select s.id, s.vendor_id, s.depth, s.status, v.name, v.risk_tier, v.last_monitoring_verdict,
               subcontract_missing(s) as missing,
               case v.risk_tier when 'high' then 3 when 'medium' then 2 else 1 end as tier_rank,
               case v.last_monitoring_verdict when 'action_required' then 3 when 'watch' then 2
                    when 'no_issues' then 0 else 1 end as verdict_rank
          from subcontracts s join vendors v on v.tenant_id = s.tenant_id and v.id = s.vendor_id
         where s.tenant_id = p_tenant and s.engagement_id = p_engagement
           and s.status in ('requested', 'approved'))
    select json_build_object(
        'deepest_depth', coalesce((select max(depth) from open where status = 'approved'), 0),
        'approved_links', (select count(*) from open where status = 'approved'),
        'pending_approvals', (select count(*) from open where status = 'requested'),
        'weakest_link', (select json_build_object(
                'subcontract_id', o.id, 'vendor_id', o.vendor_id, 'vendor_name', o.name,
                'depth', o.depth, 'status', o.status, 'risk_tier', o.risk_tier,
                'last_verdict', o.last_monitoring_verdict, 'flow_down_missing', to_jsonb(o.missing))
              from open o
             order by o.tier_rank desc, o.verdict_rank desc, cardinality(o.missing) desc,
                      o.depth desc, o.id
             limit 1))
$$;

create or replace function engagement_json(e engagements) returns json
language sql stable as $$
    select json_build_object(
        'id', e.id, 'vendor_id', e.vendor_id, 'external_ref', e.external_ref, 'title', e.title,
        'description', e.description, 'contract_type', e.contract_type, 'category', e.category,
        'starts_on', e.starts_on, 'ends_on', e.ends_on,
        'status', case when e.starts_on > tokyo_today() then 'planned'
                       when e.ends_on < tokyo_today() then 'ended' else 'current' end,
        'handles_personal_data', e.handles_personal_data,
        'personal_data_categories', to_jsonb(e.personal_data_categories),
        'personal_data_subjects', e.personal_data_subjects,
        'confidentiality', e.confidentiality, 'data_locations', to_jsonb(e.data_locations),
        'foreign_data_location', exists (select 1 from unnest(e.data_locations) c where c <> 'JP'),
        'subcontracting', e.subcontracting, 'subcontract_max_depth', e.subcontract_max_depth,
        'clauses', e.clauses,
        'chain_health', chain_health(e.tenant_id, e.id),
        'required_measures', m.measures, 'missing_clauses', m.missing,
        'version', e.version, 'created_at', e.created_at, 'updated_at', e.updated_at)
      from engagement_measures(e.category, e.clauses) m
$$;

create or replace function vendor_risk(p_tenant uuid, p_vendor uuid, p_corporate_number text,
                            out tier text, out reasons jsonb)
language plpgsql stable as $$
declare
    e record;
    pts int;
    best int := -1;
    er jsonb;
    score int;
    today date := tokyo_today();
    n_valid int;
    n_verified int;
    closed date;
    foreign_codes text[];
    node record;
    node_count int;
begin
    reasons := '[]';
    for e in select * from engagements
              where tenant_id = p_tenant and vendor_id = p_vendor
                and (ends_on is null or ends_on >= today)
              order by created_at, id loop
        pts := 0;
        er := '[]';
        if e.handles_personal_data then
            pts := pts + 2;
            er := er || jsonb_build_object('code', 'personal_data', 'points', 2, 'engagement_id', e.id,
                'message', format('engagement "%s" handles personal data', e.title));
        end if;
        if e.personal_data_subjects >= 100000 then
            pts := pts + 2;
            er := er || jsonb_build_object('code', 'personal_data_volume', 'points', 2, 'engagement_id', e.id,
                'message', format('about %s people''s data (100,000 or more)', e.personal_data_subjects));
        elsif e.personal_data_subjects >= 1000 then
            pts := pts + 1;
            er := er || jsonb_build_object('code', 'personal_data_volume', 'points', 1, 'engagement_id', e.id,
                'message', format('about %s people''s data (1,000 or more)', e.personal_data_subjects));
        end if;
        if e.personal_data_categories && array['sensitive', 'my_number'] then
            pts := pts + 2;
            er := er || jsonb_build_object('code', 'sensitive_personal_data', 'points', 2, 'engagement_id', e.id,
                'message', 'sensitive personal data (要配慮個人情報) or individual numbers are handled');
        end if;
        if e.confidentiality >= 2 then
            pts := pts + e.confidentiality - 1;
            er := er || jsonb_build_object('code', 'confidentiality', 'points', e.confidentiality - 1,
                'engagement_id', e.id, 'message', format('confidentiality level %s', e.confidentiality));
        end if;
        if e.category in ('data_processing', 'datacenter', 'asp_saas', 'storage_transport', 'operation_remote') then
            pts := pts + 1;
            er := er || jsonb_build_object('code', 'data_custody', 'points', 1, 'engagement_id', e.id,
                'message', format('category %s keeps or reaches our data on the vendor''s side', e.category));
        end if;
        select array_agg(c) into foreign_codes from unnest(e.data_locations) c where c <> 'JP';
        if foreign_codes is not null then
            pts := pts + case when e.handles_personal_data then 2 else 1 end;
            er := er || jsonb_build_object('code', 'foreign_location',
                'points', case when e.handles_personal_data then 2 else 1 end, 'engagement_id', e.id,
                'message', format('data kept outside Japan (%s): foreign law applies',
                                  array_to_string(foreign_codes, ', ')));
        end if;
        if e.subcontracting = 'allowed' then
            pts := pts + 1;
            er := er || jsonb_build_object('code', 'subcontracting', 'points', 1, 'engagement_id', e.id,
                'message', 'subcontracting is allowed without prior approval');
        elsif e.subcontracting = 'prior_approval' and e.subcontract_max_depth >= 2 then
            pts := pts + 1;
            er := er || jsonb_build_object('code', 'subcontracting', 'points', 1, 'engagement_id', e.id,
                'message', format('subcontracting allowed down to depth %s', e.subcontract_max_depth));
        end if;
        -- The chain: approved subcontractors of this engagement that are
        -- high risk or not (yet) verified raise the vendor's own tier.
        select s.id, s.depth, v.name, count(*) over () as n into node
          from subcontracts s join vendors v on v.tenant_id = s.tenant_id and v.id = s.vendor_id
         where s.tenant_id = p_tenant and s.engagement_id = e.id and s.status = 'approved'
           and v.risk_tier = 'high'
         order by s.depth, s.created_at, s.id limit 1;
        if found then
            pts := pts + 2;
            er := er || jsonb_build_object('code', 'chain_high_tier', 'points', 2, 'engagement_id', e.id,
                'subcontract_id', node.id,
                'message', format('subcontractor "%s" at depth %s of engagement "%s" is high risk%s',
                                  node.name, node.depth, e.title,
                                  case when node.n > 1 then format(' (%s such subcontractors)', node.n) else '' end));
        end if;
        select s.id, s.depth, v.name, v.last_monitoring_verdict as verdict, count(*) over () as n into node
          from subcontracts s join vendors v on v.tenant_id = s.tenant_id and v.id = s.vendor_id
         where s.tenant_id = p_tenant and s.engagement_id = e.id and s.status = 'approved'
           and (v.last_monitoring_date is null or v.last_monitoring_verdict = 'action_required')
         order by s.depth, s.created_at, s.id limit 1;
        if found then
            pts := pts + 1;
            er := er || jsonb_build_object('code', 'chain_unverified', 'points', 1, 'engagement_id', e.id,
                'subcontract_id', node.id,
                'message', format('subcontractor "%s" at depth %s of engagement "%s" %s%s',
                                  node.name, node.depth, e.title,
                                  case when node.verdict = 'action_required'
                                       then 'was last assessed as requiring action'
                                       else 'has never been assessed' end,
                                  case when node.n > 1 then format(' (%s such subcontractors)', node.n) else '' end));
        end if;
        if pts > best then
            best := pts;
            reasons := er;
        end if;
    end loop;

    select close_date into closed from corporate_master
     where corporate_number = p_corporate_number and close_date is not null;

    if best < 0 then
        tier := 'low';
        reasons := jsonb_build_array(jsonb_build_object('code', 'no_current_engagement', 'points', 0,
            'message', 'no current engagement'));
        if closed is not null then
            reasons := reasons || jsonb_build_object('code', 'corporation_closed', 'points', 2,
                'message', format('the corporation was closed on %s according to the corporate number register', closed));
        end if;
        return;
    end if;
    score := best;

    select count(*), count(*) filter (where scope_verified)
      into n_valid, n_verified
      from certifications
     where tenant_id = p_tenant and vendor_id = p_vendor
       and kind in ('isms', 'isms_cloud', 'privacy_mark', 'ismap', 'soc2_type2', 'fedramp')
       and (expires_on is null or expires_on >= today);
    if n_valid = 0 then
        score := score + 1;
        reasons := reasons || jsonb_build_object('code', 'no_certification', 'points', 1,
            'message', 'no current ISMS, Privacy Mark, ISMAP, SOC 2 Type 2 or FedRAMP certification');
    elsif n_verified = 0 then
        reasons := reasons || jsonb_build_object('code', 'certification_scope_unverified', 'points', 0,
            'message', 'a current certification exists but nobody has checked that its scope covers the outsourced work');
    else
        score := score - 1;
        reasons := reasons || jsonb_build_object('code', 'certification_verified', 'points', -1,
            'message', 'a current certification whose scope was checked to cover the outsourced work');
    end if;

    if closed is not null then
        score := score + 2;
        reasons := reasons || jsonb_build_object('code', 'corporation_closed', 'points', 2,
            'message', format('the corporation was closed on %s according to the corporate number register', closed));
    end if;

    tier := case when score >= 5 then 'high' when score >= 3 then 'medium' else 'low' end;
end
$$;

-- A chain change re-derives the engagement's vendor (its tier counts the
-- chain). Statement-level, so closing a subtree of many links touches each
-- vendor once.
create function subcontracts_touch_vendor() returns trigger
language plpgsql as $$
begin
    update vendors v set tenant_id = v.tenant_id
      from (select distinct e.tenant_id, e.vendor_id
              from changed c join engagements e on e.tenant_id = c.tenant_id and e.id = c.engagement_id) x
     where v.tenant_id = x.tenant_id and v.id = x.vendor_id;
    return null;
end
$$;
create trigger subcontracts_touch_vendor_ins after insert on subcontracts
    referencing new table as changed for each statement execute function subcontracts_touch_vendor();
create trigger subcontracts_touch_vendor_upd after update on subcontracts
    referencing new table as changed for each statement execute function subcontracts_touch_vendor();

-- A subcontractor whose tier or assessment changed re-derives the vendors
-- whose approved chains hold it. Tiers only rise through chains, so the
-- propagation settles; the depth guard is a backstop.
create function vendors_touch_chains() returns trigger
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
create trigger vendors_touch_chains after update on vendors
    for each row
    when (old.risk_tier is distinct from new.risk_tier
          or old.last_monitoring_date is distinct from new.last_monitoring_date
          or old.last_monitoring_verdict is distinct from new.last_monitoring_verdict)
    execute function vendors_touch_chains();

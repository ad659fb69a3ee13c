-- 0005_incidents: incident reports, their timeline, APPI clocks, and the
-- report links through which a vendor files without an account.
--
-- Where an incident happened is derived once, at filing: the vendor, the
-- engagement, and the subcontract link when the vendor is a subcontractor,
-- with the chain path from the engagement's vendor down to it. Queries "from
-- above" (an engagement, or any vendor on the path) then need no recursion.
--
-- The APPI (個人情報保護法) judgement is derived by the trigger too: the four
-- reportable conditions of 規則7条, the exemption for strongly encrypted
-- data, and the two deadlines of 規則8条, counted in Tokyo calendar days
-- from the day after the outsourcer became aware (民法140条: the first day
-- is not counted). Weekends and holidays do not move a deadline.

create table report_links (
    tenant_id     uuid not null,
    id            uuid not null default gen_random_uuid(),
    vendor_id     uuid not null,
    engagement_id uuid,
    label         text check (char_length(label) between 1 and 200),
    -- "itr_" + 43 base64url characters; only the SHA-256 is kept
    token_hash    text not null check (token_hash ~ '^[0-9a-f]{64}$'),
    prefix        text not null check (char_length(prefix) between 8 and 16),
    expires_at    timestamptz not null,
    revoked_at    timestamptz,
    revoked_by    uuid,
    created_by    uuid,
    created_at    timestamptz not null default now(),
    last_used_at  timestamptz,
    -- fixed-window rate limit, shared by every replica
    window_start  timestamptz not null default now(),
    window_count  integer not null default 0 check (window_count >= 0),
    version       integer not null default 1 check (version > 0),
    updated_at    timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, vendor_id) references vendors (tenant_id, id),
    foreign key (tenant_id, engagement_id) references engagements (tenant_id, id),
    check (expires_at > created_at)
);
create unique index report_links_hash_key on report_links (token_hash);
create index report_links_vendor on report_links (tenant_id, vendor_id, created_at, id);

-- A link for an engagement is for its vendor or for a subcontractor with an
-- approved (or once approved) link in it.
create function report_links_check() returns trigger
language plpgsql as $$
begin
    if new.engagement_id is null then
        return new;
    end if;
    if not exists (select 1 from engagements e
                    where e.tenant_id = new.tenant_id and e.id = new.engagement_id
                      and e.vendor_id = new.vendor_id)
       and not exists (select 1 from subcontracts s
                        where s.tenant_id = new.tenant_id and s.engagement_id = new.engagement_id
                          and s.vendor_id = new.vendor_id and s.status in ('approved', 'ended')) then
        raise exception 'the vendor is neither the engagement''s vendor nor an approved subcontractor in its chain';
    end if;
    return new;
end
$$;
create trigger report_links_check before insert or update of vendor_id, engagement_id on report_links
    for each row execute function report_links_check();

create table incidents (
    tenant_id          uuid not null,
    id                 uuid not null default gen_random_uuid(),
    vendor_id          uuid not null,
    engagement_id      uuid,
    subcontract_id     uuid,
    chain_path         uuid[] not null,     -- derived: engagement's vendor .. vendor_id
    depth              smallint not null default 0 check (depth between 0 and 10),
    source             text not null default 'staff' check (source in ('staff', 'report_link')),
    report_link_id     uuid,
    reporter           jsonb check (reporter is null or jsonb_typeof(reporter) = 'object'),
    title              text not null check (char_length(title) between 1 and 200),
    description        text check (char_length(description) between 1 and 8000),
    category           text not null check (category in ('leak', 'misuse_beyond_purpose',
                           'unauthorized_access', 'malware', 'ransomware', 'service_outage',
                           'loss_or_theft', 'tampering', 'other')),
    severity           text not null check (severity in ('low', 'medium', 'high', 'critical')),
    status             text not null default 'reported' check (status in ('reported',
                           'investigating', 'contained', 'resolved', 'closed')),
    status_note        text check (char_length(status_note) between 1 and 2000),
    occurred_at        timestamptz,
    detected_at        timestamptz not null,
    reported_to_us_at  timestamptz,
    assignee           text check (char_length(assignee) between 1 and 200),
    containment        text check (char_length(containment) between 1 and 8000),
    root_cause         text check (char_length(root_cause) between 1 and 8000),
    measures           jsonb not null default '[]'
                       check (jsonb_typeof(measures) = 'array' and jsonb_array_length(measures) <= 50),
    -- APPI
    personal_data      text not null default 'unknown' check (personal_data in ('yes', 'no', 'unknown')),
    people_affected    integer check (people_affected >= 0),
    people_estimated   boolean not null default false,
    sensitive_data     text not null default 'no' check (sensitive_data in ('no', 'yes', 'likely')),
    financial_damage   text not null default 'no' check (financial_damage in ('no', 'yes', 'likely')),
    wrongful_purpose   text not null default 'no' check (wrongful_purpose in ('no', 'yes', 'likely')),
    over_1000_people   text not null default 'no' check (over_1000_people in ('no', 'yes', 'likely')),
    appi_basis         text check (char_length(appi_basis) between 1 and 4000),
    exemption          text check (exemption in ('advanced_encryption', 'other_protection')),
    exemption_reason   text check (char_length(exemption_reason) between 1 and 2000),
    -- derived APPI clock
    aware_at           timestamptz not null,
    ppc_reasons        text[] not null default '{}',
    ppc_reportable     boolean not null default false,
    preliminary_days   smallint check (preliminary_days between 3 and 5),
    final_days         smallint check (final_days in (30, 60)),
    preliminary_due_on date,
    final_due_on       date,
    -- filings with the PPC and the report's contents (規則8条 1項 1-9号)
    preliminary_filed_at   timestamptz,
    preliminary_reference  text check (char_length(preliminary_reference) between 1 and 200),
    final_filed_at         timestamptz,
    final_reference        text check (char_length(final_reference) between 1 and 200),
    report_items       jsonb not null default '{}' check (jsonb_typeof(report_items) = 'object'),
    individuals_notified_at  timestamptz,
    individuals_method       text check (char_length(individuals_method) between 1 and 2000),
    individuals_not_notified text check (char_length(individuals_not_notified) between 1 and 2000),
    version            integer not null default 1 check (version > 0),
    created_by         uuid,
    updated_by         uuid,
    updated_via        uuid,       -- the report link of the last change, when a vendor made it
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, vendor_id) references vendors (tenant_id, id),
    foreign key (tenant_id, engagement_id) references engagements (tenant_id, id),
    foreign key (tenant_id, subcontract_id) references subcontracts (tenant_id, id),
    foreign key (tenant_id, report_link_id) references report_links (tenant_id, id),
    check (subcontract_id is null or engagement_id is not null),
    check (occurred_at is null or occurred_at <= detected_at),
    check (occurred_at is null or reported_to_us_at is null or occurred_at <= reported_to_us_at),
    check (exemption is null or exemption_reason is not null),
    check (appi_basis is not null or 'likely' not in (sensitive_data, financial_damage,
                                                      wrongful_purpose, over_1000_people)),
    check (people_affected is null or people_affected <= 1000 or over_1000_people = 'yes'),
    check (final_filed_at is null or preliminary_filed_at is not null),
    check (final_filed_at is null or final_filed_at >= preliminary_filed_at),
    check (individuals_notified_at is null or individuals_method is not null)
);
create index incidents_list on incidents (tenant_id, created_at, id);
create index incidents_path on incidents using gin (chain_path);
create index incidents_engagement on incidents (tenant_id, engagement_id, created_at, id);
create index incidents_open_ppc on incidents (tenant_id, preliminary_due_on)
    where ppc_reportable and status <> 'closed';

create function tenant_preliminary_days(p_tenant uuid) returns smallint
language sql stable as $$
    select coalesce((settings ->> 'appi_preliminary_days')::smallint, 3::smallint)
      from tenants where id = p_tenant
$$;

-- The end of a Tokyo calendar day, as an instant: a deadline "on" a date
-- lasts until that date's midnight in Japan.
create function tokyo_day_end(d date) returns timestamptz
language sql immutable parallel safe as $$
    select ((d + 1)::timestamp at time zone 'Asia/Tokyo')
$$;

create function incidents_derive() returns trigger
language plpgsql as $$
declare
    s record;
    e_vendor uuid;
    aware_day date;
    rank_old int;
    rank_new int;
begin
    if tg_op = 'UPDATE' then
        if (new.vendor_id, new.engagement_id, new.subcontract_id, new.source, new.report_link_id)
           is distinct from (old.vendor_id, old.engagement_id, old.subcontract_id, old.source, old.report_link_id) then
            raise exception 'where an incident happened and how it was filed are fixed once it is filed';
        end if;
        if new.status <> old.status then
            rank_old := array_position(array['reported', 'investigating', 'contained', 'resolved', 'closed'], old.status);
            rank_new := array_position(array['reported', 'investigating', 'contained', 'resolved', 'closed'], new.status);
            if rank_new < rank_old and new.status_note is null then
                raise exception 'reopening an incident (% to %) needs a reason', old.status, new.status;
            end if;
        end if;
    else
        -- Locate the incident on the chain.
        if not exists (select 1 from vendors where tenant_id = new.tenant_id and id = new.vendor_id) then
            raise exception 'no vendor with this id' using errcode = '23503',
                constraint = 'incidents_vendor_id';
        end if;
        if new.subcontract_id is not null then
            select * into s from subcontracts
             where tenant_id = new.tenant_id and id = new.subcontract_id;
            if not found then
                raise exception 'no subcontract link with this id' using errcode = '23503',
                    constraint = 'incidents_subcontract_id';
            end if;
            if s.vendor_id <> new.vendor_id or s.engagement_id <> coalesce(new.engagement_id, s.engagement_id) then
                raise exception 'the subcontract link names another vendor or engagement';
            end if;
            new.engagement_id := s.engagement_id;
        elsif new.engagement_id is not null then
            select vendor_id into e_vendor from engagements
             where tenant_id = new.tenant_id and id = new.engagement_id;
            if found and e_vendor <> new.vendor_id then
                -- a subcontractor: take its link in this engagement, open ones first
                select * into s from subcontracts
                 where tenant_id = new.tenant_id and engagement_id = new.engagement_id
                   and vendor_id = new.vendor_id
                 order by status in ('approved', 'requested') desc, status = 'ended' desc,
                          created_at desc
                 limit 1;
                if not found then
                    raise exception 'the vendor is neither the engagement''s vendor nor a subcontractor in its chain';
                end if;
                new.subcontract_id := s.id;
            end if;
        end if;
        if new.subcontract_id is not null then
            new.chain_path := s.path;
            new.depth := s.depth;
        else
            new.chain_path := array[new.vendor_id];
            new.depth := 0;
        end if;
    end if;

    if new.detected_at > now() + interval '5 minutes'
       or new.occurred_at > now() + interval '5 minutes'
       or new.reported_to_us_at > now() + interval '5 minutes' then
        raise exception 'incident times cannot be in the future';
    end if;
    if new.status in ('resolved', 'closed') and new.root_cause is null then
        raise exception 'an incident is % only once its root cause is recorded', new.status;
    end if;

    -- APPI judgement
    if new.people_affected > 1000 then
        new.over_1000_people := 'yes';
    end if;
    new.aware_at := coalesce(new.reported_to_us_at, new.detected_at);
    new.ppc_reasons := '{}';
    if new.personal_data <> 'no' and new.exemption is null then
        if new.sensitive_data <> 'no' then new.ppc_reasons := new.ppc_reasons || 'sensitive_data'::text; end if;
        if new.financial_damage <> 'no' then new.ppc_reasons := new.ppc_reasons || 'financial_damage'::text; end if;
        if new.wrongful_purpose <> 'no' then new.ppc_reasons := new.ppc_reasons || 'wrongful_purpose'::text; end if;
        if new.over_1000_people <> 'no' then new.ppc_reasons := new.ppc_reasons || 'over_1000_people'::text; end if;
    end if;
    new.ppc_reportable := cardinality(new.ppc_reasons) > 0;
    if new.ppc_reportable then
        aware_day := (new.aware_at at time zone 'Asia/Tokyo')::date;
        -- the number of days is fixed when the incident first becomes reportable
        new.preliminary_days := coalesce(case when tg_op = 'UPDATE' then old.preliminary_days end,
                                         tenant_preliminary_days(new.tenant_id));
        new.final_days := case when new.wrongful_purpose <> 'no' then 60 else 30 end;
        new.preliminary_due_on := aware_day + new.preliminary_days;
        new.final_due_on := aware_day + new.final_days;
    else
        new.final_days := null;
        new.preliminary_due_on := null;
        new.final_due_on := null;
    end if;
    if new.status = 'closed' and new.ppc_reportable and new.final_filed_at is null then
        raise exception 'a PPC-reportable incident is closed only after its final report (確報) is filed';
    end if;
    if tg_op = 'UPDATE' and new is distinct from old then
        new.version := old.version + 1;
        new.updated_at := now();
    end if;
    return new;
end
$$;
create trigger incidents_derive before insert or update on incidents
    for each row execute function incidents_derive();

-- ---- timeline ---------------------------------------------------------------

create table incident_events (
    tenant_id      uuid not null,
    incident_id    uuid not null,
    seq            bigint generated always as identity,
    id             uuid not null default gen_random_uuid(),
    at             timestamptz not null default clock_timestamp(),
    kind           text not null check (kind in ('reported', 'note', 'contact',
                       'notification_sent', 'status_changed', 'severity_changed', 'filed',
                       'individuals_notified', 'vendor_update')),
    actor_key_id   uuid,
    report_link_id uuid,
    note           text check (char_length(note) between 1 and 8000),
    data           jsonb not null default '{}' check (jsonb_typeof(data) = 'object'),
    primary key (tenant_id, id),
    foreign key (tenant_id, incident_id) references incidents (tenant_id, id),
    check (actor_key_id is null or report_link_id is null)
);
create index incident_events_list on incident_events (tenant_id, incident_id, seq);

create trigger incident_events_append_only before update or delete on incident_events
    for each row execute function refuse_change();
create trigger incident_events_no_truncate before truncate on incident_events
    for each statement execute function refuse_change();

-- What the record itself says happened goes on the timeline without the
-- handlers having to remember it.
create function incidents_timeline() returns trigger
language plpgsql as $$
declare
    who uuid := new.updated_by;
    via uuid := new.updated_via;
begin
    if tg_op = 'INSERT' then
        insert into incident_events (tenant_id, incident_id, kind, actor_key_id, report_link_id, data)
        values (new.tenant_id, new.id, 'reported', new.created_by, new.report_link_id,
                jsonb_build_object('severity', new.severity, 'category', new.category,
                                   'source', new.source));
        return null;
    end if;
    if new.status <> old.status then
        insert into incident_events (tenant_id, incident_id, kind, actor_key_id, report_link_id, note, data)
        values (new.tenant_id, new.id, 'status_changed', who, via, new.status_note,
                jsonb_build_object('from', old.status, 'to', new.status));
    end if;
    if new.severity <> old.severity then
        insert into incident_events (tenant_id, incident_id, kind, actor_key_id, report_link_id, data)
        values (new.tenant_id, new.id, 'severity_changed', who, via,
                jsonb_build_object('from', old.severity, 'to', new.severity));
    end if;
    if new.preliminary_filed_at is not null and old.preliminary_filed_at is null then
        insert into incident_events (tenant_id, incident_id, kind, actor_key_id, data)
        values (new.tenant_id, new.id, 'filed', who,
                jsonb_build_object('report', 'preliminary', 'filed_at', new.preliminary_filed_at,
                                   'reference', new.preliminary_reference,
                                   'due_on', new.preliminary_due_on));
    end if;
    if new.final_filed_at is not null and old.final_filed_at is null then
        insert into incident_events (tenant_id, incident_id, kind, actor_key_id, data)
        values (new.tenant_id, new.id, 'filed', who,
                jsonb_build_object('report', 'final', 'filed_at', new.final_filed_at,
                                   'reference', new.final_reference, 'due_on', new.final_due_on));
    end if;
    if new.individuals_notified_at is not null and old.individuals_notified_at is null then
        insert into incident_events (tenant_id, incident_id, kind, actor_key_id, note, data)
        values (new.tenant_id, new.id, 'individuals_notified', who, new.individuals_method,
                jsonb_build_object('notified_at', new.individuals_notified_at));
    end if;
    return null;
end
$$;
create trigger incidents_timeline after insert or update on incidents
    for each row execute function incidents_timeline();

-- ---- JSON -------------------------------------------------------------------

create function incident_deadline_state(due date, filed timestamptz) returns text
language sql stable as $$
    select case
        when due is null then null
        when filed is not null then
            case when filed < tokyo_day_end(due) then 'filed' else 'filed_late' end
        when now() >= tokyo_day_end(due) then 'overdue'
        when now() >= tokyo_day_end(due) - interval '24 hours' then 'due_soon'
        else 'pending' end
$$;

create function incident_report_items_missing(items jsonb) returns text[]
language sql immutable as $$
    select coalesce(array_agg(k order by n), '{}')
      from unnest(array['summary', 'data_items', 'people', 'cause', 'secondary_damage',
                        'response_to_individuals', 'publication', 'recurrence_prevention',
                        'other']) with ordinality as x(k, n)
     where coalesce(items ->> k, '') = ''
$$;

create function incident_path_json(p_tenant uuid, p_path uuid[]) returns json
language sql stable as $$
    select coalesce(json_agg(json_build_object('vendor_id', v.id, 'name', v.name) order by p.n), '[]')
      from unnest(p_path) with ordinality as p(id, n)
      join vendors v on v.tenant_id = p_tenant and v.id = p.id
$$;

-- The earliest deadline not yet met by a filing.
create function incident_next_deadline(i incidents) returns timestamptz
language sql immutable as $$
    select case when not i.ppc_reportable then null
                when i.preliminary_filed_at is null then tokyo_day_end(i.preliminary_due_on)
                when i.final_filed_at is null then tokyo_day_end(i.final_due_on) end
$$;

create function incident_json(i incidents) returns json
language sql stable as $$
    select json_build_object(
        'id', i.id, 'vendor_id', i.vendor_id,
        'vendor', (select json_build_object('id', v.id, 'name', v.name, 'risk_tier', v.risk_tier)
                     from vendors v where v.tenant_id = i.tenant_id and v.id = i.vendor_id),
        'engagement_id', i.engagement_id, 'subcontract_id', i.subcontract_id,
        'depth', i.depth, 'path', incident_path_json(i.tenant_id, i.chain_path),
        'source', i.source, 'report_link_id', i.report_link_id, 'reporter', i.reporter,
        'title', i.title, 'description', i.description, 'category', i.category,
        'severity', i.severity, 'status', i.status, 'status_note', i.status_note,
        'occurred_at', i.occurred_at, 'detected_at', i.detected_at,
        'reported_to_us_at', i.reported_to_us_at, 'assignee', i.assignee,
        'containment', i.containment, 'root_cause', i.root_cause, 'measures', i.measures,
        'appi', json_build_object(
            'personal_data', i.personal_data, 'people_affected', i.people_affected,
            'people_estimated', i.people_estimated, 'sensitive_data', i.sensitive_data,
            'financial_damage', i.financial_damage, 'wrongful_purpose', i.wrongful_purpose,
            'over_1000_people', i.over_1000_people, 'basis', i.appi_basis,
            'exemption', i.exemption, 'exemption_reason', i.exemption_reason),
        'filings', json_build_object(
            'preliminary', json_build_object('filed_at', i.preliminary_filed_at,
                                             'reference', i.preliminary_reference),
            'final', json_build_object('filed_at', i.final_filed_at, 'reference', i.final_reference)),
        'report_items', i.report_items,
        'individuals', json_build_object('notified_at', i.individuals_notified_at,
                                         'method', i.individuals_method,
                                         'not_notified_reason', i.individuals_not_notified),
        'ppc', json_build_object(
            'reportable', i.ppc_reportable, 'reasons', to_json(i.ppc_reasons),
            'aware_at', i.aware_at,
            'preliminary', case when i.ppc_reportable then json_build_object(
                'days', i.preliminary_days, 'due_on', i.preliminary_due_on,
                'deadline_at', tokyo_day_end(i.preliminary_due_on),
                'state', incident_deadline_state(i.preliminary_due_on, i.preliminary_filed_at)) end,
            'final', case when i.ppc_reportable then json_build_object(
                'days', i.final_days, 'due_on', i.final_due_on,
                'deadline_at', tokyo_day_end(i.final_due_on),
                'state', incident_deadline_state(i.final_due_on, i.final_filed_at)) end,
            'next_deadline_at', incident_next_deadline(i),
            'report_items_missing', to_json(incident_report_items_missing(i.report_items))),
        'version', i.version, 'created_at', i.created_at, 'updated_at', i.updated_at)
$$;

-- What a vendor sees through its report link: its own filing and where the
-- outsourcer's handling of it stands, nothing of the outsourcer's analysis.
create function incident_vendor_json(i incidents) returns json
language sql stable as $$
    select json_build_object(
        'id', i.id, 'title', i.title, 'description', i.description, 'category', i.category,
        'severity', i.severity, 'status', i.status, 'occurred_at', i.occurred_at,
        'detected_at', i.detected_at, 'reported_to_us_at', i.reported_to_us_at,
        'reporter', i.reporter, 'created_at', i.created_at, 'updated_at', i.updated_at)
$$;

create function incident_event_json(e incident_events) returns json
language sql stable as $$
    select json_build_object(
        'id', e.id, 'incident_id', e.incident_id, 'at', e.at, 'kind', e.kind,
        'actor', case when e.actor_key_id is not null then json_build_object('api_key_id', e.actor_key_id)
                      when e.report_link_id is not null then json_build_object('report_link_id', e.report_link_id)
                 end,
        'note', e.note, 'data', e.data)
$$;

create function report_link_json(l report_links) returns json
language sql stable as $$
    select json_build_object(
        'id', l.id, 'vendor_id', l.vendor_id, 'engagement_id', l.engagement_id, 'label', l.label,
        'prefix', l.prefix, 'expires_at', l.expires_at, 'revoked_at', l.revoked_at,
        'status', case when l.revoked_at is not null then 'revoked'
                       when l.expires_at <= now() then 'expired' else 'active' end,
        'last_used_at', l.last_used_at, 'created_at', l.created_at, 'version', l.version)
$$;

-- ---- chain health counts open incidents -------------------------------------

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
           and i.status not in ('resolved', 'closed'))
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
             limit 1))
$$;

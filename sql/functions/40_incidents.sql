-- 40_incidents.sql: incidents: the APPI judgement and PPC deadlines, the timeline, JSON, report links.
--
-- The one live copy of these functions and triggers: `itaku migrate`
-- re-applies this file, after the numbered migrations, whenever its
-- checksum changes. Change them here, never in a migration.

-- 0006 replaced the two-argument form; it stayed behind, unused.
drop function if exists incident_deadline_state(date, timestamptz);

-- A link for an engagement is for its vendor or for a subcontractor with an
-- approved (or once approved) link in it.
create or replace function report_links_check() returns trigger
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

create or replace function tenant_preliminary_days(p_tenant uuid) returns smallint
language sql stable as $$
    select coalesce((settings ->> 'appi_preliminary_days')::smallint, 3::smallint)
      from tenants where id = p_tenant
$$;

-- The end of a Tokyo calendar day, as an instant: a deadline "on" a date
-- lasts until that date's midnight in Japan.
create or replace function tokyo_day_end(d date) returns timestamptz
language sql immutable parallel safe as $$
    select ((d + 1)::timestamp at time zone 'Asia/Tokyo')
$$;

-- As in 0005, with the clock of this migration's header, the 3号 case and
-- the moment the incident became reportable.
create or replace function incidents_derive() returns trigger
language plpgsql as $$
declare
    s record;
    e_vendor uuid;
    rank_old int;
    rank_new int;
    covered boolean;
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
    if new.source = 'report_link' and new.detected_by <> 'vendor' then
        raise exception 'an incident filed through a report link keeps the vendor''s detection as the vendor''s (detected_by vendor)';
    end if;
    if new.detected_by = 'vendor' and new.reported_to_us_at is null then
        raise exception 'when the vendor detected the incident, the time of its notice to us (reported_to_us_at) is needed: our clock starts there';
    end if;
    if new.detected_by = 'vendor' and new.detected_at > new.reported_to_us_at then
        raise exception 'the vendor''s notice (%) cannot precede its own detection (%)',
            new.reported_to_us_at, new.detected_at;
    end if;
    if new.status in ('resolved', 'closed') and new.root_cause is null then
        raise exception 'an incident is % only once its root cause is recorded', new.status;
    end if;

    -- APPI judgement
    if new.people_affected > 1000 then
        new.over_1000_people := 'yes';
    end if;
    -- The earliest moment the outsourcer knew: our own detection, or the
    -- vendor's notice at the latest (3-5-3-5).
    new.aware_at := case when new.detected_by = 'vendor' then new.reported_to_us_at
                         else least(new.detected_at, new.reported_to_us_at) end;
    new.ppc_reasons := '{}';
    if new.exemption is null then
        covered := new.personal_data <> 'no';
        if covered and new.sensitive_data <> 'no' then new.ppc_reasons := new.ppc_reasons || 'sensitive_data'::text; end if;
        if covered and new.financial_damage <> 'no' then new.ppc_reasons := new.ppc_reasons || 'financial_damage'::text; end if;
        -- 3号 alone also covers personal information being acquired
        if (covered or new.being_acquired <> 'no') and new.wrongful_purpose <> 'no' then
            new.ppc_reasons := new.ppc_reasons || 'wrongful_purpose'::text;
        end if;
        if covered and new.over_1000_people <> 'no' then new.ppc_reasons := new.ppc_reasons || 'over_1000_people'::text; end if;
    end if;
    new.ppc_reportable := cardinality(new.ppc_reasons) > 0;
    if new.ppc_reportable then
        -- the number of days is fixed when the incident first becomes reportable
        new.preliminary_days := coalesce(case when tg_op = 'UPDATE' then old.preliminary_days end,
                                         tenant_preliminary_days(new.tenant_id));
        new.final_days := case when 'wrongful_purpose' = any(new.ppc_reasons) then 60 else 30 end;
        new.preliminary_due_on := ppc_preliminary_due_on(new.aware_at, new.preliminary_days);
        new.final_due_on := ppc_final_due_on(new.aware_at, new.final_days);
        -- A condition learnt later keeps the clock from awareness (the
        -- guideline's rule); this says when the record first showed it.
        new.reportable_since := case when tg_op = 'UPDATE' and old.ppc_reportable
                                     then coalesce(old.reportable_since, now()) else now() end;
    else
        new.final_days := null;
        new.preliminary_due_on := null;
        new.final_due_on := null;
        new.reportable_since := null;
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

-- What the record itself says happened goes on the timeline without the
-- handlers having to remember it.
create or replace function incidents_timeline() returns trigger
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

create or replace function incident_report_items_missing(items jsonb) returns text[]
language sql immutable as $$
    select coalesce(array_agg(k order by n), '{}')
      from unnest(array['summary', 'data_items', 'people', 'cause', 'secondary_damage',
                        'response_to_individuals', 'publication', 'recurrence_prevention',
                        'other']) with ordinality as x(k, n)
     where coalesce(items ->> k, '') = ''
$$;

create or replace function incident_path_json(p_tenant uuid, p_path uuid[]) returns json
language sql stable as $$
    select coalesce(json_agg(json_build_object('vendor_id', v.id, 'name', v.name) order by p.n), '[]')
      from unnest(p_path) with ordinality as p(id, n)
      join vendors v on v.tenant_id = p_tenant and v.id = p.id
$$;

-- The earliest deadline not yet met by a filing.
create or replace function incident_next_deadline(i incidents) returns timestamptz
language sql immutable as $$
    select case when not i.ppc_reportable then null
                when i.preliminary_filed_at is null then tokyo_day_end(i.preliminary_due_on)
                when i.final_filed_at is null then tokyo_day_end(i.final_due_on) end
$$;

-- As in 0006, with who detected, the 3号 case, the vendor's notice and
-- the clock explained: the day of awareness, what set it, day 30/60
-- before a closed day moved it, and when the incident became reportable.
create or replace function incident_json(i incidents) returns json
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
        'occurred_at', i.occurred_at, 'detected_at', i.detected_at, 'detected_by', i.detected_by,
        'reported_to_us_at', i.reported_to_us_at, 'assignee', i.assignee,
        'containment', i.containment, 'root_cause', i.root_cause, 'measures', i.measures,
        'appi', json_build_object(
            'personal_data', i.personal_data, 'being_acquired', i.being_acquired,
            'people_affected', i.people_affected,
            'people_estimated', i.people_estimated, 'sensitive_data', i.sensitive_data,
            'financial_damage', i.financial_damage, 'wrongful_purpose', i.wrongful_purpose,
            'over_1000_people', i.over_1000_people, 'basis', i.appi_basis,
            'exemption', i.exemption, 'exemption_reason', i.exemption_reason),
        'filings', json_build_object(
            'preliminary', json_build_object('filed_at', i.preliminary_filed_at,
                                             'reference', i.preliminary_reference),
            'final', json_build_object('filed_at', i.final_filed_at, 'reference', i.final_reference)),
        'report_items', i.report_items,
        'notice_items', i.notice_items,
        'vendor_notice', incident_vendor_notice_json(i),
        'individuals', json_build_object('notified_at', i.individuals_notified_at,
                                         'method', i.individuals_method,
                                         'not_notified_reason', i.individuals_not_notified),
        'ppc', json_build_object(
            'reportable', i.ppc_reportable, 'reasons', to_json(i.ppc_reasons),
            'aware_at', i.aware_at, 'aware_on', tokyo_date(i.aware_at),
            'aware_from', case when i.detected_by = 'vendor' or i.reported_to_us_at < i.detected_at
                               then 'vendor_notice' else 'our_detection' end,
            'reportable_since', i.reportable_since,
            'reportable_on_day', tokyo_date(i.reportable_since) - tokyo_date(i.aware_at) + 1,
            'preliminary', case when i.ppc_reportable then json_build_object(
                'days', i.preliminary_days, 'due_on', i.preliminary_due_on,
                'deadline_at', tokyo_day_end(i.preliminary_due_on),
                'state', incident_deadline_state(i.preliminary_due_on, i.preliminary_filed_at,
                                                 tenant_warning_hours(i.tenant_id))) end,
            'final', case when i.ppc_reportable then json_build_object(
                'days', i.final_days, 'due_on', i.final_due_on,
                'counted_due_on', tokyo_date(i.aware_at) + i.final_days - 1,
                'deadline_at', tokyo_day_end(i.final_due_on),
                'state', incident_deadline_state(i.final_due_on, i.final_filed_at,
                                                 tenant_warning_hours(i.tenant_id))) end,
            'next_deadline_at', incident_next_deadline(i),
            'report_items_missing', to_json(incident_report_items_missing(i.report_items))),
        'version', i.version, 'created_at', i.created_at, 'updated_at', i.updated_at)
$$;

-- As in 0005, with what the vendor's notice said.
create or replace function incident_vendor_json(i incidents) returns json
language sql stable as $$
    select json_build_object(
        'id', i.id, 'title', i.title, 'description', i.description, 'category', i.category,
        'severity', i.severity, 'status', i.status, 'occurred_at', i.occurred_at,
        'detected_at', i.detected_at, 'reported_to_us_at', i.reported_to_us_at,
        'reporter', i.reporter, 'notice_items', i.notice_items,
        'created_at', i.created_at, 'updated_at', i.updated_at)
$$;

create or replace function incident_event_json(e incident_events) returns json
language sql stable as $$
    select json_build_object(
        'id', e.id, 'incident_id', e.incident_id, 'at', e.at, 'kind', e.kind,
        'actor', case when e.actor_key_id is not null then json_build_object('api_key_id', e.actor_key_id)
                      when e.report_link_id is not null then json_build_object('report_link_id', e.report_link_id)
                 end,
        'note', e.note, 'data', e.data)
$$;

create or replace function report_link_json(l report_links) returns json
language sql stable as $$
    select json_build_object(
        'id', l.id, 'vendor_id', l.vendor_id, 'engagement_id', l.engagement_id, 'label', l.label,
        'prefix', l.prefix, 'expires_at', l.expires_at, 'revoked_at', l.revoked_at,
        'status', case when l.revoked_at is not null then 'revoked'
                       when l.expires_at <= now() then 'expired' else 'active' end,
        'last_used_at', l.last_used_at, 'created_at', l.created_at, 'version', l.version)
$$;

-- A deadline is due_soon from the moment incident.ppc_deadline_approaching
-- fires, so the API and the webhook never disagree.
create or replace function incident_deadline_state(due date, filed timestamptz, lead_hours integer) returns text
language sql stable as $$
    select case
        when due is null then null
        when filed is not null then
            case when filed < tokyo_day_end(due) then 'filed' else 'filed_late' end
        when now() >= tokyo_day_end(due) then 'overdue'
        when now() >= tokyo_day_end(due) - make_interval(hours => lead_hours) then 'due_soon'
        else 'pending' end
$$;

-- The Tokyo calendar date of an instant (the date of awareness is day 1 of
-- both clocks).
create or replace function tokyo_date(t timestamptz) returns date
language sql immutable parallel safe as $$
    select (t at time zone 'Asia/Tokyo')::date
$$;

-- 速報: day `days`, counted with the awareness day as day 1, never moved.
create or replace function ppc_preliminary_due_on(aware timestamptz, days integer) returns date
language sql immutable parallel safe as $$
    select tokyo_date(aware) + days - 1
$$;

-- 確報: day 30 or 60, counted the same way, moved past closed days.
create or replace function ppc_final_due_on(aware timestamptz, days integer) returns date
language sql stable parallel safe as $$
    select jp_next_open_day(tokyo_date(aware) + days - 1)
$$;

-- What the vendor's notice tells: when it came, on which day counted from
-- the vendor's own detection (day 1), and whether that was past day 5.
create or replace function incident_vendor_notice_json(i incidents) returns json
language sql stable as $$
    select case when i.reported_to_us_at is not null then json_build_object(
        'notified_at', i.reported_to_us_at,
        'vendor_detected_at', case when i.detected_by = 'vendor' then i.detected_at end,
        'day', n.day, 'late', n.day > 5,
        'items_missing', to_json(incident_report_items_missing(i.notice_items))) end
      from (select case when i.detected_by = 'vendor'
                        then tokyo_date(i.reported_to_us_at) - tokyo_date(i.detected_at) + 1 end as day) n
$$;

-- Re-derives every reportable incident whose stored deadlines differ from
-- what the rules and the calendar now give (after this migration, or after
-- an operator adds or removes a holiday), each with an audit event by
-- p_actor. The trigger does the deriving; the filter only finds the rows.
-- Returns how many moved.
create or replace function incident_deadlines_recompute(p_actor text) returns integer
language plpgsql as $$
declare
    i incidents;
    after json;
    n integer := 0;
begin
    for i in select * from incidents x
              where x.ppc_reportable
                and (x.preliminary_due_on <> ppc_preliminary_due_on(x.aware_at, x.preliminary_days)
                     or x.final_due_on <> ppc_final_due_on(x.aware_at, x.final_days))
              order by x.tenant_id, x.id
              for update loop
        update incidents x set version = x.version
         where x.tenant_id = i.tenant_id and x.id = i.id
        returning incident_json(x) into after;
        insert into audit_events (tenant_id, actor, action, resource_type, resource_id, before, after)
        values (i.tenant_id, p_actor, 'incident.deadlines_recomputed', 'incident', i.id::text,
                incident_json(i)::jsonb, after::jsonb);
        n := n + 1;
    end loop;
    return n;
end
$$;

-- What needs attention in an engagement's contract, by code.
create or replace function engagement_problems(e engagements, missing_clauses json) returns text[]
language sql stable as $$
    select array_remove(array[
        case when json_array_length(missing_clauses) > 0 then 'required_clauses_missing' end,
        case when e.contract_type = 'terms_of_service' and e.terms_security_level_stated is null
             then 'terms_security_level_unchecked' end,
        case when e.contract_type = 'terms_of_service' and not e.terms_security_level_stated
             then 'terms_security_level_not_stated' end], null)
$$;

create or replace trigger report_links_check before insert or update of vendor_id, engagement_id on report_links
    for each row execute function report_links_check();

create or replace trigger incidents_derive before insert or update on incidents
    for each row execute function incidents_derive();

create or replace trigger incidents_timeline after insert or update on incidents
    for each row execute function incidents_timeline();

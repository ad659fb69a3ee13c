-- 0009_ppc_deadlines: the PPC deadlines as the PPC guideline (通則編 3-5-3)
-- counts them, the Japanese holiday calendar they need, and the APPI cases
-- 0005 missed.
--
-- 確報 (3-5-3-4 and its note): the day the outsourcer became aware is day 1;
-- weekends and holidays are counted; when day 30 (60) is a day the
-- government is closed (行政機関の休日に関する法律 1条: Saturdays, Sundays,
-- the holidays of 国民の祝日に関する法律, 29 December to 3 January), the
-- deadline is the next day on which it is open (same law, 2条).
-- 速報 (3-5-3-3): "about 3 to 5 days" is a target without a counting rule;
-- it is counted the same way (awareness day = day 1) and never moved, since
-- earlier is the safe side.
-- Awareness (3-5-3-3, 3-5-3-5): the earliest moment any part of the
-- outsourcer knew: our own detection, or the vendor's notice at the latest.
-- Existing incidents are re-derived at the end, with an audit event for
-- each whose deadlines moved.

-- ---- the calendar -----------------------------------------------------------

-- Holidays made by a law of their own for one day (2019's accession days,
-- say), added by `itaku holiday add`. Shared by every tenant; no API key
-- writes it. On Citus, a reference table.
create table jp_extra_holidays (
    day       date primary key check (day between date '2000-01-01' and date '2099-12-31'),
    name      text not null check (char_length(name) between 1 and 100),
    basis     text check (char_length(basis) between 1 and 500),
    added_by  text not null check (char_length(added_by) between 1 and 200),
    added_at  timestamptz not null default now()
);
insert into jp_extra_holidays (day, name, basis, added_by) values
    ('2019-05-01', '即位の日', '天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律（平成30年）',
     'migration 0009'),
    ('2019-10-22', '即位礼正殿の儀の行われる日',
     '天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律（平成30年）', 'migration 0009');

-- The n-th Monday of a month (the Happy Monday holidays).
create function jp_nth_monday(y integer, m integer, n integer) returns date
language sql immutable parallel safe as $$
    select make_date(y, m, 1)
           + (8 - extract(isodow from make_date(y, m, 1))::integer) % 7 + 7 * (n - 1)
$$;

-- Day of March (spring) or September (autumn) of the equinox holiday, by
-- the usual approximation of the equinox's Japanese date, which holds
-- for 1980-2099. The law fixes the day by the official ephemeris (暦要項,
-- published each February for the next year); compare with
-- `itaku holiday list YEAR` when it appears.
create function jp_equinox_day(y integer, autumn boolean) returns integer
language sql immutable parallel safe as $$
    select floor(case when autumn then 23.2488 else 20.8431 end
                 + 0.242194 * (y - 1980) - floor((y - 1980) / 4))::integer
$$;

-- The 国民の祝日 of a date (国民の祝日に関する法律 2条, as amended up to
-- 2018, and the one-day laws above), or null. Neither 振替休日 nor 国民の休日:
-- see jp_holiday. The 2020 and 2021 moves for the Olympic Games (the
-- special-measures act for the Tokyo Games, as amended in 2018 and 2020)
-- are written in.
create function jp_national_holiday(d date) returns text
language sql stable parallel safe as $$
    select coalesce(case
        when m = 1 and dd = 1 then '元日'
        when d = jp_nth_monday(y, 1, 2) then '成人の日'
        when m = 2 and dd = 11 then '建国記念の日'
        when m = 2 and dd = 23 and y >= 2020 then '天皇誕生日'
        when m = 3 and dd = jp_equinox_day(y, false) then '春分の日'
        when m = 4 and dd = 29 then case when y >= 2007 then '昭和の日' else 'みどりの日' end
        when m = 5 and dd = 3 then '憲法記念日'
        when m = 5 and dd = 4 and y >= 2007 then 'みどりの日'
        when m = 5 and dd = 5 then 'こどもの日'
        when d = case y when 2020 then date '2020-07-23' when 2021 then date '2021-07-22'
                 else case when y >= 2003 then jp_nth_monday(y, 7, 3) else make_date(y, 7, 20) end
                 end then '海の日'
        when y >= 2016 and d = case y when 2020 then date '2020-08-10' when 2021 then date '2021-08-08'
                               else make_date(y, 8, 11) end then '山の日'
        when d = case when y >= 2003 then jp_nth_monday(y, 9, 3) else make_date(y, 9, 15) end
             then '敬老の日'
        when m = 9 and dd = jp_equinox_day(y, true) then '秋分の日'
        when d = case y when 2020 then date '2020-07-24' when 2021 then date '2021-07-23'
                 else jp_nth_monday(y, 10, 2) end
             then case when y >= 2020 then 'スポーツの日' else '体育の日' end
        when m = 11 and dd = 3 then '文化の日'
        when m = 11 and dd = 23 then '勤労感謝の日'
        when m = 12 and dd = 23 and y <= 2018 then '天皇誕生日'
        end, (select x.name from jp_extra_holidays x where x.day = d))
      from (select extract(year from d)::integer as y, extract(month from d)::integer as m,
                   extract(day from d)::integer as dd) p
$$;

-- The holiday of a date under 国民の祝日に関する法律, or null: a 国民の祝日,
-- a 振替休日 (3条2項: since 2007 the first day after a Sunday 祝日 that is
-- no 祝日 itself; before, the Monday after it) or a 国民の休日 (3条3項: a day
-- between two 祝日; before 2007 not a Sunday). Defined for 2000-2099.
create function jp_holiday(d date) returns text
language plpgsql stable parallel safe as $$
declare
    name text;
    k integer := 1;
begin
    if d < date '2000-01-01' or d > date '2099-12-31' then
        raise exception 'the holiday calendar covers 2000 to 2099, not %', d;
    end if;
    name := jp_national_holiday(d);
    if name is not null then
        return name;
    end if;
    if d >= date '2007-01-01' then
        while jp_national_holiday(d - k) is not null loop
            if extract(isodow from d - k) = 7 then
                return '振替休日';
            end if;
            k := k + 1;
        end loop;
    elsif extract(isodow from d - 1) = 7 and jp_national_holiday(d - 1) is not null then
        return '振替休日';
    end if;
    if jp_national_holiday(d - 1) is not null and jp_national_holiday(d + 1) is not null
       and (d >= date '2007-01-01' or extract(isodow from d) <> 7) then
        return '国民の休日';
    end if;
    return null;
end
$$;

-- 行政機関の休日に関する法律 1条: Saturdays, Sundays, the holidays above and
-- 29 December to 3 January.
create function jp_government_closed(d date) returns boolean
language sql stable parallel safe as $$
    select extract(isodow from d) >= 6
        or to_char(d, 'MMDD') >= '1229' or to_char(d, 'MMDD') <= '0103'
        or jp_holiday(d) is not null
$$;

-- The first date from d on which the government is open (2条: a deadline
-- that falls on a closed day moves to the next open one).
create function jp_next_open_day(d date) returns date
language plpgsql stable parallel safe as $$
begin
    while jp_government_closed(d) loop
        d := d + 1;
    end loop;
    return d;
end
$$;

-- ---- the two deadlines ------------------------------------------------------

-- The Tokyo calendar date of an instant (the date of awareness is day 1 of
-- both clocks).
create function tokyo_date(t timestamptz) returns date
language sql immutable parallel safe as $$
    select (t at time zone 'Asia/Tokyo')::date
$$;

-- 速報: day `days`, counted with the awareness day as day 1, never moved.
create function ppc_preliminary_due_on(aware timestamptz, days integer) returns date
language sql immutable parallel safe as $$
    select tokyo_date(aware) + days - 1
$$;

-- 確報: day 30 or 60, counted the same way, moved past closed days.
create function ppc_final_due_on(aware timestamptz, days integer) returns date
language sql stable parallel safe as $$
    select jp_next_open_day(tokyo_date(aware) + days - 1)
$$;

-- ---- incidents: who detected, the 3号 case, the vendor's notice -------------

alter table incidents
    -- whose detection detected_at is: ours, or the vendor's (then its notice
    -- to us, reported_to_us_at, is when we learnt of it)
    add column detected_by text not null default 'us' check (detected_by in ('us', 'vendor')),
    -- 規則7条3号 since 2024-04-01: personal information the business is
    -- acquiring, or about to acquire, to handle as personal data (card
    -- numbers skimmed from an input form, say)
    add column being_acquired text not null default 'no'
        check (being_acquired in ('yes', 'no', 'unknown')),
    -- what the vendor's notice said of the nine items of 規則8条1項
    -- (3-5-3-5, 規則9条), as far as it knew them then
    add column notice_items jsonb not null default '{}' check (jsonb_typeof(notice_items) = 'object'),
    -- when the record first met a reportable condition (derived)
    add column reportable_since timestamptz;

-- Existing rows, without bumping versions or emitting events: nothing but
-- new columns changes. A report-link incident was detected by the vendor;
-- so, we take it, was a staff-filed one whose detection precedes the
-- vendor's notice (0005's clock ran from that notice, and still does).
-- The intake took the vendor's detection up to 5 minutes ahead of our
-- clock; such a notice is put at the detection.
alter table incidents disable trigger user;
update incidents set reported_to_us_at = detected_at
 where source = 'report_link' and detected_at > reported_to_us_at;
update incidents set detected_by = 'vendor'
 where source = 'report_link' or detected_at <= reported_to_us_at;
-- Reportable since the first audited version in the last reportable run.
update incidents i
   set reportable_since = coalesce((
        select min(a.occurred_at) from audit_events a
         where a.tenant_id = i.tenant_id and a.resource_type = 'incident'
           and a.resource_id = i.id::text and a.after -> 'ppc' ->> 'reportable' = 'true'
           and a.seq > coalesce((select max(b.seq) from audit_events b
                                  where b.tenant_id = i.tenant_id and b.resource_type = 'incident'
                                    and b.resource_id = i.id::text
                                    and b.after -> 'ppc' ->> 'reportable' = 'false'), 0)),
        i.created_at)
 where i.ppc_reportable;
alter table incidents enable trigger user;

alter table incidents
    add constraint incidents_vendor_detection check (detected_by = 'us'
        or reported_to_us_at is not null and detected_at <= reported_to_us_at),
    add constraint incidents_link_detection check (source = 'staff' or detected_by = 'vendor'),
    add constraint incidents_reportable_since check ((reportable_since is not null) = ppc_reportable);

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

-- ---- JSON -------------------------------------------------------------------

-- What the vendor's notice tells: when it came, on which day counted from
-- the vendor's own detection (day 1), and whether that was past day 5.
create function incident_vendor_notice_json(i incidents) returns json
language sql stable as $$
    select case when i.reported_to_us_at is not null then json_build_object(
        'notified_at', i.reported_to_us_at,
        'vendor_detected_at', case when i.detected_by = 'vendor' then i.detected_at end,
        'day', n.day, 'late', n.day > 5,
        'items_missing', to_json(incident_report_items_missing(i.notice_items))) end
      from (select case when i.detected_by = 'vendor'
                        then tokyo_date(i.reported_to_us_at) - tokyo_date(i.detected_at) + 1 end as day) n
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

-- ---- re-deriving deadlines --------------------------------------------------

-- Re-derives every reportable incident whose stored deadlines differ from
-- what the rules and the calendar now give (after this migration, or after
-- an operator adds or removes a holiday), each with an audit event by
-- p_actor. The trigger does the deriving; the filter only finds the rows.
-- Returns how many moved.
create function incident_deadlines_recompute(p_actor text) returns integer
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

-- ---- engagements under terms of service (約款) ------------------------------

-- NISC handbook 9.3.1 (14): do not outsource under terms of service that do
-- not state the security level. Recorded for terms_of_service engagements
-- only: true, false, or null while nobody has checked.
alter table engagements
    add column terms_security_level_stated boolean,
    add constraint engagements_terms_security_level
        check (contract_type = 'terms_of_service' or terms_security_level_stated is null);

-- What needs attention in an engagement's contract, by code.
create function engagement_problems(e engagements, missing_clauses json) returns text[]
language sql stable as $$
    select array_remove(array[
        case when json_array_length(missing_clauses) > 0 then 'required_clauses_missing' end,
        case when e.contract_type = 'terms_of_service' and e.terms_security_level_stated is null
             then 'terms_security_level_unchecked' end,
        case when e.contract_type = 'terms_of_service' and not e.terms_security_level_stated
             then 'terms_security_level_not_stated' end], null)
$$;

-- As in 0004, with the terms' security level and the problems.
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
        'terms_security_level_stated', e.terms_security_level_stated,
        'chain_health', chain_health(e.tenant_id, e.id),
        'required_measures', m.measures, 'missing_clauses', m.missing,
        'problems', to_json(engagement_problems(e, m.missing)),
        'version', e.version, 'created_at', e.created_at, 'updated_at', e.updated_at)
      from engagement_measures(e.category, e.clauses) m
$$;

-- ---- existing incidents -------------------------------------------------------

select incident_deadlines_recompute('migration:0009_ppc_deadlines');

-- 20_register.sql: the vendor register: risk tiers, derived vendor columns, the JSON of vendors, engagements, certifications and handovers.
--
-- The one live copy of these functions and triggers: `itaku migrate`
-- re-applies this file, after the numbered migrations, whenever its
-- checksum changes. Change them here, never in a migration.

create or replace function tokyo_today() returns date
language sql stable parallel safe as $$ select (now() at time zone 'Asia/Tokyo')::date $$;

create or replace function vendor_risk(p_tenant uuid, p_vendor uuid, p_corporate_number text,
                            p_last_verdict text, out tier text, out reasons jsonb)
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

    -- What the last assessment or monitoring found (the vendor's own,
    -- passed in: from the row being written, not the table).
    if p_last_verdict = 'action_required' then
        score := score + 2;
        reasons := reasons || jsonb_build_object('code', 'last_verdict', 'points', 2,
            'message', 'the last assessment found that action is required (要是正)');
    elsif p_last_verdict = 'watch' then
        score := score + 1;
        reasons := reasons || jsonb_build_object('code', 'last_verdict', 'points', 1,
            'message', 'the last assessment put the vendor under watch (経過観察)');
    end if;

    if closed is not null then
        score := score + 2;
        reasons := reasons || jsonb_build_object('code', 'corporation_closed', 'points', 2,
            'message', format('the corporation was closed on %s according to the corporate number register', closed));
    end if;

    tier := case when score >= 5 then 'high' when score >= 3 then 'medium' else 'low' end;
    -- A vendor that must fix something is never low risk, however small
    -- its engagements: it is monitored on the medium cadence at least.
    if p_last_verdict = 'action_required' and tier = 'low' then
        tier := 'medium';
    end if;
end
$$;

create or replace function tenant_cadence_months(p_tenant uuid, p_tier text) returns integer
language sql stable as $$
    select coalesce((settings -> 'monitoring_cadence_months' ->> p_tier)::int,
                    case p_tier when 'high' then 12 when 'medium' then 24 else 36 end)
      from tenants where id = p_tenant
$$;

create or replace function vendors_derive() returns trigger
language plpgsql as $$
declare
    computed record;
begin
    select * into computed from vendor_risk(new.tenant_id, new.id, new.corporate_number,
                                            new.last_monitoring_verdict);
    new.risk_computed_tier := computed.tier;
    new.risk_reasons := computed.reasons;
    new.risk_tier := coalesce(new.risk_override_tier, computed.tier);
    new.handles_personal_data := exists (
        select 1 from engagements e
         where e.tenant_id = new.tenant_id and e.vendor_id = new.id and e.handles_personal_data);
    new.monitoring_cadence_months := tenant_cadence_months(new.tenant_id, new.risk_tier);
    new.next_monitoring_due := case
        when new.status in ('candidate', 'terminated') then null
        when new.last_monitoring_date is null then (new.created_at at time zone 'Asia/Tokyo')::date
        else (new.last_monitoring_date + make_interval(months => new.monitoring_cadence_months))::date
    end;
    new.official := case when new.corporate_number is null then null
                         else vendor_official(new.corporate_number) end;
    new.corporation_closed := new.corporate_number is not null and exists (
        select 1 from corporate_master m
         where m.corporate_number = new.corporate_number and m.close_date is not null);
    if tg_op = 'UPDATE' and new.version = old.version
       and (new.risk_tier, new.risk_computed_tier, new.risk_reasons, new.handles_personal_data,
            new.next_monitoring_due, new.monitoring_cadence_months, new.official,
            new.corporation_closed)
           is distinct from
           (old.risk_tier, old.risk_computed_tier, old.risk_reasons, old.handles_personal_data,
            old.next_monitoring_due, old.monitoring_cadence_months, old.official,
            old.corporation_closed) then
        new.version := old.version + 1;
        new.updated_at := now();
    end if;
    return new;
end
$$;

create or replace function vendors_touch_from_child() returns trigger
language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        update vendors set tenant_id = tenant_id where tenant_id = old.tenant_id and id = old.vendor_id;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.vendor_id <> old.vendor_id) then
        update vendors set tenant_id = tenant_id where tenant_id = new.tenant_id and id = new.vendor_id;
    end if;
    return null;
end
$$;

-- Only a candidate vendor may be deleted, and only with nothing attached
-- (the foreign keys refuse the rest); everyone else is terminated.
create or replace function vendors_guard_delete() returns trigger
language plpgsql as $$
begin
    if old.status <> 'candidate' then
        raise exception 'only a candidate vendor can be deleted; set its status to terminated instead';
    end if;
    return old;
end
$$;

-- Same shape as before; no sub-selects, so it inlines.
create or replace function vendor_json(v vendors) returns json
language sql stable as $$
    select json_build_object(
        'id', v.id, 'external_ref', v.external_ref, 'name', v.name, 'name_kana', v.name_kana,
        'corporate_number', v.corporate_number, 'entity_type', v.entity_type, 'country', v.country,
        'address', v.address, 'capital_jpy', v.capital_jpy, 'employee_count', v.employee_count,
        'department', v.department, 'business_description', v.business_description,
        'tags', to_jsonb(v.tags), 'status', v.status, 'stability_notes', v.stability_notes,
        'contacts', v.contacts,
        'handles_personal_data', v.handles_personal_data,
        'risk', json_build_object(
            'tier', v.risk_tier, 'computed_tier', v.risk_computed_tier, 'reasons', v.risk_reasons,
            'override', case when v.risk_override_tier is null then null else json_build_object(
                'tier', v.risk_override_tier, 'reason', v.risk_override_reason,
                'set_by', v.risk_override_by, 'set_at', v.risk_override_at) end),
        'monitoring', json_build_object(
            'cadence_months', v.monitoring_cadence_months,
            'last_date', v.last_monitoring_date, 'last_verdict', v.last_monitoring_verdict,
            'next_due', v.next_monitoring_due,
            'overdue', coalesce(v.next_monitoring_due < tokyo_today(), false)),
        'official', v.official,
        'corporation_closed', v.corporation_closed,
        'version', v.version, 'created_at', v.created_at, 'updated_at', v.updated_at)
$$;

-- An engagement's required measures and the contract clauses still missing
-- for the required ones.
create or replace function engagement_measures(p_category text, p_clauses jsonb, out measures json, out missing json)
language sql stable as $$
    select (select json_agg(json_build_object('no', m.no, 'code', m.code, 'title', m.title,
                        'level', m.levels ->> p_category, 'notice_level', m.notice_levels ->> p_category,
                        'clauses', to_jsonb(m.clauses)) order by m.no)
              from outsourcing_measures m),
           coalesce((select json_agg(json_build_object('clause', x.clause, 'measures', x.codes) order by x.clause)
              from (select c.clause, jsonb_agg(m.code order by m.no) as codes
                      from outsourcing_measures m, unnest(m.clauses) c(clause)
                     where m.levels ->> p_category = 'required'
                       and coalesce(p_clauses ->> c.clause, 'absent') <> 'present'
                     group by c.clause) x), '[]'::json)
$$;

-- Whether engagement_measures() would list a missing clause (0034).
create or replace function engagement_clauses_missing(p_category text, p_clauses jsonb) returns boolean
language sql stable as $$
    select exists (select 1 from outsourcing_measures m, unnest(m.clauses) c(clause)
                    where m.levels ->> p_category = 'required'
                      and coalesce(p_clauses ->> c.clause, 'absent') <> 'present')
$$;

create or replace function engagements_derive_clauses() returns trigger
language plpgsql as $$
begin
    new.clauses_missing := engagement_clauses_missing(new.category, new.clauses);
    return new;
end
$$;

-- The catalogue changes only with a migration; every engagement follows.
create or replace function outsourcing_measures_changed() returns trigger
language plpgsql as $$
begin
    update engagements e set clauses_missing = engagement_clauses_missing(e.category, e.clauses)
     where e.clauses_missing is distinct from engagement_clauses_missing(e.category, e.clauses);
    return null;
end
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
        'torihiki_type', e.torihiki_type, 'ordered_on', e.ordered_on,
        'payment_terms', torihiki_payment_terms_json(e), 'torihiki', torihiki_coverage_of(e),
        'chain_health', chain_health(e.tenant_id, e.id),
        'required_measures', m.measures, 'missing_clauses', m.missing,
        'problems', to_json(engagement_problems(e, m.missing)),
        'version', e.version, 'created_at', e.created_at, 'updated_at', e.updated_at)
      from engagement_measures(e.category, e.clauses) m
$$;

create or replace function certification_json(c certifications) returns json
language sql stable as $$
    select json_build_object(
        'id', c.id, 'vendor_id', c.vendor_id, 'kind', c.kind, 'kind_other', c.kind_other,
        'certificate_number', c.certificate_number, 'registered_scope', c.registered_scope,
        'issued_on', c.issued_on, 'expires_on', c.expires_on, 'evidence_ref', c.evidence_ref,
        'status', case when c.expires_on < tokyo_today() then 'expired' else 'valid' end,
        'scope_verified', c.scope_verified, 'scope_verified_by', c.scope_verified_by,
        'scope_verified_at', c.scope_verified_at, 'scope_verified_note', c.scope_verified_note,
        'version', c.version, 'created_at', c.created_at, 'updated_at', c.updated_at)
$$;

-- 0011_contract_fixes: the server says what the OpenAPI document says
-- (issue 14).
--
-- A handover without a return date is never overdue: `overdue` was null
-- for it (null < date), and the document promises a boolean.
create or replace function handover_json(h handovers) returns json
language sql stable as $$
    select json_build_object(
        'id', h.id, 'engagement_id', h.engagement_id, 'item', h.item,
        'classification', h.classification, 'handed_over_on', h.handed_over_on, 'method', h.method,
        'handed_by', h.handed_by, 'received_by', h.received_by, 'return_due_on', h.return_due_on,
        'status', h.status, 'closed_on', h.closed_on,
        'erasure_certificate_ref', h.erasure_certificate_ref, 'note', h.note,
        'overdue', coalesce(h.status = 'held' and h.return_due_on < tokyo_today(), false),
        'version', h.version, 'created_at', h.created_at, 'updated_at', h.updated_at)
$$;

create or replace function vendor_official(number text) returns jsonb
language sql stable as $$
    select jsonb_build_object(
               'name', m.name, 'furigana', m.furigana,
               'address', concat_ws('', m.prefecture_name, m.city_name, m.street_number, m.address_outside),
               'post_code', m.post_code, 'kind', m.kind, 'closed', m.close_date is not null,
               'close_date', m.close_date, 'close_cause', m.close_cause,
               'successor_corporate_number', m.successor_corporate_number,
               'update_date', m.update_date)
      from corporate_master m where m.corporate_number = number and not m.hidden
$$;

create or replace trigger vendors_derive before insert or update on vendors
    for each row execute function vendors_derive();

create or replace trigger engagements_derive_clauses before insert or update of category, clauses on engagements
    for each row execute function engagements_derive_clauses();
create or replace trigger outsourcing_measures_changed after insert or update or delete or truncate
    on outsourcing_measures for each statement execute function outsourcing_measures_changed();

create or replace trigger engagements_touch_vendor after insert or update or delete on engagements
    for each row execute function vendors_touch_from_child();

create or replace trigger certifications_touch_vendor after insert or update or delete on certifications
    for each row execute function vendors_touch_from_child();

create or replace trigger vendors_guard_delete before delete on vendors
    for each row execute function vendors_guard_delete();

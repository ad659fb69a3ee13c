-- The corporate-master facts a vendor shows (official name and address,
-- closure) become derived columns kept by vendors_derive(), like the risk
-- tier. Why: vendor_json() used to look them up with sub-selects, and a SQL
-- function with sub-selects is never inlined, so PostgreSQL planned its body
-- again on every statement that called it: about 0.3 ms per request, nine
-- times the cost of the lookup itself (bench/README.md). Without sub-selects
-- vendor_json() is inlined into the caller's prepared plan. The import
-- already touches the vendors whose numbers it changed, so the snapshot
-- stays current.

alter table vendors
    add column official jsonb check (official is null or jsonb_typeof(official) = 'object'),
    add column corporation_closed boolean not null default false;

create function vendor_official(number text) returns jsonb
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

create or replace function vendors_derive() returns trigger
language plpgsql as $$
declare
    computed record;
begin
    select * into computed from vendor_risk(new.tenant_id, new.id, new.corporate_number);
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

-- Fill the snapshot for vendors that already carry a number. Only derived
-- columns change, so versions move only where the master had something.
update vendors set tenant_id = tenant_id where corporate_number is not null;

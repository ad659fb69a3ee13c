-- 0006_webhooks: webhook subscriptions, the outbox, deliveries and their
-- attempts, the triggers that emit events in the transaction of the change,
-- and the PPC deadline alerts the scheduler turns into events.
--
-- Delivery is at least once. An event row holds the exact body every
-- attempt sends, so its bytes (and so its signature input) never change
-- between retries; webhook-id is the event id.

create table webhook_subscriptions (
    tenant_id      uuid not null references tenants (id),
    id             uuid not null default gen_random_uuid(),
    url            text not null check (char_length(url) between 10 and 2000 and url ~ '^https?://'),
    event_types    text[] not null check (cardinality(event_types) between 1 and 20
                       and event_types <@ array['*', 'incident.reported', 'incident.updated',
                           'incident.status_changed', 'incident.severity_raised',
                           'incident.ppc_deadline_approaching', 'incident.ppc_deadline_missed',
                           'subcontract.requested', 'subcontract.decided', 'vendor.tier_changed']),
    description    text check (char_length(description) between 1 and 500),
    enabled        boolean not null default true,
    disabled_reason text check (char_length(disabled_reason) between 1 and 500),
    disabled_at    timestamptz,
    -- The signing secret has to be readable to sign, so it cannot be
    -- hashed like an API key; it never leaves the database except to the
    -- dispatcher and, once, to the admin who created or rotated it.
    secret         text not null check (secret ~ '^whsec_[A-Za-z0-9+/=]{32,88}$'),
    previous_secret text check (previous_secret ~ '^whsec_[A-Za-z0-9+/=]{32,88}$'),
    previous_secret_expires_at timestamptz,
    secret_rotated_at timestamptz,
    version        integer not null default 1 check (version > 0),
    created_by     uuid,
    updated_by     uuid,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    primary key (tenant_id, id),
    check ((previous_secret is null) = (previous_secret_expires_at is null)),
    check (enabled or disabled_at is not null)
);

create table webhook_events (
    tenant_id   uuid not null references tenants (id),
    id          uuid not null default gen_random_uuid(),
    type        text not null check (type ~ '^[a-z_]+(\.[a-z_]+)*$'),
    resource_id uuid,
    created_at  timestamptz not null default now(),
    body        text not null check (octet_length(body) <= 20480),
    primary key (tenant_id, id)
);
create index webhook_events_created on webhook_events (created_at);

create table webhook_deliveries (
    tenant_id        uuid not null,
    id               uuid not null default gen_random_uuid(),
    event_id         uuid not null,
    subscription_id  uuid not null,
    redelivery_of    uuid,
    status           text not null default 'pending'
                     check (status in ('pending', 'succeeded', 'dead')),
    attempts         integer not null default 0 check (attempts >= 0),
    -- While pending: when the next attempt is due. A claim pushes it past
    -- the attempt's longest possible duration, which is the lease: a
    -- dispatcher that dies mid-send leaves the delivery to be claimed again.
    next_attempt_at  timestamptz not null default now(),
    lease            uuid,
    last_attempt_at  timestamptz,
    last_status      integer,
    last_error       text,
    succeeded_at     timestamptz,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, event_id) references webhook_events (tenant_id, id),
    foreign key (tenant_id, subscription_id) references webhook_subscriptions (tenant_id, id)
        on delete cascade,
    check ((status = 'succeeded') = (succeeded_at is not null))
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_list on webhook_deliveries (tenant_id, created_at, id);
create index webhook_deliveries_event on webhook_deliveries (tenant_id, event_id);
create index webhook_deliveries_subscription on webhook_deliveries (tenant_id, subscription_id, created_at);

-- A subscription turned off holds its pending deliveries at "infinity",
-- out of the claim index's due range, so however many wait, they cost the
-- dispatchers nothing; turned on again, they are due at once.
create function webhook_subscriptions_hold() returns trigger
language plpgsql as $$
begin
    update webhook_deliveries
       set next_attempt_at = case when new.enabled then now() else 'infinity' end, updated_at = now()
     where tenant_id = new.tenant_id and subscription_id = new.id and status = 'pending';
    return null;
end
$$;
create trigger webhook_subscriptions_hold after update of enabled on webhook_subscriptions
    for each row when (old.enabled is distinct from new.enabled)
    execute function webhook_subscriptions_hold();

create table webhook_attempts (
    tenant_id    uuid not null,
    delivery_id  uuid not null,
    n            integer not null check (n > 0),
    at           timestamptz not null default now(),
    status_code  integer,
    error        text check (char_length(error) <= 500),
    duration_ms  integer not null check (duration_ms >= 0),
    primary key (tenant_id, delivery_id, n),
    foreign key (tenant_id, delivery_id) references webhook_deliveries (tenant_id, id)
        on delete cascade
);

-- Forgets events older than p_days with nothing left to send, with their
-- deliveries and attempts, at most p_limit at a time. Returns how many.
create function webhook_prune(p_days integer, p_limit integer) returns integer
language plpgsql as $$
declare
    n integer;
begin
    with old as (
        select e.tenant_id, e.id from webhook_events e
         where e.created_at < now() - make_interval(days => p_days)
           and not exists (select 1 from webhook_deliveries d
                            where d.tenant_id = e.tenant_id and d.event_id = e.id
                              and d.status = 'pending')
         order by e.created_at limit p_limit
         for update skip locked),
    gone as (
        delete from webhook_deliveries d using old
         where d.tenant_id = old.tenant_id and d.event_id = old.id)
    delete from webhook_events e using old where e.tenant_id = old.tenant_id and e.id = old.id;
    get diagnostics n = row_count;
    return n;
end
$$;

-- ---- emission ---------------------------------------------------------------

create function webhook_body(p_type text, p_data jsonb) returns text
language sql stable as $$
    select json_build_object('type', p_type,
                             'timestamp', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                             'data', p_data)::text
$$;

-- Whether any enabled subscription of the tenant wants any of the types. The
-- triggers ask first, so a tenant without webhooks never pays for
-- building a payload.
create function webhook_wanted(p_tenant uuid, variadic p_types text[]) returns boolean
language sql stable as $$
    select exists (select 1 from webhook_subscriptions s
                    where s.tenant_id = p_tenant and s.enabled
                      and (s.event_types && p_types or '*' = any(s.event_types)))
$$;

-- Writes the event and a delivery per enabled subscription that wants it.
-- Nothing is written when no subscription wants the type, so tenants
-- without webhooks pay one index probe per change. Returns the event id.
create function webhook_emit(p_tenant uuid, p_type text, p_resource uuid, p_data jsonb,
                             p_only uuid default null) returns uuid
language plpgsql as $$
declare
    eid uuid;
begin
    if p_only is null and not webhook_wanted(p_tenant, p_type)
       or p_only is not null and not exists (select 1 from webhook_subscriptions s
                                              where s.tenant_id = p_tenant and s.id = p_only
                                                and s.enabled) then
        return null;
    end if;
    insert into webhook_events (tenant_id, type, resource_id, body)
    values (p_tenant, p_type, p_resource, webhook_body(p_type, p_data))
    returning id into eid;
    insert into webhook_deliveries (tenant_id, event_id, subscription_id)
    select p_tenant, eid, s.id from webhook_subscriptions s
     where s.tenant_id = p_tenant and s.enabled
       and (p_only is null and (p_type = any(s.event_types) or '*' = any(s.event_types))
            or s.id = p_only);
    perform pg_notify('itaku_webhooks', '');
    return eid;
end
$$;

create function vendor_ref_json(p_tenant uuid, p_vendor uuid) returns jsonb
language sql stable as $$
    select jsonb_build_object('id', v.id, 'name', v.name, 'external_ref', v.external_ref,
                              'risk_tier', v.risk_tier)
      from vendors v where v.tenant_id = p_tenant and v.id = p_vendor
$$;

-- An incident as events carry it: what a receiver needs to route and
-- escalate, without the long texts, so a payload stays far below 20 KB.
create function incident_event_data(i incidents) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'id', i.id, 'title', i.title, 'category', i.category, 'severity', i.severity,
        'status', i.status, 'source', i.source,
        'vendor', vendor_ref_json(i.tenant_id, i.vendor_id),
        'engagement_id', i.engagement_id, 'subcontract_id', i.subcontract_id, 'depth', i.depth,
        'path', incident_path_json(i.tenant_id, i.chain_path)::jsonb,
        'occurred_at', i.occurred_at, 'detected_at', i.detected_at,
        'reported_to_us_at', i.reported_to_us_at,
        'ppc', jsonb_build_object(
            'reportable', i.ppc_reportable, 'reasons', to_jsonb(i.ppc_reasons),
            'preliminary_due_on', i.preliminary_due_on, 'final_due_on', i.final_due_on,
            'next_deadline_at', incident_next_deadline(i)),
        'version', i.version, 'updated_at', i.updated_at)
$$;

create function severity_rank(s text) returns integer
language sql immutable as $$
    select case s when 'low' then 1 when 'medium' then 2 when 'high' then 3 when 'critical' then 4 end
$$;

create function incidents_emit() returns trigger
language plpgsql as $$
declare
    changed text[];
begin
    if tg_op = 'INSERT' then
        if webhook_wanted(new.tenant_id, 'incident.reported') then
            perform webhook_emit(new.tenant_id, 'incident.reported', new.id, incident_event_data(new));
        end if;
        return null;
    end if;
    if not webhook_wanted(new.tenant_id, 'incident.status_changed', 'incident.severity_raised',
                          'incident.updated') then
        return null;
    end if;
    if new.status <> old.status then
        perform webhook_emit(new.tenant_id, 'incident.status_changed', new.id,
                             jsonb_build_object('incident', incident_event_data(new),
                                                'from', old.status, 'to', new.status,
                                                'note', new.status_note));
    end if;
    if severity_rank(new.severity) > severity_rank(old.severity) then
        perform webhook_emit(new.tenant_id, 'incident.severity_raised', new.id,
                             jsonb_build_object('incident', incident_event_data(new),
                                                'from', old.severity, 'to', new.severity));
    end if;
    -- Everything else that changed; status and a raised severity have
    -- their own events, bookkeeping columns are not news.
    select coalesce(array_agg(n.key order by n.key), '{}') into changed
      from jsonb_each(to_jsonb(new)) n
     where n.value is distinct from to_jsonb(old) -> n.key
       and n.key not in ('version', 'updated_at', 'updated_by', 'updated_via', 'status',
                         'status_note')
       and not (n.key = 'severity' and severity_rank(new.severity) > severity_rank(old.severity));
    if cardinality(changed) > 0 then
        perform webhook_emit(new.tenant_id, 'incident.updated', new.id,
                             jsonb_build_object('incident', incident_event_data(new),
                                                'changed', to_jsonb(changed)));
    end if;
    return null;
end
$$;
create trigger incidents_emit after insert or update on incidents
    for each row execute function incidents_emit();

create function subcontract_event_data(s subcontracts) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'id', s.id, 'engagement_id', s.engagement_id, 'parent_id', s.parent_id,
        'vendor', vendor_ref_json(s.tenant_id, s.vendor_id),
        'parent_vendor', vendor_ref_json(s.tenant_id, s.parent_vendor_id),
        'depth', s.depth, 'path', incident_path_json(s.tenant_id, s.path)::jsonb,
        'personal_data', s.personal_data, 'confidentiality', s.confidentiality,
        'status', s.status, 'decided_at', s.decided_at, 'decision_note', s.decision_note,
        'conditions', s.conditions, 'version', s.version)
$$;

create function subcontracts_emit() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        if webhook_wanted(new.tenant_id, 'subcontract.requested') then
            perform webhook_emit(new.tenant_id, 'subcontract.requested', new.id,
                                 subcontract_event_data(new));
        end if;
    elsif old.status = 'requested' and new.status in ('approved', 'rejected')
          and webhook_wanted(new.tenant_id, 'subcontract.decided') then
        perform webhook_emit(new.tenant_id, 'subcontract.decided', new.id, subcontract_event_data(new));
    end if;
    return null;
end
$$;
create trigger subcontracts_emit after insert or update on subcontracts
    for each row execute function subcontracts_emit();

create function vendors_emit() returns trigger
language plpgsql as $$
begin
    if new.risk_tier is distinct from old.risk_tier
       and webhook_wanted(new.tenant_id, 'vendor.tier_changed') then
        perform webhook_emit(new.tenant_id, 'vendor.tier_changed', new.id, jsonb_build_object(
            'vendor', vendor_ref_json(new.tenant_id, new.id),
            'from', old.risk_tier, 'to', new.risk_tier,
            'computed_tier', new.risk_computed_tier, 'reasons', new.risk_reasons,
            'override', new.risk_override_tier is not null));
    end if;
    return null;
end
$$;
create trigger vendors_emit after update on vendors
    for each row execute function vendors_emit();

-- ---- PPC deadline alerts ----------------------------------------------------

-- One row per alert ever raised. The primary key makes each alert happen
-- once per deadline however many schedulers scan at the same time: the
-- second insert of the same key does nothing and so emits nothing.
create table incident_deadline_alerts (
    tenant_id    uuid not null,
    incident_id  uuid not null,
    report       text not null check (report in ('preliminary', 'final')),
    alert        text not null check (alert in ('approaching', 'missed')),
    deadline_at  timestamptz not null,
    event_id     uuid,
    created_at   timestamptz not null default now(),
    primary key (tenant_id, incident_id, report, alert, deadline_at),
    foreign key (tenant_id, incident_id) references incidents (tenant_id, id)
);

create index incidents_unfiled on incidents (tenant_id)
    where ppc_reportable and (preliminary_filed_at is null or final_filed_at is null);

create function tenant_warning_hours(p_tenant uuid) returns integer
language sql stable as $$
    select coalesce((settings ->> 'ppc_warning_hours')::int, 24) from tenants where id = p_tenant
$$;

-- Raises the alerts that are due and emits their events. Returns how many.
create function incident_deadlines_scan() returns integer
language plpgsql as $$
declare
    a record;
    n integer := 0;
begin
    for a in
        with due as (
            select i.tenant_id, i.id, d.report, d.deadline_at,
                   tenant_warning_hours(i.tenant_id) as lead
              from incidents i
             cross join lateral (values
                   ('preliminary', tokyo_day_end(i.preliminary_due_on), i.preliminary_filed_at),
                   ('final', tokyo_day_end(i.final_due_on), i.final_filed_at)) d(report, deadline_at, filed)
             where i.ppc_reportable and (i.preliminary_filed_at is null or i.final_filed_at is null)
               and d.filed is null and d.deadline_at is not null
        )
        insert into incident_deadline_alerts as x (tenant_id, incident_id, report, alert, deadline_at)
        select tenant_id, id, report,
               case when now() >= deadline_at then 'missed' else 'approaching' end, deadline_at
          from due
         where now() >= deadline_at - make_interval(hours => lead)
        on conflict do nothing
        returning x.tenant_id, x.incident_id, x.report, x.alert, x.deadline_at
    loop
        update incident_deadline_alerts x
           set event_id = webhook_emit(a.tenant_id,
                   'incident.ppc_deadline_' || a.alert, a.incident_id,
                   (select jsonb_build_object('incident', incident_event_data(i), 'report', a.report,
                                              'deadline_at', a.deadline_at,
                                              'due_on', case a.report when 'preliminary'
                                                        then i.preliminary_due_on else i.final_due_on end)
                      from incidents i where i.tenant_id = a.tenant_id and i.id = a.incident_id))
         where (x.tenant_id, x.incident_id, x.report, x.alert, x.deadline_at)
             = (a.tenant_id, a.incident_id, a.report, a.alert, a.deadline_at);
        n := n + 1;
    end loop;
    return n;
end
$$;


-- ---- due_soon follows the tenant's warning lead ------------------------------

-- A deadline is due_soon from the moment incident.ppc_deadline_approaching
-- fires, so the API and the webhook never disagree.
create function incident_deadline_state(due date, filed timestamptz, lead_hours integer) returns text
language sql stable as $$
    select case
        when due is null then null
        when filed is not null then
            case when filed < tokyo_day_end(due) then 'filed' else 'filed_late' end
        when now() >= tokyo_day_end(due) then 'overdue'
        when now() >= tokyo_day_end(due) - make_interval(hours => lead_hours) then 'due_soon'
        else 'pending' end
$$;

-- As in 0005, with the tenant's lead for due_soon.
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
                'state', incident_deadline_state(i.preliminary_due_on, i.preliminary_filed_at,
                                                 tenant_warning_hours(i.tenant_id))) end,
            'final', case when i.ppc_reportable then json_build_object(
                'days', i.final_days, 'due_on', i.final_due_on,
                'deadline_at', tokyo_day_end(i.final_due_on),
                'state', incident_deadline_state(i.final_due_on, i.final_filed_at,
                                                 tenant_warning_hours(i.tenant_id))) end,
            'next_deadline_at', incident_next_deadline(i),
            'report_items_missing', to_json(incident_report_items_missing(i.report_items))),
        'version', i.version, 'created_at', i.created_at, 'updated_at', i.updated_at)
$$;

-- ---- JSON -------------------------------------------------------------------

create function webhook_subscription_json(s webhook_subscriptions) returns json
language sql stable as $$
    select json_build_object(
        'id', s.id, 'url', s.url, 'event_types', to_json(s.event_types),
        'description', s.description, 'enabled', s.enabled,
        'disabled_reason', s.disabled_reason, 'disabled_at', s.disabled_at,
        'secret_rotated_at', s.secret_rotated_at,
        'previous_secret_expires_at', case when s.previous_secret_expires_at > now()
                                           then s.previous_secret_expires_at end,
        'version', s.version, 'created_at', s.created_at, 'updated_at', s.updated_at)
$$;

create function webhook_delivery_json(d webhook_deliveries) returns json
language sql stable as $$
    select json_build_object(
        'id', d.id, 'event_id', d.event_id,
        'event_type', (select e.type from webhook_events e
                        where e.tenant_id = d.tenant_id and e.id = d.event_id),
        'subscription_id', d.subscription_id, 'redelivery_of', d.redelivery_of,
        'status', d.status, 'attempts', d.attempts,
        'next_attempt_at', case when d.status = 'pending' and d.next_attempt_at < 'infinity'
                                then d.next_attempt_at end,
        'last_attempt_at', d.last_attempt_at, 'last_status', d.last_status,
        'last_error', d.last_error, 'succeeded_at', d.succeeded_at,
        'attempt_log', (select coalesce(json_agg(json_build_object(
                            'n', a.n, 'at', a.at, 'status', a.status_code, 'error', a.error,
                            'duration_ms', a.duration_ms) order by a.n), '[]')
                          from webhook_attempts a
                         where a.tenant_id = d.tenant_id and a.delivery_id = d.id),
        'created_at', d.created_at)
$$;

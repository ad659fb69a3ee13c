-- 50_webhooks.sql: webhooks: emission in the changing transaction, bounded payloads, leases, retention, PPC deadline alerts.
--
-- The one live copy of these functions and triggers: `itaku migrate`
-- re-applies this file, after the numbered migrations, whenever its
-- checksum changes. Change them here, never in a migration.

-- Turned off, pending deliveries are held at infinity, out of the claim
-- index's due range, those in flight too (their attempt's outcome, when
-- recorded, keeps a retry held). Turned on, held deliveries are due at
-- once, except one still in flight, which is due when its lease ends:
-- until then its dispatcher owns it.
create or replace function webhook_subscriptions_hold() returns trigger
language plpgsql as $$
begin
    if new.enabled then
        update webhook_deliveries
           set next_attempt_at = greatest(leased_until, now()), updated_at = now()
         where tenant_id = new.tenant_id and subscription_id = new.id and status = 'pending'
           and next_attempt_at = 'infinity';
    else
        update webhook_deliveries set next_attempt_at = 'infinity', updated_at = now()
         where tenant_id = new.tenant_id and subscription_id = new.id and status = 'pending'
           and next_attempt_at < 'infinity';
    end if;
    return null;
end
$$;

-- As in 0006, in two steps. The events are locked first (a redelivery
-- locks its event before inserting, so a locked event is skipped), then
-- checked again on a fresh snapshot: a redelivery that committed after
-- the first step's snapshot left a pending delivery, and its event stays.
-- While the events are locked no new delivery can reference them.
create or replace function webhook_prune(p_days integer, p_limit integer) returns integer
language plpgsql as $$
declare
    tenants uuid[];
    ids uuid[];
    n integer;
begin
    select array_agg(o.tenant_id), array_agg(o.id) into tenants, ids
      from (select e.tenant_id, e.id from webhook_events e
             where e.created_at < now() - make_interval(days => p_days)
               and not exists (select 1 from webhook_deliveries d
                                where d.tenant_id = e.tenant_id and d.event_id = e.id
                                  and d.status = 'pending')
             order by e.created_at limit p_limit
             for update of e skip locked) o;
    if ids is null then
        return 0;
    end if;
    with old as (
        select x.t as tenant_id, x.i as id from unnest(tenants, ids) x(t, i)
         where not exists (select 1 from webhook_deliveries d
                            where d.tenant_id = x.t and d.event_id = x.i and d.status = 'pending')),
    gone as (
        delete from webhook_deliveries d using old
         where d.tenant_id = old.tenant_id and d.event_id = old.id)
    delete from webhook_events e using old where e.tenant_id = old.tenant_id and e.id = old.id;
    get diagnostics n = row_count;
    return n;
end
$$;

-- Kept for any caller of 0006's name: bounded the same way.
create or replace function webhook_body(p_type text, p_data jsonb) returns text
language sql stable as $$
    select webhook_payload(p_type, null, p_data)
$$;

-- Whether any enabled subscription of the tenant wants any of the types. The
-- triggers ask first, so a tenant without webhooks never pays for
-- building a payload.
create or replace function webhook_wanted(p_tenant uuid, variadic p_types text[]) returns boolean
language sql stable as $$
    select exists (select 1 from webhook_subscriptions s
                    where s.tenant_id = p_tenant and s.enabled
                      and (s.event_types && p_types or '*' = any(s.event_types)))
$$;

-- As in 0006, with the bounded body.
create or replace function webhook_emit(p_tenant uuid, p_type text, p_resource uuid, p_data jsonb,
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
    values (p_tenant, p_type, p_resource, webhook_payload(p_type, p_resource, p_data))
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

create or replace function vendor_ref_json(p_tenant uuid, p_vendor uuid) returns jsonb
language sql stable as $$
    select jsonb_build_object('id', v.id, 'name', v.name, 'external_ref', v.external_ref,
                              'risk_tier', v.risk_tier)
      from vendors v where v.tenant_id = p_tenant and v.id = p_vendor
$$;

-- An incident as events carry it: what a receiver needs to route and
-- escalate, without the long texts, so a payload stays far below 20 KB.
create or replace function incident_event_data(i incidents) returns jsonb
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

create or replace function severity_rank(s text) returns integer
language sql immutable as $$
    select case s when 'low' then 1 when 'medium' then 2 when 'high' then 3 when 'critical' then 4 end
$$;

create or replace function incidents_emit() returns trigger
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

create or replace function subcontract_event_data(s subcontracts) returns jsonb
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

create or replace function subcontracts_emit() returns trigger
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

create or replace function vendors_emit() returns trigger
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

-- How many hours before a PPC deadline it is announced as approaching.
create or replace function settings_ppc_warning_hours(s jsonb) returns integer
language sql immutable as $$
    select coalesce((s ->> 'ppc_warning_hours')::int, 24)
$$;

create or replace function tenant_warning_hours(p_tenant uuid) returns integer
language sql stable as $$
    select settings_ppc_warning_hours(settings) from tenants where id = p_tenant
$$;

-- Raises the alerts that are due and emits their events. Returns how many.
create or replace function incident_deadlines_scan() returns integer
language plpgsql as $$
declare
    a record;
    n integer := 0;
begin
    for a in
        with due as (
            -- (the tenant joined once, not looked up per incident: at 14,000
            -- unfiled reports the lookups were 75 ms of every scan)
            select i.tenant_id, i.id, d.report, d.deadline_at,
                   settings_ppc_warning_hours(t.settings) as lead
              from incidents i
              join tenants t on t.id = i.tenant_id
             cross join lateral (values
                   ('preliminary', tokyo_day_end(i.preliminary_due_on), i.preliminary_filed_at),
                   ('final', tokyo_day_end(i.final_due_on), i.final_filed_at)) d(report, deadline_at, filed)
             where i.ppc_reportable and (i.preliminary_filed_at is null or i.final_filed_at is null)
               and d.filed is null and d.deadline_at is not null
        )
        insert into incident_deadline_alerts as x (tenant_id, incident_id, report, alert, deadline_at)
        select tenant_id, id, report, alert, deadline_at
          from (select due.*, case when now() >= deadline_at then 'missed' else 'approaching' end as alert
                  from due where now() >= deadline_at - make_interval(hours => lead)) d
         -- (raised already: most of them, every minute; skipped before the insert tries them)
         where not exists (select 1 from incident_deadline_alerts y
                            where (y.tenant_id, y.incident_id, y.report, y.alert, y.deadline_at)
                                  = (d.tenant_id, d.id, d.report, d.alert, d.deadline_at))
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

create or replace function webhook_subscription_json(s webhook_subscriptions) returns json
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

create or replace function webhook_delivery_json(d webhook_deliveries) returns json
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

-- Cuts every string in p_value longer than p_max characters to p_max (on
-- a character boundary, ending in "…") and appends the JSON pointer
-- (RFC 6901) of each cut string, under p_pointer, to p_cut.
create or replace function webhook_clip(p_value jsonb, p_max integer, p_pointer text,
                             inout p_cut text[], out p_result jsonb)
language plpgsql immutable as $$
declare
    k text;
    x jsonb;
    r record;
    i integer := 0;
begin
    -- A value whose whole text is short holds no long string.
    if char_length(p_value::text) <= p_max then
        p_result := p_value;
        return;
    end if;
    case jsonb_typeof(p_value)
    when 'string' then
        if char_length(p_value #>> '{}') <= p_max then
            p_result := p_value;
        else
            p_result := to_jsonb(left(p_value #>> '{}', p_max - 1) || '…');
            p_cut := p_cut || p_pointer;
        end if;
    when 'object' then
        p_result := '{}';
        for k, x in select e.key, e.value from jsonb_each(p_value) e loop
            select * into r from webhook_clip(x, p_max,
                p_pointer || '/' || replace(replace(k, '~', '~0'), '/', '~1'), p_cut);
            p_cut := r.p_cut;
            p_result := p_result || jsonb_build_object(k, r.p_result);
        end loop;
    when 'array' then
        p_result := '[]';
        for x in select e.value from jsonb_array_elements(p_value) e loop
            select * into r from webhook_clip(x, p_max, p_pointer || '/' || i, p_cut);
            p_cut := r.p_cut;
            p_result := p_result || jsonb_build_array(r.p_result);
            i := i + 1;
        end loop;
    else
        p_result := p_value;
    end case;
end
$$;

-- Where the API serves an event's resource.
create or replace function webhook_href(p_type text, p_resource uuid) returns text
language sql immutable as $$
    select case when p_type = 'negotiation.risk_detected' then '/v1/security-requests/'
                else case split_part(p_type, '.', 1)
               when 'incident' then '/v1/incidents/'
               when 'subcontract' then '/v1/subcontracts/'
               when 'vendor' then '/v1/vendors/'
               when 'questionnaire_template' then '/v1/questionnaire-templates/'
               when 'assessment' then '/v1/assessments/'
               when 'finding' then '/v1/findings/'
               when 'negotiation' then '/v1/negotiations/'
               when 'ping' then '/v1/webhook-subscriptions/' end end || p_resource::text
$$;

-- An event's body: type, timestamp, href, truncated, data. Texts longer
-- than 1,000 characters are always cut (a receiver routes and escalates;
-- the whole text is at href). A body still over the limit (deep chains of
-- long names in four-byte characters) has its texts cut to 200, then 50
-- characters, and failing that carries only the resource's id as data,
-- with "truncated": ["/data"]. So the body fits the outbox whatever the
-- data, and the write that emits it never fails for its size.
create or replace function webhook_payload(p_type text, p_resource uuid, p_data jsonb) returns text
language plpgsql stable as $$
declare
    cap integer;
    c record;
    body text;
    href text := webhook_href(p_type, p_resource);
    ts text := to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
begin
    foreach cap in array array[1000, 200, 50] loop
        select * into c from webhook_clip(p_data, cap, '/data', '{}');
        body := json_build_object('type', p_type, 'timestamp', ts, 'href', href,
                                  'truncated', to_jsonb(c.p_cut), 'data', c.p_result)::text;
        if octet_length(body) <= 20480 then          -- the webhook_events.body check
            return body;
        end if;
    end loop;
    return json_build_object('type', p_type, 'timestamp', ts, 'href', href,
                             'truncated', jsonb_build_array('/data'),
                             'data', jsonb_build_object('id', p_resource))::text;
end
$$;

create or replace trigger webhook_subscriptions_hold after update of enabled on webhook_subscriptions
    for each row when (old.enabled is distinct from new.enabled)
    execute function webhook_subscriptions_hold();

create or replace trigger incidents_emit after insert or update on incidents
    for each row execute function incidents_emit();

create or replace trigger subcontracts_emit after insert or update on subcontracts
    for each row execute function subcontracts_emit();

create or replace trigger vendors_emit after update on vendors
    for each row execute function vendors_emit();

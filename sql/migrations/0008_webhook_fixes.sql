-- 0008_webhook_fixes: delivery leases that turning a subscription off and
-- on again respect, and retention that cannot race a redelivery.

-- ---- leases -----------------------------------------------------------------

-- A claimed delivery is leased until leased_until; next_attempt_at says
-- when it is due, which is also leased_until while the attempt is in
-- flight, or infinity while its subscription is off (held). Keeping the
-- lease's end apart lets a hold and its release leave an attempt in
-- flight alone: before, turning a subscription off and on again made a
-- delivery being sent due at once, so a second dispatcher sent it again
-- and the first one's outcome was lost.
alter table webhook_deliveries add column leased_until timestamptz;
update webhook_deliveries
   set leased_until = case when next_attempt_at < 'infinity' then next_attempt_at else now() end
 where lease is not null;
alter table webhook_deliveries
    add constraint webhook_deliveries_lease check ((lease is null) = (leased_until is null));

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

-- ---- retention ----------------------------------------------------------------

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

-- ---- bounded payloads ---------------------------------------------------------

-- webhook_events.body is at most 20,480 bytes (0006). The triggers that
-- emit events run inside the write that causes them, so a body over the
-- limit used to fail that write (a subcontract approved with long
-- conditions, because a subscription wanted subcontract.decided). A body
-- is now bounded by construction: texts are cut, the cut is listed, and
-- the envelope links to the resource, where the whole text is.

-- Cuts every string in p_value longer than p_max characters to p_max (on
-- a character boundary, ending in "…") and appends the JSON pointer
-- (RFC 6901) of each cut string, under p_pointer, to p_cut.
create function webhook_clip(p_value jsonb, p_max integer, p_pointer text,
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
create function webhook_href(p_type text, p_resource uuid) returns text
language sql immutable as $$
    select case split_part(p_type, '.', 1)
               when 'incident' then '/v1/incidents/'
               when 'subcontract' then '/v1/subcontracts/'
               when 'vendor' then '/v1/vendors/'
               when 'ping' then '/v1/webhook-subscriptions/' end || p_resource::text
$$;

-- An event's body: type, timestamp, href, truncated, data. Texts longer
-- than 1,000 characters are always cut (a receiver routes and escalates;
-- the whole text is at href). A body still over the limit (deep chains of
-- long names in four-byte characters) has its texts cut to 200, then 50
-- characters, and failing that carries only the resource's id as data,
-- with "truncated": ["/data"]. So the body fits the outbox whatever the
-- data, and the write that emits it never fails for its size.
create function webhook_payload(p_type text, p_resource uuid, p_data jsonb) returns text
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

-- Kept for any caller of 0006's name: bounded the same way.
create or replace function webhook_body(p_type text, p_data jsonb) returns text
language sql stable as $$
    select webhook_payload(p_type, null, p_data)
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

-- ---- sealed secrets -------------------------------------------------------------

-- Signing secrets are stored sealed (AES-256-GCM under ITAKU_SECRET_KEY,
-- which the database never sees; service/webhooks/sealed.h):
-- "itk1:<key id>:<base64>". Rows from before this migration hold
-- plaintext "whsec_" values and are marked secrets_sealed = false; the
-- scheduler seals them (and re-seals rows sealed under a rotated-out key)
-- and marks them. No new row can hold a plaintext secret.
alter table webhook_subscriptions add column secrets_sealed boolean not null default false;
alter table webhook_subscriptions alter column secrets_sealed set default true;
alter table webhook_subscriptions
    drop constraint webhook_subscriptions_secret_check,
    drop constraint webhook_subscriptions_previous_secret_check,
    add constraint webhook_subscriptions_secret_sealed check (
        secret ~ '^itk1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{40,255}={0,2}$'
        and (previous_secret is null
             or previous_secret ~ '^itk1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{40,255}={0,2}$')
        or not secrets_sealed
        and secret ~ '^(whsec_[A-Za-z0-9+/=]{32,88}|itk1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{40,255}={0,2})$'
        and (previous_secret is null or previous_secret
             ~ '^(whsec_[A-Za-z0-9+/=]{32,88}|itk1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{40,255}={0,2})$'));

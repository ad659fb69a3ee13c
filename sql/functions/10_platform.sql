-- 10_platform.sql: platform: the audit trail's hash chain and append-only guard, the last admin key.
--
-- The one live copy of these functions and triggers: `itaku migrate`
-- re-applies this file, after the numbered migrations, whenever its
-- checksum changes. Change them here, never in a migration.

-- The text that is hashed; service/audit.c recomputes the same text to
-- verify the chain, so the two must change together.
create or replace function audit_event_content(e audit_events) returns text
language sql stable as $$
    select concat_ws(E'\n',
        e.prev_hash, e.tenant_id::text, e.seq::text, e.id::text,
        ((extract(epoch from e.occurred_at) * 1000000)::bigint)::text,
        coalesce(e.actor_key_id::text, ''), e.actor, e.action,
        e.resource_type, e.resource_id,
        coalesce(e.before::text, ''), coalesce(e.after::text, ''),
        coalesce(e.request_id, ''))
$$;

create or replace function audit_events_chain() returns trigger
language plpgsql as $$
declare
    head audit_chain_heads%rowtype;
begin
    insert into audit_chain_heads (tenant_id, last_seq, last_hash)
    values (new.tenant_id, 0, repeat('0', 64))
    on conflict (tenant_id) do nothing;
    -- The row lock serialises writers of one tenant, so the chain never forks.
    select * into head from audit_chain_heads where tenant_id = new.tenant_id for update;
    new.seq := head.last_seq + 1;
    new.prev_hash := head.last_hash;
    new.occurred_at := coalesce(new.occurred_at, now());
    new.hash := encode(sha256(convert_to(audit_event_content(new), 'UTF8')), 'hex');
    update audit_chain_heads set last_seq = new.seq, last_hash = new.hash
     where tenant_id = new.tenant_id;
    return new;
end
$$;

create or replace function refuse_change() returns trigger
language plpgsql as $$
begin
    raise exception '% is append-only', tg_table_name
        using errcode = 'P0001', hint = 'audit events are never edited or deleted';
end
$$;

-- Invariant: every tenant keeps at least one admin key that is not revoked
-- and has no expiry date, so that someone can always manage its keys. (A
-- key that expires, however late, would lock the tenant out when it does.)
-- The check runs after a change that takes such a key out of that set.
-- Two transactions revoking each other's keys would each still see the
-- other's key as valid under READ COMMITTED; the advisory lock, per
-- tenant, makes the second wait for the first to commit and then see it.
create or replace function api_keys_keep_admin() returns trigger
language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended('itaku.admin_keys.' || old.tenant_id::text, 0));
    if not exists (select 1 from api_keys k
                    where k.tenant_id = old.tenant_id and k.role = 'admin'
                      and k.revoked_at is null and k.expires_at is null) then
        raise exception 'the tenant''s last admin key without an expiry date cannot be revoked or given one; create another admin key first'
            using errcode = 'check_violation', constraint = 'api_keys_last_admin';
    end if;
    return null;
end
$$;

create or replace trigger audit_events_chain before insert on audit_events
    for each row execute function audit_events_chain();

create or replace trigger audit_events_append_only before update or delete on audit_events
    for each row execute function refuse_change();

create or replace trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function refuse_change();

create or replace trigger incident_events_append_only before update or delete on incident_events
    for each row execute function refuse_change();

create or replace trigger incident_events_no_truncate before truncate on incident_events
    for each statement execute function refuse_change();

create or replace trigger api_keys_keep_admin after update of role, revoked_at, expires_at on api_keys
    for each row
    when (old.role = 'admin' and old.revoked_at is null and old.expires_at is null
          and (new.role <> 'admin' or new.revoked_at is not null or new.expires_at is not null))
    execute function api_keys_keep_admin();

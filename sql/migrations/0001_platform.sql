-- 0001_platform: tenants, API keys, audit trail, idempotency records.
--
-- Every tenant-owned table keys on (tenant_id, id) and references other
-- tenant-owned rows through (tenant_id, ...), so the database refuses a
-- cross-tenant reference and the schema can later be distributed by tenant.

create table tenants (
    id          uuid primary key default gen_random_uuid(),
    name        text not null check (char_length(name) between 1 and 200),
    settings    jsonb not null default '{}' check (jsonb_typeof(settings) = 'object'),
    version     integer not null default 1 check (version > 0),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create unique index tenants_name_key on tenants (name);

create table api_keys (
    tenant_id    uuid not null references tenants (id),
    id           uuid not null default gen_random_uuid(),
    name         text not null check (char_length(name) between 1 and 200),
    role         text not null check (role in ('admin', 'editor', 'viewer', 'integration')),
    -- The first characters of the key, shown so that people can tell keys
    -- apart; the key itself is never stored.
    prefix       text not null check (char_length(prefix) between 8 and 16),
    key_hash     text not null check (key_hash ~ '^[0-9a-f]{64}$'),
    created_by   uuid,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    revoked_by   uuid,
    last_used_at timestamptz,
    version      integer not null default 1 check (version > 0),
    updated_at   timestamptz not null default now(),
    primary key (tenant_id, id),
    check (expires_at is null or expires_at > created_at)
);
create unique index api_keys_hash_key on api_keys (key_hash);
create index api_keys_list on api_keys (tenant_id, created_at, id);

-- Audit trail: append-only, one hash chain per tenant. Each event's hash
-- covers the previous event's hash and the event's own content, so editing
-- or removing a row breaks the chain from that point on.
create table audit_chain_heads (
    tenant_id uuid primary key references tenants (id),
    last_seq  bigint not null,
    last_hash text not null
);

create table audit_events (
    tenant_id     uuid not null references tenants (id),
    seq           bigint not null,
    id            uuid not null default gen_random_uuid(),
    occurred_at   timestamptz not null default now(),
    actor_key_id  uuid,
    actor         text not null,
    action        text not null check (char_length(action) between 1 and 100),
    resource_type text not null check (char_length(resource_type) between 1 and 100),
    resource_id   text not null check (char_length(resource_id) between 1 and 200),
    before        jsonb,
    after         jsonb,
    request_id    text,
    prev_hash     text not null,
    hash          text not null,
    primary key (tenant_id, seq),
    unique (tenant_id, id)
);
create index audit_events_resource on audit_events (tenant_id, resource_type, resource_id, seq);
create index audit_events_actor on audit_events (tenant_id, actor_key_id, seq);
create index audit_events_time on audit_events (tenant_id, occurred_at, seq);

-- The text that is hashed; service/audit.c recomputes the same text to
-- verify the chain, so the two must change together.
create function audit_event_content(e audit_events) returns text
language sql stable as $$
    select concat_ws(E'\n',
        e.prev_hash, e.tenant_id::text, e.seq::text, e.id::text,
        ((extract(epoch from e.occurred_at) * 1000000)::bigint)::text,
        coalesce(e.actor_key_id::text, ''), e.actor, e.action,
        e.resource_type, e.resource_id,
        coalesce(e.before::text, ''), coalesce(e.after::text, ''),
        coalesce(e.request_id, ''))
$$;

create function audit_events_chain() returns trigger
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

create trigger audit_events_chain before insert on audit_events
    for each row execute function audit_events_chain();

create function refuse_change() returns trigger
language plpgsql as $$
begin
    raise exception '% is append-only', tg_table_name
        using errcode = 'P0001', hint = 'audit events are never edited or deleted';
end
$$;

create trigger audit_events_append_only before update or delete on audit_events
    for each row execute function refuse_change();
create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function refuse_change();

-- Idempotency-Key records: a reservation while the request runs (status is
-- null), then the stored response. Kept for 24 hours.
create table idempotency_keys (
    tenant_id    uuid not null references tenants (id),
    key          text not null check (char_length(key) between 1 and 255),
    fingerprint  text not null,
    status       integer check (status between 200 and 599),
    headers      jsonb,
    body         text,
    created_at   timestamptz not null default now(),
    completed_at timestamptz,
    primary key (tenant_id, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);

-- Secrets generated inside the database, shared by every replica. The
-- cursor secret signs pagination cursors so that a tampered one is refused.
create table server_secrets (
    name   text primary key,
    secret bytea not null check (octet_length(secret) >= 32)
);
insert into server_secrets (name, secret)
values ('cursor', sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text
                                    || clock_timestamp()::text, 'UTF8')));

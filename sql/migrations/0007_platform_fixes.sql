-- 0007_platform_fixes: defects found by review (issue 12).
--
-- 1. A tenant can never lose its last admin key, even under concurrency or
--    through an expiry date.
-- 2. The corporate master is reference data of the operator: its imports
--    are recorded here (who ran which file, with what result), no longer in
--    a tenant's audit trail; a tenant's vendors that an import changes get
--    an audit event in that tenant's own trail (written by the importer).

-- ---- 1. the last admin key ----------------------------------------------------

-- Invariant: every tenant keeps at least one admin key that is not revoked
-- and has no expiry date, so that someone can always manage its keys. (A
-- key that expires, however late, would lock the tenant out when it does.)
-- The check runs after a change that takes such a key out of that set.
-- Two transactions revoking each other's keys would each still see the
-- other's key as valid under READ COMMITTED; the advisory lock, per
-- tenant, makes the second wait for the first to commit and then see it.
create function api_keys_keep_admin() returns trigger
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

create trigger api_keys_keep_admin after update of role, revoked_at, expires_at on api_keys
    for each row
    when (old.role = 'admin' and old.revoked_at is null and old.expires_at is null
          and (new.role <> 'admin' or new.revoked_at is not null or new.expires_at is not null))
    execute function api_keys_keep_admin();

-- ---- 2. corporate master imports ---------------------------------------------

create table corporate_master_imports (
    id          uuid primary key default gen_random_uuid(),
    source      text not null check (char_length(source) between 1 and 500),
    started_at  timestamptz not null default now(),
    finished_at timestamptz,
    rows        bigint not null default 0 check (rows >= 0),
    inserted    bigint not null default 0 check (inserted >= 0),
    updated     bigint not null default 0 check (updated >= 0),
    unchanged   bigint not null default 0 check (unchanged >= 0),
    rejected    bigint not null default 0 check (rejected >= 0),
    vendors_changed bigint not null default 0 check (vendors_changed >= 0),
    outcome     text check (outcome in ('completed', 'failed')),
    check ((finished_at is null) = (outcome is null))
);

-- A row dated in the future would pin its facts against every later file
-- (later files win only when not older): the import refuses such rows, and
-- the table refuses them too. One day of slack covers the NTA publishing
-- early in Japan while it is still the day before in UTC.
alter table corporate_master
    add constraint corporate_master_update_date_not_future
    check (update_date <= (now() at time zone 'Asia/Tokyo')::date + 1) not valid;

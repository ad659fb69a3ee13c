-- pgbench twin of GET /v1/api-keys/{id} (api_keys.c get_stmt, KEY_JSON),
-- for the key given with -D tenant=... -D id=...
select version, json_build_object('id', k.id, 'name', k.name, 'role', k.role,
       'prefix', k.prefix, 'status', case when k.revoked_at is not null then 'revoked'
       when k.expires_at is not null and k.expires_at <= now() then 'expired' else 'active' end,
       'created_at', k.created_at, 'created_by', k.created_by, 'expires_at', k.expires_at,
       'revoked_at', k.revoked_at, 'last_used_at', k.last_used_at, 'version', k.version,
       'updated_at', k.updated_at)
  from api_keys k where tenant_id = :tenant::uuid and id = :id::uuid;

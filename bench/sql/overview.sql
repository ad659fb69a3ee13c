-- pgbench twin of GET /v1/overview (overview.c): one statement, the
-- tenant's whole overview as JSON, for one of the ten bench tenants
-- (bench_overview_tenants, made by bench/overview.sh). pgbench cannot bind
-- NULL: the unscoped filters are nullif(:nil, '0') with nil = 0.
\set t random(1, 10)
\set nil 0
select overview_json((select id from bench_overview_tenants where n = :t),
                     nullif(:nil, '0')::text, nullif(:nil, '0')::text, nullif(:nil, '0')::text,
                     nullif(:nil, '0')::text[], true)::text;

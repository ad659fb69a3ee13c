-- pgbench twin of GET /v1/vendors/{id} (vendors.c get_stmt).
\set t random(0, 9)
\set n random(1, 10000)
select version, vendor_json(v)::text from vendors v
 where tenant_id = ('b0000000-0000-4000-8000-' || lpad(:t::text, 12, '0'))::uuid
   and id = ('a0000000-0000-4000-8000-' || lpad((:t * 100000 + :n)::text, 12, '0'))::uuid;

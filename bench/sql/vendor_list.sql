-- pgbench twin of GET /v1/vendors?limit=50 (vendor_list.c, sort=name, no
-- filters). pgbench cannot bind NULL, so each null parameter the server
-- binds is nullif(:nil, '0') with nil = 0: still a parameter when the plan is made.
\set t random(0, 9)
\set limit 51
\set nil 0
select 'name'::text, v.name::text, v.id::text, vendor_json(v)::text
  from vendors v where v.tenant_id = ('b0000000-0000-4000-8000-' || lpad(:t::text, 12, '0'))::uuid
   and (nullif(:nil, '0')::text[] is null or v.status = any(nullif(:nil, '0')::text[]))
   and (nullif(:nil, '0')::text[] is null or v.risk_tier = any(nullif(:nil, '0')::text[]))
   and (nullif(:nil, '0')::text[] is null or v.last_monitoring_verdict = any(nullif(:nil, '0')::text[]))
   and (nullif(:nil, '0')::text is null or v.department = nullif(:nil, '0')::text)
   and (nullif(:nil, '0')::text is null or v.tags @> array[nullif(:nil, '0')::text])
   and (nullif(:nil, '0')::boolean is null or v.handles_personal_data = nullif(:nil, '0')::boolean)
   and (nullif(:nil, '0')::text is null or v.search_text like '%' || replace(replace(replace(
        itaku_fold(nullif(:nil, '0')), '\', '\\'), '%', '\%'), '_', '\_') || '%')
   and (nullif(:nil, '0')::boolean is null or coalesce(v.next_monitoring_due < tokyo_today(), false) = nullif(:nil, '0')::boolean)
   and (nullif(:nil, '0')::int is null or exists (select 1 from certifications c
        where c.tenant_id = v.tenant_id and c.vendor_id = v.id
          and c.expires_on between tokyo_today() and tokyo_today() + nullif(:nil, '0')::int))
   and (nullif(:nil, '0')::text is null or v.external_ref = nullif(:nil, '0')::text)
   and (nullif(:nil, '0')::text is null or (v.name, v.id) > (nullif(:nil, '0')::text, nullif(:nil, '0')::uuid))
 order by v.name asc, v.id asc limit :limit;

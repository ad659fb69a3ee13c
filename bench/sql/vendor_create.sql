-- pgbench twin of POST /v1/vendors (vendors.c insert_stmt, then the audit
-- event in the same transaction). The document is the one the server
-- builds after merging defaults (built here with
-- jsonb_build_object: pgbench reads ":word" inside a literal as a variable).
\set t random(0, 9)
\set r random(1, 1000000000000000)
begin;
insert into vendors as v (tenant_id, external_ref, name, name_kana, corporate_number, entity_type,
       country, address, capital_jpy, employee_count, department, business_description, tags,
       status, stability_notes, contacts)
select ('b0000000-0000-4000-8000-' || lpad(:t::text, 12, '0'))::uuid, external_ref, name, name_kana, corporate_number, entity_type,
       country, address, capital_jpy, employee_count, department, business_description, tags,
       status, stability_notes, contacts
  from jsonb_to_record(jsonb_build_object(
        'external_ref', 'P' || :r::text, 'name', 'ベンチ新規株式会社', 'name_kana', 'ベンチシンキ',
        'corporate_number', null, 'entity_type', 'corporation', 'country', 'JP', 'address', null,
        'capital_jpy', null, 'employee_count', null, 'department', '購買部',
        'business_description', null, 'tags', jsonb_build_array('bench'), 'status', 'active',
        'stability_notes', null, 'contacts', jsonb_build_array())) as
       x(external_ref text, name text, name_kana text, corporate_number text,
         entity_type text, country text, address text, capital_jpy bigint,
         employee_count integer, department text, business_description text, tags text[],
         status text, stability_notes text, contacts jsonb)
returning id, version, vendor_json(v)::text as after \gset
insert into audit_events (tenant_id, actor_key_id, actor, action, resource_type,
                          resource_id, before, after, request_id)
values (('b0000000-0000-4000-8000-' || lpad(:t::text, 12, '0'))::uuid, null, 'pgbench', 'vendor.created', 'vendor', :id, null, :after::jsonb, 'pgbench');
commit;

-- Seeds ten bench tenants with 10,000 vendors each (100,000 in all) for
-- bench/vendors.sh. Ids follow a pattern the wrk and pgbench scripts can
-- compute: tenant t is b0000000-...-<t>, its vendor n is
-- a0000000-...-<t*100000+n>. Running it again adds nothing.
insert into tenants (id, name)
select ('b0000000-0000-4000-8000-' || lpad(t::text, 12, '0'))::uuid, 'bench-vendors-' || t
  from generate_series(0, 9) t
on conflict do nothing;

insert into vendors (tenant_id, id, external_ref, name, name_kana, entity_type, department,
                     tags, status, capital_jpy, employee_count, business_description)
select ('b0000000-0000-4000-8000-' || lpad(t::text, 12, '0'))::uuid,
       ('a0000000-0000-4000-8000-' || lpad((t * 100000 + n)::text, 12, '0'))::uuid,
       'V' || lpad(n::text, 6, '0'),
       (array['株式会社', '有限会社', '合同会社'])[n % 3 + 1] || (array['アオバ', 'サクラ', 'ミナト',
        'ヒカリ', 'ツバサ', 'ヤマト', 'カエデ'])[n % 7 + 1] || '情報システム' || n,
       (array['アオバ', 'サクラ', 'ミナト', 'ヒカリ', 'ツバサ', 'ヤマト', 'カエデ'])[n % 7 + 1]
        || 'ジョウホウシステム',
       'corporation',
       (array['情報システム部', '総務部', '購買部', '人事部'])[n % 4 + 1],
       array[(array['cloud', 'bpo', 'dev', 'dc'])[n % 4 + 1]],
       (array['active', 'active', 'active', 'candidate', 'suspended'])[n % 5 + 1],
       (n % 500) * 1000000, n % 3000, 'bench vendor'
  from generate_series(0, 9) t, generate_series(1, 10000) n
on conflict do nothing;
analyze vendors;

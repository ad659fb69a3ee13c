-- 0002_vendors: the vendor register (委託先台帳).
--
-- Vendors, their certifications, engagements (委託業務), the information
-- handover ledger (機密情報管理台帳), monitoring records, and the
-- tenant-independent corporate master (国税庁 法人番号公表データ).
--
-- Derived values (risk tier and its reasons, next monitoring due date,
-- whether any engagement handles personal data) are kept in the vendor row
-- by triggers, so that lists filter and sort on them with indexes and every
-- writer, including ones outside this service, keeps them true.

create extension if not exists pg_trgm;

-- Folds text for search: NFKC (full-width ASCII and half-width kana become
-- their usual forms), lower case, hiragana to katakana, and no spaces or
-- ASCII hyphens, so that "ｶﾌﾞｼｷｶﾞｲｼｬ", "かぶしきがいしゃ" and
-- "カブシキガイシャ" are one string.
create function itaku_fold(t text) returns text
language sql immutable parallel safe strict as $$
    select translate(lower(normalize(t, NFKC)),
        'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ -　',
        'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ')
$$;

-- NTA check digit: over the 12-digit base P1..P12 counted from the right,
-- weights 1 (odd n) and 2 (even n); check = 9 - (sum mod 9).
create function corporate_number_valid(n text) returns boolean
language sql immutable parallel safe strict as $$
    select n ~ '^[0-9]{13}$'
       and substr(n, 1, 1)::int = 9 - (select sum(substr(n, 14 - i, 1)::int * (2 - i % 2))
                                         from generate_series(1, 12) i) % 9
$$;

-- ---- corporate master (tenant-independent reference data) --------------

create table corporate_master (
    corporate_number   text primary key check (corporate_number_valid(corporate_number)),
    sequence_number    bigint not null,
    process            text not null,        -- 01 new, 11 name change, 71 closure, ...
    correct            boolean not null,
    update_date        date not null,
    change_date        date,
    name               text not null,
    kind               text not null,        -- 101 national body ... 401 foreign, 499 other
    prefecture_name    text,
    city_name          text,
    street_number      text,
    prefecture_code    text,
    city_code          text,
    post_code          text,
    address_outside    text,
    close_date         date,
    close_cause        text,                 -- 01 liquidation, 11 merger, 21 other, 31 transfer abroad
    successor_corporate_number text,
    change_cause       text,
    assignment_date    date,
    latest             boolean not null,
    en_name            text,
    furigana           text,
    hidden             boolean not null default false,   -- hihyoji = 1: not to be shown
    imported_at        timestamptz not null default now()
);

-- ---- vendors ------------------------------------------------------------

create table vendors (
    tenant_id           uuid not null references tenants (id),
    id                  uuid not null default gen_random_uuid(),
    external_ref        text check (char_length(external_ref) between 1 and 100),
    name                text not null check (char_length(name) between 1 and 200),
    name_kana           text check (char_length(name_kana) <= 200),
    corporate_number    text check (corporate_number_valid(corporate_number)),
    entity_type         text not null default 'corporation'
                        check (entity_type in ('corporation', 'sole_proprietor', 'foreign', 'public_body')),
    country             text not null default 'JP' check (country ~ '^[A-Z]{2}$'),
    address             text check (char_length(address) <= 500),
    capital_jpy         bigint check (capital_jpy >= 0),
    employee_count      integer check (employee_count >= 0),
    department          text check (char_length(department) <= 200),
    business_description text check (char_length(business_description) <= 4000),
    tags                text[] not null default '{}' check (cardinality(tags) <= 30),
    status              text not null default 'candidate'
                        check (status in ('candidate', 'active', 'suspended', 'terminated')),
    stability_notes     text check (char_length(stability_notes) <= 4000),
    contacts            jsonb not null default '[]' check (jsonb_typeof(contacts) = 'array'),
    -- risk: computed by vendor_risk(), optionally overridden
    risk_computed_tier  text not null default 'low' check (risk_computed_tier in ('high', 'medium', 'low')),
    risk_reasons        jsonb not null default '[]',
    risk_override_tier  text check (risk_override_tier in ('high', 'medium', 'low')),
    risk_override_reason text check (char_length(risk_override_reason) between 1 and 2000),
    risk_override_by    uuid,
    risk_override_at    timestamptz,
    risk_tier           text not null default 'low' check (risk_tier in ('high', 'medium', 'low')),
    handles_personal_data boolean not null default false,
    -- monitoring
    last_monitoring_date date,
    last_monitoring_verdict text check (last_monitoring_verdict in ('no_issues', 'watch', 'action_required')),
    monitoring_cadence_months integer not null default 36,
    next_monitoring_due date,
    search_text         text generated always as (
                            itaku_fold(name || ' ' || coalesce(name_kana, '') || ' '
                                       || coalesce(external_ref, '') || ' ' || coalesce(corporate_number, ''))
                        ) stored,
    version             integer not null default 1 check (version > 0),
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    primary key (tenant_id, id),
    -- Sole proprietors have no corporate number; what they have is an
    -- individual number (マイナンバー), which must never be stored here.
    check (entity_type <> 'sole_proprietor' or corporate_number is null),
    check ((risk_override_tier is null) = (risk_override_reason is null)),
    check ((last_monitoring_date is null) = (last_monitoring_verdict is null))
);
create unique index vendors_external_ref on vendors (tenant_id, external_ref);
create unique index vendors_corporate_number on vendors (tenant_id, corporate_number);
create index vendors_by_name on vendors (tenant_id, name, id);
create index vendors_by_created on vendors (tenant_id, created_at, id);
create index vendors_by_due on vendors (tenant_id, coalesce(next_monitoring_due, 'infinity'::date), id);
create index vendors_tags on vendors using gin (tags);
create index vendors_search on vendors using gin (search_text gin_trgm_ops);

create table vendor_monitoring (
    tenant_id  uuid not null,
    id         uuid not null default gen_random_uuid(),
    vendor_id  uuid not null,
    monitored_on date not null,
    verdict    text not null check (verdict in ('no_issues', 'watch', 'action_required')),
    note       text check (char_length(note) <= 4000),
    recorded_by uuid,
    created_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, vendor_id) references vendors (tenant_id, id)
);
create index vendor_monitoring_vendor on vendor_monitoring (tenant_id, vendor_id, monitored_on desc);

-- ---- certifications -----------------------------------------------------

create table certifications (
    tenant_id         uuid not null,
    id                uuid not null default gen_random_uuid(),
    vendor_id         uuid not null,
    kind              text not null check (kind in ('isms', 'isms_cloud', 'privacy_mark', 'ismap',
                          'soc2_type1', 'soc2_type2', 'cs_mark', 'fedramp', 'other')),
    kind_other        text check (char_length(kind_other) between 1 and 200),
    certificate_number text check (char_length(certificate_number) <= 100),
    registered_scope  text check (char_length(registered_scope) <= 4000),
    issued_on         date,
    expires_on        date,
    evidence_ref      text check (char_length(evidence_ref) <= 1000),
    scope_verified    boolean not null default false,
    scope_verified_by uuid,
    scope_verified_at timestamptz,
    scope_verified_note text check (char_length(scope_verified_note) <= 2000),
    version           integer not null default 1 check (version > 0),
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, vendor_id) references vendors (tenant_id, id),
    check (expires_on is null or issued_on is null or expires_on >= issued_on),
    check ((kind = 'other') = (kind_other is not null)),
    check (scope_verified or (scope_verified_by is null and scope_verified_at is null))
);
create index certifications_vendor on certifications (tenant_id, vendor_id, created_at, id);
create index certifications_expiry on certifications (tenant_id, expires_on, id);

-- ---- engagements ----------------------------------------------------------

create table engagements (
    tenant_id          uuid not null,
    id                 uuid not null default gen_random_uuid(),
    vendor_id          uuid not null,
    external_ref       text check (char_length(external_ref) between 1 and 100),
    title              text not null check (char_length(title) between 1 and 200),
    description        text check (char_length(description) <= 4000),
    contract_type      text not null check (contract_type in ('ukeoi', 'inin', 'jun_inin', 'terms_of_service')),
    category           text not null check (category in ('system_build', 'operation_onsite',
                           'operation_remote', 'datacenter', 'asp_saas', 'housing', 'maintenance',
                           'data_processing', 'storage_transport')),
    starts_on          date,
    ends_on            date,
    handles_personal_data boolean not null default false,
    personal_data_categories text[] not null default '{}',
    personal_data_subjects integer check (personal_data_subjects >= 0),
    confidentiality    smallint not null default 2 check (confidentiality between 1 and 3),
    data_locations     text[] not null default '{JP}',
    subcontracting     text not null default 'prior_approval'
                       check (subcontracting in ('prohibited', 'prior_approval', 'allowed')),
    subcontract_max_depth smallint not null default 1 check (subcontract_max_depth between 0 and 10),
    clauses            jsonb not null default '{}' check (jsonb_typeof(clauses) = 'object'),
    version            integer not null default 1 check (version > 0),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, vendor_id) references vendors (tenant_id, id),
    check (ends_on is null or starts_on is null or ends_on >= starts_on),
    check (handles_personal_data or (cardinality(personal_data_categories) = 0
                                     and personal_data_subjects is null)),
    check (subcontracting <> 'prohibited' or subcontract_max_depth = 0),
    check (cardinality(data_locations) <= 50)
);
create unique index engagements_external_ref on engagements (tenant_id, external_ref);
create index engagements_vendor on engagements (tenant_id, vendor_id, created_at, id);

-- The NISC handbook's tables of which security measures each outsourcing
-- category needs (seed 002, 9.3.1 for the contract and 9.2.3 for what is
-- announced to candidates): required, optional, not_applicable, or
-- included_in_service (※). clauses names the contract-checklist items
-- that carry the measure.
create table outsourcing_measures (
    no            smallint primary key,
    code          text not null unique,
    title         text not null,
    clauses       text[] not null,
    levels        jsonb not null,
    notice_levels jsonb
);

-- ---- handover ledger (機密情報管理台帳) --------------------------------------

create table handovers (
    tenant_id      uuid not null,
    id             uuid not null default gen_random_uuid(),
    engagement_id  uuid not null,
    item           text not null check (char_length(item) between 1 and 500),
    classification text not null check (classification in ('public', 'internal', 'confidential', 'secret')),
    handed_over_on date not null,
    method         text not null check (method in ('encrypted_transfer', 'physical_media', 'system_access',
                       'paper', 'email', 'other')),
    handed_by      text check (char_length(handed_by) <= 200),
    received_by    text check (char_length(received_by) <= 200),
    return_due_on  date,
    status         text not null default 'held' check (status in ('held', 'returned', 'erased')),
    closed_on      date,
    erasure_certificate_ref text check (char_length(erasure_certificate_ref) <= 1000),
    note           text check (char_length(note) <= 4000),
    version        integer not null default 1 check (version > 0),
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, engagement_id) references engagements (tenant_id, id),
    check (return_due_on is null or return_due_on >= handed_over_on),
    check ((status = 'held') = (closed_on is null)),
    check (closed_on is null or closed_on >= handed_over_on),
    -- An erasure is only closed with its evidence (seed 002, 9.4.1).
    check (status <> 'erased' or erasure_certificate_ref is not null)
);
create index handovers_engagement on handovers (tenant_id, engagement_id, handed_over_on, id);
create index handovers_due on handovers (tenant_id, return_due_on, id) where status = 'held';

-- ---- derived vendor values --------------------------------------------------

create function tokyo_today() returns date
language sql stable parallel safe as $$ select (now() at time zone 'Asia/Tokyo')::date $$;

-- The computed risk tier and the reasons for it. The riskiest current
-- engagement sets the base score (each factor adds points, and the reasons
-- list them); certifications and the corporation's official status adjust
-- it. 5 points or more is high, 3 or more medium, otherwise low.
create function vendor_risk(p_tenant uuid, p_vendor uuid, p_corporate_number text,
                            out tier text, out reasons jsonb)
language plpgsql stable as $$
declare
    e record;
    pts int;
    best int := -1;
    er jsonb;
    score int;
    today date := tokyo_today();
    n_valid int;
    n_verified int;
    closed date;
    foreign_codes text[];
begin
    reasons := '[]';
    for e in select * from engagements
              where tenant_id = p_tenant and vendor_id = p_vendor
                and (ends_on is null or ends_on >= today)
              order by created_at, id loop
        pts := 0;
        er := '[]';
        if e.handles_personal_data then
            pts := pts + 2;
            er := er || jsonb_build_object('code', 'personal_data', 'points', 2, 'engagement_id', e.id,
                'message', format('engagement "%s" handles personal data', e.title));
        end if;
        if e.personal_data_subjects >= 100000 then
            pts := pts + 2;
            er := er || jsonb_build_object('code', 'personal_data_volume', 'points', 2, 'engagement_id', e.id,
                'message', format('about %s people''s data (100,000 or more)', e.personal_data_subjects));
        elsif e.personal_data_subjects >= 1000 then
            pts := pts + 1;
            er := er || jsonb_build_object('code', 'personal_data_volume', 'points', 1, 'engagement_id', e.id,
                'message', format('about %s people''s data (1,000 or more)', e.personal_data_subjects));
        end if;
        if e.personal_data_categories && array['sensitive', 'my_number'] then
            pts := pts + 2;
            er := er || jsonb_build_object('code', 'sensitive_personal_data', 'points', 2, 'engagement_id', e.id,
                'message', 'sensitive personal data (要配慮個人情報) or individual numbers are handled');
        end if;
        if e.confidentiality >= 2 then
            pts := pts + e.confidentiality - 1;
            er := er || jsonb_build_object('code', 'confidentiality', 'points', e.confidentiality - 1,
                'engagement_id', e.id, 'message', format('confidentiality level %s', e.confidentiality));
        end if;
        if e.category in ('data_processing', 'datacenter', 'asp_saas', 'storage_transport', 'operation_remote') then
            pts := pts + 1;
            er := er || jsonb_build_object('code', 'data_custody', 'points', 1, 'engagement_id', e.id,
                'message', format('category %s keeps or reaches our data on the vendor''s side', e.category));
        end if;
        select array_agg(c) into foreign_codes from unnest(e.data_locations) c where c <> 'JP';
        if foreign_codes is not null then
            pts := pts + case when e.handles_personal_data then 2 else 1 end;
            er := er || jsonb_build_object('code', 'foreign_location',
                'points', case when e.handles_personal_data then 2 else 1 end, 'engagement_id', e.id,
                'message', format('data kept outside Japan (%s): foreign law applies',
                                  array_to_string(foreign_codes, ', ')));
        end if;
        if e.subcontracting = 'allowed' then
            pts := pts + 1;
            er := er || jsonb_build_object('code', 'subcontracting', 'points', 1, 'engagement_id', e.id,
                'message', 'subcontracting is allowed without prior approval');
        elsif e.subcontracting = 'prior_approval' and e.subcontract_max_depth >= 2 then
            pts := pts + 1;
            er := er || jsonb_build_object('code', 'subcontracting', 'points', 1, 'engagement_id', e.id,
                'message', format('subcontracting allowed down to depth %s', e.subcontract_max_depth));
        end if;
        if pts > best then
            best := pts;
            reasons := er;
        end if;
    end loop;

    select close_date into closed from corporate_master
     where corporate_number = p_corporate_number and close_date is not null;

    if best < 0 then
        tier := 'low';
        reasons := jsonb_build_array(jsonb_build_object('code', 'no_current_engagement', 'points', 0,
            'message', 'no current engagement'));
        if closed is not null then
            reasons := reasons || jsonb_build_object('code', 'corporation_closed', 'points', 2,
                'message', format('the corporation was closed on %s according to the corporate number register', closed));
        end if;
        return;
    end if;
    score := best;

    select count(*), count(*) filter (where scope_verified)
      into n_valid, n_verified
      from certifications
     where tenant_id = p_tenant and vendor_id = p_vendor
       and kind in ('isms', 'isms_cloud', 'privacy_mark', 'ismap', 'soc2_type2', 'fedramp')
       and (expires_on is null or expires_on >= today);
    if n_valid = 0 then
        score := score + 1;
        reasons := reasons || jsonb_build_object('code', 'no_certification', 'points', 1,
            'message', 'no current ISMS, Privacy Mark, ISMAP, SOC 2 Type 2 or FedRAMP certification');
    elsif n_verified = 0 then
        reasons := reasons || jsonb_build_object('code', 'certification_scope_unverified', 'points', 0,
            'message', 'a current certification exists but nobody has checked that its scope covers the outsourced work');
    else
        score := score - 1;
        reasons := reasons || jsonb_build_object('code', 'certification_verified', 'points', -1,
            'message', 'a current certification whose scope was checked to cover the outsourced work');
    end if;

    if closed is not null then
        score := score + 2;
        reasons := reasons || jsonb_build_object('code', 'corporation_closed', 'points', 2,
            'message', format('the corporation was closed on %s according to the corporate number register', closed));
    end if;

    tier := case when score >= 5 then 'high' when score >= 3 then 'medium' else 'low' end;
end
$$;

create function tenant_cadence_months(p_tenant uuid, p_tier text) returns integer
language sql stable as $$
    select coalesce((settings -> 'monitoring_cadence_months' ->> p_tier)::int,
                    case p_tier when 'high' then 12 when 'medium' then 24 else 36 end)
      from tenants where id = p_tenant
$$;

-- Keeps the derived columns true on every write. An update that changes
-- only derived values (a "touch" after an engagement or certification
-- changed) still bumps the version when they changed, so ETags stay honest.
create function vendors_derive() returns trigger
language plpgsql as $$
declare
    computed record;
begin
    select * into computed from vendor_risk(new.tenant_id, new.id, new.corporate_number);
    new.risk_computed_tier := computed.tier;
    new.risk_reasons := computed.reasons;
    new.risk_tier := coalesce(new.risk_override_tier, computed.tier);
    new.handles_personal_data := exists (
        select 1 from engagements e
         where e.tenant_id = new.tenant_id and e.vendor_id = new.id and e.handles_personal_data);
    new.monitoring_cadence_months := tenant_cadence_months(new.tenant_id, new.risk_tier);
    new.next_monitoring_due := case
        when new.status in ('candidate', 'terminated') then null
        when new.last_monitoring_date is null then (new.created_at at time zone 'Asia/Tokyo')::date
        else (new.last_monitoring_date + make_interval(months => new.monitoring_cadence_months))::date
    end;
    if tg_op = 'UPDATE' and new.version = old.version
       and (new.risk_tier, new.risk_computed_tier, new.risk_reasons, new.handles_personal_data,
            new.next_monitoring_due, new.monitoring_cadence_months)
           is distinct from
           (old.risk_tier, old.risk_computed_tier, old.risk_reasons, old.handles_personal_data,
            old.next_monitoring_due, old.monitoring_cadence_months) then
        new.version := old.version + 1;
        new.updated_at := now();
    end if;
    return new;
end
$$;
create trigger vendors_derive before insert or update on vendors
    for each row execute function vendors_derive();

create function vendors_touch_from_child() returns trigger
language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        update vendors set tenant_id = tenant_id where tenant_id = old.tenant_id and id = old.vendor_id;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.vendor_id <> old.vendor_id) then
        update vendors set tenant_id = tenant_id where tenant_id = new.tenant_id and id = new.vendor_id;
    end if;
    return null;
end
$$;
create trigger engagements_touch_vendor after insert or update or delete on engagements
    for each row execute function vendors_touch_from_child();
create trigger certifications_touch_vendor after insert or update or delete on certifications
    for each row execute function vendors_touch_from_child();

-- Only a candidate vendor may be deleted, and only with nothing attached
-- (the foreign keys refuse the rest); everyone else is terminated.
create function vendors_guard_delete() returns trigger
language plpgsql as $$
begin
    if old.status <> 'candidate' then
        raise exception 'only a candidate vendor can be deleted; set its status to terminated instead';
    end if;
    return old;
end
$$;
create trigger vendors_guard_delete before delete on vendors
    for each row execute function vendors_guard_delete();

-- A vendor's public shape.
create function vendor_json(v vendors) returns json
language sql stable as $$
    select json_build_object(
        'id', v.id, 'external_ref', v.external_ref, 'name', v.name, 'name_kana', v.name_kana,
        'corporate_number', v.corporate_number, 'entity_type', v.entity_type, 'country', v.country,
        'address', v.address, 'capital_jpy', v.capital_jpy, 'employee_count', v.employee_count,
        'department', v.department, 'business_description', v.business_description,
        'tags', to_jsonb(v.tags), 'status', v.status, 'stability_notes', v.stability_notes,
        'contacts', v.contacts,
        'handles_personal_data', v.handles_personal_data,
        'risk', json_build_object(
            'tier', v.risk_tier, 'computed_tier', v.risk_computed_tier, 'reasons', v.risk_reasons,
            'override', case when v.risk_override_tier is null then null else json_build_object(
                'tier', v.risk_override_tier, 'reason', v.risk_override_reason,
                'set_by', v.risk_override_by, 'set_at', v.risk_override_at) end),
        'monitoring', json_build_object(
            'cadence_months', v.monitoring_cadence_months,
            'last_date', v.last_monitoring_date, 'last_verdict', v.last_monitoring_verdict,
            'next_due', v.next_monitoring_due,
            'overdue', coalesce(v.next_monitoring_due < tokyo_today(), false)),
        'official', (select json_build_object(
                'name', m.name, 'furigana', m.furigana,
                'address', concat_ws('', m.prefecture_name, m.city_name, m.street_number, m.address_outside),
                'post_code', m.post_code, 'kind', m.kind, 'closed', m.close_date is not null,
                'close_date', m.close_date, 'close_cause', m.close_cause,
                'successor_corporate_number', m.successor_corporate_number,
                'update_date', m.update_date)
              from corporate_master m where m.corporate_number = v.corporate_number and not m.hidden),
        'corporation_closed', exists (select 1 from corporate_master m
                                       where m.corporate_number = v.corporate_number and m.close_date is not null),
        'version', v.version, 'created_at', v.created_at, 'updated_at', v.updated_at)
$$;

-- The measure tables, one letter per category in this order: system_build,
-- operation_onsite, operation_remote, datacenter, asp_saas, housing,
-- maintenance, data_processing, storage_transport. R = ○ required,
-- O = △ optional, N = × not applicable, S = ※ included in the service.
-- The 9.3.1 table as extracted carries ten values per row for nine
-- categories; the ninth value is not mapped (docs/required-measures.md).
insert into outsourcing_measures (no, code, title, clauses, levels, notice_levels)
select m.no, m.code, m.title, m.clauses,
       (select jsonb_object_agg(c.cat, case substr(m.l, c.i::int, 1) when 'R' then 'required'
                 when 'O' then 'optional' when 'N' then 'not_applicable' else 'included_in_service' end)
          from unnest(array['system_build', 'operation_onsite', 'operation_remote', 'datacenter',
                            'asp_saas', 'housing', 'maintenance', 'data_processing',
                            'storage_transport']) with ordinality c(cat, i)),
       case when m.n is null then null else
       (select jsonb_object_agg(c.cat, case substr(m.n, c.i::int, 1) when 'R' then 'required'
                 when 'O' then 'optional' when 'N' then 'not_applicable' else 'included_in_service' end)
          from unnest(array['system_build', 'operation_onsite', 'operation_remote', 'datacenter',
                            'asp_saas', 'housing', 'maintenance', 'data_processing',
                            'storage_transport']) with ordinality c(cat, i)) end
  from (values
    (1, 'security_organisation', '情報セキュリティを確保するための体制の整備',
        array['status_reporting'], 'RRRRRRRRS', 'RRRRRRRRS'),
    (2, 'confidentiality', '取り扱う情報の秘密保持等（目的外利用の禁止を含む）',
        array['confidentiality', 'purpose_limitation', 'return_erasure'], 'RRRRRRRRR', 'RRRRRRRRO'),
    (3, 'security_functions', 'セキュリティ機能の装備',
        array[]::text[], 'RNNNNNNNN', 'RNNNNNNNN'),
    (4, 'operation_security', '運用・保守・点検における情報セキュリティ対策の実施',
        array['device_security'], 'NOOOSNONN', 'NOOOSNONN'),
    (5, 'vulnerability_management', '脆弱性対策の実施',
        array['device_security'], 'ROOOSNONN', 'ROOOSNONN'),
    (6, 'other_assets_protection', '外部委託する業務以外の情報資産の保全',
        array['confidentiality'], 'OONNNNONN', null),
    (7, 'service_levels', '情報セキュリティ対策のサービスレベルに関する事項',
        array[]::text[], 'NOOOOOONN', 'NOOOOOONN'),
    (8, 'incident_response', '情報セキュリティが侵害された場合の対処',
        array['incident_reporting'], 'RRRRRRRRS', 'OOOOOOOOS'),
    (9, 'compliance_checks', '情報セキュリティ対策の履行状況の確認',
        array['status_reporting'], 'RRRRRRRRS', null),
    (10, 'security_audit', '情報セキュリティ監査の実施',
        array['audit_rights'], 'OOOOOOOOO', 'OOOOOOOOO'),
    (11, 'remediation', '情報セキュリティ対策の履行が不十分であると思われる場合の対処',
        array['audit_rights'], 'RRRRRRRRS', 'OOOOOOOOS'),
    (12, 'delegated_documents', '確認書等に委任する事項',
        array[]::text[], 'OOOOOOOON', null),
    (13, 'subcontracting', '再委託に関する事項',
        array['subcontracting'], 'ROOOOOORO', 'ROOOOOORO')
  ) as m(no, code, title, clauses, l, n);

-- An engagement's required measures and the contract clauses still missing
-- for the required ones.
create function engagement_measures(p_category text, p_clauses jsonb, out measures json, out missing json)
language sql stable as $$
    select (select json_agg(json_build_object('no', m.no, 'code', m.code, 'title', m.title,
                        'level', m.levels ->> p_category, 'notice_level', m.notice_levels ->> p_category,
                        'clauses', to_jsonb(m.clauses)) order by m.no)
              from outsourcing_measures m),
           coalesce((select json_agg(json_build_object('clause', x.clause, 'measures', x.codes) order by x.clause)
              from (select c.clause, jsonb_agg(m.code order by m.no) as codes
                      from outsourcing_measures m, unnest(m.clauses) c(clause)
                     where m.levels ->> p_category = 'required'
                       and coalesce(p_clauses ->> c.clause, 'absent') <> 'present'
                     group by c.clause) x), '[]'::json)
$$;

create function engagement_json(e engagements) returns json
language sql stable as $$
    select json_build_object(
        'id', e.id, 'vendor_id', e.vendor_id, 'external_ref', e.external_ref, 'title', e.title,
        'description', e.description, 'contract_type', e.contract_type, 'category', e.category,
        'starts_on', e.starts_on, 'ends_on', e.ends_on,
        'status', case when e.starts_on > tokyo_today() then 'planned'
                       when e.ends_on < tokyo_today() then 'ended' else 'current' end,
        'handles_personal_data', e.handles_personal_data,
        'personal_data_categories', to_jsonb(e.personal_data_categories),
        'personal_data_subjects', e.personal_data_subjects,
        'confidentiality', e.confidentiality, 'data_locations', to_jsonb(e.data_locations),
        'foreign_data_location', exists (select 1 from unnest(e.data_locations) c where c <> 'JP'),
        'subcontracting', e.subcontracting, 'subcontract_max_depth', e.subcontract_max_depth,
        'clauses', e.clauses,
        'required_measures', m.measures, 'missing_clauses', m.missing,
        'version', e.version, 'created_at', e.created_at, 'updated_at', e.updated_at)
      from engagement_measures(e.category, e.clauses) m
$$;

create function certification_json(c certifications) returns json
language sql stable as $$
    select json_build_object(
        'id', c.id, 'vendor_id', c.vendor_id, 'kind', c.kind, 'kind_other', c.kind_other,
        'certificate_number', c.certificate_number, 'registered_scope', c.registered_scope,
        'issued_on', c.issued_on, 'expires_on', c.expires_on, 'evidence_ref', c.evidence_ref,
        'status', case when c.expires_on < tokyo_today() then 'expired' else 'valid' end,
        'scope_verified', c.scope_verified, 'scope_verified_by', c.scope_verified_by,
        'scope_verified_at', c.scope_verified_at, 'scope_verified_note', c.scope_verified_note,
        'version', c.version, 'created_at', c.created_at, 'updated_at', c.updated_at)
$$;

create function handover_json(h handovers) returns json
language sql stable as $$
    select json_build_object(
        'id', h.id, 'engagement_id', h.engagement_id, 'item', h.item,
        'classification', h.classification, 'handed_over_on', h.handed_over_on, 'method', h.method,
        'handed_by', h.handed_by, 'received_by', h.received_by, 'return_due_on', h.return_due_on,
        'status', h.status, 'closed_on', h.closed_on,
        'erasure_certificate_ref', h.erasure_certificate_ref, 'note', h.note,
        'overdue', h.status = 'held' and h.return_due_on < tokyo_today(),
        'version', h.version, 'created_at', h.created_at, 'updated_at', h.updated_at)
$$;

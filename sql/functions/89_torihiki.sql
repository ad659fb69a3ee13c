-- 89_torihiki.sql: 取適法 (中小受託取引適正化法, 製造委託等に係る中小受託事業者に対する
-- 代金の支払の遅延等の防止に関する法律; in force 2026-01-01, the successor of 下請法)
-- coverage of an engagement, the duties that follow, and the payment-terms
-- check (rule 7 of the negotiation rules; its result's shape is shared with
-- rules 1-6, 88_rules.sql).
--
-- The one live copy of these functions: `itaku migrate` re-applies this
-- file, after the numbered migrations, whenever its checksum changes.
--
-- Coverage (第2条第8項 委託事業者, 第9項 中小受託事業者) is computed from
-- recorded figures only. A figure that is missing gives `unknown` with the
-- names of what is missing, never a guess. Group 1 is 製造委託・修理委託・
-- 特定運送委託, プログラム作成 and the services of transport, warehousing and
-- information processing; group 2 is every other 情報成果物作成委託 and
-- 役務提供委託. The transaction type is a recorded answer: 役務提供委託 covers
-- only services the outsourcer itself provides to others, which the
-- outsourcing category cannot tell.
--
--   capital test (第8項・第9項 第1号-第4号): the outsourcer's capital is over
--     3億円 (group 2: 5千万円) and the vendor's is at most that, or the
--     vendor is an individual; or the outsourcer's is over 1千万円 and at most
--     3億円 (5千万円) and the vendor's is at most 1千万円, or an individual.
--   headcount test (第5号・第6号, added by 取適法), when the capital test
--     fails: the outsourcer regularly employs (常時使用する従業員の数)
--     more than 300 (group 2: 100) and the vendor 300 (100) or fewer.
--     "超える" is strictly more: 300 is not over 300, 301 is.
--
-- Both tests take the figures at the time of the order (ordered_on); the
-- register keeps the current figures, which are used as recorded. An order
-- before 2026-01-01 fell under 下請法, which had no headcount test.

-- 1 or 2 for a transaction type, null for not_applicable or unanswered.
create or replace function torihiki_group(p_type text) returns int
language sql immutable parallel safe as $$
    select case when p_type in ('manufacturing_repair_transport', 'program_creation',
                                'transport_storage_information_processing') then 1
                when p_type in ('other_information_products', 'other_services') then 2 end
$$;

-- An amount of yen with thousands separators, for the explanations.
create or replace function torihiki_yen(p bigint) returns text
language sql immutable parallel safe as $$ select to_char(p, 'FM9,999,999,999,999,999,990') $$;

-- The outsourcer's own figures and its statement on a superior bargaining
-- position (独占禁止法 優越的地位): a tenant setting, nulls when not given.
create or replace function torihiki_outsourcer(p_tenant uuid) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'capital_jpy', (t.settings #>> '{torihiki,capital_jpy}')::bigint,
        'employee_count', (t.settings #>> '{torihiki,employee_count}')::int,
        'superior_bargaining_position', (t.settings #>> '{torihiki,superior_bargaining_position}')::boolean,
        'superior_bargaining_position_note', t.settings #>> '{torihiki,superior_bargaining_position_note}')
      from tenants t where t.id = p_tenant
$$;

-- Coverage of one engagement row (the row itself, so that a RETURNING
-- clause sees the values just written).
create or replace function torihiki_coverage_of(e engagements) returns jsonb
language plpgsql stable as $$
declare
    o jsonb := torihiki_outsourcer(e.tenant_id);
    oc bigint := (o ->> 'capital_jpy')::bigint;
    oe int := (o ->> 'employee_count')::int;
    vc bigint;
    ve int;
    indiv boolean;
    grp int := torihiki_group(e.torihiki_type);
    big bigint;
    heads int;
    missing text[] := '{}';
    cap boolean;       -- null: cannot be decided
    head boolean;
    status text;
    test text;
    expl jsonb;
    before_law boolean := e.ordered_on < date '2026-01-01';
begin
    select v.capital_jpy, v.employee_count, v.entity_type = 'sole_proprietor'
      into vc, ve, indiv
      from vendors v where v.tenant_id = e.tenant_id and v.id = e.vendor_id;
    big := case grp when 1 then 300000000 else 50000000 end;
    heads := case grp when 1 then 300 else 100 end;
    if e.torihiki_type is null then
        status := 'unknown';
        missing := array['transaction_type'];
        expl := jsonb_build_object('code', 'torihiki.type_unanswered',
            'message', 'the transaction type under 取適法 has not been recorded for this engagement');
    elsif grp is null then
        status := 'not_covered';
        expl := jsonb_build_object('code', 'torihiki.not_applicable',
            'message', 'recorded as none of the transaction types of 取適法');
    else
        -- capital test
        if oc is null then
            missing := missing || 'outsourcer.capital_jpy'::text;
        elsif oc <= 10000000 then
            cap := false;
        elsif indiv then
            cap := true;
        elsif vc is null then
            missing := missing || 'vendor.capital_jpy'::text;
        elsif oc > big then
            cap := vc <= big;
        else
            cap := vc <= 10000000;
        end if;
        -- headcount test, only where the capital test does not cover
        if cap is not true then
            if before_law then
                head := false;
            elsif oe is null then
                missing := missing || 'outsourcer.employee_count'::text;
            elsif oe <= heads then
                head := false;
            elsif ve is null then
                missing := missing || 'vendor.employee_count'::text;
            else
                head := ve <= heads;
            end if;
        end if;
        if cap then
            status := 'covered';
            test := 'capital';
            missing := '{}';
            expl := case when indiv then jsonb_build_object('code', 'torihiki.covered_capital_individual',
                    'message', format('covered by the capital test: the outsourcer''s capital of %s yen is over 10,000,000 yen and the vendor is an individual', torihiki_yen(oc)))
                else jsonb_build_object('code', 'torihiki.covered_capital',
                    'message', format('covered by the capital test: the outsourcer''s capital of %s yen is over %s yen and the vendor''s capital of %s yen is %s yen or less',
                                      torihiki_yen(oc), torihiki_yen(case when oc > big then big else 10000000 end),
                                      torihiki_yen(vc), torihiki_yen(case when oc > big then big else 10000000 end))) end;
        elsif head then
            status := 'covered';
            test := 'headcount';
            missing := '{}';
            expl := jsonb_build_object('code', 'torihiki.covered_headcount',
                'message', format('covered by the headcount test: the outsourcer regularly employs %s people, more than %s, and the vendor %s, %s or fewer',
                                  oe, heads, ve, heads));
        elsif cap is false and head is false then
            status := 'not_covered';
            expl := case when before_law then jsonb_build_object('code', 'torihiki.not_covered_before_law',
                    'message', format('not covered: the capital test fails, and the order of %s predates 取適法 (2026-01-01), so the headcount test does not apply',
                                      e.ordered_on))
                else jsonb_build_object('code', 'torihiki.not_covered',
                    'message', format('not covered: neither the capital test nor the headcount test (more than %s people regularly employed against %s or fewer) holds',
                                      heads, heads)) end;
        else
            status := 'unknown';
            expl := jsonb_build_object('code', 'torihiki.missing_figures',
                'message', format('cannot be decided until these figures are recorded: %s',
                                  array_to_string(missing, ', ')));
        end if;
    end if;
    return jsonb_build_object(
        'status', status, 'transaction_type', e.torihiki_type, 'group', grp, 'test', test,
        'ordered_on', e.ordered_on,
        'outsourcer', jsonb_build_object('capital_jpy', oc, 'employee_count', oe),
        'vendor', jsonb_build_object('capital_jpy', vc, 'employee_count', ve, 'individual', coalesce(indiv, false)),
        'missing', to_jsonb(missing), 'explanation', expl);
end;
$$;

create or replace function torihiki_coverage(p_tenant uuid, p_engagement uuid) returns jsonb
language sql stable as $$
    select torihiki_coverage_of(e) from engagements e where e.tenant_id = p_tenant and e.id = p_engagement
$$;

-- The day p_day (31 = the last day) of the month of p_month.
create or replace function torihiki_month_day(p_month date, p_day int) returns date
language sql immutable parallel safe as $$
    select date_trunc('month', p_month)::date
           + least(p_day, extract(day from date_trunc('month', p_month) + interval '1 month - 1 day')::int) - 1
$$;

-- The longest time from the day of receipt to the due date the terms allow,
-- in days (due date = receipt + this). For a monthly cut-off the longest
-- wait is for a receipt on the day after a cut-off; each such day of
-- 2027-2028 (a leap February included) is tried.
create or replace function torihiki_payment_days(p_basis text, p_days int, p_cutoff int, p_offset int, p_day int)
returns int language sql immutable parallel safe as $$
    select case p_basis
        when 'days_after_receipt' then p_days
        when 'monthly_cutoff' then (
            select max(torihiki_month_day((date_trunc('month', c) + make_interval(months => p_offset))::date, p_day) - r)
              from (select r,
                           case when r <= torihiki_month_day(r, p_cutoff) then torihiki_month_day(r, p_cutoff)
                                else torihiki_month_day((date_trunc('month', r) + interval '1 month')::date, p_cutoff) end as c
                      from (select torihiki_month_day(m::date, p_cutoff) + 1 as r
                              from generate_series(date '2026-12-01', date '2028-12-01', interval '1 month') m) d) x)
    end
$$;

create or replace function torihiki_payment_terms_json(e engagements) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'due_basis', e.payment_due_basis, 'due_days', e.payment_due_days,
        'cutoff_day', e.payment_cutoff_day, 'month_offset', e.payment_month_offset,
        'payment_day', e.payment_day, 'method', e.payment_method,
        'full_amount_by_due', e.payment_full_amount_by_due,
        'transfer_fee_borne_by', e.transfer_fee_borne_by, 'terms_in_writing', e.terms_in_writing)
$$;

-- Rule 7: the payment terms of a covered engagement against 取適法, one
-- result per term at risk, in the shape every rule shares (rule_result(),
-- 88_rules.sql): `needs_review`, never a finding of violation, with the
-- preconditions that hold. Listed in the engagement's 取適法 view, per
-- vendor and tenant-wide next to rules 1-6.
-- When a rule-7 term of an engagement was first seen to hold (null: not yet
-- announced).
create or replace function engagement_risk_detected(e engagements, p_term text) returns timestamptz
language sql stable as $$
    select s.detected_at from engagement_risk_signals s
     where s.tenant_id = e.tenant_id and s.engagement_id = e.id and s.rule = 'R7_payment_terms' and s.term = p_term
$$;

create or replace function torihiki_payment_risks_of(e engagements, cov jsonb) returns jsonb
language plpgsql stable as $$
declare
    out jsonb := '[]';
    pre jsonb;
    days int;
begin
    if cov ->> 'status' is distinct from 'covered' then
        return out;
    end if;
    pre := rule_preconditions(cov, torihiki_outsourcer(e.tenant_id) -> 'superior_bargaining_position');
    days := torihiki_payment_days(e.payment_due_basis, e.payment_due_days, e.payment_cutoff_day,
                                  e.payment_month_offset, e.payment_day);
    if days > 59 then
        out := out || rule_result('R7_payment_terms', pre,
            jsonb_build_array(rule_record('engagement', e.id,
                case e.payment_due_basis when 'days_after_receipt' then array['payment_terms.due_days']
                     else array['payment_terms.cutoff_day', 'payment_terms.month_offset', 'payment_terms.payment_day'] end)),
            e.vendor_id, e.id, null, null, jsonb_build_object('max_days_after_receipt', days),
            engagement_risk_detected(e, 'torihiki.risk_due_date'),
            jsonb_build_object('code', 'torihiki.risk_due_date',
                'message', format('payment can fall due %s days after the day of receipt; 取適法 requires payment within 60 days counting the day of receipt as day 1, that is receipt + 59 days at the latest', days)),
            '取適法 第3条 (支払期日)');
    end if;
    if e.payment_method = 'promissory_note' then
        out := out || rule_result('R7_payment_terms', pre,
            jsonb_build_array(rule_record('engagement', e.id, array['payment_terms.method'])),
            e.vendor_id, e.id, null, null, jsonb_build_object('method', e.payment_method),
            engagement_risk_detected(e, 'torihiki.risk_promissory_note'),
            jsonb_build_object('code', 'torihiki.risk_promissory_note',
                'message', 'payment by promissory note (手形) is not allowed under 取適法'),
            '取適法 第5条第1項第2号 (支払遅延: 手形払等の禁止)');
    end if;
    if e.payment_method in ('electronic_receivables', 'factoring') and e.payment_full_amount_by_due is not true then
        out := out || rule_result('R7_payment_terms', pre,
            jsonb_build_array(rule_record('engagement', e.id, array['payment_terms.method', 'payment_terms.full_amount_by_due'])),
            e.vendor_id, e.id, null, null,
            jsonb_build_object('method', e.payment_method, 'full_amount_by_due', e.payment_full_amount_by_due),
            engagement_risk_detected(e, case when e.payment_full_amount_by_due is false
                then 'torihiki.risk_not_convertible' else 'torihiki.risk_convertible_unknown' end),
            case when e.payment_full_amount_by_due is false
                then jsonb_build_object('code', 'torihiki.risk_not_convertible',
                    'message', format('payment by %s that the vendor cannot turn into the full amount by the due date', e.payment_method))
                else jsonb_build_object('code', 'torihiki.risk_convertible_unknown',
                    'message', format('payment by %s, and whether the vendor can turn it into the full amount by the due date is not recorded', e.payment_method)) end,
            '取適法 第5条第1項第2号 (支払遅延: 手形払等の禁止)');
    end if;
    if e.transfer_fee_borne_by = 'vendor' then
        out := out || rule_result('R7_payment_terms', pre,
            jsonb_build_array(rule_record('engagement', e.id, array['payment_terms.transfer_fee_borne_by'])),
            e.vendor_id, e.id, null, null, jsonb_build_object('transfer_fee_borne_by', e.transfer_fee_borne_by),
            engagement_risk_detected(e, 'torihiki.risk_transfer_fee'),
            jsonb_build_object('code', 'torihiki.risk_transfer_fee',
                'message', 'the bank transfer fee is deducted from the vendor''s payment (減額)'),
            '取適法 第5条第1項第3号 (減額)');
    end if;
    return out;
end;
$$;

create or replace function torihiki_payment_risks(p_tenant uuid, p_engagement uuid) returns jsonb
language sql stable as $$
    select torihiki_payment_risks_of(e, torihiki_coverage_of(e))
      from engagements e where e.tenant_id = p_tenant and e.id = p_engagement
$$;

-- What a covered engagement obliges the outsourcer to (empty otherwise).
create or replace function torihiki_duties(p_status text) returns jsonb
language sql immutable as $$
    select case when p_status = 'covered' then jsonb_build_array(
        jsonb_build_object('duty', 'terms_in_writing', 'source', '取適法 第4条', 'code', 'torihiki.duty_terms_in_writing',
            'message', 'give the terms of each order to the vendor in writing or electronically'),
        jsonb_build_object('duty', 'payment_within_60_days', 'source', '取適法 第3条', 'code', 'torihiki.duty_payment_60_days',
            'message', 'set the payment due date within 60 days counting the day of receipt as day 1 (receipt + 59 days at the latest)'),
        jsonb_build_object('duty', 'no_promissory_notes', 'source', '取適法 第5条第1項第2号', 'code', 'torihiki.duty_no_notes',
            'message', 'do not pay by promissory note, nor by electronic receivables or factoring that cannot be turned into the full amount by the due date'),
        jsonb_build_object('duty', 'no_transfer_fee_deduction', 'source', '取適法 第5条第1項第3号', 'code', 'torihiki.duty_no_transfer_fee',
            'message', 'do not deduct the bank transfer fee from the amount paid to the vendor'),
        jsonb_build_object('duty', 'consultation_on_price', 'source', '取適法 第5条第2項第4号', 'code', 'torihiki.duty_consultation',
            'message', 'do not decide the price unilaterally without consulting the vendor or giving the necessary explanation when it asks'),
        jsonb_build_object('duty', 'records_2_years', 'source', '取適法 第7条', 'code', 'torihiki.duty_records',
            'message', 'keep the records of the transaction for 2 years'),
        jsonb_build_object('duty', 'late_interest', 'source', '取適法 第6条', 'code', 'torihiki.duty_late_interest',
            'message', 'pay late interest of 14.6 percent a year on late payment, from receipt + 60 days until the day of payment'))
    else '[]'::jsonb end
$$;

-- GET /v1/engagements/{id}/torihiki: coverage, payment terms, duties and
-- the rule 7 results of one engagement; null when there is no such row.
create or replace function torihiki_engagement_json(p_tenant uuid, p_engagement uuid) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'engagement_id', e.id, 'vendor_id', e.vendor_id,
        'coverage', c.cov,
        'superior_bargaining_position', o -> 'superior_bargaining_position',
        'superior_bargaining_position_note', o -> 'superior_bargaining_position_note',
        'payment_terms', torihiki_payment_terms_json(e) || jsonb_build_object('max_days_after_receipt',
            torihiki_payment_days(e.payment_due_basis, e.payment_due_days, e.payment_cutoff_day,
                                  e.payment_month_offset, e.payment_day)),
        'duties', torihiki_duties(c.cov ->> 'status'),
        'risks', torihiki_payment_risks_of(e, c.cov))
      from engagements e, lateral (select torihiki_coverage_of(e) as cov) c,
           lateral torihiki_outsourcer(e.tenant_id) o
     where e.tenant_id = p_tenant and e.id = p_engagement
$$;

-- 88_rules.sql: the one shape of a rule check's result, for the seven rules
-- of issue 20: rules 1-6 on the negotiation records (90_negotiations.sql)
-- and rule 7 on a covered engagement's payment terms (89_torihiki.sql).
--
-- The one live copy of these functions: `itaku migrate` re-applies this
-- file, after the numbered migrations, whenever its checksum changes.
--
-- A result says `needs_review`, never "violation": the guidance applies
-- where the outsourcer holds a superior bargaining position (独占禁止法
-- 第2条第9項第5号) or the transaction is within 取適法, so every result
-- carries both preconditions. Its title and explanation are {code,
-- message} texts (English here, catalogued in service/i18n/messages_db.c),
-- which the server renders in the language the request asks for.
--
-- Sources: the guidance is 経済産業省・公正取引委員会「サプライチェーン全体
-- のサイバーセキュリティ向上のための取引先とのパートナーシップの構築に向けて」
-- (2022-10-28). 取適法 第5条 lists, in its 第1項, 受領拒否 (第1号), 支払遅延
-- (第2号, which since 取適法 also covers payment by promissory note and by
-- means that cannot be turned into the full amount by the due date), 減額
-- (第3号), 返品 (第4号), 買いたたき (第5号), 購入・利用強制 (第6号), 報復措置
-- (第7号); in its 第2項, 有償支給原材料等の対価の早期決済 (第1号), 不当な経済上
-- の利益の提供要請 (第2号), 不当な給付内容の変更・やり直し (第3号), 協議に応じ
-- ない一方的な代金決定 (第4号, new in 取適法).

-- What a rule is: its title, its general explanation and its source. A
-- result may give a more specific explanation and source (rule 7 does).
create or replace function rule_info(p_rule text) returns jsonb
language sql immutable parallel safe as $$
    select case p_rule
    when 'R1_no_timely_consultation' then jsonb_build_object(
        'title', jsonb_build_object('code', 'negotiation_rule.r1_title',
            'message', 'No consultation within the period after the vendor asked'),
        'explanation', jsonb_build_object('code', 'negotiation_rule.r1_explanation',
            'message', 'The vendor asked for consultation, or its cost impact was recorded, and no session took place within the tenant''s consultation period; for an engagement within 取適法, also a price decided unilaterally after such a request without any session.'),
        'source', 'METI/JFTC 2022 guidance, 取引の対価の一方的決定; 取適法 第5条第2項第4号 (協議に応じない一方的な代金決定)')
    when 'R2_decline_without_written_reason' then jsonb_build_object(
        'title', jsonb_build_object('code', 'negotiation_rule.r2_title',
            'message', 'Price increase declined without a written reason'),
        'explanation', jsonb_build_object('code', 'negotiation_rule.r2_explanation',
            'message', 'The outcome is declined and the reason was given only orally or not sent; the guidance expects the reason to be answered in writing or by e-mail.'),
        'source', 'METI/JFTC 2022 guidance, 取引の対価の一方的決定 (問題となるおそれがある行為: 理由を書面、電子メール等で回答しない据置き)')
    when 'R3_unchanged_at_renewal' then jsonb_build_object(
        'title', jsonb_build_object('code', 'negotiation_rule.r3_title',
            'message', 'Price left unchanged at renewal without discussing the cost'),
        'explanation', jsonb_build_object('code', 'negotiation_rule.r3_explanation',
            'message', 'A paid security service or a certification was requested, the contract was renewed at the same price, and no session discussing its cost was recorded by the renewal.'),
        'source', 'METI/JFTC 2022 guidance, 取引の対価の一方的決定 (問題となるおそれがある行為: 明示的に協議することなく従来どおりに据え置く行為)')
    when 'R4_low_price_unilateral' then jsonb_build_object(
        'title', jsonb_build_object('code', 'negotiation_rule.r4_title',
            'message', 'Price at or below the old one, set unilaterally after a request (買いたたき)'),
        'explanation', jsonb_build_object('code', 'negotiation_rule.r4_explanation',
            'message', 'After a security request, the price was decided unilaterally at or below the previous price, without regard to the vendor''s added cost.'),
        'source', 'METI/JFTC 2022 guidance, 取引の対価の一方的決定; 取適法 第5条第1項第5号 (買いたたき)')
    when 'R5_designation_with_equivalent' then jsonb_build_object(
        'title', jsonb_build_object('code', 'negotiation_rule.r5_title',
            'message', 'Designated product or provider without recorded necessity or despite an equivalent measure (購入・利用強制)'),
        'explanation', jsonb_build_object('code', 'negotiation_rule.r5_explanation',
            'message', 'A specific product or provider was designated with no recorded necessity, or while the vendor claims an equivalent measure or holds a verified, unexpired certificate named as one.'),
        'source', 'METI/JFTC 2022 guidance, 購入・利用強制; 取適法 第5条第1項第6号 (購入・利用強制)')
    when 'R6_charge_without_agreement' then jsonb_build_object(
        'title', jsonb_build_object('code', 'negotiation_rule.r6_title',
            'message', 'Security costs charged without an agreed amount and basis beforehand'),
        'explanation', jsonb_build_object('code', 'negotiation_rule.r6_explanation',
            'message', 'Security costs were charged to the vendor with no amount or basis agreed before the charge, or above the amount agreed.'),
        'source', 'METI/JFTC 2022 guidance, セキュリティ対策費の負担の要請; 取適法 第5条第2項第2号 (不当な経済上の利益の提供要請)')
    when 'R7_payment_terms' then jsonb_build_object(
        'title', jsonb_build_object('code', 'torihiki.rule_payment_terms',
            'message', 'payment terms of a transaction under 取適法'),
        'explanation', jsonb_build_object('code', 'torihiki.rule_payment_terms_explanation',
            'message', 'a payment due date later than receipt + 59 days, payment by promissory note or by means the vendor cannot turn into the full amount by the due date, or a transfer fee deducted from the vendor'),
        'source', '取適法 第3条 (支払期日), 第5条第1項第2号 (支払遅延: 手形払等), 第5条第1項第3号 (減額)')
    end
$$;

-- Which precondition holds: 取適法 coverage as computed for the engagement
-- (torihiki_coverage_of(); without an engagement `unknown`, missing
-- `engagement`) and the tenant's statement of a superior bargaining
-- position (settings.torihiki; null when not stated).
create or replace function rule_preconditions(p_coverage jsonb, p_superior jsonb) returns jsonb
language sql immutable parallel safe as $$
    select jsonb_build_object(
        'torihiki', coalesce(p_coverage ->> 'status', 'unknown'),
        'torihiki_test', coalesce(p_coverage -> 'test', 'null'),
        'torihiki_missing', case when p_coverage is null then '["engagement"]'::jsonb
                                 else coalesce(p_coverage -> 'missing', '[]') end,
        'superior_bargaining_position', coalesce(p_superior, 'null'))
$$;

-- One record behind a result: the resource, its id and, where it helps,
-- the fields the rule looked at.
create or replace function rule_record(p_resource text, p_id uuid, p_fields text[] default '{}') returns jsonb
language sql immutable parallel safe as $$
    select jsonb_build_object('resource', p_resource, 'id', p_id, 'fields', to_jsonb(coalesce(p_fields, '{}')))
$$;

-- One result, the same for every rule (openapi RuleResult). p_explanation
-- and p_source replace the rule's general ones when given.
create or replace function rule_result(p_rule text, p_preconditions jsonb, p_records jsonb,
                                       p_vendor uuid, p_engagement uuid, p_request uuid, p_negotiation uuid,
                                       p_facts jsonb, p_detected_at timestamptz,
                                       p_explanation jsonb default null, p_source text default null) returns jsonb
language sql immutable parallel safe as $$
    select jsonb_build_object(
        'rule', p_rule, 'status', 'needs_review',
        'title', i -> 'title', 'explanation', coalesce(p_explanation, i -> 'explanation'),
        'source', coalesce(p_source, i ->> 'source'),
        'preconditions', p_preconditions, 'records', coalesce(p_records, '[]'),
        'vendor_id', p_vendor, 'engagement_id', p_engagement, 'request_id', p_request,
        'negotiation_id', p_negotiation, 'facts', coalesce(p_facts, '{}'), 'detected_at', p_detected_at)
      from rule_info(p_rule) i
$$;

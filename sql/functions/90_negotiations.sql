-- 90_negotiations.sql: cost pass-through negotiation records (issue 20,
-- part A): their JSON, what is derived from them (pass-through rate, days
-- to the first session and to the outcome), the append-only history, the
-- retention period, and the rule checks (1-6) with the risks announced
-- once (negotiation.risk_detected).
--
-- The one live copy of these functions and triggers: `itaku migrate`
-- re-applies this file, after the numbered migrations, whenever its
-- checksum changes. Change them here, never in a migration.

-- ---- tenant settings ----------------------------------------------------------

-- 取引記録 are kept for at least two years; a tenant may keep them longer.
create or replace function settings_negotiation_retention_years(s jsonb) returns integer
language sql immutable as $$
    select greatest(2, coalesce((s ->> 'negotiation_retention_years')::int, 2))
$$;

-- The period within which a request for consultation should meet a session (rule 1).
create or replace function settings_negotiation_consultation_days(s jsonb) returns integer
language sql immutable as $$
    select coalesce((s ->> 'negotiation_consultation_days')::int, 30)
$$;

-- ---- JSON -----------------------------------------------------------------------

create or replace function cost_estimate_json(e cost_estimates) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'id', e.id, 'request_id', e.request_id, 'revision', e.revision,
        'one_off_jpy', e.one_off_jpy, 'recurring_yearly_jpy', e.recurring_yearly_jpy,
        'first_year_jpy', e.one_off_jpy + e.recurring_yearly_jpy,
        'basis', e.basis, 'elements', e.elements, 'evidence_refs', to_jsonb(e.evidence_refs),
        'estimated_by', e.estimated_by, 'estimated_on', e.estimated_on, 'note', e.note,
        'recorded_at', e.recorded_at, 'recorded_by', e.recorded_by)
$$;

-- The latest revision of a request's estimate, or null.
create or replace function security_request_latest_estimate(p_tenant uuid, p_request uuid) returns cost_estimates
language sql stable as $$
    select e from cost_estimates e where e.tenant_id = p_tenant and e.request_id = p_request
     order by e.revision desc limit 1
$$;

-- When the records of a request may be deleted: its last change plus the
-- tenant's retention period.
create or replace function security_request_retained_until(r security_requests) returns timestamptz
language sql stable as $$
    select greatest(r.created_at, r.updated_at,
                    (select max(e.recorded_at) from cost_estimates e
                      where e.tenant_id = r.tenant_id and e.request_id = r.id))
           + make_interval(years => settings_negotiation_retention_years(t.settings))
      from tenants t where t.id = r.tenant_id
$$;

create or replace function negotiation_retained_until(n negotiations) returns timestamptz
language sql stable as $$
    select greatest(n.created_at, n.updated_at,
                    (select max(s.recorded_at) from negotiation_sessions s
                      where s.tenant_id = n.tenant_id and s.negotiation_id = n.id),
                    (select max(o.recorded_at) from negotiation_outcomes o
                      where o.tenant_id = n.tenant_id and o.negotiation_id = n.id),
                    (select max(c.recorded_at) from negotiation_confirmations c
                      where c.tenant_id = n.tenant_id and c.negotiation_id = n.id))
           + make_interval(years => settings_negotiation_retention_years(t.settings))
      from tenants t where t.id = n.tenant_id
$$;

create or replace function security_request_json(r security_requests) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'id', r.id, 'vendor_id', r.vendor_id, 'engagement_id', r.engagement_id,
        'kind', r.kind, 'text', r.text, 'requested_on', r.requested_on, 'reason', r.reason,
        'requested_by', r.requested_by,
        'source_kind', r.source_kind, 'finding_id', r.finding_id, 'assessment_id', r.assessment_id,
        'question_code', r.question_code, 'clause', r.clause, 'incident_id', r.incident_id,
        'source_note', r.source_note,
        'designated', r.designated, 'designated_item', r.designated_item,
        'designation_necessity', r.designation_necessity,
        'equivalent_claimed', r.equivalent_claimed, 'equivalent_measure', r.equivalent_measure,
        'equivalent_certification_id', r.equivalent_certification_id,
        'deadline_on', r.deadline_on, 'renewal_on', r.renewal_on,
        'price_unchanged_at_renewal', r.price_unchanged_at_renewal,
        'charged_jpy', r.charged_jpy, 'charged_on', r.charged_on,
        'charge_agreed_jpy', r.charge_agreed_jpy, 'charge_basis', r.charge_basis,
        'charge_agreed_on', r.charge_agreed_on,
        'status', r.status, 'withdrawn_on', r.withdrawn_on, 'withdrawn_reason', r.withdrawn_reason,
        'latest_estimate', (select cost_estimate_json(e) from cost_estimates e
                             where e.tenant_id = r.tenant_id and e.request_id = r.id
                             order by e.revision desc limit 1),
        'negotiation_ids', coalesce((select jsonb_agg(x.negotiation_id order by n.created_at, n.id)
                                       from negotiation_requests x
                                       join negotiations n on n.tenant_id = x.tenant_id and n.id = x.negotiation_id
                                      where x.tenant_id = r.tenant_id and x.request_id = r.id), '[]'),
        'retained_until', security_request_retained_until(r),
        'version', r.version, 'created_at', r.created_at, 'updated_at', r.updated_at,
        'created_by', r.created_by, 'updated_by', r.updated_by)
$$;

create or replace function negotiation_session_json(s negotiation_sessions) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'id', s.id, 'negotiation_id', s.negotiation_id, 'held_on', s.held_on, 'channel', s.channel,
        'participants_outsourcer', to_jsonb(s.participants_outsourcer),
        'participants_vendor', to_jsonb(s.participants_vendor),
        'proposals', s.proposals, 'minutes', s.minutes, 'corrects', s.corrects,
        'corrected_by', (select c.id from negotiation_sessions c
                          where c.tenant_id = s.tenant_id and c.negotiation_id = s.negotiation_id
                            and c.corrects = s.id order by c.recorded_at desc, c.id desc limit 1),
        'vendor_confirmation', (select negotiation_confirmation_json(c) from negotiation_confirmations c
                                 where c.tenant_id = s.tenant_id and c.session_id = s.id
                                 order by c.recorded_at desc, c.id desc limit 1),
        'recorded_at', s.recorded_at, 'recorded_by', s.recorded_by)
$$;

create or replace function negotiation_outcome_json(o negotiation_outcomes) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'id', o.id, 'negotiation_id', o.negotiation_id, 'kind', o.kind, 'decided_on', o.decided_on,
        'decision', o.decision, 'agreed_one_off_jpy', o.agreed_one_off_jpy,
        'agreed_recurring_yearly_jpy', o.agreed_recurring_yearly_jpy, 'effective_on', o.effective_on,
        'contract_ref', o.contract_ref, 'remaining', o.remaining,
        'price_before_jpy', o.price_before_jpy, 'price_after_jpy', o.price_after_jpy,
        'reason', o.reason, 'reason_sent_via', o.reason_sent_via, 'reason_sent_on', o.reason_sent_on,
        'note', o.note, 'corrects', o.corrects,
        'vendor_confirmation', (select negotiation_confirmation_json(c) from negotiation_confirmations c
                                 where c.tenant_id = o.tenant_id and c.outcome_id = o.id
                                 order by c.recorded_at desc, c.id desc limit 1),
        'recorded_at', o.recorded_at, 'recorded_by', o.recorded_by)
$$;

-- A session or outcome as the vendor's link shows it: never who recorded it
-- or its confirmation (staff names, other links' prefixes).
create or replace function negotiation_vendor_view(p jsonb) returns jsonb
language sql immutable as $$
    select case when jsonb_typeof(p -> 'vendor_confirmation') = 'object'
                then (p - 'recorded_by') || jsonb_build_object('vendor_confirmation', (p -> 'vendor_confirmation') - 'recorded_by')
                else p - 'recorded_by' end
$$;

create or replace function negotiation_confirmation_json(c negotiation_confirmations) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'id', c.id, 'negotiation_id', c.negotiation_id, 'session_id', c.session_id,
        'outcome_id', c.outcome_id, 'stance', c.stance, 'comment', c.comment,
        'recorded_at', c.recorded_at, 'recorded_by', c.recorded_by)
$$;

-- The outcome that counts: the latest recorded.
create or replace function negotiation_current_outcome(p_tenant uuid, p_negotiation uuid) returns negotiation_outcomes
language sql stable as $$
    select o from negotiation_outcomes o where o.tenant_id = p_tenant and o.negotiation_id = p_negotiation
     order by o.recorded_at desc, o.id desc limit 1
$$;

-- The date of the first session held (a corrected session counts with
-- its correction's date).
create or replace function negotiation_first_session_on(p_tenant uuid, p_negotiation uuid) returns date
language sql stable as $$
    select min(s.held_on) from negotiation_sessions s
     where s.tenant_id = p_tenant and s.negotiation_id = p_negotiation
       and not exists (select 1 from negotiation_sessions c where c.tenant_id = s.tenant_id
                          and c.negotiation_id = s.negotiation_id and c.corrects = s.id)
$$;

-- What follows from the records. Estimated: the latest estimates of the
-- negotiation's requests, first year (one-off plus one year of recurring
-- cost); null when none was estimated. Agreed: what the current outcome
-- passes through in the same terms (price_revised, partially: its
-- amounts; cost_borne_by_outsourcer: the whole estimate; declined: 0;
-- pending, withdrawn or no outcome: null). The rate is agreed ÷ estimated.
create or replace function negotiation_derived(n negotiations) returns jsonb
language plpgsql stable as $$
declare
    est_one bigint;
    est_rec bigint;
    est bigint;
    agreed bigint;
    o negotiation_outcomes;
    first_on date := negotiation_first_session_on(n.tenant_id, n.id);
begin
    select sum(e.one_off_jpy), sum(e.recurring_yearly_jpy) into est_one, est_rec
      from negotiation_requests x
      cross join lateral security_request_latest_estimate(x.tenant_id, x.request_id) e
     where x.tenant_id = n.tenant_id and x.negotiation_id = n.id and e.id is not null;
    est := est_one + est_rec;
    o := negotiation_current_outcome(n.tenant_id, n.id);
    agreed := case o.kind
                  when 'price_revised' then coalesce(o.agreed_one_off_jpy, 0) + coalesce(o.agreed_recurring_yearly_jpy, 0)
                  when 'partially' then coalesce(o.agreed_one_off_jpy, 0) + coalesce(o.agreed_recurring_yearly_jpy, 0)
                  when 'cost_borne_by_outsourcer' then est
                  when 'declined' then 0 end;
    return jsonb_build_object(
        'status', coalesce(o.kind, 'open'),
        'estimated_one_off_jpy', est_one, 'estimated_recurring_yearly_jpy', est_rec,
        'estimated_first_year_jpy', est, 'agreed_first_year_jpy', agreed,
        'pass_through_rate', case when est > 0 and agreed is not null then round(agreed::numeric / est, 4) end,
        'first_session_on', first_on,
        'days_to_first_session', first_on - n.consultation_requested_on,
        'outcome_on', case when o.kind not in ('pending') then o.decided_on end,
        'days_to_outcome', case when o.kind not in ('pending') then o.decided_on - n.consultation_requested_on end);
end
$$;

create or replace function negotiation_json(n negotiations) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'id', n.id, 'vendor_id', n.vendor_id, 'engagement_id', n.engagement_id, 'title', n.title,
        'initiated_by', n.initiated_by, 'consultation_requested_on', n.consultation_requested_on,
        'request_ids', coalesce((select jsonb_agg(x.request_id order by r.requested_on, r.id)
                                   from negotiation_requests x
                                   join security_requests r on r.tenant_id = x.tenant_id and r.id = x.request_id
                                  where x.tenant_id = n.tenant_id and x.negotiation_id = n.id), '[]'),
        'current_outcome', (select negotiation_outcome_json(o)
                              from negotiation_current_outcome(n.tenant_id, n.id) o where o.id is not null),
        'session_count', (select count(*) from negotiation_sessions s
                           where s.tenant_id = n.tenant_id and s.negotiation_id = n.id),
        'retained_until', negotiation_retained_until(n),
        'version', n.version, 'created_at', n.created_at, 'updated_at', n.updated_at,
        'created_by', n.created_by, 'updated_by', n.updated_by)
        || negotiation_derived(n)
$$;

-- With its whole history, oldest first.
create or replace function negotiation_full_json(n negotiations) returns jsonb
language sql stable as $$
    select negotiation_json(n) || jsonb_build_object(
        'sessions', coalesce((select jsonb_agg(negotiation_session_json(s) order by s.held_on, s.recorded_at, s.id)
                                from negotiation_sessions s
                               where s.tenant_id = n.tenant_id and s.negotiation_id = n.id), '[]'),
        'outcomes', coalesce((select jsonb_agg(negotiation_outcome_json(o) order by o.recorded_at, o.id)
                                from negotiation_outcomes o
                               where o.tenant_id = n.tenant_id and o.negotiation_id = n.id), '[]'),
        'confirmations', coalesce((select jsonb_agg(negotiation_confirmation_json(c) order by c.recorded_at, c.id)
                                     from negotiation_confirmations c
                                    where c.tenant_id = n.tenant_id and c.negotiation_id = n.id), '[]'))
$$;

create or replace function negotiation_link_json(l negotiation_links) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'id', l.id, 'negotiation_id', l.negotiation_id, 'prefix', l.prefix,
        'status', case when l.revoked_at is not null then 'revoked'
                       when l.expires_at <= now() then 'expired' else 'active' end,
        'expires_at', l.expires_at, 'revoked_at', l.revoked_at, 'created_at', l.created_at,
        'last_used_at', l.last_used_at)
$$;

-- ---- invariants -------------------------------------------------------------------

-- A request's links point at the same vendor: its engagement, the finding
-- or assessment it comes from, the incident, the certificate.
create or replace function security_requests_check() returns trigger
language plpgsql as $$
begin
    if new.engagement_id is not null and exists (select 1 from engagements e where e.tenant_id = new.tenant_id
                                                       and e.id = new.engagement_id and e.vendor_id <> new.vendor_id) then
        raise exception 'the engagement is not one of this vendor''s' using errcode = 'P0001';
    end if;
    if new.finding_id is not null and exists (select 1 from findings f where f.tenant_id = new.tenant_id
                                                    and f.id = new.finding_id and f.vendor_id <> new.vendor_id) then
        raise exception 'the finding is not one of this vendor''s' using errcode = 'P0001';
    end if;
    if new.assessment_id is not null and exists (select 1 from assessments a where a.tenant_id = new.tenant_id
                                                       and a.id = new.assessment_id and a.vendor_id <> new.vendor_id) then
        raise exception 'the assessment is not one of this vendor''s' using errcode = 'P0001';
    end if;
    if new.incident_id is not null and exists (select 1 from incidents i where i.tenant_id = new.tenant_id
                                                     and i.id = new.incident_id and i.vendor_id <> new.vendor_id) then
        raise exception 'the incident is not one of this vendor''s' using errcode = 'P0001';
    end if;
    if new.equivalent_certification_id is not null
       and exists (select 1 from certifications c where c.tenant_id = new.tenant_id
                          and c.id = new.equivalent_certification_id and c.vendor_id <> new.vendor_id) then
        raise exception 'the certification is not one of this vendor''s' using errcode = 'P0001';
    end if;
    if tg_op = 'UPDATE' and new.vendor_id <> old.vendor_id then
        raise exception 'a security request stays with its vendor' using errcode = 'P0001';
    end if;
    return new;
end
$$;

-- Inside the retention period nothing is deleted; outside it, a request
-- goes with its estimates, a negotiation with its whole history.
create or replace function negotiation_records_delete() returns trigger
language plpgsql as $$
declare
    until timestamptz;
begin
    if tg_table_name = 'security_requests' then
        until := security_request_retained_until(old);
    else
        until := negotiation_retained_until(old);
    end if;
    if until > now() then
        raise exception 'negotiation records are kept until %; they cannot be deleted before',
            to_char(until at time zone 'Asia/Tokyo', 'YYYY-MM-DD') using errcode = 'P0001';
    end if;
    return old;
end
$$;

-- History rows are never changed, and deleted only with their request or
-- negotiation (whose own trigger has checked the retention period).
create or replace function negotiation_history_guard() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        if tg_table_name = 'cost_estimates' then
            if not exists (select 1 from security_requests r where r.tenant_id = old.tenant_id and r.id = old.request_id) then
                return old;
            end if;
        elsif not exists (select 1 from negotiations n where n.tenant_id = old.tenant_id and n.id = old.negotiation_id) then
            return old;
        end if;
    end if;
    raise exception '% is append-only', tg_table_name
        using errcode = 'P0001', hint = 'a recorded entry is corrected by a new entry that names it';
end
$$;

create or replace function cost_estimates_check() returns trigger
language plpgsql as $$
declare
    one bigint;
    rec bigint;
begin
    perform 1 from security_requests r where r.tenant_id = new.tenant_id and r.id = new.request_id for update;
    new.revision := coalesce((select max(e.revision) from cost_estimates e
                               where e.tenant_id = new.tenant_id and e.request_id = new.request_id), 0) + 1;
    if jsonb_array_length(new.elements) > 0 then
        select sum((x ->> 'one_off_jpy')::bigint), sum((x ->> 'recurring_yearly_jpy')::bigint) into one, rec
          from jsonb_array_elements(new.elements) x;
        if one <> new.one_off_jpy or rec <> new.recurring_yearly_jpy then
            raise exception 'the cost elements must add up to the one-off and the recurring totals' using errcode = 'P0001';
        end if;
    end if;
    return new;
end
$$;

-- One request, or several of the negotiation's engagement; always of its vendor.
create or replace function negotiation_requests_check() returns trigger
language plpgsql as $$
declare
    n negotiations;
    r security_requests;
begin
    select * into n from negotiations where tenant_id = new.tenant_id and id = new.negotiation_id;
    select * into r from security_requests where tenant_id = new.tenant_id and id = new.request_id;
    if r.vendor_id <> n.vendor_id then
        raise exception 'a negotiation covers requests of its own vendor only' using errcode = 'P0001';
    end if;
    if n.engagement_id is null and exists (select 1 from negotiation_requests x where x.tenant_id = new.tenant_id
                                              and x.negotiation_id = new.negotiation_id
                                              and x.request_id <> new.request_id) then
        raise exception 'several requests are negotiated together only for one engagement' using errcode = 'P0001';
    end if;
    if n.engagement_id is not null and r.engagement_id is distinct from n.engagement_id then
        raise exception 'a negotiation for an engagement covers that engagement''s requests only' using errcode = 'P0001';
    end if;
    return new;
end
$$;

create or replace function negotiation_sessions_check() returns trigger
language plpgsql as $$
begin
    if new.held_on > tokyo_today() then
        raise exception 'a session is recorded once it has taken place' using errcode = 'P0001';
    end if;
    return new;
end
$$;

create or replace function negotiation_outcomes_check() returns trigger
language plpgsql as $$
begin
    if new.decided_on > tokyo_today() then
        raise exception 'an outcome is recorded once it is decided' using errcode = 'P0001';
    end if;
    if new.effective_on is not null and exists (
        select 1 from negotiation_requests x join security_requests r on r.tenant_id = x.tenant_id and r.id = x.request_id
         where x.tenant_id = new.tenant_id and x.negotiation_id = new.negotiation_id
           and r.requested_on > new.effective_on) then
        raise exception 'the price cannot take effect before the security request was made' using errcode = 'P0001';
    end if;
    return new;
end
$$;

-- ---- rule checks ----------------------------------------------------------------------

-- The rules' titles, explanations and sources, and the shape of their
-- results, are shared with rule 7 (rule_info(), rule_result(),
-- sql/functions/88_rules.sql). These were their earlier homes.
drop function if exists negotiation_rule(text);
drop function if exists negotiation_preconditions(uuid, uuid);

-- The rules (1-6) that hold for one request now, each a rule_result().
create or replace function security_request_risks(p_tenant uuid, p_request uuid) returns jsonb
language plpgsql stable as $$
declare
    r security_requests;
    n negotiations;
    o negotiation_outcomes;
    today date := tokyo_today();
    period integer;
    est_on date;
    start_on date;
    first_on date;
    covered boolean;
    pre jsonb;
    out jsonb := '[]';
    hit jsonb;
    found_neg boolean := false;
    est_id uuid;
begin
    select * into r from security_requests where tenant_id = p_tenant and id = p_request;
    if not found then
        return '[]';
    end if;
    select settings_negotiation_consultation_days(t.settings) into period from tenants t where t.id = p_tenant;
    pre := rule_preconditions(case when r.engagement_id is not null then torihiki_coverage(p_tenant, r.engagement_id) end,
                              torihiki_outsourcer(p_tenant) -> 'superior_bargaining_position');
    covered := pre ->> 'torihiki' = 'covered';
    select min(e.estimated_on) into est_on from cost_estimates e where e.tenant_id = p_tenant and e.request_id = r.id;
    select e.id into est_id from cost_estimates e where e.tenant_id = p_tenant and e.request_id = r.id
     order by e.revision limit 1;

    for n in select x.* from negotiations x join negotiation_requests nr
                on nr.tenant_id = x.tenant_id and nr.negotiation_id = x.id
              where nr.tenant_id = p_tenant and nr.request_id = r.id order by x.created_at, x.id loop
        found_neg := true;
        o := negotiation_current_outcome(p_tenant, n.id);
        first_on := negotiation_first_session_on(p_tenant, n.id);
        -- rule 1
        start_on := least(n.consultation_requested_on, est_on);
        if r.status = 'open' and start_on is not null
           and ((first_on is null and today - start_on > period) or first_on - start_on > period) then
            out := out || jsonb_build_object('rule', 'R1_no_timely_consultation', 'negotiation_id', n.id,
                'facts', jsonb_build_object('since', start_on, 'first_session_on', first_on, 'period_days', period,
                                            'days', coalesce(first_on, today) - start_on),
                'records', jsonb_build_array(rule_record('negotiation', n.id, array['consultation_requested_on']))
                           || case when est_id is not null
                                   then jsonb_build_array(rule_record('cost_estimate', est_id, array['estimated_on']))
                                   else '[]' end);
        elsif covered and n.consultation_requested_on is not null and o.decision = 'unilateral'
              and o.kind in ('price_revised', 'partially', 'declined')
              and not exists (select 1 from negotiation_sessions s where s.tenant_id = p_tenant
                                 and s.negotiation_id = n.id and s.held_on <= o.decided_on) then
            out := out || jsonb_build_object('rule', 'R1_no_timely_consultation', 'negotiation_id', n.id,
                'facts', jsonb_build_object('since', n.consultation_requested_on, 'decided_on', o.decided_on,
                                            'unilateral_without_session', true),
                'records', jsonb_build_array(rule_record('negotiation', n.id, array['consultation_requested_on']),
                                             rule_record('negotiation_outcome', o.id, array['decision', 'decided_on'])));
        end if;
        -- rule 2
        if o.kind = 'declined' and o.reason_sent_via in ('oral', 'not_sent') then
            out := out || jsonb_build_object('rule', 'R2_decline_without_written_reason', 'negotiation_id', n.id,
                'facts', jsonb_build_object('reason_sent_via', o.reason_sent_via),
                'records', jsonb_build_array(rule_record('negotiation_outcome', o.id, array['kind', 'reason_sent_via'])));
        end if;
        -- rule 4
        if o.decision = 'unilateral' and o.price_after_jpy <= o.price_before_jpy then
            out := out || jsonb_build_object('rule', 'R4_low_price_unilateral', 'negotiation_id', n.id,
                'facts', jsonb_build_object('price_before_jpy', o.price_before_jpy, 'price_after_jpy', o.price_after_jpy),
                'records', jsonb_build_array(rule_record('negotiation_outcome', o.id,
                                                         array['decision', 'price_before_jpy', 'price_after_jpy'])));
        end if;
    end loop;
    -- rule 1 without any negotiation: an estimate recorded and nothing since
    if not found_neg and r.status = 'open' and est_on is not null and today - est_on > period then
        out := out || jsonb_build_object('rule', 'R1_no_timely_consultation', 'negotiation_id', null,
            'facts', jsonb_build_object('since', est_on, 'first_session_on', null, 'period_days', period,
                                        'days', today - est_on),
            'records', jsonb_build_array(rule_record('cost_estimate', est_id, array['estimated_on'])));
    end if;
    -- rule 3
    if r.kind in ('paid_service', 'certification') and r.price_unchanged_at_renewal and r.renewal_on <= today
       and not exists (select 1 from negotiation_requests nr join negotiation_sessions s
                          on s.tenant_id = nr.tenant_id and s.negotiation_id = nr.negotiation_id
                        where nr.tenant_id = p_tenant and nr.request_id = r.id and s.held_on <= r.renewal_on) then
        out := out || jsonb_build_object('rule', 'R3_unchanged_at_renewal', 'negotiation_id', null,
            'facts', jsonb_build_object('renewal_on', r.renewal_on),
            'records', jsonb_build_array(rule_record('security_request', r.id,
                                                     array['kind', 'renewal_on', 'price_unchanged_at_renewal'])));
    end if;
    -- rule 5
    if r.designated and (r.designation_necessity is null or r.equivalent_claimed
        or exists (select 1 from certifications c where c.tenant_id = p_tenant and c.id = r.equivalent_certification_id
                      and c.scope_verified and (c.expires_on is null or c.expires_on >= today))) then
        hit := jsonb_build_array(rule_record('security_request', r.id,
                                             array['designated_item', 'designation_necessity', 'equivalent_claimed',
                                                   'equivalent_certification_id']));
        if r.equivalent_certification_id is not null then
            hit := hit || jsonb_build_array(rule_record('certification', r.equivalent_certification_id,
                                                        array['scope_verified', 'expires_on']));
        end if;
        out := out || jsonb_build_object('rule', 'R5_designation_with_equivalent', 'negotiation_id', null,
            'facts', jsonb_build_object('necessity_recorded', r.designation_necessity is not null,
                                        'equivalent_claimed', r.equivalent_claimed,
                                        'equivalent_certification_id', r.equivalent_certification_id),
            'records', hit);
    end if;
    -- rule 6
    if r.charged_jpy > 0 and (r.charge_agreed_jpy is null or r.charge_basis is null or r.charge_agreed_on is null
                               or r.charge_agreed_on > r.charged_on or r.charged_jpy > r.charge_agreed_jpy) then
        out := out || jsonb_build_object('rule', 'R6_charge_without_agreement', 'negotiation_id', null,
            'facts', jsonb_build_object('charged_jpy', r.charged_jpy, 'charged_on', r.charged_on,
                                        'charge_agreed_jpy', r.charge_agreed_jpy, 'charge_agreed_on', r.charge_agreed_on,
                                        'basis_recorded', r.charge_basis is not null),
            'records', jsonb_build_array(rule_record('security_request', r.id,
                                                     array['charged_jpy', 'charged_on', 'charge_agreed_jpy',
                                                           'charge_basis', 'charge_agreed_on'])));
    end if;
    -- what every result carries
    return coalesce((select jsonb_agg(rule_result(x ->> 'rule', pre, x -> 'records', r.vendor_id, r.engagement_id, r.id,
                                                  (x ->> 'negotiation_id')::uuid, x -> 'facts',
                                                  (select s.detected_at from negotiation_risk_signals s
                                                    where s.tenant_id = p_tenant and s.request_id = r.id
                                                      and s.rule = x ->> 'rule'))
                         order by x ->> 'rule', x ->> 'negotiation_id')
                       from jsonb_array_elements(out) x), '[]');
end
$$;

-- ---- triggers --------------------------------------------------------------------------

create or replace trigger security_requests_check before insert or update on security_requests
    for each row execute function security_requests_check();
create or replace trigger security_requests_delete before delete on security_requests
    for each row execute function negotiation_records_delete();
create or replace trigger negotiations_delete before delete on negotiations
    for each row execute function negotiation_records_delete();

create or replace trigger cost_estimates_check before insert on cost_estimates
    for each row execute function cost_estimates_check();
create or replace trigger negotiation_requests_check before insert on negotiation_requests
    for each row execute function negotiation_requests_check();
create or replace trigger negotiation_sessions_check before insert on negotiation_sessions
    for each row execute function negotiation_sessions_check();
create or replace trigger negotiation_outcomes_check before insert on negotiation_outcomes
    for each row execute function negotiation_outcomes_check();

create or replace trigger cost_estimates_append_only before update or delete on cost_estimates
    for each row execute function negotiation_history_guard();
create or replace trigger negotiation_requests_append_only before update or delete on negotiation_requests
    for each row execute function negotiation_history_guard();
create or replace trigger negotiation_sessions_append_only before update or delete on negotiation_sessions
    for each row execute function negotiation_history_guard();
create or replace trigger negotiation_outcomes_append_only before update or delete on negotiation_outcomes
    for each row execute function negotiation_history_guard();
create or replace trigger negotiation_confirmations_append_only before update or delete on negotiation_confirmations
    for each row execute function negotiation_history_guard();
create or replace trigger cost_estimates_no_truncate before truncate on cost_estimates
    for each statement execute function refuse_change();
create or replace trigger negotiation_sessions_no_truncate before truncate on negotiation_sessions
    for each statement execute function refuse_change();
create or replace trigger negotiation_outcomes_no_truncate before truncate on negotiation_outcomes
    for each statement execute function refuse_change();
create or replace trigger negotiation_confirmations_no_truncate before truncate on negotiation_confirmations
    for each statement execute function refuse_change();


-- A request as the API shows it: with every revision of its estimate and
-- the rules that hold for it now.
create or replace function security_request_doc(r security_requests) returns jsonb
language sql stable as $$
    select security_request_json(r) || jsonb_build_object(
        'estimates', coalesce((select jsonb_agg(cost_estimate_json(e) order by e.revision)
                                 from cost_estimates e where e.tenant_id = r.tenant_id and e.request_id = r.id), '[]'),
        'risks', security_request_risks(r.tenant_id, r.id))
$$;

-- What the vendor sees through its link: the requests with their
-- estimates, the sessions and outcomes with its own confirmations, and
-- what follows from them; never who recorded them, risks or retention.
create or replace function negotiation_vendor_json(n negotiations) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'outsourcer', (select t.name from tenants t where t.id = n.tenant_id),
        'vendor', (select v.name from vendors v where v.tenant_id = n.tenant_id and v.id = n.vendor_id),
        'negotiation', jsonb_build_object('id', n.id, 'title', n.title, 'initiated_by', n.initiated_by,
                                          'consultation_requested_on', n.consultation_requested_on)
                       || negotiation_derived(n),
        'requests', coalesce((select jsonb_agg(jsonb_build_object(
                                  'id', r.id, 'kind', r.kind, 'text', r.text, 'requested_on', r.requested_on,
                                  'reason', r.reason, 'deadline_on', r.deadline_on, 'designated', r.designated,
                                  'designated_item', r.designated_item,
                                  'designation_necessity', r.designation_necessity,
                                  'equivalent_claimed', r.equivalent_claimed,
                                  'equivalent_measure', r.equivalent_measure, 'status', r.status,
                                  'estimates', coalesce((select jsonb_agg(cost_estimate_json(e) - 'recorded_by'
                                                                          order by e.revision)
                                                           from cost_estimates e
                                                          where e.tenant_id = r.tenant_id and e.request_id = r.id), '[]'))
                                  order by r.requested_on, r.id)
                                from negotiation_requests x
                                join security_requests r on r.tenant_id = x.tenant_id and r.id = x.request_id
                               where x.tenant_id = n.tenant_id and x.negotiation_id = n.id), '[]'),
        'sessions', coalesce((select jsonb_agg(negotiation_vendor_view(negotiation_session_json(s))
                                               order by s.held_on, s.recorded_at, s.id)
                                from negotiation_sessions s
                               where s.tenant_id = n.tenant_id and s.negotiation_id = n.id), '[]'),
        'outcomes', coalesce((select jsonb_agg(negotiation_vendor_view(negotiation_outcome_json(o)) order by o.recorded_at, o.id)
                                from negotiation_outcomes o
                               where o.tenant_id = n.tenant_id and o.negotiation_id = n.id), '[]'))
$$;

-- Every record of a vendor's negotiations, one line each, for the CSV
-- export: requests, estimates, negotiations, sessions, outcomes, the
-- vendor's confirmations; in the order they happened.
create or replace function negotiation_export_rows(p_tenant uuid, p_vendor uuid)
returns table (record_type text, id uuid, request_id uuid, negotiation_id uuid, on_date date, kind text,
               one_off_jpy bigint, recurring_yearly_jpy bigint, text text, detail text, recorded_at timestamptz,
               recorded_by text)
language sql stable as $$
    select * from (
        select 'security_request', r.id, r.id, null::uuid, r.requested_on, r.kind, null::bigint, null::bigint,
               r.text, concat_ws(' / ', r.reason, case when r.designated then 'designated: ' || r.designated_item end,
                                 case when r.equivalent_claimed then 'equivalent: ' || coalesce(r.equivalent_measure, '') end,
                                 case when r.status = 'withdrawn' then 'withdrawn ' || r.withdrawn_on || ': ' || r.withdrawn_reason end),
               r.created_at, r.created_by
          from security_requests r where r.tenant_id = p_tenant and r.vendor_id = p_vendor
        union all
        select 'cost_estimate', e.id, e.request_id, null, e.estimated_on, 'revision ' || e.revision, e.one_off_jpy,
               e.recurring_yearly_jpy, e.basis, concat_ws(' / ', e.estimated_by, array_to_string(e.evidence_refs, ', '), e.note),
               e.recorded_at, e.recorded_by
          from cost_estimates e join security_requests r on r.tenant_id = e.tenant_id and r.id = e.request_id
         where e.tenant_id = p_tenant and r.vendor_id = p_vendor
        union all
        select 'negotiation', n.id, null, n.id, n.consultation_requested_on, n.initiated_by, null, null, n.title,
               (select string_agg(x.request_id::text, ' ') from negotiation_requests x
                 where x.tenant_id = n.tenant_id and x.negotiation_id = n.id),
               n.created_at, n.created_by
          from negotiations n where n.tenant_id = p_tenant and n.vendor_id = p_vendor
        union all
        select 'session', s.id, null, s.negotiation_id, s.held_on, s.channel, null, null, s.minutes,
               concat_ws(' / ', 'outsourcer: ' || array_to_string(s.participants_outsourcer, ', '),
                         'vendor: ' || array_to_string(s.participants_vendor, ', '),
                         case when jsonb_array_length(s.proposals) > 0 then 'proposals: ' || s.proposals::text end,
                         'corrects ' || s.corrects),
               s.recorded_at, s.recorded_by
          from negotiation_sessions s join negotiations n on n.tenant_id = s.tenant_id and n.id = s.negotiation_id
         where s.tenant_id = p_tenant and n.vendor_id = p_vendor
        union all
        select 'outcome', o.id, null, o.negotiation_id, o.decided_on, o.kind, o.agreed_one_off_jpy,
               o.agreed_recurring_yearly_jpy, coalesce(o.reason, o.remaining, o.note),
               concat_ws(' / ', 'decision: ' || o.decision, 'effective ' || o.effective_on, 'contract ' || o.contract_ref,
                         'price ' || o.price_before_jpy || ' -> ' || o.price_after_jpy,
                         'reason sent via ' || o.reason_sent_via || coalesce(' on ' || o.reason_sent_on, ''),
                         'corrects ' || o.corrects),
               o.recorded_at, o.recorded_by
          from negotiation_outcomes o join negotiations n on n.tenant_id = o.tenant_id and n.id = o.negotiation_id
         where o.tenant_id = p_tenant and n.vendor_id = p_vendor
        union all
        select 'vendor_confirmation', c.id, null, c.negotiation_id, (c.recorded_at at time zone 'Asia/Tokyo')::date,
               c.stance, null, null, c.comment,
               coalesce('session ' || c.session_id, 'outcome ' || c.outcome_id),
               c.recorded_at, c.recorded_by
          from negotiation_confirmations c join negotiations n on n.tenant_id = c.tenant_id and n.id = c.negotiation_id
         where c.tenant_id = p_tenant and n.vendor_id = p_vendor) x
     order by 11, 2
$$;

-- The whole record of a vendor's negotiations as one JSON document.
create or replace function negotiation_export_json(p_tenant uuid, p_vendor uuid) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'vendor', jsonb_build_object('id', v.id, 'name', v.name),
        'exported_at', now(),
        'requests', coalesce((select jsonb_agg(security_request_doc(r) order by r.requested_on, r.id)
                                from security_requests r where r.tenant_id = v.tenant_id and r.vendor_id = v.id), '[]'),
        'negotiations', coalesce((select jsonb_agg(negotiation_full_json(n) order by n.created_at, n.id)
                                    from negotiations n where n.tenant_id = v.tenant_id and n.vendor_id = v.id), '[]'))
      from vendors v where v.tenant_id = p_tenant and v.id = p_vendor
$$;

-- 80_assessments: assessments, their links, evidence and findings.

-- A completed or cancelled assessment never changes, and only a draft is
-- ever deleted. The respondent's answers change only while the vendor may
-- answer (the handlers check it first; this is the backstop).
create or replace function assessments_guard() returns trigger
language plpgsql as $$
begin
    if old.status in ('completed', 'cancelled') then
        raise exception 'a completed or cancelled assessment never changes'
            using errcode = 'P0001', constraint = 'assessment_closed';
    end if;
    if tg_op = 'DELETE' then
        if old.status <> 'draft' then
            raise exception 'only a draft assessment can be deleted'
                using errcode = 'P0001', constraint = 'assessment_closed';
        end if;
        return old;
    end if;
    if new.answers is distinct from old.answers
       and old.status not in ('sent', 'in_progress', 'returned') then
        raise exception 'the vendor''s answers change only while the assessment is with the vendor'
            using errcode = 'P0001', constraint = 'assessment_answers_closed';
    end if;
    if new.template_number is distinct from old.template_number and old.status <> 'draft'
       or new.template_id is distinct from old.template_id and old.status <> 'draft'
       or new.excluded is distinct from old.excluded and old.status <> 'draft' then
        raise exception 'the question set is fixed once the assessment is sent'
            using errcode = 'P0001', constraint = 'assessment_sent';
    end if;
    return new;
end
$$;

-- Assessments send published versions only.
create or replace function assessments_check_version() returns trigger
language plpgsql as $$
begin
    if not exists (select 1 from questionnaire_versions v
                    where v.tenant_id = new.tenant_id and v.template_id = new.template_id
                      and v.number = new.template_number and v.status = 'published') then
        raise exception 'an assessment sends a published questionnaire version'
            using errcode = 'P0001', constraint = 'assessment_version_published';
    end if;
    return new;
end
$$;

-- What a sheet's applicability conditions are evaluated against: the
-- engagement (or the subcontract link's own data facts) and the vendor's
-- certificates valid on p_on. Without an engagement the engagement facts
-- are null.
create or replace function assessment_facts(p_tenant uuid, p_vendor uuid, p_engagement uuid,
                                            p_subcontract uuid, p_on date) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'has_engagement', e.id is not null,
        'handles_personal_data', coalesce(s.personal_data, e.handles_personal_data),
        'personal_data_categories', to_jsonb(coalesce(s.data_categories, e.personal_data_categories)),
        'confidentiality', coalesce(s.confidentiality, e.confidentiality),
        'category', e.category,
        'data_outside_jp', exists (select 1 from unnest(e.data_locations) l where l <> 'JP'),
        'subcontracting_allowed', e.subcontracting <> 'prohibited',
        'certifications', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'kind', c.kind,
                                                                      'scope_verified', c.scope_verified)
                                                    order by c.kind, c.id)
                                      from certifications c
                                     where c.tenant_id = p_tenant and c.vendor_id = p_vendor
                                       and (c.issued_on is null or c.issued_on <= p_on)
                                       and (c.expires_on is null or c.expires_on >= p_on)), '[]'))
      from (select 1) one
      left join engagements e on e.tenant_id = p_tenant and e.id = p_engagement
      left join subcontracts s on s.tenant_id = p_tenant and s.id = p_subcontract
$$;

-- The person an assessment asks at a vendor when none is named, from the
-- register's contacts: the security officer, else the incident contact,
-- else the first contact with an e-mail address; null when none has one.
create or replace function vendor_respondent(p_contacts jsonb) returns jsonb
language sql immutable as $$
    select jsonb_build_object('name', x.c ->> 'name', 'email', x.c ->> 'email', 'language', 'ja')
      from jsonb_array_elements(p_contacts) with ordinality x(c, n)
     where coalesce(x.c ->> 'email', '') <> ''
     order by case x.c ->> 'role' when 'security_officer' then 0 when 'incident_contact' then 1 else 2 end, x.n
     limit 1
$$;

create or replace function assessment_json(a assessments) returns json
language sql stable as $$
    select json_build_object(
        'id', a.id, 'vendor', vendor_ref_json(a.tenant_id, a.vendor_id),
        'engagement_id', a.engagement_id, 'subcontract_id', a.subcontract_id,
        'template', (select json_build_object('id', t.id, 'name', t.name, 'name_en', t.name_en,
                                              'number', a.template_number)
                       from questionnaire_templates t
                      where t.tenant_id = a.tenant_id and t.id = a.template_id),
        'title', a.title, 'status', a.status, 'due_on', a.due_on,
        'overdue', a.status in ('sent', 'in_progress', 'returned') and a.due_on < tokyo_today(),
        'message', a.message, 'respondent', a.respondent, 'owner', a.owner,
        'excluded', a.excluded, 'answers', a.answers, 'answers_version', a.answers_version,
        'answers_updated_at', a.answers_updated_at,
        'reviews', a.reviews, 'returned_items', to_json(a.returned_items),
        'score', a.score, 'computed_verdict', a.computed_verdict,
        'verdict', a.verdict, 'verdict_reason', a.verdict_reason, 'decided_by', a.decided_by,
        'recheck_of', a.recheck_of, 'recheck_codes', to_json(a.recheck_codes),
        'parent_assessment_id', a.parent_assessment_id, 'forward_sections', to_json(a.forward_sections),
        'campaign_id', a.campaign_id,
        'link', (select json_build_object('id', l.id, 'prefix', l.prefix, 'expires_at', l.expires_at,
                                          'last_used_at', l.last_used_at)
                   from assessment_links l
                  where l.tenant_id = a.tenant_id and l.assessment_id = a.id
                    and l.revoked_at is null and l.superseded_at is null),
        'files', coalesce((select json_agg(json_build_object('id', f.id, 'question', f.question_code,
                                                             'filename', f.filename, 'content_type', f.content_type,
                                                             'size', f.size, 'sha256', f.sha256,
                                                             'created_at', f.created_at)
                                           order by f.question_code, f.created_at, f.id)
                             from assessment_files f
                            where f.tenant_id = a.tenant_id and f.assessment_id = a.id), '[]'),
        'findings', (select count(*) from findings f where f.tenant_id = a.tenant_id and f.assessment_id = a.id),
        'sent_at', a.sent_at, 'submitted_at', a.submitted_at, 'completed_at', a.completed_at,
        'cancelled_at', a.cancelled_at, 'cancel_reason', a.cancel_reason,
        'created_at', a.created_at, 'created_by', a.created_by,
        'updated_at', a.updated_at, 'updated_by', a.updated_by, 'version', a.version)
$$;

-- What a receiver (a mailer, a ticket system) needs: never a token.
create or replace function assessment_event_data(a assessments) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'assessment', jsonb_build_object('id', a.id, 'title', a.title, 'status', a.status,
                                         'due_on', a.due_on, 'verdict', a.verdict,
                                         'template', (select jsonb_build_object('id', t.id, 'name', t.name,
                                                                                'number', a.template_number)
                                                        from questionnaire_templates t
                                                       where t.tenant_id = a.tenant_id and t.id = a.template_id)),
        'vendor', vendor_ref_json(a.tenant_id, a.vendor_id),
        'respondent', a.respondent,
        'returned_items', to_jsonb(a.returned_items))
$$;

create or replace function assessments_emit() returns trigger
language plpgsql as $$
begin
    if new.status in ('sent', 'submitted', 'returned', 'completed') then
        perform webhook_emit(new.tenant_id, 'assessment.' || new.status, new.id, assessment_event_data(new));
    end if;
    return null;
end
$$;

create or replace trigger assessments_guard before update or delete on assessments
    for each row execute function assessments_guard();

create or replace trigger assessments_check_version before insert or update of template_id, template_number
    on assessments for each row execute function assessments_check_version();

create or replace trigger assessments_emit after update of status on assessments
    for each row when (old.status is distinct from new.status)
    execute function assessments_emit();

-- A forwarding request as staff see it, and as the vendor sees its own
-- (without who decided; with the decision note, which is for the vendor).
create or replace function forward_request_json(q forward_requests) returns json
language sql stable as $$
    select json_build_object(
        'id', q.id, 'assessment_id', q.assessment_id, 'subcontract_id', q.subcontract_id,
        'vendor', (select vendor_ref_json(s.tenant_id, s.vendor_id) from subcontracts s
                    where s.tenant_id = q.tenant_id and s.id = q.subcontract_id),
        'respondent', q.respondent, 'sections', to_json(q.sections), 'note', q.note,
        'status', q.status, 'requested_by', q.requested_by, 'decided_by', q.decided_by,
        'decided_at', q.decided_at, 'decision_note', q.decision_note,
        'child_assessment_id', q.child_assessment_id, 'created_at', q.created_at)
$$;

create or replace function forward_request_vendor_json(q forward_requests) returns json
language sql stable as $$
    select json_build_object(
        'id', q.id, 'subcontract_id', q.subcontract_id,
        'vendor_name', (select v.name from subcontracts s join vendors v on v.tenant_id = s.tenant_id
                                                                          and v.id = s.vendor_id
                         where s.tenant_id = q.tenant_id and s.id = q.subcontract_id),
        'sections', to_json(q.sections), 'note', q.note, 'status', q.status,
        'decision_note', q.decision_note, 'created_at', q.created_at, 'decided_at', q.decided_at)
$$;

-- The rows an assessment's record is made of follow its state: evidence
-- changes only while the vendor may answer, and a closed assessment takes
-- no forwarding request (the handlers check first; this is the backstop).
create or replace function assessment_parts_guard() returns trigger
language plpgsql as $$
declare
    row_tenant uuid := case when tg_op = 'DELETE' then old.tenant_id else new.tenant_id end;
    row_assessment uuid := case when tg_op = 'DELETE' then old.assessment_id else new.assessment_id end;
    st text;
begin
    select a.status into st from assessments a where a.tenant_id = row_tenant and a.id = row_assessment;
    if tg_table_name = 'assessment_files' and st not in ('sent', 'in_progress', 'returned') then
        raise exception 'evidence changes only while the assessment is with the vendor'
            using errcode = 'P0001', constraint = 'assessment_answers_closed';
    end if;
    if tg_table_name = 'forward_requests' and st in ('completed', 'cancelled') then
        raise exception 'a closed assessment takes no forwarding request'
            using errcode = 'P0001', constraint = 'assessment_closed';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end
$$;

create or replace trigger assessment_files_guard before insert or delete on assessment_files
    for each row execute function assessment_parts_guard();

create or replace trigger forward_requests_guard before insert on forward_requests
    for each row execute function assessment_parts_guard();

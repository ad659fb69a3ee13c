-- 85_findings: findings (是正措置), their history, their events and the
-- daily announcement of the overdue ones (issue 17).
--
-- Every change to a finding appends to finding_events here, from the row
-- itself: the actor is the row's updated_by (created_by when opened),
-- which the writer sets to "api_key:<prefix>" or "respondent_link:<prefix>",
-- so no code path can change a finding without leaving its history.

-- The evidence the vendor attached to a finding (finding_files), oldest
-- first, without the bytes.
create or replace function finding_files_json(p_tenant uuid, p_finding uuid) returns json
language sql stable as $$
    select coalesce(json_agg(json_build_object('id', x.id, 'filename', x.filename,
                                               'content_type', x.content_type, 'size', x.size,
                                               'sha256', x.sha256, 'created_at', x.created_at)
                             order by x.created_at, x.id), '[]')
      from finding_files x where x.tenant_id = p_tenant and x.finding_id = p_finding
$$;

-- Staff's view.
create or replace function finding_json(f findings) returns json
language sql stable as $$
    select json_build_object(
        'id', f.id, 'assessment_id', f.assessment_id,
        'vendor', vendor_ref_json(f.tenant_id, f.vendor_id),
        'question_code', f.question_code, 'title', f.title, 'detail', f.detail,
        'severity', f.severity, 'owner', f.owner, 'due_on', f.due_on,
        'overdue', f.status in ('open', 'in_progress') and f.due_on < tokyo_today(),
        'status', f.status, 'status_reason', f.status_reason,
        'risk_accepted_reason', f.risk_accepted_reason, 'risk_accepted_by', f.risk_accepted_by,
        'resolved_at', f.resolved_at, 'resolved_by', f.resolved_by,
        'resolved_by_assessment', f.resolved_by_assessment,
        'vendor_response', nullif(f.vendor_response, '{}'),
        'overdue_notified_on', f.overdue_notified_on,
        'created_at', f.created_at, 'created_by', f.created_by,
        'updated_at', f.updated_at, 'updated_by', f.updated_by, 'version', f.version,
        'files', finding_files_json(f.tenant_id, f.id))
$$;

-- The history, oldest first.
create or replace function finding_history_json(p_tenant uuid, p_finding uuid) returns json
language sql stable as $$
    select coalesce(json_agg(json_build_object('seq', e.seq, 'at', e.at, 'actor', e.actor,
                                               'kind', e.kind, 'data', e.data) order by e.seq), '[]')
      from finding_events e where e.tenant_id = p_tenant and e.finding_id = p_finding
$$;

-- The vendor's view through its respondent link: what to fix, by when,
-- where it stands and what the vendor said; never staff's reasons,
-- owners' notes or who decided.
create or replace function finding_vendor_json(f findings) returns json
language sql stable as $$
    select json_build_object(
        'id', f.id, 'question_code', f.question_code, 'title', f.title, 'detail', f.detail,
        'severity', f.severity, 'owner', f.owner, 'due_on', f.due_on,
        'overdue', f.status in ('open', 'in_progress') and f.due_on < tokyo_today(),
        'status', f.status, 'response', nullif(f.vendor_response, '{}'),
        'files', finding_files_json(f.tenant_id, f.id))
$$;

-- The assessments whose findings an assessment covers: itself and, for a
-- re-check, the assessment it re-checks and so on up.
create or replace function finding_scope(p_tenant uuid, p_assessment uuid) returns uuid[]
language sql stable as $$
    with recursive up(id, of, depth) as (
        select a.id, a.recheck_of, 1 from assessments a where a.tenant_id = p_tenant and a.id = p_assessment
        union all
        select a.id, a.recheck_of, up.depth + 1 from assessments a join up on a.id = up.of
         where a.tenant_id = p_tenant and up.depth < 50)
    select coalesce(array_agg(id), '{}') from up
$$;

-- What a receiver (a ticket system) needs: never a token.
create or replace function finding_event_data(f findings) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'finding', jsonb_build_object('id', f.id, 'title', f.title, 'severity', f.severity,
                                      'status', f.status, 'due_on', f.due_on,
                                      'question_code', f.question_code, 'owner', f.owner),
        'vendor', vendor_ref_json(f.tenant_id, f.vendor_id),
        'assessment_id', f.assessment_id)
$$;

-- A finding belongs to its assessment's vendor and is opened only once
-- the answers are in (submitted, in review or completed).
create or replace function findings_check() returns trigger
language plpgsql as $$
declare
    a assessments;
begin
    select * into a from assessments where tenant_id = new.tenant_id and id = new.assessment_id;
    if found and a.status not in ('submitted', 'in_review', 'completed') then
        raise exception 'findings are opened once the assessment is submitted'
            using errcode = 'P0001', constraint = 'finding_assessment_state';
    end if;
    new.vendor_id := coalesce(a.vendor_id, new.vendor_id);
    return new;
end
$$;

create or replace function findings_history() returns trigger
language plpgsql as $$
declare
    k text;
    d jsonb;
begin
    if tg_op = 'INSERT' then
        insert into finding_events (tenant_id, finding_id, actor, kind, data)
        values (new.tenant_id, new.id, new.created_by, 'opened',
                jsonb_strip_nulls(jsonb_build_object('title', new.title, 'severity', new.severity,
                                                     'due_on', new.due_on, 'question_code', new.question_code,
                                                     'owner', new.owner)));
        perform webhook_emit(new.tenant_id, 'finding.opened', new.id, finding_event_data(new));
        return null;
    end if;
    if old.version = new.version then
        return null;        -- not a change anyone made: the overdue scan's mark
    end if;
    if new.vendor_response is distinct from old.vendor_response then
        k := 'vendor_response';
        d := new.vendor_response;
    elsif new.status is distinct from old.status then
        k := case when new.status = 'resolved' and new.resolved_by_assessment is not null
                  then 'resolved_by_recheck' else 'status_changed' end;
        d := jsonb_strip_nulls(jsonb_build_object('from', old.status, 'to', new.status,
                                                  'reason', coalesce(new.risk_accepted_reason, new.status_reason),
                                                  'assessment_id', new.resolved_by_assessment));
    else
        k := 'updated';
        select coalesce(jsonb_object_agg(o.key, jsonb_build_object('from', o.value, 'to', n.value)), '{}')
          into d
          from jsonb_each(to_jsonb(old)) o join jsonb_each(to_jsonb(new)) n using (key)
         where o.key in ('title', 'detail', 'severity', 'owner', 'due_on') and o.value is distinct from n.value;
        if d = '{}' then
            return null;    -- a version bump alone: evidence attached (finding_files.c), listed in files
        end if;
    end if;
    insert into finding_events (tenant_id, finding_id, actor, kind, data)
    values (new.tenant_id, new.id, new.updated_by, k, d);
    return null;
end
$$;

-- Announces each finding that is open past its due date (Asia/Tokyo) once,
-- ever: overdue_notified_on marks it. Safe with any number of replicas
-- scanning at once: a row another scan holds is skipped, and one it has
-- marked no longer matches. Returns how many it announced.
create or replace function findings_overdue_scan() returns integer
language plpgsql as $$
declare
    f findings;
    n integer := 0;
    today date := tokyo_today();
begin
    for f in
        update findings x set overdue_notified_on = today
         where (x.tenant_id, x.id) in (select y.tenant_id, y.id from findings y
                                        where y.status in ('open', 'in_progress') and y.due_on < today
                                          and y.overdue_notified_on is null
                                        order by y.due_on, y.tenant_id, y.id
                                        limit 1000
                                        for update skip locked)
           and x.overdue_notified_on is null
        returning x.*
    loop
        perform webhook_emit(f.tenant_id, 'finding.overdue', f.id,
                             finding_event_data(f) || jsonb_build_object('days_overdue', today - f.due_on));
        n := n + 1;
    end loop;
    return n;
end
$$;

create or replace trigger findings_check before insert on findings
    for each row execute function findings_check();

create or replace trigger findings_history after insert or update on findings
    for each row execute function findings_history();

create or replace trigger finding_events_append_only before update or delete on finding_events
    for each row execute function refuse_change();

create or replace trigger finding_events_no_truncate before truncate on finding_events
    for each statement execute function refuse_change();

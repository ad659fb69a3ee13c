-- 83_campaigns: a campaign as the API shows it, and its progress.

-- Where a campaign's assessments stand, in one pass over them
-- (docs/assessments.md, "Campaigns"). answered_percent counts, over the
-- assessments with the vendor or past it (not drafts, not cancelled), the
-- questions asked (not in `excluded`) that have an answer, against all
-- questions asked: a question hidden by depends_on counts as asked, since
-- that is decided by the answers in C, not here.
create or replace function assessment_campaign_progress(p_tenant uuid, p_campaign uuid) returns json
language sql stable as $$
    with a as (
        -- questions_asked/answered are kept as each assessment is written
        -- (assessment_counts below): a read sums rows, expands nothing
        select a.status, a.due_on, a.verdict, a.score, a.questions_asked asked, a.questions_answered answered
          from assessments a
         where a.tenant_id = p_tenant and a.campaign_id = p_campaign
    ), n as (
        select count(*) total,
               count(*) filter (where status = 'draft') draft,
               count(*) filter (where status = 'sent') sent,
               count(*) filter (where status = 'in_progress') in_progress,
               count(*) filter (where status = 'submitted') submitted,
               count(*) filter (where status = 'in_review') in_review,
               count(*) filter (where status = 'returned') returned,
               count(*) filter (where status = 'completed') completed,
               count(*) filter (where status = 'cancelled') cancelled,
               count(*) filter (where status in ('sent', 'in_progress', 'returned') and due_on < tokyo_today()) overdue,
               count(*) filter (where verdict = 'no_issues') no_issues,
               count(*) filter (where verdict = 'watch') watch,
               count(*) filter (where verdict = 'action_required') action_required,
               coalesce(sum(asked) filter (where status not in ('draft', 'cancelled')), 0) asked,
               coalesce(sum(answered) filter (where status not in ('draft', 'cancelled')), 0) answered,
               round(avg((score ->> 'overall')::numeric)
                     filter (where status = 'completed' and jsonb_typeof(score -> 'overall') = 'number'), 1) average
          from a
    )
    select json_build_object(
        'assessments', n.total,
        'by_status', json_build_object('draft', n.draft, 'sent', n.sent, 'in_progress', n.in_progress,
                                       'submitted', n.submitted, 'in_review', n.in_review,
                                       'returned', n.returned, 'completed', n.completed,
                                       'cancelled', n.cancelled),
        'overdue', n.overdue,
        'questions_asked', n.asked, 'questions_answered', n.answered,
        'answered_percent', case when n.asked > 0 then round(100.0 * n.answered / n.asked, 1) end,
        'verdicts', json_build_object('no_issues', n.no_issues, 'watch', n.watch,
                                      'action_required', n.action_required),
        'average_score', n.average)
      from n
$$;

-- A campaign as the API shows it; with_progress adds its progress (the
-- list leaves it out: it reads every assessment of the campaign).
create or replace function assessment_campaign_json(c assessment_campaigns, with_progress boolean) returns json
language sql stable as $$
    select (jsonb_build_object(
        'id', c.id, 'name', c.name,
        'template', (select jsonb_build_object('id', t.id, 'name', t.name, 'name_en', t.name_en,
                                               'number', c.template_number)
                       from questionnaire_templates t
                      where t.tenant_id = c.tenant_id and t.id = c.template_id),
        'due_on', c.due_on, 'message', c.message, 'send', c.send, 'per_engagement', c.per_engagement,
        'selection', c.selection, 'created', c.created_count,
        'skipped', jsonb_array_length(c.skipped), 'skipped_vendors', c.skipped,
        'created_at', c.created_at, 'created_by', c.created_by)
        || case when with_progress
                then jsonb_build_object('progress', assessment_campaign_progress(c.tenant_id, c.id))
                else '{}' end)::json
$$;

-- How many questions an assessment asks (not excluded when it was sent)
-- and how many of them have an answer, kept on the row as it is written.
-- A question hidden by depends_on counts as asked: that is decided by the
-- answers in C (docs/assessments.md, "Campaigns").
create or replace function assessment_counts() returns trigger
language plpgsql as $$
begin
    select count(*) filter (where not new.excluded ? x.code),
           count(*) filter (where not new.excluded ? x.code
                              and coalesce(jsonb_typeof(new.answers -> x.code), 'null') <> 'null')
      into new.questions_asked, new.questions_answered
      from questionnaire_versions v,
           jsonb_array_elements(v.content -> 'sections') s,
           lateral (select q ->> 'code' as code from jsonb_array_elements(s -> 'questions') q) x
     where v.tenant_id = new.tenant_id and v.template_id = new.template_id and v.number = new.template_number;
    return new;
end
$$;

create or replace trigger assessment_counts
    before insert or update of answers, excluded, template_id, template_number on assessments
    for each row execute function assessment_counts();

-- 83_campaigns: a campaign as the API shows it, and its progress.

-- Where a campaign's assessments stand, in one pass over them
-- (docs/assessments.md, "Campaigns"). answered_percent counts, over the
-- assessments with the vendor or past it (not drafts, not cancelled), the
-- questions asked (not in `excluded`) that have an answer, against all
-- questions asked: a question hidden by depends_on counts as asked, since
-- that is decided by the answers in C, not here.
create or replace function assessment_campaign_progress(p_tenant uuid, p_campaign uuid) returns json
language sql stable as $$
    with c as (
        select * from assessment_campaigns where tenant_id = p_tenant and id = p_campaign
    ), codes as (
        select q ->> 'code' code
          from c
          join questionnaire_versions v on v.tenant_id = c.tenant_id and v.template_id = c.template_id
                                       and v.number = c.template_number,
               jsonb_array_elements(v.content -> 'sections') s,
               jsonb_array_elements(s -> 'questions') q
    ), base as (
        select a.id, a.status, a.due_on, a.verdict, a.score, a.excluded, a.answers
          from assessments a
         where a.tenant_id = p_tenant and a.campaign_id = p_campaign
    -- Set-based over all the campaign's answers at once (hash joins with
    -- the sheet's codes), not a lookup per assessment and question.
    ), ex as (
        select b.id, count(*) n
          from base b cross join lateral jsonb_object_keys(b.excluded) k(key)
          join codes on codes.code = k.key
         group by b.id
    ), ans as (
        select b.id, count(*) n
          from base b cross join lateral jsonb_each(b.answers) e
          join codes on codes.code = e.key
         where jsonb_typeof(e.value) <> 'null' and not b.excluded ? e.key
         group by b.id
    ), a as (
        select b.status, b.due_on, b.verdict, b.score,
               (select count(*) from codes) - coalesce(ex.n, 0) asked, coalesce(ans.n, 0) answered
          from base b left join ex on ex.id = b.id left join ans on ans.id = b.id
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

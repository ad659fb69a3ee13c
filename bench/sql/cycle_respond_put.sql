-- What PUT /v1/respond/{token}/answers writes: the link, the locked
-- assessment and its new answers, and the audit event.
\set n random(1, 256)
begin;
update assessment_links l set window_count = window_count + 1, last_used_at = now()
  from bench_cycle_links b where b.n = :n and l.tenant_id = b.tenant_id and l.id = b.link_id;
select a.answers::text, q.content::text
  from bench_cycle_links b
  join assessments a on a.tenant_id = b.tenant_id and a.id = b.assessment_id
  join questionnaire_versions q on q.tenant_id = a.tenant_id and q.template_id = a.template_id
                               and q.number = a.template_number
 where b.n = :n for update of a;
update assessments a set answers = answers || jsonb_build_object('S1-Q01', case when answers_version % 2 = 0
                                                                      then 'yes' else 'partially' end),
       answers_version = answers_version + 1, version = version + 1, updated_at = now()
  from bench_cycle_links b where b.n = :n and a.tenant_id = b.tenant_id and a.id = b.assessment_id;
insert into audit_events (tenant_id, actor, action, resource_type, resource_id, after)
select b.tenant_id, 'bench', 'assessment.answers_saved', 'assessment', b.assessment_id::text, '{}'
  from bench_cycle_links b where b.n = :n;
commit;

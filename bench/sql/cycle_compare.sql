-- What GET /v1/assessments/{id}/comparison reads: both assessments, their
-- questionnaire versions and files (service/assessments/comparison.c builds
-- the diff in C).
select a.answers::text, a.score::text, qa.content::text, o.answers::text, o.score::text, qo.content::text
  from bench_cycle_ids b
  join assessments a on a.tenant_id = b.tenant_id and a.id = b.new_id
  join assessments o on o.tenant_id = b.tenant_id and o.id = b.old_id
  join questionnaire_versions qa on qa.tenant_id = a.tenant_id and qa.template_id = a.template_id
                                and qa.number = a.template_number
  join questionnaire_versions qo on qo.tenant_id = o.tenant_id and qo.template_id = o.template_id
                                and qo.number = o.template_number;

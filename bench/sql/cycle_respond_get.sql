-- What GET /v1/respond/{token} reads: the link (spending its budget) and
-- the assessment with its questionnaire (service/assessments/respond.c).
\set n random(1, 256)
update assessment_links l set window_count = window_count + 1, last_used_at = now()
  from bench_cycle_links b where b.n = :n and l.tenant_id = b.tenant_id and l.id = b.link_id;
select a.answers::text, q.content::text
  from bench_cycle_links b
  join assessments a on a.tenant_id = b.tenant_id and a.id = b.assessment_id
  join questionnaire_versions q on q.tenant_id = a.tenant_id and q.template_id = a.template_id
                               and q.number = a.template_number
 where b.n = :n;

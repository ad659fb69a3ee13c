-- What GET /v1/assessment-campaigns/{id} computes: the campaign's progress
-- over its 2,000 assessments (sql/functions/83_campaigns.sql).
select assessment_campaign_json(c, true)::text from assessment_campaigns c, bench_cycle_ids b
 where c.tenant_id = b.tenant_id and c.id = b.campaign_id;

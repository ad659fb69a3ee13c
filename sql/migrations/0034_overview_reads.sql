-- 0034_overview_reads: the overview (sql/functions/95_overview.sql) counts
-- slices of a tenant's vendors, engagements and assessments; at 10,000
-- vendors a tenant, reading their rows from the heap was most of its time
-- (vendors' rows hold about 2 KB each: 18 ms for the scan alone). These
-- indexes hold what it counts, so that it reads them alone (an
-- index-only scan, once vacuum has marked the pages all-visible).

-- Whether a clause that a required measure of the engagement's category
-- needs is not present in its checklist: what engagement_measures()
-- lists as missing, kept on the row by a trigger (and re-derived for
-- every engagement when the catalogue of measures changes), because a
-- checklist is a JSON object that no index can carry cheaply.
-- Filled with the engagements' triggers off: nothing they keep depends on
-- the new column, and they are the earlier functions until this
-- migration's run re-applies sql/functions/.
alter table engagements add column clauses_missing boolean not null default false;
alter table engagements disable trigger user;
update engagements e set clauses_missing = exists (
    select 1 from outsourcing_measures m, unnest(m.clauses) c(clause)
     where m.levels ->> e.category = 'required' and coalesce(e.clauses ->> c.clause, 'absent') <> 'present');
alter table engagements enable trigger user;

create index vendors_overview on vendors (tenant_id, id)
    include (risk_tier, last_monitoring_verdict, risk_override_tier, next_monitoring_due, department, tags);
create index engagements_overview on engagements (tenant_id, id)
    include (vendor_id, category, handles_personal_data, data_locations, ends_on, clauses_missing,
             payment_due_basis, torihiki_type);
-- The overall score as a number where it is one (the average by template).
alter table assessments add column overall_score numeric generated always as (
    case when jsonb_typeof(score -> 'overall') = 'number' then (score ->> 'overall')::numeric end) stored;
create index assessments_overview on assessments (tenant_id, id)
    include (vendor_id, template_id, status, due_on, completed_at, overall_score);
-- The engagements answered as within a 取適法 type: those that keep rule
-- 7's results, found without reading the others.
create index engagements_torihiki on engagements (tenant_id, id) include (vendor_id, ends_on, payment_due_basis)
    where torihiki_type is not null and torihiki_type <> 'not_applicable';

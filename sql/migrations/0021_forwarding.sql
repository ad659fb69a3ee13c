-- 0021_forwarding: an assessment forwarded down the subcontractor chain
-- (issue 18). The child asks the subcontractor of an approved link of the
-- parent's engagement the same questionnaire version, or some of its
-- sections; it keeps its parent, so results roll up the chain.
alter table assessments add column parent_assessment_id uuid;
alter table assessments add column forward_sections text[];
alter table assessments add foreign key (tenant_id, parent_assessment_id) references assessments (tenant_id, id);
alter table assessments add check (parent_assessment_id is null or subcontract_id is not null);
alter table assessments add check (forward_sections is null or parent_assessment_id is not null);
create index assessments_parent on assessments (tenant_id, parent_assessment_id)
    where parent_assessment_id is not null;
-- One open child per parent and link: a retried forward, or staff
-- forwarding while approving the vendor's request, makes no second one.
create unique index assessments_forward_open on assessments (tenant_id, parent_assessment_id, subcontract_id)
    where parent_assessment_id is not null and status not in ('completed', 'cancelled');

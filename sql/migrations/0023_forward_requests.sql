-- 0023_forward_requests: the vendor asks, through its respondent link, to
-- forward the questionnaire to one of its own subcontractors; staff decide
-- (issue 18). An approved request names the child assessment it made.
create table forward_requests (
    tenant_id       uuid not null,
    id              uuid not null default gen_random_uuid(),
    assessment_id   uuid not null,
    subcontract_id  uuid not null,
    respondent      jsonb check (respondent is null or jsonb_typeof(respondent) = 'object'),
    sections        text[],
    note            text check (char_length(note) between 1 and 2000),
    status          text not null default 'requested' check (status in ('requested', 'approved', 'rejected')),
    requested_by    text not null,
    decided_by      text,
    decided_at      timestamptz,
    decision_note   text check (char_length(decision_note) between 1 and 2000),
    child_assessment_id uuid,
    created_at      timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, assessment_id) references assessments (tenant_id, id),
    foreign key (tenant_id, subcontract_id) references subcontracts (tenant_id, id),
    foreign key (tenant_id, child_assessment_id) references assessments (tenant_id, id),
    check ((status = 'requested') = (decided_at is null)),
    check ((status = 'approved') = (child_assessment_id is not null))
);
create index forward_requests_assessment on forward_requests (tenant_id, assessment_id, created_at);
-- One open request per link: asking twice is the same request.
create unique index forward_requests_open on forward_requests (tenant_id, assessment_id, subcontract_id)
    where status = 'requested';

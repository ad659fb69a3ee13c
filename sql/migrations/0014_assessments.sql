-- 0014_assessments: a questionnaire sent to a vendor, answered through a
-- link, reviewed, scored and decided; findings and re-checks (issue 17).
--
-- The vendor's answers and the reviewer's judgement are kept apart: the
-- respondent writes only `answers` (through a link), staff write only
-- `reviews`, the verdict and the findings. A completed or cancelled
-- assessment never changes (trigger in sql/functions/80_assessments.sql).

create table assessments (
    tenant_id        uuid not null references tenants (id),
    id               uuid not null default gen_random_uuid(),
    vendor_id        uuid not null,
    engagement_id    uuid,
    subcontract_id   uuid,
    template_id      uuid not null,
    template_number  integer not null,
    title            text check (char_length(title) between 1 and 200),
    status           text not null default 'draft'
                     check (status in ('draft', 'sent', 'in_progress', 'submitted', 'in_review',
                                       'returned', 'completed', 'cancelled')),
    due_on           date not null,
    message          text check (char_length(message) <= 4000),
    respondent       jsonb not null check (jsonb_typeof(respondent) = 'object'),
    owner            text check (char_length(owner) between 1 and 200),
    -- fixed when sent: question code -> why it is not asked
    excluded         jsonb not null default '{}' check (jsonb_typeof(excluded) = 'object'),
    -- the vendor's claim: question code -> value
    answers          jsonb not null default '{}' check (jsonb_typeof(answers) = 'object'),
    answers_version  integer not null default 0 check (answers_version >= 0),
    answers_updated_at timestamptz,
    -- staff's judgement: question code -> {decision, comment, by, at}
    reviews          jsonb not null default '{}' check (jsonb_typeof(reviews) = 'object'),
    -- the returned items the vendor must answer again (codes), while returned
    returned_items   text[] not null default '{}',
    score            jsonb check (jsonb_typeof(score) = 'object'),
    computed_verdict text check (computed_verdict in ('no_issues', 'watch', 'action_required')),
    verdict          text check (verdict in ('no_issues', 'watch', 'action_required')),
    verdict_reason   text check (char_length(verdict_reason) between 1 and 4000),
    decided_by       text,
    recheck_of       uuid,
    recheck_codes    text[],
    sent_at          timestamptz,
    submitted_at     timestamptz,
    completed_at     timestamptz,
    cancelled_at     timestamptz,
    cancel_reason    text check (char_length(cancel_reason) between 1 and 2000),
    version          integer not null default 1 check (version > 0),
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    created_by       text not null,
    updated_by       text not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, vendor_id) references vendors (tenant_id, id),
    foreign key (tenant_id, engagement_id) references engagements (tenant_id, id),
    foreign key (tenant_id, subcontract_id) references subcontracts (tenant_id, id),
    foreign key (tenant_id, template_id, template_number)
        references questionnaire_versions (tenant_id, template_id, number),
    foreign key (tenant_id, recheck_of) references assessments (tenant_id, id),
    check (subcontract_id is null or engagement_id is not null),
    check ((status = 'completed') = (completed_at is not null)),
    check ((status = 'completed') = (verdict is not null)),
    check ((status = 'cancelled') = (cancelled_at is not null)),
    check (status = 'draft' or status = 'cancelled' or sent_at is not null),
    check (verdict is null or verdict = computed_verdict or verdict_reason is not null)
);
create index assessments_list on assessments (tenant_id, created_at, id);
create index assessments_vendor on assessments (tenant_id, vendor_id, created_at);
create index assessments_due on assessments (tenant_id, due_on)
    where status in ('sent', 'in_progress', 'returned');

-- A link the vendor's person answers through: only the token's hash is
-- kept. Reissuing supersedes the previous link, which then answers 410.
create table assessment_links (
    tenant_id     uuid not null,
    id            uuid not null default gen_random_uuid(),
    assessment_id uuid not null,
    token_hash    text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    prefix        text not null check (char_length(prefix) between 8 and 16),
    expires_at    timestamptz not null,
    revoked_at    timestamptz,
    revoked_by    text,
    superseded_at timestamptz,
    created_at    timestamptz not null default now(),
    created_by    text not null,
    last_used_at  timestamptz,
    window_start  timestamptz not null default now(),
    window_count  integer not null default 0 check (window_count >= 0),
    primary key (tenant_id, id),
    foreign key (tenant_id, assessment_id) references assessments (tenant_id, id),
    check (expires_at > created_at)
);
create index assessment_links_assessment on assessment_links (tenant_id, assessment_id, created_at);
-- At most one live link per assessment.
create unique index assessment_links_live on assessment_links (tenant_id, assessment_id)
    where revoked_at is null and superseded_at is null;

-- Evidence the vendor uploads for a question; bytes kept in the database
-- with their digest.
create table assessment_files (
    tenant_id     uuid not null,
    id            uuid not null default gen_random_uuid(),
    assessment_id uuid not null,
    question_code text not null check (question_code ~ '^[A-Z0-9][A-Z0-9_.-]{0,31}$'),
    filename      text not null check (char_length(filename) between 1 and 255),
    content_type  text not null check (char_length(content_type) between 3 and 100),
    size          integer not null check (size between 1 and 10485760),
    sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    data          bytea not null,
    uploaded_by   text not null,
    created_at    timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, assessment_id) references assessments (tenant_id, id),
    check (octet_length(data) = size)
);
create index assessment_files_assessment on assessment_files (tenant_id, assessment_id, question_code);

-- 是正措置: what the vendor must fix, from a failing answer or added by staff.
create table findings (
    tenant_id      uuid not null,
    id             uuid not null default gen_random_uuid(),
    assessment_id  uuid not null,
    vendor_id      uuid not null,
    question_code  text check (question_code ~ '^[A-Z0-9][A-Z0-9_.-]{0,31}$'),
    title          text not null check (char_length(title) between 1 and 500),
    detail         text check (char_length(detail) <= 4000),
    severity       text not null check (severity in ('low', 'medium', 'high', 'critical')),
    owner          text check (char_length(owner) between 1 and 200),
    due_on         date not null,
    status         text not null default 'open'
                   check (status in ('open', 'in_progress', 'resolved', 'risk_accepted')),
    risk_accepted_reason text check (char_length(risk_accepted_reason) between 1 and 4000),
    risk_accepted_by     text,
    resolved_at    timestamptz,
    resolved_by    text,
    resolved_by_assessment uuid,
    vendor_response jsonb not null default '{}' check (jsonb_typeof(vendor_response) = 'object'),
    overdue_notified_on date,
    version        integer not null default 1 check (version > 0),
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    created_by     text not null,
    updated_by     text not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, assessment_id) references assessments (tenant_id, id),
    foreign key (tenant_id, vendor_id) references vendors (tenant_id, id),
    foreign key (tenant_id, resolved_by_assessment) references assessments (tenant_id, id),
    check ((status = 'risk_accepted') = (risk_accepted_reason is not null and risk_accepted_by is not null)),
    check ((status = 'resolved') = (resolved_at is not null))
);
create index findings_assessment on findings (tenant_id, assessment_id, created_at);
create index findings_open on findings (tenant_id, due_on) where status in ('open', 'in_progress');

-- A finding's history: every change, who made it (staff or the vendor
-- through its link) and what it was.
create table finding_events (
    tenant_id  uuid not null,
    finding_id uuid not null,
    seq        bigint generated always as identity,
    at         timestamptz not null default now(),
    actor      text not null,
    kind       text not null check (kind in ('opened', 'updated', 'status_changed', 'vendor_response', 'resolved_by_recheck')),
    data       jsonb not null default '{}',
    primary key (tenant_id, finding_id, seq),
    foreign key (tenant_id, finding_id) references findings (tenant_id, id)
);

-- The monitoring record an assessment's completion writes.
alter table vendor_monitoring add column assessment_id uuid;
alter table vendor_monitoring add foreign key (tenant_id, assessment_id) references assessments (tenant_id, id);

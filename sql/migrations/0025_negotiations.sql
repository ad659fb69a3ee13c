-- 0025_negotiations: cost pass-through negotiation records (価格転嫁協議記録,
-- issue 20, part A): the security requests an outsourcer makes of a
-- vendor, the vendor's cost estimates (revisions kept), the negotiations
-- over them with their sessions and outcomes, the vendor's confirmations
-- through a link, and the risks already announced.
--
-- History is append-only: estimates, sessions, outcomes and confirmations
-- are never updated; a correction is a new row naming the one it corrects
-- (triggers in sql/functions/90_negotiations.sql). Deleting is refused
-- inside the tenant's retention period (negotiation_retention_years,
-- at least 2: 取引記録 are kept for two years), by the same triggers.

create table security_requests (
    tenant_id             uuid not null references tenants (id),
    id                    uuid not null default gen_random_uuid(),
    vendor_id             uuid not null,
    engagement_id         uuid,
    kind                  text not null check (kind in ('paid_service', 'certification', 'organisation_training',
                                                        'incident_flow', 'designated_product', 'other')),
    text                  text not null check (char_length(text) between 1 and 4000),
    requested_on          date not null,
    reason                text check (char_length(reason) between 1 and 4000),
    requested_by          text check (char_length(requested_by) between 1 and 200),
    -- where it comes from: linked rows when they exist
    source_kind           text check (source_kind in ('finding', 'question', 'contract_clause', 'incident', 'other')),
    finding_id            uuid,
    assessment_id         uuid,
    question_code         text check (question_code ~ '^[A-Z0-9][A-Z0-9_.-]{0,31}$'),
    clause                text check (clause in ('confidentiality', 'subcontracting', 'audit_rights',
                                                 'incident_reporting', 'return_erasure', 'device_security',
                                                 'status_report', 'other')),
    incident_id           uuid,
    source_note           text check (char_length(source_note) between 1 and 2000),
    -- a specific product or provider designated (購入・利用強制 risk)
    designated            boolean not null default false,
    designated_item       text check (char_length(designated_item) between 1 and 500),
    designation_necessity text check (char_length(designation_necessity) between 1 and 4000),
    -- the vendor says it already has an equivalent measure
    equivalent_claimed    boolean not null default false,
    equivalent_measure    text check (char_length(equivalent_measure) between 1 and 4000),
    equivalent_certification_id uuid,
    deadline_on           date,
    -- the contract renewal after the request, and whether its price stayed as it was
    renewal_on            date,
    price_unchanged_at_renewal boolean,
    -- security costs charged to the vendor, and what was agreed before
    charged_jpy           bigint check (charged_jpy >= 0),
    charged_on            date,
    charge_agreed_jpy     bigint check (charge_agreed_jpy >= 0),
    charge_basis          text check (char_length(charge_basis) between 1 and 4000),
    charge_agreed_on      date,
    status                text not null default 'open' check (status in ('open', 'withdrawn')),
    withdrawn_on          date,
    withdrawn_reason      text check (char_length(withdrawn_reason) between 1 and 4000),
    version               integer not null default 1 check (version > 0),
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    created_by            text not null,
    updated_by            text not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, vendor_id) references vendors (tenant_id, id),
    foreign key (tenant_id, engagement_id) references engagements (tenant_id, id),
    foreign key (tenant_id, finding_id) references findings (tenant_id, id),
    foreign key (tenant_id, assessment_id) references assessments (tenant_id, id),
    foreign key (tenant_id, incident_id) references incidents (tenant_id, id),
    foreign key (tenant_id, equivalent_certification_id) references certifications (tenant_id, id),
    check (source_kind = 'finding' or finding_id is null),
    check (source_kind = 'question' or (assessment_id is null and question_code is null)),
    check (source_kind <> 'question' or (assessment_id is not null and question_code is not null)),
    check (source_kind = 'contract_clause' or clause is null),
    check (source_kind <> 'contract_clause' or clause is not null),
    check (source_kind = 'incident' or incident_id is null),
    check (designated or (designated_item is null and designation_necessity is null)),
    check (equivalent_claimed or equivalent_measure is null),
    check (deadline_on is null or deadline_on >= requested_on),
    check (renewal_on is null or renewal_on >= requested_on),
    check ((charged_jpy is null) = (charged_on is null)),
    check ((status = 'withdrawn') = (withdrawn_on is not null)),
    check (withdrawn_on is null or withdrawn_on >= requested_on)
);
create index security_requests_vendor on security_requests (tenant_id, vendor_id, requested_on, id);
create index security_requests_engagement on security_requests (tenant_id, engagement_id) where engagement_id is not null;
create index security_requests_list on security_requests (tenant_id, requested_on, id);

-- The vendor's estimate of what a request costs it; a revision is a new row.
create table cost_estimates (
    tenant_id            uuid not null,
    id                   uuid not null default gen_random_uuid(),
    request_id           uuid not null,
    revision             integer not null check (revision between 1 and 1000),
    one_off_jpy          bigint not null check (one_off_jpy between 0 and 1000000000000),
    recurring_yearly_jpy bigint not null check (recurring_yearly_jpy between 0 and 1000000000000),
    basis                text not null check (char_length(basis) between 1 and 4000),
    -- [{element, one_off_jpy, recurring_yearly_jpy, note?}]: when given, they add up to the totals
    elements             jsonb not null default '[]' check (jsonb_typeof(elements) = 'array'),
    evidence_refs        text[] not null default '{}' check (cardinality(evidence_refs) <= 20),
    estimated_by         text not null check (char_length(estimated_by) between 1 and 200),
    estimated_on         date not null,
    note                 text check (char_length(note) between 1 and 4000),
    recorded_at          timestamptz not null default clock_timestamp(),
    recorded_by          text not null,
    primary key (tenant_id, id),
    unique (tenant_id, request_id, revision),
    foreign key (tenant_id, request_id) references security_requests (tenant_id, id) on delete cascade
);

create table negotiations (
    tenant_id                 uuid not null references tenants (id),
    id                        uuid not null default gen_random_uuid(),
    vendor_id                 uuid not null,
    engagement_id             uuid,
    title                     text check (char_length(title) between 1 and 200),
    initiated_by              text not null check (initiated_by in ('outsourcer', 'vendor')),
    -- when the vendor asked for consultation (協議の申入れ), if it did
    consultation_requested_on date,
    version                   integer not null default 1 check (version > 0),
    created_at                timestamptz not null default now(),
    updated_at                timestamptz not null default now(),
    created_by                text not null,
    updated_by                text not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, vendor_id) references vendors (tenant_id, id),
    foreign key (tenant_id, engagement_id) references engagements (tenant_id, id)
);
create index negotiations_vendor on negotiations (tenant_id, vendor_id, created_at, id);
create index negotiations_list on negotiations (tenant_id, created_at, id);

-- Which requests a negotiation is about: one, or several of one engagement.
create table negotiation_requests (
    tenant_id      uuid not null,
    negotiation_id uuid not null,
    request_id     uuid not null,
    primary key (tenant_id, negotiation_id, request_id),
    foreign key (tenant_id, negotiation_id) references negotiations (tenant_id, id) on delete cascade,
    foreign key (tenant_id, request_id) references security_requests (tenant_id, id)
);
create index negotiation_requests_request on negotiation_requests (tenant_id, request_id);

create table negotiation_sessions (
    tenant_id               uuid not null,
    id                      uuid not null default gen_random_uuid(),
    negotiation_id          uuid not null,
    held_on                 date not null,
    channel                 text not null check (channel in ('meeting', 'online', 'phone', 'email', 'letter')),
    participants_outsourcer text[] not null check (cardinality(participants_outsourcer) between 1 and 20),
    participants_vendor     text[] not null check (cardinality(participants_vendor) between 1 and 20),
    -- [{by: outsourcer|vendor, one_off_jpy?, recurring_yearly_jpy?, note?}]
    proposals               jsonb not null default '[]' check (jsonb_typeof(proposals) = 'array'),
    minutes                 text not null check (char_length(minutes) between 1 and 20000),
    corrects                uuid,
    recorded_at             timestamptz not null default clock_timestamp(),
    recorded_by             text not null,
    primary key (tenant_id, id),
    unique (tenant_id, negotiation_id, id),
    foreign key (tenant_id, negotiation_id) references negotiations (tenant_id, id) on delete cascade,
    foreign key (tenant_id, negotiation_id, corrects) references negotiation_sessions (tenant_id, negotiation_id, id)
        on delete cascade
);

create table negotiation_outcomes (
    tenant_id                   uuid not null,
    id                          uuid not null default gen_random_uuid(),
    negotiation_id              uuid not null,
    kind                        text not null check (kind in ('price_revised', 'partially', 'declined',
                                                              'cost_borne_by_outsourcer', 'withdrawn', 'pending')),
    decided_on                  date not null,
    -- how the price was set: agreed in talks, or decided by the outsourcer alone
    decision                    text check (decision in ('agreed', 'unilateral')),
    agreed_one_off_jpy          bigint check (agreed_one_off_jpy between 0 and 1000000000000),
    agreed_recurring_yearly_jpy bigint check (agreed_recurring_yearly_jpy between 0 and 1000000000000),
    effective_on                date,
    contract_ref                text check (char_length(contract_ref) between 1 and 200),
    remaining                   text check (char_length(remaining) between 1 and 4000),
    -- the contract price before and after (買いたたき: at or below the old price)
    price_before_jpy            bigint check (price_before_jpy between 0 and 1000000000000),
    price_after_jpy             bigint check (price_after_jpy between 0 and 1000000000000),
    reason                      text check (char_length(reason) between 1 and 4000),
    reason_sent_via             text check (reason_sent_via in ('letter', 'email', 'other_electronic', 'oral', 'not_sent')),
    reason_sent_on              date,
    note                        text check (char_length(note) between 1 and 4000),
    corrects                    uuid,
    recorded_at                 timestamptz not null default clock_timestamp(),
    recorded_by                 text not null,
    primary key (tenant_id, id),
    unique (tenant_id, negotiation_id, id),
    foreign key (tenant_id, negotiation_id) references negotiations (tenant_id, id) on delete cascade,
    foreign key (tenant_id, negotiation_id, corrects) references negotiation_outcomes (tenant_id, negotiation_id, id)
        on delete cascade,
    check (kind not in ('price_revised', 'partially')
           or (agreed_one_off_jpy is not null or agreed_recurring_yearly_jpy is not null)),
    check (kind <> 'price_revised' or effective_on is not null),
    check (kind <> 'partially' or remaining is not null),
    check (kind <> 'declined' or (reason is not null and reason_sent_via is not null)),
    check (reason_sent_via is null or reason_sent_via in ('oral', 'not_sent') or reason_sent_on is not null)
);

-- The vendor's confirmation or contest of a session's minutes or an
-- outcome, with its own comment (required to contest); the latest counts.
create table negotiation_confirmations (
    tenant_id      uuid not null,
    id             uuid not null default gen_random_uuid(),
    negotiation_id uuid not null,
    session_id     uuid,
    outcome_id     uuid,
    stance         text not null check (stance in ('confirmed', 'contested')),
    comment        text check (char_length(comment) between 1 and 4000),
    link_id        uuid,
    recorded_at    timestamptz not null default clock_timestamp(),
    recorded_by    text not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, negotiation_id) references negotiations (tenant_id, id) on delete cascade,
    foreign key (tenant_id, negotiation_id, session_id) references negotiation_sessions (tenant_id, negotiation_id, id)
        on delete cascade,
    foreign key (tenant_id, negotiation_id, outcome_id) references negotiation_outcomes (tenant_id, negotiation_id, id)
        on delete cascade,
    check ((session_id is null) <> (outcome_id is null)),
    check (stance = 'confirmed' or comment is not null)
);

-- The vendor's links: "itn_" + 256 random bits, only the hash kept.
create table negotiation_links (
    tenant_id      uuid not null,
    id             uuid not null default gen_random_uuid(),
    negotiation_id uuid not null,
    token_hash     text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    prefix         text not null check (char_length(prefix) between 8 and 16),
    expires_at     timestamptz not null,
    revoked_at     timestamptz,
    revoked_by     uuid,
    created_by     uuid,
    created_at     timestamptz not null default now(),
    last_used_at   timestamptz,
    window_start   timestamptz not null default now(),
    window_count   integer not null default 0 check (window_count >= 0),
    primary key (tenant_id, id),
    foreign key (tenant_id, negotiation_id) references negotiations (tenant_id, id) on delete cascade,
    check (expires_at > created_at)
);
create index negotiation_links_negotiation on negotiation_links (tenant_id, negotiation_id, created_at, id);

alter table negotiation_confirmations add foreign key (tenant_id, link_id) references negotiation_links (tenant_id, id)
    on delete cascade;

-- Each rule that started to hold for a request, announced once
-- (negotiation.risk_detected); a rule that stops holding keeps its row.
create table negotiation_risk_signals (
    tenant_id   uuid not null,
    request_id  uuid not null,
    rule        text not null check (rule ~ '^R[1-7]_[a-z_]+$'),
    detected_at timestamptz not null default now(),
    event_id    uuid,
    primary key (tenant_id, request_id, rule),
    foreign key (tenant_id, request_id) references security_requests (tenant_id, id) on delete cascade
);

-- Subscriptions may name the negotiation events.
alter table webhook_subscriptions drop constraint webhook_subscriptions_event_types_check;
alter table webhook_subscriptions add constraint webhook_subscriptions_event_types_check
    check (cardinality(event_types) between 1 and 22
           and event_types <@ array['*', 'incident.reported', 'incident.updated',
               'incident.status_changed', 'incident.severity_raised',
               'incident.ppc_deadline_approaching', 'incident.ppc_deadline_missed',
               'subcontract.requested', 'subcontract.decided', 'vendor.tier_changed',
               'questionnaire_template.published', 'assessment.sent', 'assessment.submitted',
               'assessment.returned', 'assessment.completed', 'finding.opened', 'finding.overdue',
               'assessment.reminder_due', 'assessment.overdue', 'finding.reminder_due',
               'negotiation.risk_detected', 'negotiation.outcome_recorded']);

-- The daily scan of time-based rules runs once per Tokyo day.
alter table scheduler_runs drop constraint scheduler_runs_job_check;
alter table scheduler_runs add constraint scheduler_runs_job_check
    check (job in ('vendor_rederive', 'negotiation_risks'));

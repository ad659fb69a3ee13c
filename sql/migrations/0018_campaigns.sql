-- 0018_campaigns: one questionnaire version sent to many vendors at once
-- (issue 18, "Bulk send"). A campaign is a record of what was asked of
-- whom: it never changes after creation. Its assessments carry its id;
-- what it skipped and why is kept with it, since no row records those.

create table assessment_campaigns (
    tenant_id       uuid not null references tenants (id),
    id              uuid not null default gen_random_uuid(),
    name            text not null check (char_length(name) between 1 and 200),
    template_id     uuid not null,
    template_number integer not null,
    due_on          date not null,
    message         text check (char_length(message) between 1 and 4000),
    send            boolean not null,
    per_engagement  boolean not null,
    -- what chose the vendors: {"vendor_ids": [...]} or {"filter": {...}}
    selection       jsonb not null check (jsonb_typeof(selection) = 'object'),
    created_count   integer not null check (created_count between 0 and 100000),
    -- [{vendor: {id, name, external_ref}, engagement_id, reason}] in the
    -- order they were reported
    skipped         jsonb not null default '[]' check (jsonb_typeof(skipped) = 'array'),
    created_at      timestamptz not null default now(),
    created_by      text not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, template_id, template_number)
        references questionnaire_versions (tenant_id, template_id, number)
);
create index assessment_campaigns_list on assessment_campaigns (tenant_id, created_at, id);

alter table assessments add column campaign_id uuid;
alter table assessments add foreign key (tenant_id, campaign_id) references assessment_campaigns (tenant_id, id);
create index assessments_campaign on assessments (tenant_id, campaign_id, created_at, id)
    where campaign_id is not null;

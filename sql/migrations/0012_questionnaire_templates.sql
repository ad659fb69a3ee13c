-- 0012_questionnaire_templates: the questionnaire template library (issue 16).
--
-- A template is a named check sheet; its versions hold the content
-- (docs/questionnaires.md). A published version never changes: assessments
-- refer to it for ever, so the table refuses updates and deletes of a
-- published row (trigger in sql/functions/70_questionnaires.sql), not only
-- the API. The content is one jsonb document validated by the service; the
-- table checks its outline and the facts the API lists by.

-- Control references a question may carry: one row per control of each
-- framework, shared by all tenants and written only by migrations.
create table control_references (
    ref        text primary key,
    framework  text not null check (framework in ('iso27001', 'nisc8', 'appi', 'nisc_handbook', 'scs')),
    code       text not null check (code ~ '^[A-Za-z0-9_.]{1,40}$'),
    title_ja   text not null check (char_length(title_ja) between 1 and 200),
    title_en   text not null check (char_length(title_en) between 1 and 200),
    sort       integer not null,
    unique (framework, code),
    check (ref = framework || ':' || code)
);

-- The starter sheets every tenant gets (loaded by a trigger on tenants),
-- shared reference data like the control catalogue.
create table questionnaire_starters (
    key         text primary key check (key ~ '^[a-z0-9_]{1,40}$'),
    name        text not null check (char_length(name) between 1 and 200),
    name_en     text check (char_length(name_en) between 1 and 200),
    description text check (char_length(description) <= 4000),
    content     jsonb not null check (jsonb_typeof(content -> 'sections') = 'array'),
    sort        integer not null
);

create table questionnaire_templates (
    tenant_id   uuid not null references tenants (id),
    id          uuid not null default gen_random_uuid(),
    name        text not null check (char_length(name) between 1 and 200),
    name_en     text check (char_length(name_en) between 1 and 200),
    description text check (char_length(description) <= 4000),
    starter     text references questionnaire_starters (key),
    archived_at timestamptz,
    version     integer not null default 1 check (version > 0),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    created_by  text not null,
    updated_by  text not null,
    primary key (tenant_id, id)
);
-- Two sheets of one name would be told apart by nobody.
create unique index questionnaire_templates_name on questionnaire_templates (tenant_id, name);
create index questionnaire_templates_list on questionnaire_templates (tenant_id, created_at, id);

create table questionnaire_versions (
    tenant_id      uuid not null,
    template_id    uuid not null,
    number         integer not null check (number between 1 and 10000),
    status         text not null default 'draft' check (status in ('draft', 'published')),
    content        jsonb not null check (jsonb_typeof(content) = 'object'
                                         and jsonb_typeof(content -> 'sections') = 'array'),
    changelog      text check (char_length(changelog) <= 4000),
    question_count integer not null check (question_count between 0 and 10000),
    version        integer not null default 1 check (version > 0),
    created_at     timestamptz not null default now(),
    created_by     text not null,
    updated_at     timestamptz not null default now(),
    updated_by     text not null,
    published_at   timestamptz,
    published_by   text,
    primary key (tenant_id, template_id, number),
    foreign key (tenant_id, template_id) references questionnaire_templates (tenant_id, id),
    check ((status = 'published') = (published_at is not null)),
    check ((published_at is null) = (published_by is null))
);
-- One draft at a time: a second one would fork the sheet.
create unique index questionnaire_versions_one_draft
    on questionnaire_versions (tenant_id, template_id) where status = 'draft';

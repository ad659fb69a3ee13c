-- Evidence the vendor attaches to a finding (是正の証跡) through its
-- respondent link: the questionnaire's own files (assessment_files) are
-- closed once it is submitted, and a finding is answered after that.
-- Same bounds as assessment_files; a finding holds at most 20 (the
-- handler counts under the finding's row lock).
create table finding_files (
    tenant_id    uuid not null,
    id           uuid not null default gen_random_uuid(),
    finding_id   uuid not null,
    filename     text not null check (char_length(filename) between 1 and 255),
    content_type text not null check (char_length(content_type) between 3 and 100),
    size         integer not null check (size between 1 and 10485760),
    sha256       text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    data         bytea not null,
    uploaded_by  text not null,
    created_at   timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, finding_id) references findings (tenant_id, id),
    check (octet_length(data) = size)
);
create index finding_files_finding on finding_files (tenant_id, finding_id, created_at);

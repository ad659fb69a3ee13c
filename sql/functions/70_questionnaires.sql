-- 70_questionnaires: questionnaire templates and their versions.

-- A published version is what assessments refer to for ever: it never
-- changes and is never deleted, whatever the client. A draft may be edited,
-- deleted, or published once (status draft -> published, content as is).
create or replace function questionnaire_versions_guard() returns trigger
language plpgsql as $$
begin
    if old.status = 'published' then
        raise exception 'a published questionnaire version never changes'
            using errcode = 'P0001', constraint = 'questionnaire_version_published';
    end if;
    if tg_op = 'UPDATE' and new.status = 'published' and new.content is distinct from old.content then
        raise exception 'a questionnaire version is published as it was validated'
            using errcode = 'P0001', constraint = 'questionnaire_version_published';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end
$$;

-- A version as the API answers it; with p_content its content too (left
-- out of lists and of the template's version summary).
create or replace function questionnaire_version_json(v questionnaire_versions, p_content boolean)
returns json language sql stable as $$
    select (jsonb_build_object(
        'template_id', v.template_id, 'number', v.number, 'status', v.status,
        'changelog', v.changelog, 'question_count', v.question_count,
        'created_at', v.created_at, 'created_by', v.created_by,
        'updated_at', v.updated_at, 'updated_by', v.updated_by,
        'published_at', v.published_at, 'published_by', v.published_by,
        'version', v.version)
        || case when p_content then jsonb_build_object('content', v.content) else '{}' end)::json
$$;

create or replace function questionnaire_template_json(t questionnaire_templates) returns json
language sql stable as $$
    select json_build_object(
        'id', t.id, 'name', t.name, 'name_en', t.name_en, 'description', t.description,
        'starter', t.starter, 'status', case when t.archived_at is null then 'active' else 'archived' end,
        'archived_at', t.archived_at,
        'latest_published', (select v.number from questionnaire_versions v
                              where v.tenant_id = t.tenant_id and v.template_id = t.id
                                and v.status = 'published' order by v.number desc limit 1),
        'draft', (select v.number from questionnaire_versions v
                   where v.tenant_id = t.tenant_id and v.template_id = t.id and v.status = 'draft'),
        'versions', coalesce((select json_agg(questionnaire_version_json(v, false) order by v.number)
                                from questionnaire_versions v
                               where v.tenant_id = t.tenant_id and v.template_id = t.id), '[]'),
        'created_at', t.created_at, 'created_by', t.created_by,
        'updated_at', t.updated_at, 'updated_by', t.updated_by, 'version', t.version)
$$;

-- The starter sheets, published as version 1 in a tenant that has none of
-- them yet (a new tenant, or one that existed before a starter was added).
create or replace function questionnaire_starters_load(p_tenant uuid) returns integer
language plpgsql as $$
declare
    n integer;
begin
    with t as (
        -- Lists sort by created_at: a microsecond per place keeps the
        -- starters in their own order.
        insert into questionnaire_templates (tenant_id, name, name_en, description, starter,
                                             created_at, updated_at, created_by, updated_by)
        select p_tenant, s.name, s.name_en, s.description, s.key,
               now() + s.sort * interval '1 microsecond', now() + s.sort * interval '1 microsecond',
               'itaku', 'itaku'
          from questionnaire_starters s
         where not exists (select 1 from questionnaire_templates x
                            where x.tenant_id = p_tenant and (x.starter = s.key or x.name = s.name))
        returning id, starter)
    insert into questionnaire_versions (tenant_id, template_id, number, status, content, changelog,
                                        question_count, created_by, updated_by, published_at, published_by)
    select p_tenant, t.id, 1, 'published', s.content, null,
           (select count(*) from jsonb_array_elements(s.content -> 'sections') x,
                                 jsonb_array_elements(x -> 'questions')),
           'itaku', 'itaku', now(), 'itaku'
      from t join questionnaire_starters s on s.key = t.starter;
    get diagnostics n = row_count;
    return n;
end
$$;

create or replace function tenants_load_starters() returns trigger
language plpgsql as $$
begin
    perform questionnaire_starters_load(new.id);
    return null;
end
$$;

-- Publishing is a webhook event; the starters loaded into a tenant are not.
create or replace function questionnaire_versions_emit() returns trigger
language plpgsql as $$
begin
    perform webhook_emit(new.tenant_id, 'questionnaire_template.published', new.template_id,
        jsonb_build_object('template', (select jsonb_build_object('id', t.id, 'name', t.name, 'name_en', t.name_en)
                                          from questionnaire_templates t
                                         where t.tenant_id = new.tenant_id and t.id = new.template_id),
                           'number', new.number, 'question_count', new.question_count,
                           'published_at', new.published_at, 'published_by', new.published_by));
    return null;
end
$$;

create or replace trigger questionnaire_versions_guard before update or delete on questionnaire_versions
    for each row execute function questionnaire_versions_guard();

create or replace trigger questionnaire_versions_emit after update of status on questionnaire_versions
    for each row when (old.status = 'draft' and new.status = 'published')
    execute function questionnaire_versions_emit();

create or replace trigger tenants_load_starters after insert on tenants
    for each row execute function tenants_load_starters();

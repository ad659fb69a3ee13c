-- 82_respond: the vendor's side of assessments (respondent links).

-- A respondent link as staff see it: never its token or its hash.
-- status: a link stops working when revoked, superseded by a newer one,
-- or past its expiry; the first of these that happened is its status.
create or replace function assessment_link_json(l assessment_links) returns json
language sql stable as $$
    select json_build_object(
        'id', l.id, 'assessment_id', l.assessment_id, 'prefix', l.prefix,
        'status', case when l.revoked_at is not null then 'revoked'
                       when l.superseded_at is not null then 'superseded'
                       when l.expires_at <= now() then 'expired'
                       else 'active' end,
        'expires_at', l.expires_at, 'created_at', l.created_at, 'created_by', l.created_by,
        'last_used_at', l.last_used_at, 'revoked_at', l.revoked_at, 'revoked_by', l.revoked_by,
        'superseded_at', l.superseded_at)
$$;

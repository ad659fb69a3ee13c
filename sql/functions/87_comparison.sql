-- 87_comparison: the yearly cycle looking back (issue 18): how old
-- evidence may be before it must be renewed, for the respondent's
-- suggestions (service/assessments/prefill.c), staff's comparison
-- (service/assessments/comparison.c) and the settings document.

-- The evidence_max_age_months of a tenant's settings document, 12 when
-- unset: the one place the default lives, so that the settings, the
-- suggestions and the comparison cannot disagree. Takes the document, not
-- the tenant, so that an UPDATE ... RETURNING of the settings reads the new
-- value rather than its statement's snapshot.
create or replace function settings_evidence_max_age_months(p_settings jsonb) returns integer
language sql immutable parallel safe as $$
    select coalesce((p_settings ->> 'evidence_max_age_months')::int, 12)
$$;

create or replace function tenant_evidence_max_age_months(p_tenant uuid) returns integer
language sql stable as $$
    select settings_evidence_max_age_months((select settings from tenants where id = p_tenant))
$$;

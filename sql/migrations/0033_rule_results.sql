-- The results of the seven negotiation rules, kept: rules 1-6 per security
-- request, rule 7 per engagement. Evaluating a request's rules costs about
-- a millisecond, and the tenant-wide list and the overview need every
-- request's (bench/README.md: 565 ms of a 783 ms overview at 10,000
-- vendors). The writes that change what a rule sees rewrite their rows,
-- and the day's scan rewrites every request's, since rules 1, 3 and 5
-- also change with the date. A reader takes a row only when it is current
-- (a request's row of today; an engagement's row always, as rule 7 does
-- not depend on the date) and evaluates the rules itself otherwise, so a
-- missing or old row costs time, never a wrong answer.
-- The functions and triggers are in sql/functions/91_rule_results.sql.

-- results: the rule results (openapi RuleResult) as security_request_risks()
-- returns them; keys: what tells each apart within its source, in the same
-- order ("<rule>:<negotiation id or empty>"; rule 7: "<rule>:<term code>"),
-- the lists' keyset and what the overview counts, without reading the
-- results. The request's or engagement's vendor and its day in the lists
-- (a request's requested_on; an engagement's ordered_on, else the day it
-- was recorded) come along, so that a list reads these rows alone.
create table request_rule_results (
    tenant_id     uuid not null,
    request_id    uuid not null,
    vendor_id     uuid not null,
    engagement_id uuid,
    day           date not null,
    held_on       date not null,
    results       jsonb not null check (jsonb_typeof(results) = 'array'),
    keys          text[] not null,
    primary key (tenant_id, request_id),
    foreign key (tenant_id, request_id) references security_requests (tenant_id, id) on delete cascade,
    check (cardinality(keys) = jsonb_array_length(results))
);

-- coverage and payment_days: the engagement's 取適法 coverage status and
-- the most days after receipt its payment terms allow (null: no terms),
-- as evaluated with the results, for the overview's "covered, with a
-- payment term over 60 days" (the days of a monthly cut-off take most of
-- a millisecond to work out), with the day the engagement ends. Only
-- engagements answered as within a 取適法 type keep a row.
create table engagement_rule_results (
    tenant_id     uuid not null,
    engagement_id uuid not null,
    vendor_id     uuid not null,
    day           date not null,
    ends_on       date,
    coverage      text not null check (coverage in ('covered', 'not_covered', 'unknown')),
    payment_days  integer,
    results       jsonb not null check (jsonb_typeof(results) = 'array'),
    keys          text[] not null,
    primary key (tenant_id, engagement_id),
    foreign key (tenant_id, engagement_id) references engagements (tenant_id, id) on delete cascade,
    check (cardinality(keys) = jsonb_array_length(results))
);

-- Existing requests and engagements get their rows from the day's scan and
-- from the next write that touches them; until then readers evaluate.

-- A certification's change reaches the requests that claim it as the
-- equivalent of a designated item (rule 5).
create index security_requests_equivalent on security_requests (tenant_id, equivalent_certification_id)
    where equivalent_certification_id is not null;

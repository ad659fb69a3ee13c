-- Rule 7 (取適法 payment terms) holds per engagement, one result per term at
-- risk, told apart by its explanation's code. negotiation.risk_detected is
-- sent once for each, when it starts to hold; a row here records that it
-- was (the engagement's counterpart of negotiation_risk_signals, which is
-- keyed by security request). The functions are in sql/functions/89_torihiki.sql.
create table engagement_risk_signals (
    tenant_id     uuid not null,
    engagement_id uuid not null,
    rule          text not null check (rule ~ '^R[1-7]_[a-z_]+$'),
    term          text not null check (term ~ '^[a-z_.]{1,100}$'),
    detected_at   timestamptz not null default now(),
    event_id      uuid,
    primary key (tenant_id, engagement_id, rule, term),
    foreign key (tenant_id, engagement_id) references engagements (tenant_id, id) on delete cascade
);

-- Engagements already at risk when this runs were never announced: they are
-- signalled by the first write that touches them, like any other.

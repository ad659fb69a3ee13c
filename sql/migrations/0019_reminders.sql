-- 0019_reminders: each reminder the scheduler fired (issue 18).
--
-- A reminder is one offset of the tenant's schedule (days relative to a
-- due date: negative before, 0 on the day, positive after) for one
-- assessment still with the vendor or one open finding. A row here says
-- it fired; the partial unique indexes make that happen once per
-- assessment or finding, offset and due date, however many replicas scan
-- at once (the second insert waits for the first and then conflicts).
-- Keying on the due date re-arms the reminders of a due date moved later.

create table reminders (
    tenant_id     uuid not null references tenants (id),
    id            uuid not null default gen_random_uuid(),
    kind          text not null check (kind in ('assessment', 'finding')),
    -- a finding's reminder names its assessment too (where the contact is)
    assessment_id uuid not null,
    finding_id    uuid,
    offset_days   integer not null check (offset_days between -90 and 90),
    due_on        date not null,                 -- the due date it was computed against
    day           date not null,                 -- due_on + offset_days (Asia/Tokyo)
    event_type    text not null check (event_type in ('assessment.reminder_due', 'assessment.overdue',
                                                      'finding.reminder_due')),
    -- the webhook event that carried it; null when no subscription wanted it
    event_id      uuid,
    fired_at      timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, assessment_id) references assessments (tenant_id, id),
    foreign key (tenant_id, finding_id) references findings (tenant_id, id),
    check ((kind = 'finding') = (finding_id is not null)),
    check (day = due_on + offset_days),
    check (event_type = case when kind = 'finding' then 'finding.reminder_due'
                             when offset_days > 0 then 'assessment.overdue'
                             else 'assessment.reminder_due' end)
);
create unique index reminders_once_assessment on reminders (tenant_id, assessment_id, offset_days, due_on)
    where kind = 'assessment';
create unique index reminders_once_finding on reminders (tenant_id, finding_id, offset_days, due_on)
    where kind = 'finding';
create index reminders_history on reminders (tenant_id, fired_at, id);

-- Subscriptions may name the reminder events.
alter table webhook_subscriptions drop constraint webhook_subscriptions_event_types_check;
alter table webhook_subscriptions add constraint webhook_subscriptions_event_types_check
    check (cardinality(event_types) between 1 and 20
           and event_types <@ array['*', 'incident.reported', 'incident.updated',
               'incident.status_changed', 'incident.severity_raised',
               'incident.ppc_deadline_approaching', 'incident.ppc_deadline_missed',
               'subcontract.requested', 'subcontract.decided', 'vendor.tier_changed',
               'questionnaire_template.published', 'assessment.sent', 'assessment.submitted',
               'assessment.returned', 'assessment.completed', 'finding.opened', 'finding.overdue',
               'assessment.reminder_due', 'assessment.overdue', 'finding.reminder_due']);

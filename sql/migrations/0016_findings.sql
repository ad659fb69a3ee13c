-- 0016_findings: what findings (0014) still lacked.
--
-- A status change other than risk acceptance may carry a reason (a
-- reopening must), kept with the finding as its history records it; the
-- daily scan for overdue findings reads only the open ones not yet
-- announced.

alter table findings add column status_reason text
    check (char_length(status_reason) between 1 and 4000);

create index findings_overdue on findings (due_on)
    where status in ('open', 'in_progress') and overdue_notified_on is null;

-- Subscriptions could not name the events added since 0006 (the API
-- listed them; the table's check did not): questionnaire_template.published
-- (0012), assessment.* and finding.* (0014).
alter table webhook_subscriptions drop constraint webhook_subscriptions_event_types_check;
alter table webhook_subscriptions add constraint webhook_subscriptions_event_types_check
    check (cardinality(event_types) between 1 and 20
           and event_types <@ array['*', 'incident.reported', 'incident.updated',
               'incident.status_changed', 'incident.severity_raised',
               'incident.ppc_deadline_approaching', 'incident.ppc_deadline_missed',
               'subcontract.requested', 'subcontract.decided', 'vendor.tier_changed',
               'questionnaire_template.published', 'assessment.sent', 'assessment.submitted',
               'assessment.returned', 'assessment.completed', 'finding.opened', 'finding.overdue']);

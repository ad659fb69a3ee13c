/*
 * settings.h - per-tenant settings of the register (GET/PATCH /v1/settings).
 *
 * monitoring_cadence_months gives, per risk tier, how many months may pass
 * between two monitorings of a vendor (defaults: high 12, medium 24, low
 * 36). Changing it recomputes every vendor's next due date at once.
 * appi_preliminary_days (3-5, default 3) sets the preliminary PPC report
 * (速報) deadline of incidents that become reportable from then on, and
 * ppc_warning_hours (1-168, default 24) how long before a PPC deadline the
 * incident.ppc_deadline_approaching webhook event fires. reminders
 * ({assessment_days, finding_days}, default [-7, -1, 1, 7] each) are
 * offsets in days from a due date, negative before it, 0 on the day,
 * positive after: integers -90..90, distinct, at most 10, stored
 * ascending; [] turns that kind off (assessments/reminders.h).
 */
#ifndef ITAKU_SETTINGS_H
#define ITAKU_SETTINGS_H

struct req;

int settings_get(struct req *r);
int settings_update(struct req *r);

#endif

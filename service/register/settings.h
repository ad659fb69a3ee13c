/*
 * settings.h - per-tenant settings of the register (GET/PATCH /v1/settings).
 *
 * monitoring_cadence_months gives, per risk tier, how many months may pass
 * between two monitorings of a vendor (defaults: high 12, medium 24, low
 * 36). Changing it recomputes every vendor's next due date at once.
 */
#ifndef ITAKU_SETTINGS_H
#define ITAKU_SETTINGS_H

struct req;

int settings_get(struct req *r);
int settings_update(struct req *r);

#endif

/*
 * incidents.h - incident reports (事故報告), their timeline, and the report
 * links through which a vendor files one without an account.
 *
 * The schema (migrations 0005 and 0009) derives where on the chain an
 * incident happened, the APPI judgement (ppc_reportable, the reasons, when
 * it became reportable, the moment of awareness from who detected it and
 * the vendor's notice, and the preliminary and final deadlines counted as
 * the PPC guideline counts them, on the Japanese holiday calendar), and
 * writes the timeline entries that follow from a change (status, severity,
 * filings, notice to individuals). Handlers validate what they can name
 * precisely and leave the rest to the schema, which answers 422
 * rule-violated.
 */
#ifndef ITAKU_INCIDENTS_H
#define ITAKU_INCIDENTS_H

#include <jansson.h>
#include "core/problem.h"

struct req;

/* The enum words of an incident, NULL-terminated, in workflow or rank order. */
extern const char *const incident_statuses[];
extern const char *const incident_severities[];
extern const char *const incident_categories[];

int incidents_create(struct req *r);
int incidents_get(struct req *r);
int incidents_update(struct req *r);
/* Locks incident id FOR UPDATE honouring If-Match: 0 and *current (caller
 * decrefs), or -1 with 404 or 412 set. */
int incidents_lock(struct req *r, const char *id, json_t **current);
/* Validates an incident document: patch laid over base (NULL = new). For
 * vendors (vendor_view) only what a vendor can know is accepted. Returns
 * the full document (caller decrefs) or NULL with errors on p. */
json_t *incidents_merge(struct problem *p, json_t *base, json_t *patch, int vendor_view);

/* The incident as a resource. */
#endif

/*
 * negotiations.h - negotiations over the cost of security requests
 * (価格転嫁協議): one request, or several requests of one engagement, of
 * one vendor; who initiated it and when the vendor asked for
 * consultation. Sessions and outcomes are appended (history.h); what
 * follows from them (the pass-through rate, days to the first session
 * and to the outcome) is derived by the database (negotiation_derived()).
 *
 * Deleting follows the retention period (retention.h) and takes the
 * whole history with it.
 */
#ifndef ITAKU_NEGOTIATIONS_H
#define ITAKU_NEGOTIATIONS_H

#include <jansson.h>

struct req;

int negotiations_create(struct req *r);   /* POST   /v1/negotiations */
int negotiations_get(struct req *r);      /* GET    /v1/negotiations/{id}, with its history */
int negotiations_update(struct req *r);   /* PATCH  /v1/negotiations/{id} */
int negotiations_delete(struct req *r);   /* DELETE /v1/negotiations/{id} */
int negotiations_list(struct req *r);     /* GET    /v1/negotiations */

/* Locks the negotiation id inside r's transaction: 404 when the tenant
 * has none. *current gets its JSON with "requested_on_max" (the latest
 * requested_on of its requests; caller decrefs). Returns 0 or -1 with a
 * problem on r. */
int negotiations_lock(struct req *r, const char *id, json_t **current);

#endif

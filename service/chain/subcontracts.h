/*
 * subcontracts.h - subcontract links (再委託・再々委託) of an engagement.
 *
 * A link hangs below the engagement's vendor or below an approved link of
 * the same engagement and moves requested -> approved | rejected |
 * withdrawn, approved -> ended. The policy rules (engagement policy, depth,
 * no loops, parent approved, data share within the parent's, confirmations
 * before approval) live in the schema (migration 0004) and come back as
 * 422 rule-violated with the rule's wording; the handlers check what they
 * can name more precisely first.
 */
#ifndef ITAKU_SUBCONTRACTS_H
#define ITAKU_SUBCONTRACTS_H

#include <jansson.h>

struct req;

/* The link as a resource. */
int subcontracts_create(struct req *r);
int subcontracts_get(struct req *r);
int subcontracts_update(struct req *r);
int subcontracts_list_for_engagement(struct req *r);
int subcontracts_list(struct req *r);
/* Locks link id FOR UPDATE honouring If-Match: 0 and *current (caller
 * decrefs), or -1 with 404 or 412 set. */
int subcontracts_lock(struct req *r, const char *id, json_t **current);

/* The confirmation names in the order the API reports them. */
extern const char *const subcontract_flow_down[];

#endif

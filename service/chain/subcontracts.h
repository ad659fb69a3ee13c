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

/* subcontracts.c: the link as a resource */
int subcontracts_create(struct req *r);
int subcontracts_get(struct req *r);
int subcontracts_update(struct req *r);
int subcontracts_list_for_engagement(struct req *r);
int subcontracts_list(struct req *r);
/* Locks link id FOR UPDATE honouring If-Match: 0 and *current (caller
 * decrefs), or -1 with 404 or 412 set. */
int subcontracts_lock(struct req *r, const char *id, json_t **current);

/* subcontract_actions.c: status changes, each audited, with If-Match */
int subcontracts_approve(struct req *r);
int subcontracts_reject(struct req *r);
int subcontracts_withdraw(struct req *r);
int subcontracts_end(struct req *r);

/* chain.c: whole-chain queries */
int chain_get(struct req *r);
int chain_exposure(struct req *r);

/* The confirmation names in the order the API reports them. */
extern const char *const subcontract_flow_down[];

#endif

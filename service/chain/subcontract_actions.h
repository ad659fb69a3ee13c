/*
 * subcontract_actions.h - a link's status changes: approve (with the flow-down
 * confirmations), reject, withdraw, end; each with If-Match, audited, and
 * closing the links below it where the status closes the link.
 */
#ifndef ITAKU_SUBCONTRACT_ACTIONS_H
#define ITAKU_SUBCONTRACT_ACTIONS_H

struct req;

int subcontracts_approve(struct req *r);
int subcontracts_reject(struct req *r);
int subcontracts_withdraw(struct req *r);
int subcontracts_end(struct req *r);

#endif

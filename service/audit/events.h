/*
 * events.h - the audit trail over HTTP (audit permission): the events of
 * the caller's tenant, filtered and paged, and the verification of its
 * hash chain.
 */
#ifndef ITAKU_AUDIT_EVENTS_H
#define ITAKU_AUDIT_EVENTS_H

struct req;

int audit_list(struct req *r);
int audit_verify(struct req *r);

#endif

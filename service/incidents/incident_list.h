/*
 * incident_list.h - GET /v1/incidents (filters, the PPC work queue sorted by
 * the nearest unmet deadline) and the views from above on the chain: an
 * engagement's incidents down its chain, a vendor's and those below it.
 */
#ifndef ITAKU_INCIDENT_LIST_H
#define ITAKU_INCIDENT_LIST_H

struct req;

int incidents_list(struct req *r);
int incidents_list_for_engagement(struct req *r);
int incidents_list_for_vendor(struct req *r);

#endif

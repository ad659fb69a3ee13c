/*
 * incident_events.h - POST /v1/incidents/{id}/status (the workflow, with
 * If-Match) and the append-only timeline (read, and notes added by staff).
 */
#ifndef ITAKU_INCIDENT_EVENTS_H
#define ITAKU_INCIDENT_EVENTS_H

struct req;

int incidents_set_status(struct req *r);
int incidents_list_events(struct req *r);
int incidents_add_event(struct req *r);

#endif

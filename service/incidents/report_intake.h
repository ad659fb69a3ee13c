/*
 * report_intake.h - the vendor's side of a report link: /v1/report/{token}/...
 * (no API key; the token is the credential, rate-limited per link): file an
 * incident, read it as the vendor sees it, add the vendor's updates.
 */
#ifndef ITAKU_REPORT_INTAKE_H
#define ITAKU_REPORT_INTAKE_H

struct req;

int report_intake_create(struct req *r);
int report_intake_get(struct req *r);
int report_intake_add_event(struct req *r);

#endif

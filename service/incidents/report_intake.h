/*
 * report_intake.h - the vendor's side of a report link: /v1/report/{token}/...
 * (no API key; the token is the credential, rate-limited per link): file an
 * incident, read it as the vendor sees it, add the vendor's updates; see whom
 * the link is for and the incidents filed through the vendor's links.
 */
#ifndef ITAKU_REPORT_INTAKE_H
#define ITAKU_REPORT_INTAKE_H

struct req;

/* Whom the link is for: the outsourcer, the vendor, the engagement, when it expires. */
int report_intake_about(struct req *r);
/* The incidents filed through any of this vendor's links, newest first. */
int report_intake_list(struct req *r);
int report_intake_create(struct req *r);
int report_intake_get(struct req *r);
int report_intake_add_event(struct req *r);

#endif

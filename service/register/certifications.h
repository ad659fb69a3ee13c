/*
 * certifications.h - a vendor's certifications (ISMS, Pマーク, ISMAP, SOC 2 ...).
 *
 * scope_verified records that someone checked the registered scope covers
 * the outsourced work: the server stamps who and when, since a certificate
 * whose scope misses the vendor's department proves nothing.
 */
#ifndef ITAKU_CERTIFICATIONS_H
#define ITAKU_CERTIFICATIONS_H

struct req;

int certifications_create(struct req *r);
int certifications_list_for_vendor(struct req *r);
int certifications_list(struct req *r);
int certifications_get(struct req *r);
int certifications_update(struct req *r);
int certifications_delete(struct req *r);

/* The certification schemes, "other" last; NULL-terminated. */
extern const char *const certifications_kinds[];

#endif

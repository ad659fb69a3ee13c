/*
 * report_links.h - the links through which a vendor files incidents without an
 * account (staff side): created with a token shown once and stored as its
 * hash, listed, read, revoked (the record stays).
 */
#ifndef ITAKU_REPORT_LINKS_H
#define ITAKU_REPORT_LINKS_H

struct req;

int report_links_create(struct req *r);
int report_links_list(struct req *r);
int report_links_get(struct req *r);
int report_links_revoke(struct req *r);

#endif

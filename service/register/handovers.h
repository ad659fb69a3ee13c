/*
 * handovers.h - the information handover ledger (機密情報管理台帳).
 *
 * What was given to a vendor under an engagement, how, and whether it came
 * back or was erased. An erasure is closed only with its certificate
 * reference, and held items past their return date are listed as overdue.
 */
#ifndef ITAKU_HANDOVERS_H
#define ITAKU_HANDOVERS_H

struct req;

int handovers_create(struct req *r);
int handovers_list_for_engagement(struct req *r);
int handovers_list(struct req *r);
int handovers_get(struct req *r);
int handovers_update(struct req *r);

#endif

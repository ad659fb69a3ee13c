/*
 * estimates.h - the vendor's cost estimates for a security request
 * (コスト影響): integer yen, one-off and recurring per year, the basis in
 * words and as cost elements, evidence references, who estimated and
 * when. A revision is a new row (revision 1, 2, ...); none is ever
 * changed or deleted on its own (the database refuses it). The latest
 * revision is the one that counts.
 *
 * Cost elements: at most one line per element (equipment, service_fees,
 * labour, certification, training, other), each with its one-off and
 * recurring yearly amounts; when any are given, they add up exactly to
 * the totals, column by column (checked here and by the database).
 */
#ifndef ITAKU_NEGOTIATIONS_ESTIMATES_H
#define ITAKU_NEGOTIATIONS_ESTIMATES_H

struct req;

int estimates_create(struct req *r);   /* POST /v1/security-requests/{id}/cost-estimates */
int estimates_list(struct req *r);     /* GET  /v1/security-requests/{id}/cost-estimates */

#endif

/*
 * risks.h - the rule checks (1-6) of the negotiation records, listed
 * tenant-wide and per vendor (per request they are in the request's
 * document). Each result is `needs_review`, names its rule, explanation
 * and source (the METI/JFTC 2022 guidance item, the 取適法 article), the
 * records behind it and the preconditions under which the guidance
 * applies: 取適法 coverage of the engagement and the tenant's statement
 * of a superior bargaining position. The rules themselves are SQL
 * (security_request_risks(), sql/functions/90_negotiations.sql).
 */
#ifndef ITAKU_NEGOTIATIONS_RISKS_H
#define ITAKU_NEGOTIATIONS_RISKS_H

struct req;

int risks_list(struct req *r);             /* GET /v1/negotiation-risks */
int risks_list_for_vendor(struct req *r);  /* GET /v1/vendors/{id}/negotiation-risks */

#endif

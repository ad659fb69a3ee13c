/*
 * risks.h - the seven rule checks of issue 20, listed tenant-wide and
 * per vendor: rules 1-6 on the negotiation records (per request they are
 * also in the request's document) and rule 7 on the payment terms of an
 * engagement within 取適法 (also in GET /v1/engagements/{id}/torihiki).
 * Every result has one shape (openapi RuleResult, built by rule_result(),
 * sql/functions/88_rules.sql): `needs_review`, its rule, title and
 * explanation as {code, message} texts, its source (the METI/JFTC 2022
 * guidance item, the 取適法 article), the records behind it and the
 * preconditions under which the guidance applies: 取適法 coverage of the
 * engagement and the tenant's statement of a superior bargaining
 * position. The rules themselves are SQL (security_request_risks(),
 * 90_negotiations.sql; torihiki_payment_risks_of(), 89_torihiki.sql);
 * the lists read their kept results (negotiation_risk_rows(),
 * 91_rule_results.sql), which equal a fresh evaluation.
 */
#ifndef ITAKU_NEGOTIATIONS_RISKS_H
#define ITAKU_NEGOTIATIONS_RISKS_H

struct req;

int risks_list(struct req *r);             /* GET /v1/negotiation-risks */
int risks_list_for_vendor(struct req *r);  /* GET /v1/vendors/{id}/negotiation-risks */

#endif

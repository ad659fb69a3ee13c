/*
 * requests.h - security requests (セキュリティ対策の要請): what the
 * outsourcer asks a vendor for, when and why, where it comes from (a
 * finding, a questionnaire question, a contract clause, an incident's
 * recurrence prevention), whether a product or provider was designated,
 * whether the vendor claims an equivalent measure, and what was charged
 * to the vendor for it.
 *
 * Invariants the database keeps (sql/functions/90_negotiations.sql): the
 * engagement, finding, assessment, incident and certification a request
 * names are its vendor's; a request is deleted only outside the tenant's
 * retention period (negotiation_retention_years) and while no negotiation
 * covers it. Every change is audited (security_request.*), and each rule
 * that starts to hold is announced once (negotiation.risk_detected).
 */
#ifndef ITAKU_NEGOTIATIONS_REQUESTS_H
#define ITAKU_NEGOTIATIONS_REQUESTS_H

struct req;

int requests_create(struct req *r);                 /* POST  /v1/security-requests */
int requests_get(struct req *r);                    /* GET   /v1/security-requests/{id} */
int requests_update(struct req *r);                 /* PATCH /v1/security-requests/{id} */
int requests_delete(struct req *r);                 /* DELETE /v1/security-requests/{id} */
int requests_withdraw(struct req *r);               /* POST  /v1/security-requests/{id}/withdraw */
int requests_list(struct req *r);                   /* GET   /v1/security-requests */
int requests_list_for_vendor(struct req *r);        /* GET   /v1/vendors/{id}/security-requests */
int requests_list_for_engagement(struct req *r);    /* GET   /v1/engagements/{id}/security-requests */

#endif

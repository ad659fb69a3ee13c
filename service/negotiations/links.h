/*
 * links.h - the vendor's side of a negotiation (二者の記録): staff issue a
 * link (token "itn_" + 256 random bits, shown once, stored as its
 * SHA-256, expiring in 1-365 days, default 30, revocable), through which
 * the vendor reads the negotiation and confirms or contests the minutes
 * of each session and each outcome with its own comment (a contest needs
 * one). Confirmations are appended, never changed; the latest per entry
 * is the vendor's current view, and both sides' versions stay side by
 * side. The link's rate is ITAKU_RESPOND_LINK_RATE requests a minute;
 * the audit trail names it "negotiation_link:<prefix>" (http/token_link.h).
 */
#ifndef ITAKU_NEGOTIATIONS_LINKS_H
#define ITAKU_NEGOTIATIONS_LINKS_H

struct req;

int nlinks_create(struct req *r);            /* POST /v1/negotiations/{id}/vendor-links */
int nlinks_list(struct req *r);              /* GET  /v1/negotiations/{id}/vendor-links */
int nlinks_revoke(struct req *r);            /* POST /v1/negotiation-links/{id}/revoke */
int nlinks_view(struct req *r);              /* GET  /v1/negotiate/{token} */
int nlinks_confirm_session(struct req *r);   /* POST /v1/negotiate/{token}/sessions/{entry_id}/confirmation */
int nlinks_confirm_outcome(struct req *r);   /* POST /v1/negotiate/{token}/outcomes/{entry_id}/confirmation */

#endif

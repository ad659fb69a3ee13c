/*
 * links.h - respondent links from the outsourcer's side: issue (the token
 * is shown once), list, revoke.
 *
 * A token is "ita_" + 256 random bits; only its SHA-256 and its first 12
 * characters (prefix) are stored. An assessment has at most one live link:
 * issuing a new one supersedes the previous one, which then answers 410
 * like an expired or revoked one (assessments/respond.h).
 */
#ifndef ITAKU_ASSESSMENT_LINKS_H
#define ITAKU_ASSESSMENT_LINKS_H

#include <jansson.h>
#include "db/db.h"
#include "util/crypto.h"

struct req;

/* Who issues a link, for its audit events and created_by: a request's API
 * key (links_create) or a job such as the mail sender (key_id NULL). */
struct links_issuer {
	const char *tenant_id;
	const char *key_id;          /* NULL for a job */
	const char *actor;           /* the audit actor: "api_key:<prefix>", "mail" */
	const char *created_by;      /* assessment_links.created_by */
	const char *request_id;      /* NULL for a job */
};

/* Supersedes the assessment's live link, if any, and issues a new one on
 * db, inside the caller's transaction (nothing is committed here), with
 * both audit events. The caller has checked that the assessment exists
 * and may have a link now. days: 1..365, or 0 for the default (30, or 14
 * days past the due date when that is later). Fills token (the only
 * copy: hand it to its one reader and forget it) and *link (the link's
 * JSON, never the token; caller decrefs). Returns 0 or a negative
 * db_err (DB_EOTHER when the system random generator failed). */
int links_issue(struct db_conn *db, const struct links_issuer *by, const char *assessment_id, int days,
		char token[CRYPTO_TOKEN_LEN + 1], json_t **link);

int links_create(struct req *r);
int links_list(struct req *r);
int links_revoke(struct req *r);

#endif

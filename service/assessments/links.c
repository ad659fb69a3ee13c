/*
 * links.c - issuing, listing and revoking respondent links.
 */
#include "assessments/links.h"
#include "assessments/assessments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/req.h"
#include "http/resource.h"
#include "http/token_link.h"
#include "json/valid.h"
#include "audit/trail.h"
#include "util/crypto.h"

#define PREFIX_LEN 12

/* The live link, if any, stops working: $1 tenant, $2 assessment
 * -> id, before, after */
static struct db_stmt supersede_stmt = DB_STMT(
	"update assessment_links l set superseded_at = now()"
	"  from (select o.id, assessment_link_json(o) j from assessment_links o"
	"         where o.tenant_id = $1 and o.assessment_id = $2"
	"           and o.revoked_at is null and o.superseded_at is null for update) x"
	" where l.tenant_id = $1 and l.id = x.id"
	" returning l.id, x.j::text, assessment_link_json(l)::text");
/* $1 tenant, $2 assessment, $3 hash, $4 prefix, $5 days (null: 30, or 14
 * days past the due date when that is later), $6 actor -> id, json */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into assessment_links as l (tenant_id, assessment_id, token_hash, prefix, expires_at, created_by)"
	" select $1, a.id, $3, $4,"
	"        now() + make_interval(days => coalesce($5::int,"
	"                              least(365, greatest(30, a.due_on - tokyo_today() + 14)))), $6"
	"   from assessments a where a.tenant_id = $1 and a.id = $2"
	" returning l.id, assessment_link_json(l)::text");

int links_issue(struct db_conn *db, const struct links_issuer *by, const char *assessment_id, int days,
		char token[CRYPTO_TOKEN_LEN + 1], json_t **link)
{
	char hash[CRYPTO_SHA256_HEX_LEN], prefix[PREFIX_LEN + 1], days_s[16];
	const char *params[6] = { by->tenant_id, assessment_id };
	json_t *old = NULL, *gone = NULL;
	PGresult *res = NULL;
	int err;

	*link = NULL;
	if (crypto_token("ita_", token, hash))
		return DB_EOTHER;
	memcpy(prefix, token, PREFIX_LEN);
	prefix[PREFIX_LEN] = '\0';
	snprintf(days_s, sizeof(days_s), "%d", days);
	if ((err = db_exec(db, &supersede_stmt, 2, params, &res)))
		goto out;
	if (PQntuples(res)) {
		old = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
		gone = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
		if ((err = audit_record_as(db, by->tenant_id, by->key_id, by->actor, by->request_id,
					   "assessment_link.superseded", "assessment_link", PQgetvalue(res, 0, 0),
					   old, gone)))
			goto out;
	}
	PQclear(res);
	res = NULL;
	params[2] = hash;
	params[3] = prefix;
	params[4] = days > 0 ? days_s : NULL;
	params[5] = by->created_by;
	if ((err = db_exec(db, &insert_stmt, 6, params, &res)))
		goto out;
	*link = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	err = audit_record_as(db, by->tenant_id, by->key_id, by->actor, by->request_id,
			      "assessment_link.created", "assessment_link", PQgetvalue(res, 0, 0), NULL, *link);
out:
	if (err) {
		explicit_bzero(token, CRYPTO_TOKEN_LEN + 1);
		json_decref(*link);
		*link = NULL;
	}
	json_decref(old);
	json_decref(gone);
	PQclear(res);
	return err;
}

/* POST /v1/assessments/{id}/respondent-links */
int links_create(struct req *r)
{
	static const char *const keys[] = { "expires_in_days", NULL };
	const char *id = req_param_uuid(r, "id", "assessment"), *status;
	char token[CRYPTO_TOKEN_LEN + 1], actor[32];
	struct links_issuer by = { r->who.tenant_id, r->who.key_id, actor, r->who.key_id, r->request_id };
	json_t *current = NULL, *link = NULL;
	long long n = 0;
	int err = 0, ret = -1;

	if (!id)
		return -1;
	if (r->body) {
		jv_only(&r->problem, r->body, keys);
		jv_int(&r->problem, r->body, "expires_in_days", JV_OPTIONAL, 1, 365, &n);
		if (problem_error_count(&r->problem))
			return req_fail_invalid(r);
	}
	snprintf(actor, sizeof(actor), "api_key:%s", r->who.prefix);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || assessments_lock(r, id, &current))
		goto out;
	status = json_string_value(json_object_get(current, "status"));
	if (strcmp(status, "sent") && strcmp(status, "in_progress") && strcmp(status, "returned")) {
		req_fail(r, 409, "invalid-transition",
			 "the assessment is %s; a respondent link is issued only while it is with the vendor (sent, in_progress or returned)",
			 status);
		goto out;
	}
	if ((err = links_issue(r->db, &by, id, (int)n, token, &link)) || req_commit(r, 0))
		goto out;
	{
		char path[96];

		/* The token itself appears here once and nowhere else. */
		snprintf(path, sizeof(path), "/v1/respond/%s", token);
		json_object_set_new(link, "token", json_string(token));
		json_object_set_new(link, "respond_path", json_string(path));
		req_secret(r, "token respond_path");
	}
	ret = req_json(r, 201, link);
	link = NULL;
out:
	explicit_bzero(token, sizeof(token));
	json_decref(current);
	json_decref(link);
	return req_end(r, ret, err);
}

static struct db_stmt list_stmt = DB_STMT(
	"select l.created_at::text, l.id::text, assessment_link_json(l)::text from assessment_links l"
	" where l.tenant_id = $1 and l.assessment_id = $2"
	"   and ($3::timestamptz is null or (l.created_at, l.id) > ($3::timestamptz, $4::uuid))"
	" order by l.created_at, l.id limit $5");
static struct db_stmt assessment_exists_stmt = DB_STMT(
	"select 1 from assessments where tenant_id = $1 and id = $2");

/* GET /v1/assessments/{id}/respondent-links: every link ever issued,
 * oldest first, never a token. */
int links_list(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "assessment");
	const char *params[5];

	if (!id)
		return -1;
	return resource_list(r, id, "assessment", &assessment_exists_stmt, &list_stmt, 5, params);
}

static struct db_stmt lock_stmt = DB_STMT(
	"select assessment_link_json(l)::text, revoked_at is not null from assessment_links l"
	" where tenant_id = $1 and id = $2 for update");
static struct db_stmt revoke_stmt = DB_STMT(
	"update assessment_links l set revoked_at = now(), revoked_by = $3"
	" where tenant_id = $1 and id = $2 returning assessment_link_json(l)::text");

/* POST /v1/assessment-links/{id}/revoke: the link stops working at once
 * (410) and stays listed as revoked. Revoking twice changes nothing. */
int links_revoke(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "respondent link");

	return id ? token_link_revoke(r, id, "respondent link", &lock_stmt, &revoke_stmt, "assessment_link",
					     "assessment_link.revoked") : -1;
}

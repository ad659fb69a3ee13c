/*
 * links.c - vendor links to a negotiation (see links.h).
 */
#include "negotiations/links.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/trail.h"
#include "http/req.h"
#include "http/resource.h"
#include "http/token_link.h"
#include "json/valid.h"

/* ---- staff ------------------------------------------------------------------------ */

/* $1 tenant, $2 negotiation, $3 hash, $4 prefix, $5 days, $6 key id -> id, json */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into negotiation_links as l (tenant_id, negotiation_id, token_hash, prefix, expires_at, created_by)"
	" select $1, n.id, $3, $4, now() + make_interval(days => $5::int), $6"
	"   from negotiations n where n.tenant_id = $1 and n.id = $2"
	" returning l.id, negotiation_link_json(l)::text");

int nlinks_create(struct req *r)
{
	static const char *const keys[] = { "expires_in_days", NULL };
	const char *id = req_param_uuid(r, "id", "negotiation");
	char token[CRYPTO_TOKEN_LEN + 1], hash[CRYPTO_SHA256_HEX_LEN], prefix[TOKEN_LINK_PREFIX_LEN + 1], days[16];
	const char *params[6];
	json_t *link = NULL;
	long long n = 30;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!id)
		return -1;
	if (r->body) {
		jv_only(&r->problem, r->body, keys);
		jv_int(&r->problem, r->body, "expires_in_days", JV_OPTIONAL, 1, 365, &n);
		if (problem_error_count(&r->problem))
			return req_fail_invalid(r);
	}
	if (token_link_new("itn_", token, hash, prefix))
		return req_fail(r, 500, "internal", "the system random generator failed");
	snprintf(days, sizeof(days), "%lld", n);
	if (!req_db(r))
		goto done;
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = hash;
	params[3] = prefix;
	params[4] = days;
	params[5] = r->who.key_id;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, &insert_stmt, 6, params, &res)))
		goto out;
	if (!PQntuples(res)) {
		req_fail(r, 404, "not-found", "no %s with this id", "negotiation");
		goto out;
	}
	link = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, "negotiation_link.created", "negotiation_link", PQgetvalue(res, 0, 0), NULL, link)) ||
	    req_commit(r, 0))
		goto out;
	{
		char path[96];

		/* The token itself appears here once and nowhere else. */
		snprintf(path, sizeof(path), "/v1/negotiate/%s", token);
		json_object_set_new(link, "token", json_string(token));
		json_object_set_new(link, "negotiate_path", json_string(path));
		req_secret(r, "token negotiate_path");
	}
	ret = req_json(r, 201, link);
	link = NULL;
out:
	ret = req_end(r, ret, err);
done:
	explicit_bzero(token, sizeof(token));
	json_decref(link);
	PQclear(res);
	return ret;
}

static struct db_stmt list_stmt = DB_STMT(
	"select l.created_at::text, l.id::text, negotiation_link_json(l)::text from negotiation_links l"
	" where l.tenant_id = $1 and l.negotiation_id = $2"
	"   and ($3::timestamptz is null or (l.created_at, l.id) > ($3::timestamptz, $4::uuid))"
	" order by l.created_at, l.id limit $5");
static struct db_stmt negotiation_exists_stmt = DB_STMT(
	"select 1 from negotiations where tenant_id = $1 and id = $2");

int nlinks_list(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "negotiation");
	const char *params[5];

	if (!id)
		return -1;
	return resource_list(r, id, "negotiation", &negotiation_exists_stmt, &list_stmt, 5, params);
}

static struct db_stmt lock_stmt = DB_STMT(
	"select negotiation_link_json(l)::text, revoked_at is not null from negotiation_links l"
	" where tenant_id = $1 and id = $2 for update");
static struct db_stmt revoke_stmt = DB_STMT(
	"update negotiation_links l set revoked_at = now(), revoked_by = $3"
	" where tenant_id = $1 and id = $2 returning negotiation_link_json(l)::text");

/* Revoking twice changes nothing. */
int nlinks_revoke(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "negotiation_link");

	return id ? token_link_revoke(r, id, "negotiation_link", &lock_stmt, &revoke_stmt, "negotiation_link",
					     "negotiation_link.revoked") : -1;
}

/* ---- the vendor ------------------------------------------------------------------- */

struct vendor_link {
	char tenant_id[CRYPTO_UUID_LEN];
	char id[CRYPTO_UUID_LEN];
	char negotiation_id[CRYPTO_UUID_LEN];
	char actor[40];   /* "negotiation_link:" + prefix */
};

static struct db_stmt find_stmt = DB_STMT(
	TOKEN_LINK_FIND("negotiation_links", "tenant_id, id, negotiation_id, prefix"));

static int open_link(struct req *r, struct vendor_link *l)
{
	PGresult *res = NULL;

	if (token_link_find(r, "itn_", &find_stmt, 4, r->app->cfg.respond_link_rate, &res))
		return -1;
	snprintf(l->tenant_id, sizeof(l->tenant_id), "%s", PQgetvalue(res, 0, 0));
	snprintf(l->id, sizeof(l->id), "%s", PQgetvalue(res, 0, 1));
	snprintf(l->negotiation_id, sizeof(l->negotiation_id), "%s", PQgetvalue(res, 0, 2));
	snprintf(l->actor, sizeof(l->actor), "negotiation_link:%s", PQgetvalue(res, 0, 3));
	PQclear(res);
	return 0;
}

static struct db_stmt view_stmt = DB_STMT(
	"select negotiation_vendor_json(n)::text from negotiations n where tenant_id = $1 and id = $2");

int nlinks_view(struct req *r)
{
	struct vendor_link l;
	const char *params[2] = { l.tenant_id, l.negotiation_id };
	PGresult *res = NULL;
	int err;

	if (open_link(r, &l))
		return -1;
	if ((err = db_exec(r->db, &view_stmt, 2, params, &res)))
		return req_fail_db(r, err);
	if (!PQntuples(res))
		err = req_fail(r, 404, "not-found", "no link at this address");
	else
		err = req_json_text(r, 200, PQgetvalue(res, 0, 0));
	PQclear(res);
	return err;
}

/* $1 tenant, $2 negotiation, $3 entry, $4 stance, $5 comment, $6 link, $7 actor */
static struct db_stmt confirm_session_stmt = DB_STMT(
	"insert into negotiation_confirmations as c (tenant_id, negotiation_id, session_id, stance, comment,"
	"       link_id, recorded_by)"
	" select $1, s.negotiation_id, s.id, $4, $5, $6, $7 from negotiation_sessions s"
	"  where s.tenant_id = $1 and s.negotiation_id = $2 and s.id = $3"
	" returning c.id, negotiation_confirmation_json(c)::text");
static struct db_stmt confirm_outcome_stmt = DB_STMT(
	"insert into negotiation_confirmations as c (tenant_id, negotiation_id, outcome_id, stance, comment,"
	"       link_id, recorded_by)"
	" select $1, o.negotiation_id, o.id, $4, $5, $6, $7 from negotiation_outcomes o"
	"  where o.tenant_id = $1 and o.negotiation_id = $2 and o.id = $3"
	" returning c.id, negotiation_confirmation_json(c)::text");

static int confirm(struct req *r, struct db_stmt *insert, const char *noun)
{
	static const char *const members[] = { "stance", "comment", NULL };
	static const char *const stances[] = { "confirmed", "contested", NULL };
	const char *entry = req_param(r, "entry_id"), *params[7];
	struct vendor_link l;
	json_t *out = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1, k;

	/* The link first: a dead link hears 404/410 whatever it sends, and
	 * every attempt spends its rate budget. */
	if (open_link(r, &l))
		return -1;
	jv_only(&r->problem, r->body, members);
	k = jv_enum(&r->problem, r->body, "stance", JV_REQUIRED, stances);
	params[4] = jv_string(&r->problem, r->body, "comment", JV_OPTIONAL, 1, 4000);
	if (k == 1 && !params[4])
		problem_add_pointer(&r->problem, "/comment", "is required to contest: say what the record gets wrong");
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!entry || !crypto_is_uuid(entry))
		return req_fail(r, 404, "not-found", "no %s with this id", noun);
	params[0] = l.tenant_id;
	params[1] = l.negotiation_id;
	params[2] = entry;
	params[3] = stances[k];
	params[5] = l.id;
	params[6] = l.actor;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, insert, 7, params, &res)))
		goto out;
	if (!PQntuples(res)) {
		req_fail(r, 404, "not-found", "no %s with this id", noun);
		goto out;
	}
	out = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = audit_record_as(r->db, l.tenant_id, NULL, l.actor, r->request_id,
				   "negotiation_confirmation.recorded", "negotiation_confirmation",
				   PQgetvalue(res, 0, 0), NULL, out)))
		goto out;
	ret = req_commit_json(r, 201, out, 0);
	out = NULL;
out:
	json_decref(out);
	PQclear(res);
	return req_end(r, ret, err);
}

int nlinks_confirm_session(struct req *r)
{
	return confirm(r, &confirm_session_stmt, "negotiation_session");
}

int nlinks_confirm_outcome(struct req *r)
{
	return confirm(r, &confirm_outcome_stmt, "negotiation_outcome");
}

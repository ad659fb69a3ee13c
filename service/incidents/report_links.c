/*
 * report_links.c - the outsourcer's side of vendor report links: create
 * (the token is shown once), list, revoke.
 *
 * A token is "itr_" + 256 random bits; only its SHA-256 is stored. A link
 * belongs to one vendor and, optionally, one engagement (for which the
 * vendor must be the engagement's vendor or an approved subcontractor).
 */
#include "incidents/report_links.h"
#include "incidents/incidents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"
#include "util/crypto.h"

#define PREFIX_LEN 12

static struct db_stmt insert_stmt = DB_STMT(
	"insert into report_links as l (tenant_id, vendor_id, engagement_id, label, token_hash, prefix,"
	"       expires_at, created_by)"
	" select $1, v.id, $3, $4, $5, $6, now() + make_interval(days => $7::int), $8"
	"   from vendors v where v.tenant_id = $1 and v.id = $2"
	" returning l.id, report_link_json(l)::text");

int report_links_create(struct req *r)
{
	static const char *const keys[] = { "label", "engagement_id", "expires_in_days", NULL };
	const char *vendor = req_param_uuid(r, "id", "vendor");
	char token[CRYPTO_TOKEN_LEN + 1], hash[CRYPTO_SHA256_HEX_LEN], prefix[PREFIX_LEN + 1], days[16];
	json_t *body = r->body, *link = NULL;
	const char *params[8], *engagement;
	long long n = 30;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!vendor)
		return -1;
	jv_only(&r->problem, body, keys);
	params[3] = jv_string(&r->problem, body, "label", JV_OPTIONAL, 1, 200);
	engagement = jv_uuid(&r->problem, body, "engagement_id", JV_OPTIONAL);
	jv_int(&r->problem, body, "expires_in_days", JV_OPTIONAL, 1, 365, &n);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (crypto_token("itr_", token, hash))
		return req_fail(r, 500, "internal", "the system random generator failed");
	memcpy(prefix, token, PREFIX_LEN);
	prefix[PREFIX_LEN] = '\0';
	snprintf(days, sizeof(days), "%lld", n);
	if (!req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = vendor;
	params[2] = engagement;
	params[4] = hash;
	params[5] = prefix;
	params[6] = days;
	params[7] = r->who.key_id;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, &insert_stmt, 8, params, &res)))
		goto out;
	if (PQntuples(res) == 0) {
		req_fail(r, 404, "not-found", "no vendor with this id");
		goto out;
	}
	link = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, "report_link.created", "report_link", PQgetvalue(res, 0, 0), NULL,
				link)) || req_commit(r, 0))
		goto out;
	{
		char path[96];

		/* The token itself appears here once and nowhere else. */
		snprintf(path, sizeof(path), "/v1/report/%s/incidents", token);
		json_object_set_new(link, "token", json_string(token));
		json_object_set_new(link, "intake_path", json_string(path));
		req_secret(r, "token intake_path");
	}
	ret = req_json(r, 201, link);
	link = NULL;
out:
	if (ret && !r->problem.status) {
		req_fail_db(r, err);
		if (r->problem.slug && !strcmp(r->problem.slug, "reference-not-found"))
			problem_add_pointer(&r->problem, "/engagement_id", "no engagement with this id");
	}
	json_decref(link);
	PQclear(res);
	return req_end(r, ret, err);
}

static struct db_stmt list_stmt = DB_STMT(
	"select l.created_at::text, l.id::text, report_link_json(l)::text from report_links l"
	" where l.tenant_id = $1 and l.vendor_id = $2"
	"   and ($3::timestamptz is null or (l.created_at, l.id) > ($3::timestamptz, $4::uuid))"
	" order by l.created_at, l.id limit $5");
static struct db_stmt vendor_exists_stmt = DB_STMT(
	"select 1 from vendors where tenant_id = $1 and id = $2");

int report_links_list(struct req *r)
{
	const char *vendor = req_param_uuid(r, "id", "vendor");
	const char *params[5];

	if (!vendor)
		return -1;
	return resource_list(r, vendor, "vendor", &vendor_exists_stmt, &list_stmt, 5, params);
}

static struct db_stmt get_stmt = DB_STMT(
	"select version, report_link_json(l)::text from report_links l where tenant_id = $1 and id = $2");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, report_link_json(l)::text, $3::int[] is null or version = any($3::int[])"
	"  from report_links l where tenant_id = $1 and id = $2 for update");
static struct db_stmt revoke_stmt = DB_STMT(
	"update report_links l set revoked_at = now(), revoked_by = $3, version = version + 1,"
	"       updated_at = now()"
	" where tenant_id = $1 and id = $2 returning version, report_link_json(l)::text");

static const struct resource report_link = { .type = "report link", .get = &get_stmt,
					      .lock = &lock_stmt };

int report_links_get(struct req *r)
{
	return resource_get(r, &report_link);
}

/* POST /v1/report-links/{id}/revoke: the link stops working at once and
 * stays listed as revoked. Revoking twice changes nothing. */
int report_links_revoke(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "report link");
	const char *params[3];
	json_t *before = NULL, *after = NULL;
	PGresult *res = NULL;
	long version;
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = r->who.key_id;
	if ((err = db_begin(r->db)) || resource_lock(r, &report_link, id, &before))
		goto out;
	version = (long)json_integer_value(json_object_get(before, "version"));
	if (strcmp(json_string_value(json_object_get(before, "status")), "revoked") != 0) {
		if ((err = db_exec(r->db, &revoke_stmt, 3, params, &res)))
			goto out;
		version = atol(PQgetvalue(res, 0, 0));
		after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
		if ((err = req_audit(r, "report_link.revoked", "report_link", id, before, after)))
			goto out;
	}
	ret = req_commit_json(r, 200, after ? after : json_incref(before), version);
	after = NULL;
out:
	json_decref(before);
	json_decref(after);
	PQclear(res);
	return req_end(r, ret, err);
}

/*
 * api_keys.c - API key management.
 *
 * A key's secret exists only in the response to its creation; the table
 * holds its SHA-256. Revoking keeps the key listed (as revoked), so that
 * the audit trail and last_used_at stay readable; it is an action, not a
 * DELETE. The schema keeps every tenant at least one admin key that is
 * neither revoked nor expiring (nobody could manage keys afterwards).
 */
#include "api_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/trail.h"
#include "http/etag.h"
#include "http/page.h"
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"

/* The public shape of a key, built by PostgreSQL. */
#define KEY_JSON(k) \
	"json_build_object('id', " k ".id, 'name', " k ".name, 'role', " k ".role," \
	" 'prefix', " k ".prefix, 'status', case when " k ".revoked_at is not null then 'revoked'" \
	" when " k ".expires_at is not null and " k ".expires_at <= now() then 'expired'" \
	" else 'active' end, 'created_at', " k ".created_at, 'created_by', " k ".created_by," \
	" 'expires_at', " k ".expires_at, 'revoked_at', " k ".revoked_at," \
	" 'last_used_at', " k ".last_used_at, 'version', " k ".version," \
	" 'updated_at', " k ".updated_at)"

static const char *const role_values[] = { "admin", "editor", "viewer", "integration", NULL };

static struct db_stmt insert_stmt = DB_STMT(
	"insert into api_keys (tenant_id, name, role, prefix, key_hash, created_by, expires_at)"
	" select $1, $2, $3, $4, $5, $6, $7::timestamptz"
	"  where $7::timestamptz is null or $7::timestamptz > now()"
	" returning id, version, " KEY_JSON("api_keys"));

int api_keys_insert(struct db_conn *db, const char *tenant_id, const char *name, enum role role,
		    char key[AUTH_KEY_LEN + 1], char id[CRYPTO_UUID_LEN])
{
	char prefix[AUTH_PREFIX_LEN + 1], hash[CRYPTO_SHA256_HEX_LEN];
	const char *params[7] = { tenant_id, name, auth_role_name(role), prefix, hash, NULL, NULL };
	PGresult *res = NULL;
	json_t *after;
	int err;

	if (auth_key_generate(key, prefix, hash))
		return DB_EOTHER;
	if ((err = db_exec(db, &insert_stmt, 7, params, &res)))
		return err;
	snprintf(id, CRYPTO_UUID_LEN, "%s", PQgetvalue(res, 0, 0));
	after = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	PQclear(res);
	err = audit_record_as(db, tenant_id, NULL, "cli", NULL, "api_key.created", "api_key", id,
			      NULL, after);
	json_decref(after);
	return err;
}

static void set_location(struct req *r, const char *id)
{
	char loc[96];

	snprintf(loc, sizeof(loc), "/v1/api-keys/%s", id);
	req_set_header(r, "Location", loc);
}

int api_keys_create(struct req *r)
{
	static const char *const fields[] = { "name", "role", "expires_at", NULL };
	char key[AUTH_KEY_LEN + 1], prefix[AUTH_PREFIX_LEN + 1], hash[CRYPTO_SHA256_HEX_LEN];
	const char *name, *expires, *params[7];
	PGresult *res = NULL;
	json_t *out = NULL;
	int role, err = 0, ret = -1;

	jv_only(&r->problem, r->body, fields);
	name = jv_string(&r->problem, r->body, "name", JV_REQUIRED, 1, 200);
	role = jv_enum(&r->problem, r->body, "role", JV_REQUIRED, role_values);
	expires = jv_timestamp(&r->problem, r->body, "expires_at", JV_OPTIONAL, 1, NULL);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (auth_key_generate(key, prefix, hash))
		return req_fail(r, 500, "internal", "could not generate a key");
	if (!req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = name;
	params[2] = role_values[role];
	params[3] = prefix;
	params[4] = hash;
	params[5] = r->who.key_id;
	params[6] = expires;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, &insert_stmt, 7, params, &res)))
		goto out;
	if (PQntuples(res) == 0) {
		problem_add_pointer(&r->problem, "/expires_at", "must be in the future");
		req_fail_invalid(r);
		goto out;
	}
	out = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	if ((err = req_audit(r, "api_key.created", "api_key", PQgetvalue(res, 0, 0), NULL, out)) ||
	    req_commit(r, atol(PQgetvalue(res, 0, 1))))
		goto out;
	set_location(r, PQgetvalue(res, 0, 0));
	json_object_set_new(out, "key", json_string(key));
	req_secret(r, "key");
	ret = req_json(r, 201, out);
	out = NULL;
out:
	json_decref(out);
	PQclear(res);
	return req_end(r, ret, err);
}

static struct db_stmt list_stmt = DB_STMT(
	"select created_at::text, id::text, " KEY_JSON("k") " from api_keys k"
	" where tenant_id = $1"
	"   and ($2::text is null or role = $2)"
	"   and ($3::text is null"
	"        or ($3 = 'revoked' and revoked_at is not null)"
	"        or ($3 = 'expired' and revoked_at is null and expires_at <= now())"
	"        or ($3 = 'active' and revoked_at is null and (expires_at is null or expires_at > now())))"
	"   and ($4::timestamptz is null or (k.created_at, k.id) > ($4::timestamptz, $5::uuid))"
	" order by k.created_at, k.id limit $6");   /* k.: not the text output columns */

int api_keys_list(struct req *r)
{
	static const char *const statuses[] = { "active", "expired", "revoked", NULL };
	const char *role = req_query(r, "role"), *status = req_query(r, "status");
	struct page pg = { 0 };
	const char *params[6];
	enum role parsed;
	char limit[16];
	PGresult *res = NULL;
	int err, ret = -1, ok = 0;

	if (role && auth_role_parse(role, &parsed))
		problem_add_parameter(&r->problem, "role", "must be admin, editor, viewer or integration");
	for (int i = 0; status && statuses[i]; i++)
		ok |= strcmp(status, statuses[i]) == 0;
	if (status && !ok)
		problem_add_parameter(&r->problem, "status", "must be active, expired or revoked");
	if (page_parse(r, &pg))
		goto out;
	if (problem_error_count(&r->problem)) {
		req_fail(r, 400, "invalid-parameter", "some query parameters are invalid; see errors");
		goto out;
	}
	if (pg.after && json_array_size(pg.after) != 2) {
		req_fail(r, 400, "invalid-cursor", "the cursor does not match this listing");
		goto out;
	}
	if (!req_db(r))
		goto out;
	snprintf(limit, sizeof(limit), "%d", pg.limit + 1);
	params[0] = r->who.tenant_id;
	params[1] = role;
	params[2] = status;
	params[3] = page_after(&pg, 0);
	params[4] = page_after(&pg, 1);
	params[5] = limit;
	if ((err = db_exec(r->db, &list_stmt, 6, params, &res))) {
		req_fail_db(r, err);
		goto out;
	}
	ret = page_respond_rows(r, &pg, res, 2);
out:
	PQclear(res);
	page_free(&pg);
	return ret;
}

static struct db_stmt get_stmt = DB_STMT(
	"select version, " KEY_JSON("k") " from api_keys k where tenant_id = $1 and id = $2");

int api_keys_get(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "API key");
	const char *params[2];
	PGresult *res = NULL;
	int err;

	if (!id || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	if ((err = db_exec(r->db, &get_stmt, 2, params, &res)))
		return req_fail_db(r, err);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return req_fail(r, 404, "not-found", "no API key with this id");
	}
	etag_set(r, atol(PQgetvalue(res, 0, 0)));
	err = req_json_text(r, 200, PQgetvalue(res, 0, 1));
	PQclear(res);
	return err;
}

/* The schema keeps the tenant's last admin key (0007_platform_fixes). */
static int fail_write(struct req *r, int err)
{
	if (err == DB_ECHECK && !strcmp(r->db->constraint, "api_keys_last_admin"))
		return req_fail(r, 409, "last-admin-key",
				"this is the tenant's last active admin key without an expiry date; "
				"create another admin key first");
	return req_fail_db(r, err);
}

/* Locks the row and returns its current JSON (so the audit event can hold
 * the state before the change) and whether If-Match allows the change. */
static struct db_stmt lock_stmt = DB_STMT(
	"select version, " KEY_JSON("k") ", $3::int[] is null or version = any($3::int[])"
	"  from api_keys k where tenant_id = $1 and id = $2 for update");
static struct db_stmt update_stmt = DB_STMT(
	"update api_keys k set name = coalesce($3, name),"
	"       expires_at = case when $4::boolean then $5::timestamptz else expires_at end,"
	"       version = version + 1, updated_at = now()"
	" where tenant_id = $1 and id = $2"
	" returning version, " KEY_JSON("k"));

/* An API key as a plain resource, for the shared lock (404 or 412). */
static const struct resource api_key = { .type = "API key", .lock = &lock_stmt };

/* Ends an update or a revocation whose statement answered res (version,
 * the key after): audited, committed, then forgotten by the auth cache so
 * that no thread keeps authorising with the old row. Returns 0 or -1. */
static int answer_change(struct req *r, const char *action, const char *id, json_t *before,
			 PGresult *res)
{
	json_t *after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	int err = req_audit(r, action, "api_key", id, before, after);

	if (err || req_commit(r, atol(PQgetvalue(res, 0, 0)))) {
		json_decref(after);
		return err ? req_fail_db(r, err) : -1;
	}
	auth_cache_forget(id);
	return req_json(r, 200, after);
}

int api_keys_update(struct req *r)
{
	static const char *const fields[] = { "name", "expires_at", NULL };
	const char *id = req_param_uuid(r, "id", "API key");
	const char *name, *expires, *params[5];
	PGresult *res = NULL;
	json_t *before = NULL;
	int err = 0, ret = -1, expires_null = 0;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, fields);
	name = jv_string(&r->problem, r->body, "name", JV_OPTIONAL, 1, 200);
	expires = jv_timestamp(&r->problem, r->body, "expires_at", JV_OPTIONAL, 1, &expires_null);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || resource_lock(r, &api_key, id, &before))
		goto out;
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = name;
	params[3] = (expires || expires_null) ? "true" : "false";
	params[4] = expires;
	if ((err = db_exec(r->db, &update_stmt, 5, params, &res))) {
		if (err == DB_ECHECK && strcmp(r->db->constraint, "api_keys_last_admin")) {
			problem_add_pointer(&r->problem, "/expires_at", "must be after the key's creation");
			req_fail_invalid(r);
		} else {
			fail_write(r, err);
		}
		goto out;
	}
	ret = answer_change(r, "api_key.updated", id, before, res);
out:
	json_decref(before);
	PQclear(res);
	return req_end(r, ret, err);
}

static struct db_stmt revoke_stmt = DB_STMT(
	"update api_keys k set revoked_at = now(), revoked_by = $3, version = version + 1,"
	"       updated_at = now()"
	" where tenant_id = $1 and id = $2 and revoked_at is null"
	" returning version, " KEY_JSON("k"));

/* POST /v1/api-keys/{id}/revoke: the key stops working at once and stays
 * listed as revoked. Revoking twice changes nothing and answers the same. */
int api_keys_revoke(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "API key");
	const char *params[3];
	PGresult *res = NULL;
	json_t *before = NULL;
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = r->who.key_id;
	if ((err = db_begin(r->db)) || resource_lock(r, &api_key, id, &before))
		goto out;
	if (!strcmp(json_string_value(json_object_get(before, "status")), "revoked")) {
		/* Revoking twice changes nothing: the record as it is. */
		ret = req_commit_json(r, 200, json_incref(before),
				      json_integer_value(json_object_get(before, "version")));
		goto out;
	}
	if ((err = db_exec(r->db, &revoke_stmt, 3, params, &res))) {
		fail_write(r, err);
		goto out;
	}
	ret = answer_change(r, "api_key.revoked", id, before, res);
out:
	json_decref(before);
	PQclear(res);
	return req_end(r, ret, err);
}

int api_keys_me(struct req *r)
{
	return req_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:o}",
					  "tenant_id", r->who.tenant_id, "key_id", r->who.key_id,
					  "key_prefix", r->who.prefix,
					  "role", auth_role_name(r->who.role),
					  "permissions", auth_role_permissions(r->who.role)));
}

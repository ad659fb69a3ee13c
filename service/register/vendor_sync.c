/*
 * vendor_sync.c - ERP synchronisation by external_ref.
 *
 * PUT /v1/vendors/by-ref/{external_ref} creates or updates one vendor;
 * POST /v1/vendors/batch does the same for up to 1,000. Fields left out
 * keep their current values (an ERP rarely owns every field we keep), so
 * a repeated request changes nothing and answers "unchanged".
 *
 * Upserts of one external_ref are serialised with a transaction-level
 * advisory lock, so two concurrent first-time PUTs cannot both insert.
 */
#include "register/vendor_sync.h"
#include "register/vendors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/etag.h"
#include "http/req.h"
#include "json/valid.h"
#include "register/vendor_doc.h"

#define BATCH_MAX 1000

enum outcome { CREATED, UPDATED, UNCHANGED };
static const char *const outcome_names[] = { "created", "updated", "unchanged" };

static struct db_stmt lock_ref_stmt = DB_STMT(
	"select pg_advisory_xact_lock(hashtextextended($1 || '/vendor/' || $2, 0))");
static struct db_stmt find_ref_stmt = DB_STMT(
	"select id, version, " VENDOR_JSON ", $3::int[] is null or version = any($3::int[])"
	"  from vendors v where tenant_id = $1 and external_ref = $2 for update");

/* Upserts one vendor by ref inside the caller's transaction. Returns 0 with
 * *out (caller decrefs), *version and *outcome, or -1 with r->problem set. */
static int upsert(struct req *r, const char *ref, json_t *body, const char *if_match,
		  json_t **out, long *version, enum outcome *outcome)
{
	const char *params[3] = { r->who.tenant_id, ref, if_match };
	json_t *current = NULL, *base = NULL, *doc = NULL, *patch;
	PGresult *res = NULL;
	int err, ret = -1;

	*out = NULL;
	patch = json_deep_copy(body);
	json_object_set_new(patch, "external_ref", json_string(ref));
	if ((err = db_exec(r->db, &lock_ref_stmt, 2, params, NULL)) ||
	    (err = db_exec(r->db, &find_ref_stmt, 3, params, &res))) {
		req_fail_db(r, err);
		goto out;
	}
	if (PQntuples(res) == 1) {
		if (strcmp(PQgetvalue(res, 0, 3), "t") != 0) {
			req_fail(r, 412, "precondition-failed",
				 "the vendor has changed since you read it (its version is now %s)",
				 PQgetvalue(res, 0, 1));
			goto out;
		}
		current = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
		base = vendor_doc_from(current);
	} else if (if_match) {
		req_fail(r, 412, "precondition-failed", "If-Match was sent but no vendor has this external_ref");
		goto out;
	}
	if (!(doc = vendor_doc_merge(&r->problem, base, patch))) {
		req_fail_invalid(r);
		goto out;
	}
	if (current && json_equal(doc, base)) {
		*out = json_incref(current);
		*version = json_integer_value(json_object_get(current, "version"));
		*outcome = UNCHANGED;
		ret = 0;
		goto out;
	}
	if (vendor_write(r, current ? PQgetvalue(res, 0, 0) : NULL, current, doc, out, version))
		goto out;
	*outcome = current ? UPDATED : CREATED;
	ret = 0;
out:
	json_decref(patch);
	json_decref(current);
	json_decref(base);
	json_decref(doc);
	PQclear(res);
	return ret;
}

static int ref_ok(struct req *r, const char *ref)
{
	size_t n = ref ? jv_utf8_len(ref) : 0;

	for (const char *c = ref; c && *c; c++)
		if ((unsigned char)*c < 0x20)
			n = 0;
	if (n < 1 || n > 100) {
		problem_add_parameter(&r->problem, "external_ref", "must be 1 to 100 characters");
		return 0;
	}
	return 1;
}

int vendors_put_by_ref(struct req *r)
{
	const char *ref = req_param(r, "external_ref");
	json_t *given = json_object_get(r->body, "external_ref"), *out = NULL;
	char versions[128];
	enum outcome outcome;
	long version;
	int err = 0, ret = -1;

	if (!ref_ok(r, ref))
		return req_fail(r, 400, "invalid-parameter", "the external_ref in the path is invalid");
	if (given && !json_is_null(given) &&
	    (!json_is_string(given) || strcmp(json_string_value(given), ref) != 0)) {
		problem_add_pointer(&r->problem, "/external_ref", "must match the external_ref in the path (or be left out)");
		return req_fail_invalid(r);
	}
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) ||
	    upsert(r, ref, r->body, etag_match_param(r, versions, sizeof(versions)), &out, &version,
		   &outcome) || req_commit(r, version))
		goto out;
	if (outcome == CREATED) {
		char loc[96];

		snprintf(loc, sizeof(loc), "/v1/vendors/%s", json_string_value(json_object_get(out, "id")));
		req_set_header(r, "Location", loc);
	}
	req_set_header(r, "Itaku-Sync-Result", outcome_names[outcome]);
	ret = req_json(r, outcome == CREATED ? 201 : 200, out);
	out = NULL;
out:
	json_decref(out);
	return req_end(r, ret, err);
}

/* ---- batch -------------------------------------------------------------- */

static json_t *item_error(struct req *r, size_t index, const char *ref)
{
	json_t *item = json_pack("{s:I, s:s?, s:s, s:o}", "index", (json_int_t)index,
				 "external_ref", ref, "result", "error",
				 "problem", problem_to_json(&r->problem, r->lang));

	problem_clear(&r->problem);
	return item;
}

static int has_ref(json_t *seen, const char *ref)
{
	return json_object_get(seen, ref) != NULL;
}

/* all_or_nothing with bad items: one 422 listing every item's errors under
 * /vendors/<index>. */
static void reject_all(struct req *r, json_t *results, size_t bad, size_t total)
{
	json_t *res, *e;
	char where[160];
	size_t i, j;

	req_fail(r, 422, "batch-rejected", "%zu of %zu vendors are invalid; nothing was applied", bad,
		 total);
	json_array_foreach(results, i, res) {
		json_t *prob = json_object_get(res, "problem");
		json_int_t index = json_integer_value(json_object_get(res, "index"));
		size_t n = json_array_size(json_object_get(prob, "errors"));

		if (!prob)
			continue;
		json_array_foreach(json_object_get(prob, "errors"), j, e) {
			const char *ptr = json_string_value(json_object_get(e, "pointer"));

			snprintf(where, sizeof(where), "/vendors/%lld%s", (long long)index, ptr ? ptr : "");
			problem_add_pointer(&r->problem, where, "%s",
					    json_string_value(json_object_get(e, "message")));
		}
		if (n == 0) {
			snprintf(where, sizeof(where), "/vendors/%lld", (long long)index);
			problem_add_pointer(&r->problem, where, "%s",
					    json_string_value(json_object_get(prob, "detail")));
		}
	}
}

int vendors_batch(struct req *r)
{
	static const char *const fields[] = { "mode", "vendors", NULL };
	static const char *const modes[] = { "valid_only", "all_or_nothing", NULL };
	json_t *items = json_object_get(r->body, "vendors"), *item, *results = NULL, *seen = NULL;
	size_t i, counts[4] = { 0 };
	int mode, err, ret = -1;

	jv_only(&r->problem, r->body, fields);
	mode = jv_enum(&r->problem, r->body, "mode", JV_OPTIONAL, modes);
	if (!json_is_array(items))
		problem_add_pointer(&r->problem, "/vendors", "is required: an array of vendors");
	else if (json_array_size(items) == 0 || json_array_size(items) > BATCH_MAX)
		problem_add_pointer(&r->problem, "/vendors", "must hold 1 to %d vendors (got %zu); split larger syncs",
				    BATCH_MAX, json_array_size(items));
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (mode < 0)
		mode = 0;
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)))
		return req_fail_db(r, err);
	results = json_array();
	seen = json_object();
	json_array_foreach(items, i, item) {
		json_t *refv = json_object_get(item, "external_ref"), *out = NULL;
		const char *ref = json_is_string(refv) ? json_string_value(refv) : NULL;
		enum outcome outcome;
		long version;

		if (!json_is_object(item)) {
			req_fail(r, 422, "validation-failed", "each item must be a vendor object");
			json_array_append_new(results, item_error(r, i, NULL));
			counts[3]++;
			continue;
		}
		if (!ref || !ref_ok(r, ref)) {
			problem_clear(&r->problem);
			req_fail(r, 422, "validation-failed", "each vendor in a batch needs an external_ref");
			problem_add_pointer(&r->problem, "/external_ref", "is required: 1 to 100 characters");
			json_array_append_new(results, item_error(r, i, NULL));
			counts[3]++;
			continue;
		}
		if (has_ref(seen, ref)) {
			req_fail(r, 422, "validation-failed", "this external_ref appears earlier in the batch");
			problem_add_pointer(&r->problem, "/external_ref", "is repeated within the batch");
			json_array_append_new(results, item_error(r, i, ref));
			counts[3]++;
			continue;
		}
		json_object_set_new(seen, ref, json_true());
		if ((err = db_exec_plain(r->db, "savepoint batch_item", NULL))) {
			req_fail_db(r, err);
			goto out;
		}
		if (upsert(r, ref, item, NULL, &out, &version, &outcome)) {
			if (r->problem.status >= 500 ||
			    db_exec_plain(r->db, "rollback to savepoint batch_item", NULL))
				goto out;   /* the database failed, not the item */
			json_array_append_new(results, item_error(r, i, ref));
			counts[3]++;
			continue;
		}
		db_exec_plain(r->db, "release savepoint batch_item", NULL);
		json_array_append_new(results, json_pack("{s:I, s:s, s:s, s:O, s:I}",
			"index", (json_int_t)i, "external_ref", ref, "result", outcome_names[outcome],
			"id", json_object_get(out, "id"), "version", (json_int_t)version));
		counts[outcome]++;
		json_decref(out);
	}
	if (mode == 1 && counts[3] > 0) {
		reject_all(r, results, counts[3], json_array_size(items));
		goto out;
	}
	ret = req_commit_json(r, 200, json_pack("{s:s, s:{s:I, s:I, s:I, s:I}, s:O}",
		"mode", modes[mode], "summary", "created", (json_int_t)counts[0],
		"updated", (json_int_t)counts[1], "unchanged", (json_int_t)counts[2],
		"errors", (json_int_t)counts[3], "results", results), 0);
out:
	json_decref(results);
	json_decref(seen);
	return req_end(r, ret, 0);
}

/*
 * resource.c - the shared create/get/update/delete flow.
 */
#include "http/resource.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/etag.h"
#include "http/page.h"
#include "http/req.h"

json_t *resource_doc(const struct resource *rs, json_t *full)
{
	json_t *doc = json_object();

	for (size_t i = 0; rs->fields[i]; i++) {
		json_t *v = json_object_get(full, rs->fields[i]);

		json_object_set(doc, rs->fields[i], v ? v : json_null());
	}
	return doc;
}

static void set_location(struct req *r, const struct resource *rs, const char *id)
{
	char loc[160];

	snprintf(loc, sizeof(loc), "%s%s", rs->path, id);
	req_set_header(r, "Location", loc);
}

static int audit(struct req *r, const struct resource *rs, const char *verb, const char *id,
		 json_t *before, json_t *after)
{
	char action[96];

	snprintf(action, sizeof(action), "%s.%s", rs->type, verb);
	return req_audit(r, action, rs->type, id, before, after);
}

#define ARGS_MAX 5

/* The values a statement takes, in the order its args string names them.
 * Returns how many. */
static int bind_args(const char *args, const char *tenant, const char *key, const char *doc,
		const char *actor, const char *out[ARGS_MAX])
{
	int n = 0;

	while (*args && n < ARGS_MAX) {
		size_t len = strcspn(args, " ");

		if (len == 6 && !strncmp(args, "tenant", 6))
			out[n++] = tenant;
		else if ((len == 6 && !strncmp(args, "parent", 6)) || (len == 2 && !strncmp(args, "id", 2)))
			out[n++] = key;
		else if (len == 3 && !strncmp(args, "doc", 3))
			out[n++] = doc;
		else if (len == 5 && !strncmp(args, "actor", 5))
			out[n++] = actor;
		args += len + (args[len] == ' ');
	}
	return n;
}

int resource_create(struct req *r, const struct resource *rs, const char *parent_id)
{
	const char *params[ARGS_MAX];
	int nparams;
	json_t *doc, *out = NULL;
	PGresult *res = NULL;
	char *text = NULL;
	int err = 0, ret = -1;

	if (!parent_id)
		return -1;
	if (!(doc = rs->merge(&r->problem, NULL, r->body)))
		return req_fail_invalid(r);
	if (!req_db(r))
		goto out;
	if ((err = db_begin(r->db)) || (rs->check && rs->check(r, NULL, doc)))
		goto out;
	text = json_dumps(doc, JSON_COMPACT);
	nparams = bind_args(rs->insert_args ? rs->insert_args : "tenant parent doc actor", r->who.tenant_id,
		       parent_id, text, r->who.key_id, params);
	if ((err = db_exec(r->db, rs->insert, nparams, params, &res)))
		goto out;
	if (PQntuples(res) == 0) {
		req_fail(r, 404, "not-found", "no %s with this id", rs->parent);
		goto out;
	}
	out = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	if ((err = audit(r, rs, "created", PQgetvalue(res, 0, 0), NULL, out)) ||
	    req_commit(r, atol(PQgetvalue(res, 0, 1))))
		goto out;
	set_location(r, rs, PQgetvalue(res, 0, 0));
	ret = req_json(r, 201, out);
	out = NULL;
out:
	json_decref(doc);
	json_decref(out);
	free(text);
	PQclear(res);
	return req_end(r, ret, err);
}

int resource_get(struct req *r, const struct resource *rs)
{
	const char *id = req_param_uuid(r, "id", rs->type);
	const char *params[2];
	PGresult *res = NULL;
	int err;

	if (!id || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	if ((err = db_exec(r->db, rs->get, 2, params, &res)))
		return req_fail_db(r, err);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return req_fail(r, 404, "not-found", "no %s with this id", rs->type);
	}
	if (PQnfields(res) > 1)
		etag_set(r, atol(PQgetvalue(res, 0, 0)));
	err = req_json_text(r, 200, PQgetvalue(res, 0, PQnfields(res) - 1));
	PQclear(res);
	return err;
}

int resource_lock(struct req *r, const struct resource *rs, const char *id, json_t **current)
{
	char versions[128];
	const char *params[3] = { r->who.tenant_id, id,
				  etag_match_param(r, versions, sizeof(versions)) };
	PGresult *res = NULL;
	int err;

	if ((err = db_exec(r->db, rs->lock, 3, params, &res)))
		return req_fail_db(r, err);
	if (PQntuples(res) == 0)
		err = req_fail(r, 404, "not-found", "no %s with this id", rs->type);
	else if (strcmp(PQgetvalue(res, 0, 2), "t") != 0)
		err = req_fail(r, 412, "precondition-failed",
			       "the %s has changed since you read it (its version is now %s)", rs->type,
			       PQgetvalue(res, 0, 0));
	else
		*current = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	PQclear(res);
	return err;
}

int resource_update(struct req *r, const struct resource *rs)
{
	const char *id = req_param_uuid(r, "id", rs->type);
	json_t *current = NULL, *base = NULL, *doc = NULL, *out = NULL;
	const char *params[ARGS_MAX];
	int nparams;
	PGresult *res = NULL;
	char *text = NULL;
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || resource_lock(r, rs, id, &current))
		goto out;
	base = rs->doc_of ? rs->doc_of(current) : resource_doc(rs, current);
	if (!(doc = rs->merge(&r->problem, base, r->body))) {
		req_fail_invalid(r);
		goto out;
	}
	if (rs->check && rs->check(r, current, doc))
		goto out;
	if (json_equal(doc, base)) {
		ret = req_commit_json(r, 200, json_incref(current),
				      json_integer_value(json_object_get(current, "version")));
		goto out;
	}
	text = json_dumps(doc, JSON_COMPACT);
	nparams = bind_args(rs->update_args ? rs->update_args : "tenant id doc actor", r->who.tenant_id, id,
		       text, r->who.key_id, params);
	if ((err = db_exec(r->db, rs->update, nparams, params, &res)))
		goto out;
	out = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	if ((err = audit(r, rs, "updated", id, current, out)))
		goto out;
	ret = req_commit_json(r, 200, out, atol(PQgetvalue(res, 0, 1)));
	out = NULL;
out:
	json_decref(current);
	json_decref(base);
	json_decref(doc);
	json_decref(out);
	free(text);
	PQclear(res);
	return req_end(r, ret, err);
}

int resource_delete(struct req *r, const struct resource *rs)
{
	const char *id = req_param_uuid(r, "id", rs->type);
	const char *params[2];
	json_t *current = NULL;
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	if ((err = db_begin(r->db)) || resource_lock(r, rs, id, &current))
		goto out;
	if ((err = db_exec(r->db, rs->remove, 2, params, NULL))) {
		if (err == DB_EFOREIGN)
			req_fail(r, 409, "in-use", "other records still refer to this %s", rs->type);
		goto out;
	}
	if ((err = audit(r, rs, "deleted", id, current, NULL)))
		goto out;
	ret = req_commit_json(r, 204, NULL, 0);
out:
	json_decref(current);
	return req_end(r, ret, err);
}

int resource_list(struct req *r, const char *parent_id, const char *parent_noun,
		  struct db_stmt *parent_exists, struct db_stmt *list, int n, const char **params)
{
	struct page pg = { 0 };
	PGresult *res = NULL;
	char limit[16];
	int err, ret = -1;

	if (page_parse(r, &pg) || !req_db(r))
		goto out;
	params[0] = r->who.tenant_id;
	params[1] = parent_id;
	if (parent_id) {
		if ((err = db_exec(r->db, parent_exists, 2, params, &res))) {
			req_fail_db(r, err);
			goto out;
		}
		if (PQntuples(res) == 0) {
			req_fail(r, 404, "not-found", "no %s with this id", parent_noun);
			goto out;
		}
		PQclear(res);
		res = NULL;
	}
	snprintf(limit, sizeof(limit), "%d", pg.limit + 1);
	params[n - 3] = page_after(&pg, 0);
	params[n - 2] = page_after(&pg, 1);
	params[n - 1] = limit;
	if ((err = db_exec(r->db, list, n, params, &res))) {
		req_fail_db(r, err);
		goto out;
	}
	ret = page_respond_rows(r, &pg, res, 2);
out:
	PQclear(res);
	page_free(&pg);
	return ret;
}

/*
 * req.c - request context helpers.
 */
#include "http/req.h"
#include "audit/trail.h"
#include "http/etag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "util/crypto.h"

struct db_conn *req_db(struct req *r)
{
	int err;

	if (r->db)
		return r->db;
	err = pool_acquire(r->app->pool, &r->db);
	if (err) {
		r->db = NULL;
		req_fail_db(r, err);
		return NULL;
	}
	return r->db;
}

const char *req_param(const struct req *r, const char *name)
{
	return router_param(&r->match, name);
}

const char *req_param_uuid(struct req *r, const char *name, const char *what)
{
	const char *v = router_param(&r->match, name);

	if (!v || !crypto_is_uuid(v)) {
		req_fail(r, 404, "not-found", "no %s with this id", what);
		return NULL;
	}
	return v;
}

const char *req_query(const struct req *r, const char *name)
{
	return u_map_get(r->u->map_url, name);
}

const char *req_header(const struct req *r, const char *name)
{
	return u_map_get_case(r->u->map_header, name);
}

void req_set_header(struct req *r, const char *name, const char *value)
{
	u_map_put(r->res->map_header, name, value);
}

int req_raw(struct req *r, int status, const char *content_type, const char *body, size_t len)
{
	ulfius_set_binary_body_response(r->res, (unsigned)status, body, len);
	req_set_header(r, "Content-Type", content_type);
	r->status = status;
	return 0;
}

int req_json(struct req *r, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);
	int ret;

	json_decref(body);
	if (!text)
		return req_fail(r, 500, "internal", "the response could not be encoded");
	ret = req_raw(r, status, "application/json", text, strlen(text));
	free(text);
	return ret;
}

int req_json_text(struct req *r, int status, const char *text)
{
	return req_raw(r, status, "application/json", text, strlen(text));
}

int req_empty(struct req *r, int status)
{
	/* ulfius refuses a NULL body, so set the status by hand. */
	r->res->status = (long)status;
	r->status = status;
	return 0;
}

int req_fail(struct req *r, int status, const char *slug, const char *fmt, ...)
{
	va_list ap;
	char detail[512];

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return problem_set(&r->problem, status, slug, NULL, "%s", detail);
}

int req_fail_db(struct req *r, int err)
{
	struct problem *p = &r->problem;

	switch (err) {
	case POOL_ETIMEDOUT:
		problem_set(p, 503, "busy", NULL, "all database connections are busy; retry shortly");
		p->retry_after = 1;
		return -1;
	case POOL_EUNAVAILABLE:
	case DB_EUNAVAILABLE:
		problem_set(p, 503, "database-unavailable", NULL,
			    "the database is unavailable; retry shortly");
		p->retry_after = 2;
		return -1;
	case DB_ETIMEOUT:
		problem_set(p, 503, "timeout", NULL, "the request took too long and was cancelled");
		p->retry_after = 1;
		return -1;
	case DB_ESERIAL:
		problem_set(p, 409, "conflict", NULL,
			    "a concurrent change conflicted with this request; retry it");
		return -1;
	/* Constraint names are schema internals: handlers that can name the
	 * offending field check r->db->constraint themselves. */
	case DB_EUNIQUE:
		return problem_set(p, 409, "conflict", NULL, "a resource with the same unique value exists");
	case DB_EFOREIGN:
		return problem_set(p, 422, "reference-not-found", NULL,
				   "a referenced resource does not exist in this tenant");
	case DB_ECHECK:
		return problem_set(p, 422, "constraint-violated", NULL,
				   "the change breaks a rule of the data model");
	case DB_ERAISED:
		return problem_set(p, 422, "rule-violated", NULL, "%s", r->db ? r->db->message : "");
	default:
		return problem_set(p, 500, "internal", NULL,
				   "an unexpected error occurred; it has been logged with the request id");
	}
}

int req_fail_invalid(struct req *r)
{
	return problem_set(&r->problem, 422, "validation-failed", NULL,
			   "the request body has invalid fields; see errors");
}

int req_stream(struct req *r, int status, const char *content_type,
	       ssize_t (*read)(void *cls, uint64_t offset, char *out, size_t max),
	       void (*free_fn)(void *cls), void *cls)
{
	ulfius_set_stream_response(r->res, (unsigned)status, read, free_fn, U_STREAM_SIZE_UNKNOWN,
				   16384, cls);
	req_set_header(r, "Content-Type", content_type);
	r->status = status;
	return 0;
}

void req_secret(struct req *r, const char *members)
{
	r->secret_members = members;
}

int req_audit(struct req *r, const char *action, const char *resource_type,
	      const char *resource_id, json_t *before, json_t *after)
{
	char actor[32];

	snprintf(actor, sizeof(actor), "api_key:%s", r->who.prefix);
	return audit_record_as(r->db, r->who.tenant_id, r->who.key_id, actor, r->request_id,
			       action, resource_type, resource_id, before, after);
}

int req_end(struct req *r, int ret, int err)
{
	if (!ret)
		return 0;
	if (!r->problem.status)
		req_fail_db(r, err);
	db_rollback(r->db);
	return ret;
}

int req_commit(struct req *r, long version)
{
	int err = db_commit(r->db);

	if (err)
		return req_fail_db(r, err);
	if (version > 0)
		etag_set(r, version);
	return 0;
}

int req_commit_json(struct req *r, int status, json_t *body, long version)
{
	if (req_commit(r, version)) {
		json_decref(body);
		return -1;
	}
	return body ? req_json(r, status, body) : req_empty(r, status);
}

int req_commit_text(struct req *r, int status, const char *text, long version)
{
	if (req_commit(r, version))
		return -1;
	return req_json_text(r, status, text);
}

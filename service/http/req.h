/*
 * req.h - the per-request context handed to every handler.
 *
 * A handler returns 0 after setting a response with req_json() or
 * req_empty(), or -1 after describing the failure in r->problem (usually via
 * req_fail() or req_fail_db()); the dispatcher then sends problem+json. A
 * handler never sends an error body itself.
 *
 * The database connection is borrowed on first use by req_db() and given
 * back by the dispatcher when the request ends.
 */
#ifndef ITAKU_REQ_H
#define ITAKU_REQ_H

#include <jansson.h>
#include <ulfius.h>
#include "app.h"
#include "http/auth.h"
#include "core/problem.h"
#include "http/router.h"

#define REQ_ID_MAX 128

struct req {
	struct app *app;
	const struct _u_request *u;
	struct _u_response *res;
	const struct route *route;
	struct route_match match;
	char request_id[REQ_ID_MAX + 1];
	struct principal who;       /* valid when route->perm != PERM_PUBLIC */
	json_t *body;               /* parsed JSON object for ROUTE_JSON_BODY routes */
	struct db_conn *db;         /* borrowed; see req_db() */
	struct problem problem;
	int status;                 /* status of the response set so far */
	int replayed;               /* response came from an idempotency record */
	enum lang lang;             /* from Accept-Language: texts people read are rendered in it */
	/* Space-separated top-level members of the response that carry a
	 * secret shown once (see req_secret()); static string or NULL. */
	const char *secret_members;
};

/* Borrows the request's database connection. Returns NULL with a 503
 * problem on r when none is available. */
struct db_conn *req_db(struct req *r);

/* Path placeholder value (percent-decoded), or NULL. */
const char *req_param(const struct req *r, const char *name);
/* A path placeholder that must be a UUID; NULL with a 404 problem otherwise
 * (an id that cannot exist is simply not found). */
const char *req_param_uuid(struct req *r, const char *name, const char *what);
/* Query parameter, or NULL. */
const char *req_query(const struct req *r, const char *name);
/* Request header (case-insensitive), or NULL. */
const char *req_header(const struct req *r, const char *name);

/* Sets a JSON response; steals the reference to body. Returns 0. */
int req_json(struct req *r, int status, json_t *body);
/* Sets a JSON response from text that already is one JSON value (built by
 * PostgreSQL, say): sent as is, which spares parsing and re-encoding it.
 * The text is copied. Returns 0. */
int req_json_text(struct req *r, int status, const char *text);
/* Sets a raw response with the given content type. Returns 0. */
int req_raw(struct req *r, int status, const char *content_type, const char *body, size_t len);
/* Sets an empty response (204 and the like). Returns 0. */
int req_empty(struct req *r, int status);
/* Sets a streamed response: read() is called for each block after the
 * handler returns, then free_fn(cls). Returns 0. */
int req_stream(struct req *r, int status, const char *content_type,
	       ssize_t (*read)(void *cls, uint64_t offset, char *out, size_t max),
	       void (*free_fn)(void *cls), void *cls);
void req_set_header(struct req *r, const char *name, const char *value);
/* Declares that the response's top-level members (space-separated; a
 * static string) carry a secret shown once: an API key, a link token and
 * the path made from it, a signing secret. The handler that puts a secret
 * in a body calls this; the idempotency record then keeps the body without
 * those members, so a secret is never stored anywhere but as its hash. */
void req_secret(struct req *r, const char *members);

/* The one way a handler that opened a transaction ends, at its single
 * `out:` label after freeing its locals: `return req_end(r, ret, err);`.
 * With ret 0 the handler has committed and set its response; otherwise the
 * transaction is rolled back and, when no problem was set yet, err (a
 * db_err or pool_err, 0 for none) becomes one. Returns ret.
 *
 * Who owns the transaction: the handler's db_begin()/db_commit() pair,
 * except when Idempotency-Key wraps the handler (http/idempotency.h):
 * then the idempotency layer opened it, the handler's pair nests inside
 * and commits nothing, and the layer commits it together with the stored
 * answer; a rollback here ends it for both. */
int req_end(struct req *r, int ret, int err);

/* The one way a handler answers after its change: commits r->db's
 * transaction and only then sets the ETag ("<version>", none when version
 * is 0) and the response, so that a failed commit never leaves a success
 * answer behind. req_commit_json() steals body (NULL answers status with
 * no body, a 204); req_commit_text() copies text that already is JSON.
 * When the commit fails the body is freed and r->problem says why.
 * Return 0 or -1, for the handler's `ret`; req_end() then ends the rest. */
int req_commit(struct req *r, long version);
int req_commit_json(struct req *r, int status, json_t *body, long version);
int req_commit_text(struct req *r, int status, const char *text, long version);

/* Records a change made by the request's API key, on r->db inside the
 * handler's transaction (audit/trail.h). Returns 0 or a negative db_err. */
int req_audit(struct req *r, const char *action, const char *resource_type,
	      const char *resource_id, json_t *before, json_t *after);

/* Shorthand for problem_set(&r->problem, ...). Returns -1. */
int req_fail(struct req *r, int status, const char *slug, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Maps a db_err or pool_err to a problem (409, 422, 503, 500). Returns -1. */
int req_fail_db(struct req *r, int err);
/* 422 with the field errors collected in r->problem. Returns -1. */
int req_fail_invalid(struct req *r);

#endif

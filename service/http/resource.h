/*
 * resource.h - create/get/update/delete for a resource described by a table.
 *
 * Certifications, engagements and handovers share one shape: a document of
 * writable fields validated in C (merge() lays the request over the current
 * values and checks the result), written through jsonb_to_record() by a
 * parameterised statement, read back as JSON built by the database, with
 * ETag/If-Match, an audit event per change, and 404 for a parent or id
 * outside the caller's tenant. The insert and update statements name the
 * values they take, in $1, $2, ... order, in insert_args and update_args
 * (from "tenant", "parent", "id", "doc", "actor"), so a statement takes
 * only what it uses; the others follow the conventions listed with them.
 */
#ifndef ITAKU_RESOURCE_H
#define ITAKU_RESOURCE_H

#include <jansson.h>
#include "db/db.h"
#include "core/problem.h"

struct req;

struct resource {
	const char *type;          /* audit resource_type and problem wording, e.g. "certification" */
	const char *path;          /* Location prefix, e.g. "/v1/certifications/" */
	const char *parent;        /* parent noun for 404s, e.g. "vendor" */
	const char *const *fields; /* writable fields, NULL-terminated */
	/* Validates: lays patch over base (NULL = new) and returns the full
	 * document (caller decrefs) or NULL with errors on p. */
	json_t *(*merge)(struct problem *p, json_t *base, json_t *patch);
	/* insert_args (default "tenant parent doc actor")
	 *   -> id, version, json; no row when the parent does not exist */
	struct db_stmt *insert;
	const char *insert_args;
	/* $1 tenant, $2 id -> version, json; or json alone for a resource
	 * without a version (then no ETag) */
	struct db_stmt *get;
	/* $1 tenant, $2 id, $3 If-Match versions -> version, json, match; FOR UPDATE */
	struct db_stmt *lock;
	/* update_args (default "tenant id doc actor") -> id, version, json */
	struct db_stmt *update;
	const char *update_args;
	/* $1 tenant, $2 id */
	struct db_stmt *remove;
	/* Optional: what needs the database or the current row, after merge
	 * and inside the transaction (current is NULL on create, the locked
	 * row's JSON on update); may complete doc (a resolved reference, say).
	 * Returns 0, or -1 with a problem on r. */
	int (*check)(struct req *r, json_t *current, json_t *doc);
	/* Optional: the writable document of a row's JSON, when it is not
	 * simply its fields (default resource_doc()). */
	json_t *(*doc_of)(json_t *full);
};

int resource_create(struct req *r, const struct resource *rs, const char *parent_id);
int resource_get(struct req *r, const struct resource *rs);
int resource_update(struct req *r, const struct resource *rs);
/* 409 "in-use" when something still refers to the row. */
int resource_delete(struct req *r, const struct resource *rs);

/* Locks row id with rs->lock: 404 when missing, 412 when If-Match names
 * another version; otherwise 0 and *current (caller decrefs). Only
 * rs->type and rs->lock are used. */
int resource_lock(struct req *r, const struct resource *rs, const char *id, json_t **current);

/* Answers a keyset list. list takes $1 tenant, $2 parent id (or null),
 * then filters, then as its last three parameters the two cursor keys and
 * the limit; its rows follow page_respond_rows() with two keys. The caller
 * fills params[1..n-4] and has already validated its filters; this fills
 * the rest. With parent_id set, parent_exists ($1 tenant, $2 id) must find
 * the parent or the answer is 404 naming parent_noun. */
int resource_list(struct req *r, const char *parent_id, const char *parent_noun,
		  struct db_stmt *parent_exists, struct db_stmt *list, int n, const char **params);

/* The writable fields of a full JSON object (caller decrefs). */
json_t *resource_doc(const struct resource *rs, json_t *full);

#endif

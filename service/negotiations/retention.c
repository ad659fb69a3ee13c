/*
 * retention.c - see retention.h.
 */
#include "negotiations/retention.h"

#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "http/req.h"

int retention_delete(struct req *r, const struct retention_target *t)
{
	const char *id = req_param_uuid(r, "id", t->type);
	const char *params[2];
	char action[64];
	json_t *before = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, t->lock, 2, params, &res)))
		goto out;
	if (!PQntuples(res)) {
		req_fail(r, 404, "not-found", "no %s with this id", t->type);
		goto out;
	}
	if (!strcmp(PQgetvalue(res, 0, 2), "t")) {
		req_fail(r, 409, "retention-period",
			 "negotiation records are kept until %s (the tenant's retention period); they cannot be deleted before",
			 PQgetvalue(res, 0, 1));
		goto out;
	}
	if (!strcmp(PQgetvalue(res, 0, 3), "t")) {
		req_fail(r, 409, "in-use", "%s", t->in_use);
		goto out;
	}
	before = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	if ((err = db_exec(r->db, t->remove, 2, params, NULL)))
		goto out;
	snprintf(action, sizeof(action), "%s.deleted", t->type);
	if ((err = req_audit(r, action, t->type, id, before, NULL)))
		goto out;
	ret = req_commit_json(r, 204, NULL, 0);
out:
	json_decref(before);
	PQclear(res);
	return req_end(r, ret, err);
}

/*
 * findings_vendor.c - findings as the vendor sees and answers them through
 * its respondent link (the functions respond_findings.c calls).
 */
#include "assessments/findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/trail.h"
#include "http/req.h"
#include "json/valid.h"

static struct db_stmt vendor_list_stmt = DB_STMT(
	"select coalesce(json_agg(finding_vendor_json(f) order by f.created_at, f.id), '[]')::text"
	"  from findings f where f.tenant_id = $1 and f.assessment_id = any(finding_scope($1, $2))");
static struct db_stmt vendor_lock_stmt = DB_STMT(
	"select f.status, finding_json(f)::text from findings f"
	" where f.tenant_id = $1 and f.id = $3 and f.assessment_id = any(finding_scope($1, $2)) for update");
/* $1 tenant, $2 finding, $3 response, $4 actor */
static struct db_stmt vendor_respond_stmt = DB_STMT(
	"update findings f set vendor_response = $3::jsonb || jsonb_build_object('at', now(), 'by', $4::text),"
	"       version = version + 1, updated_at = now(), updated_by = $4"
	" where f.tenant_id = $1 and f.id = $2"
	" returning finding_json(f)::text, finding_vendor_json(f)::text");

int findings_for_vendor(struct db_conn *db, const char *tenant, const char *assessment_id, json_t **out)
{
	const char *params[2] = { tenant, assessment_id };
	PGresult *res = NULL;
	int err;

	*out = NULL;
	if ((err = db_exec(db, &vendor_list_stmt, 2, params, &res)))
		return err;
	*out = json_pack("{s:o}", "items", json_loads(PQgetvalue(res, 0, 0), 0, NULL));
	PQclear(res);
	return 0;
}

/* A database failure as req_fail_db() words it, for callers without a request. */
static int fail_db(struct problem *p, int err)
{
	switch (err) {
	case DB_EUNAVAILABLE:
	case DB_ETIMEOUT:
		problem_set(p, 503, "database-unavailable", NULL, "the database is unavailable; retry shortly");
		p->retry_after = 2;
		return -1;
	case DB_ESERIAL:
		return problem_set(p, 409, "conflict", NULL, "a concurrent change conflicted with this request; retry it");
	default:
		return problem_set(p, 500, "internal", NULL,
				   "an unexpected error occurred; it has been logged with the request id");
	}
}

/* The response as stored: the checked members only. NULL with errors on p. */
static json_t *check_response(struct problem *p, json_t *response)
{
	static const char *const members[] = { "plan", "progress", "evidence_refs", NULL };
	size_t before = problem_error_count(p);
	json_t *doc = json_object(), *refs;
	const char *plan, *progress;

	if (!json_is_object(response)) {
		problem_add_pointer(p, "", "must be an object with plan, progress and evidence_refs");
		json_decref(doc);
		return NULL;
	}
	jv_only(p, response, members);
	plan = jv_string(p, response, "plan", JV_OPTIONAL, 1, 4000);
	progress = jv_string(p, response, "progress", JV_OPTIONAL, 1, 4000);
	refs = jv_strings(p, response, "evidence_refs", 20, 1, 500, NULL);
	if (!plan && !progress && !json_object_get(response, "plan") && !json_object_get(response, "progress"))
		problem_add_pointer(p, "/plan", "is required unless progress is given: say what you will do or have done");
	if (problem_error_count(p) > before) {
		json_decref(doc);
		return NULL;
	}
	jv_keep(doc, response, "plan");
	jv_keep(doc, response, "progress");
	json_object_set_new(doc, "evidence_refs", refs ? json_incref(refs) : json_array());
	return doc;
}

int findings_vendor_respond(struct db_conn *db, const char *tenant, const char *assessment_id,
			    const char *finding_id, json_t *response, const char *actor,
			    struct problem *p, json_t **out)
{
	const char *params[4] = { tenant, assessment_id, finding_id, NULL };
	json_t *doc = NULL, *before = NULL, *after = NULL;
	PGresult *res = NULL;
	char *text = NULL;
	int err, ret = -1;

	*out = NULL;
	if (!(doc = check_response(p, response))) {
		problem_set(p, 422, "validation-failed", NULL, "the request body has invalid fields; see errors");
		goto out;
	}
	if ((err = db_exec(db, &vendor_lock_stmt, 3, params, &res))) {
		fail_db(p, err);
		goto out;
	}
	if (!PQntuples(res)) {
		problem_set(p, 404, "not-found", NULL, "no %s with this id", "finding");
		goto out;
	}
	if (findings_closed(PQgetvalue(res, 0, 0))) {
		problem_set(p, 409, "invalid-transition", NULL,
			    "the finding is %s; it takes no more answers", PQgetvalue(res, 0, 0));
		goto out;
	}
	before = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	PQclear(res);
	res = NULL;
	params[1] = finding_id;
	params[2] = text = json_dumps(doc, JSON_COMPACT);
	params[3] = actor;
	if ((err = db_exec(db, &vendor_respond_stmt, 4, params, &res))) {
		fail_db(p, err);
		goto out;
	}
	after = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	if ((err = audit_record_as(db, tenant, NULL, actor, NULL, "finding.vendor_responded", "finding",
				   finding_id, before, after))) {
		fail_db(p, err);
		goto out;
	}
	*out = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	ret = 0;
out:
	json_decref(doc);
	json_decref(before);
	json_decref(after);
	free(text);
	PQclear(res);
	return ret;
}

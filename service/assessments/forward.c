/*
 * forward.c - an assessment forwarded down the subcontractor chain.
 */
#include "assessments/forward.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assessments/assessments.h"
#include "http/page.h"
#include "http/req.h"
#include "json/valid.h"

/* What forwarding needs checked, in one round trip: $1 tenant, $2 the
 * parent assessment (locked by the caller), $3 the link; the contact is
 * the subcontractor's (vendor_respondent()). */
static struct db_stmt resolve_stmt = DB_STMT(
	"select s.id is not null, s.engagement_id = a.engagement_id, s.status, s.depth,"
	"       e.subcontract_max_depth, s.vendor_id,"
	"       (select vendor_respondent(v.contacts) from vendors v"
	"         where v.tenant_id = $1 and v.id = s.vendor_id)::text"
	"  from assessments a"
	"  left join subcontracts s on s.tenant_id = $1 and s.id = $3"
	"  left join engagements e on e.tenant_id = $1 and e.id = a.engagement_id"
	" where a.tenant_id = $1 and a.id = $2");
enum { F_FOUND, F_SAME_ENGAGEMENT, F_STATUS, F_DEPTH, F_MAX_DEPTH, F_VENDOR, F_CONTACT };

/* $1 tenant, $2 parent, $3 link, $4 vendor, $5 due, $6 respondent,
 * $7 sections, $8 title, $9 message, $10 actor */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into assessments as c (tenant_id, vendor_id, engagement_id, subcontract_id, template_id,"
	"       template_number, title, due_on, message, respondent, owner, parent_assessment_id,"
	"       forward_sections, created_by, updated_by)"
	" select $1, $4, p.engagement_id, $3, p.template_id, p.template_number, coalesce($8, p.title),"
	"        $5::date, $9, $6::jsonb, p.owner, p.id,"
	"        $7::text[], $10, $10"
	"   from assessments p where p.tenant_id = $1 and p.id = $2"
	" returning c.id, c.version, assessment_json(c)::text");

json_t *forward_exclusions(json_t *content, json_t *sections)
{
	json_t *out = json_object(), *s, *q, *c;
	size_t i, j, k;

	if (!json_is_array(sections))
		return out;
	json_array_foreach(json_object_get(content, "sections"), i, s) {
		int named = 0;

		json_array_foreach(sections, k, c)
			named |= json_equal(c, json_object_get(s, "code"));
		if (named)
			continue;
		json_array_foreach(json_object_get(s, "questions"), j, q)
			json_object_set_new(out, json_string_value(json_object_get(q, "code")),
					    json_pack("{s:s, s:s}", "reason", "not_forwarded", "level", "section"));
	}
	return out;
}

/* Every code of sections is a section of content. */
static void check_sections(struct problem *p, json_t *content, json_t *sections)
{
	json_t *c, *s;
	size_t i, j;

	json_array_foreach(sections, i, c) {
		int known = 0;

		json_array_foreach(json_object_get(content, "sections"), j, s)
			known |= json_equal(c, json_object_get(s, "code"));
		if (!known) {
			char ptr[32];

			snprintf(ptr, sizeof(ptr), "/sections/%zu", i);
			problem_add_pointer(p, ptr, "names no section of this questionnaire");
		}
	}
}

/* The link checks: 422 naming what is wrong with it. Returns 0 or -1. */
static int check_link(struct req *r, PGresult *res)
{
#define T(col) (!strcmp(PQgetvalue(res, 0, (col)), "t"))
	if (!T(F_FOUND))
		problem_add_pointer(&r->problem, "/subcontract_id", "names no subcontract link of this tenant");
	else if (!T(F_SAME_ENGAGEMENT))
		problem_add_pointer(&r->problem, "/subcontract_id",
				    "is a link of another engagement: forward within this assessment's chain");
	else if (strcmp(PQgetvalue(res, 0, F_STATUS), "approved"))
		problem_add_pointer(&r->problem, "/subcontract_id", "is %s; only an approved link is forwarded to",
				    PQgetvalue(res, 0, F_STATUS));
	else if (atoi(PQgetvalue(res, 0, F_DEPTH)) > atoi(PQgetvalue(res, 0, F_MAX_DEPTH)))
		problem_add_pointer(&r->problem, "/subcontract_id", "lies beyond the depth the engagement allows");
#undef T
	return problem_error_count(&r->problem) ? -1 : 0;
}

/* What a forward is asked for; strings and objects borrowed. */
struct forward_spec {
	const char *link, *due, *title, *message;
	json_t *sections, *respondent;
};

/* A PostgreSQL array literal of section codes (ours: [A-Z0-9_.-], nothing
 * to quote), or NULL for none; caller frees. */
static char *codes_literal(json_t *codes)
{
	json_t *c;
	size_t i, n = 3;
	char *list;

	if (!json_is_array(codes))
		return NULL;
	json_array_foreach(codes, i, c)
		n += strlen(json_string_value(c)) + 1;
	if (!(list = calloc(1, n)))
		return NULL;
	strcat(list, "{");
	json_array_foreach(codes, i, c) {
		if (i)
			strcat(list, ",");
		strcat(list, json_string_value(c));
	}
	strcat(list, "}");
	return list;
}

/* Creates the child of the locked parent assessment current, inside the
 * caller's transaction, audited; *child gets its JSON (caller decrefs).
 * Returns 0, or -1 with 409/422 (or a database problem) on r. */
static int make_child(struct req *r, json_t *current, const struct forward_spec *f, json_t **child)
{
	const char *params[10] = { r->who.tenant_id, json_string_value(json_object_get(current, "id")), f->link };
	json_t *content = NULL;
	PGresult *res = NULL, *ins = NULL;
	char *who = NULL, *list = NULL;
	int err = 0, ret = -1;

	*child = NULL;
	if (assessments_require(r, current, "sent in_progress submitted in_review returned",
				"forwarded unless it is with the vendor or under review"))
		goto out;
	if (json_is_null(json_object_get(current, "engagement_id"))) {
		req_fail(r, 409, "invalid-transition",
			 "the assessment is for no engagement, so it has no chain to forward down");
		goto out;
	}
	if ((err = db_exec(r->db, &resolve_stmt, 3, params, &res)))
		goto out;
	if (check_link(r, res))
		goto invalid;
	if (f->sections) {
		if (assessments_content(r, current, &content))
			goto out;
		check_sections(&r->problem, content, f->sections);
	}
	if (!f->respondent && PQgetisnull(res, 0, F_CONTACT))
		problem_add_pointer(&r->problem, "/respondent",
				    "is required: the subcontractor has no contact with an e-mail address");
	if (problem_error_count(&r->problem))
		goto invalid;
	who = f->respondent ? json_dumps(f->respondent, JSON_COMPACT) : strdup(PQgetvalue(res, 0, F_CONTACT));
	list = codes_literal(f->sections);
	params[3] = PQgetvalue(res, 0, F_VENDOR);
	params[4] = f->due;
	params[5] = who;
	params[6] = list;
	params[7] = f->title;
	params[8] = f->message;
	params[9] = r->who.key_id;
	if ((err = db_exec(r->db, &insert_stmt, 10, params, &ins))) {
		/* the partial unique index: one open child per parent and link */
		if (err == DB_EUNIQUE) {
			req_fail(r, 409, "conflict",
				 "this assessment is already forwarded to that subcontractor and not yet completed");
			err = 0;
		}
		goto out;
	}
	*child = json_loads(PQgetvalue(ins, 0, 2), 0, NULL);
	if ((err = req_audit(r, "assessment.forwarded", "assessment", PQgetvalue(ins, 0, 0), current, *child)))
		goto out;
	ret = 0;
	goto out;
invalid:
	req_fail_invalid(r);
out:
	if (ret) {
		if (err)
			req_fail_db(r, err);
		json_decref(*child);
		*child = NULL;
	}
	json_decref(content);
	free(who);
	free(list);
	PQclear(res);
	PQclear(ins);
	return ret;
}

int forward_create(struct req *r)
{
	static const char *const members[] = { "subcontract_id", "due_on", "respondent", "sections", "title",
		"message", NULL };
	const char *id = req_param_uuid(r, "id", "assessment");
	struct forward_spec f = { 0 };
	json_t *current = NULL, *child = NULL;
	char location[96];
	int err = 0, ret = -1;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, members);
	f.link = jv_uuid(&r->problem, r->body, "subcontract_id", JV_REQUIRED);
	f.due = jv_date(&r->problem, r->body, "due_on", JV_REQUIRED);
	f.sections = jv_strings(&r->problem, r->body, "sections", 50, 1, 32, NULL);
	f.title = jv_string(&r->problem, r->body, "title", JV_OPTIONAL, 1, 200);
	f.message = jv_string(&r->problem, r->body, "message", JV_OPTIONAL, 1, 4000);
	f.respondent = assessments_read_respondent(&r->problem, r->body, JV_OPTIONAL);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || assessments_lock(r, id, &current) || make_child(r, current, &f, &child))
		goto out;
	snprintf(location, sizeof(location), "/v1/assessments/%s", json_string_value(json_object_get(child, "id")));
	req_set_header(r, "Location", location);
	ret = req_commit_json(r, 201, child, json_integer_value(json_object_get(child, "version")));
	child = NULL;
out:
	json_decref(current);
	json_decref(child);
	return req_end(r, ret, err);
}

/* ---- requests from the vendor (staff decide) -------------------------------- */

#define REQUEST_JSON "forward_request_json(q)::text"

static struct db_stmt request_lock_stmt = DB_STMT(
	"select q.assessment_id, q.subcontract_id, q.respondent::text, to_json(q.sections)::text, q.status, "
	REQUEST_JSON " from forward_requests q where q.tenant_id = $1 and q.id = $2 for update");
/* $1 tenant, $2 request, $3 status, $4 actor, $5 note, $6 child */
static struct db_stmt request_decide_stmt = DB_STMT(
	"update forward_requests q set status = $3, decided_by = $4, decided_at = now(), decision_note = $5,"
	"       child_assessment_id = $6"
	" where q.tenant_id = $1 and q.id = $2 returning " REQUEST_JSON);
static struct db_stmt request_list_stmt = DB_STMT(
	"select q.created_at::text, q.id::text, " REQUEST_JSON " from forward_requests q"
	" where q.tenant_id = $1 and q.assessment_id = $2"
	"   and ($3::timestamptz is null or (q.created_at, q.id) > ($3::timestamptz, $4::uuid))"
	" order by q.created_at, q.id limit $5");

static struct db_stmt assessment_exists_stmt = DB_STMT(
	"select 1 from assessments where tenant_id = $1 and id = $2");

int forward_requests_list(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "assessment");
	const char *params[5] = { r->who.tenant_id, id };
	PGresult *res = NULL;
	int err, found;

	if (!id || !req_db(r))
		return -1;
	/* 404 for an assessment of another tenant, as everywhere */
	if ((err = db_exec(r->db, &assessment_exists_stmt, 2, params, &res)))
		return req_fail_db(r, err);
	found = PQntuples(res) > 0;
	PQclear(res);
	if (!found)
		return req_fail(r, 404, "not-found", "no %s with this id", "assessment");
	return page_list(r, &request_list_stmt, 5, params, 2);
}

/* Locks request id: 404, or 409 when it was decided already. */
static int lock_request(struct req *r, const char *id, PGresult **res)
{
	const char *params[2] = { r->who.tenant_id, id };
	int err;

	if ((err = db_exec(r->db, &request_lock_stmt, 2, params, res)))
		return req_fail_db(r, err);
	if (PQntuples(*res) == 0)
		return req_fail(r, 404, "not-found", "no %s with this id", "forward_request");
	if (strcmp(PQgetvalue(*res, 0, 4), "requested"))
		return req_fail(r, 409, "invalid-transition", "the forwarding request is already %s",
				PQgetvalue(*res, 0, 4));
	return 0;
}

static int decide(struct req *r, const char *id, const char *status, const char *note, const char *child,
		  json_t *before)
{
	const char *params[6] = { r->who.tenant_id, id, status, r->who.key_id, note, child };
	PGresult *res = NULL;
	json_t *after;
	int err;

	if ((err = db_exec(r->db, &request_decide_stmt, 6, params, &res)))
		return req_fail_db(r, err);
	after = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if ((err = req_audit(r, !strcmp(status, "approved") ? "forward_request.approved" : "forward_request.rejected",
			     "forward_request", id, before, after))) {
		json_decref(after);
		return req_fail_db(r, err);
	}
	return req_commit_json(r, 200, after, 0);
}

int forward_requests_approve(struct req *r)
{
	static const char *const members[] = { "due_on", "respondent", "title", "message", NULL };
	const char *id = req_param_uuid(r, "id", "forward_request");
	struct forward_spec f = { 0 };
	json_t *current = NULL, *child = NULL, *asked = NULL, *sections = NULL, *before = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, members);
	f.due = jv_date(&r->problem, r->body, "due_on", JV_REQUIRED);
	f.title = jv_string(&r->problem, r->body, "title", JV_OPTIONAL, 1, 200);
	f.message = jv_string(&r->problem, r->body, "message", JV_OPTIONAL, 1, 4000);
	f.respondent = assessments_read_respondent(&r->problem, r->body, JV_OPTIONAL);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || lock_request(r, id, &res) ||
	    assessments_lock(r, PQgetvalue(res, 0, 0), &current))
		goto out;
	f.link = PQgetvalue(res, 0, 1);
	/* the staff's contact, else the one the vendor suggested, else the
	 * subcontractor's own */
	if (!f.respondent && !PQgetisnull(res, 0, 2))
		f.respondent = asked = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	f.sections = sections = json_loads(PQgetvalue(res, 0, 3), JSON_DECODE_ANY, NULL);
	before = json_loads(PQgetvalue(res, 0, 5), 0, NULL);
	if (make_child(r, current, &f, &child))
		goto out;
	ret = decide(r, id, "approved", NULL, json_string_value(json_object_get(child, "id")), before);
out:
	json_decref(current);
	json_decref(child);
	json_decref(asked);
	json_decref(sections);
	json_decref(before);
	PQclear(res);
	return req_end(r, ret, err);
}

int forward_requests_reject(struct req *r)
{
	static const char *const members[] = { "note", NULL };
	const char *id = req_param_uuid(r, "id", "forward_request"), *note;
	json_t *before = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, members);
	note = jv_string(&r->problem, r->body, "note", JV_REQUIRED, 1, 2000);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || lock_request(r, id, &res))
		goto out;
	before = json_loads(PQgetvalue(res, 0, 5), 0, NULL);
	ret = decide(r, id, "rejected", note, NULL, before);
out:
	json_decref(before);
	PQclear(res);
	return req_end(r, ret, err);
}

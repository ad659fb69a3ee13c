/*
 * respond_forward.c - the vendor asks, through its link, to forward the
 * questionnaire to one of its own subcontractors (staff decide: forward.h).
 */
#include "assessments/respond.h"

#include <stdlib.h>
#include <string.h>
#include "assessments/assessments.h"
#include "audit/trail.h"
#include "http/req.h"
#include "json/valid.h"

/* $1 tenant, $2 assessment: the links below this vendor in the
 * assessment's engagement it may ask for, and its requests so far. */
static struct db_stmt view_stmt = DB_STMT(
	"select json_build_object("
	"  'links', coalesce((select json_agg(json_build_object('subcontract_id', s.id, 'vendor_name', v.name,"
	"                                                       'scope', s.scope, 'depth', s.depth)"
	"                                     order by s.depth, v.name, s.id)"
	"                       from subcontracts s join vendors v on v.tenant_id = s.tenant_id and v.id = s.vendor_id"
	"                      where s.tenant_id = a.tenant_id and s.engagement_id = a.engagement_id"
	"                        and s.parent_vendor_id = a.vendor_id and s.status = 'approved'), '[]'),"
	"  'requests', coalesce((select json_agg(forward_request_vendor_json(q) order by q.created_at, q.id)"
	"                          from forward_requests q"
	"                         where q.tenant_id = a.tenant_id and q.assessment_id = a.id), '[]'))::text"
	"  from assessments a where a.tenant_id = $1 and a.id = $2");
/* $1 tenant, $2 assessment, $3 link: whether the vendor may ask for it */
static struct db_stmt link_stmt = DB_STMT(
	"select s.status = 'approved' and s.engagement_id = a.engagement_id and s.parent_vendor_id = a.vendor_id"
	"  from assessments a join subcontracts s on s.tenant_id = a.tenant_id and s.id = $3"
	" where a.tenant_id = $1 and a.id = $2");
/* $1 tenant, $2 assessment, $3 link, $4 respondent, $5 sections, $6 note, $7 actor */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into forward_requests as q (tenant_id, assessment_id, subcontract_id, respondent, sections, note,"
	"       requested_by)"
	" values ($1, $2, $3, $4::jsonb, array(select jsonb_array_elements_text($5::jsonb)), $6, $7)"
	" on conflict (tenant_id, assessment_id, subcontract_id) where status = 'requested' do nothing"
	" returning q.id, forward_request_json(q)::text, forward_request_vendor_json(q)::text");

int respond_forwarding_get(struct req *r)
{
	struct respondent who;
	struct sheet s;
	const char *params[2];
	PGresult *res = NULL;
	int err;

	if (!req_db(r) || respond_open(r, &who, 0, &s))
		return -1;
	respond_sheet_free(&s);
	params[0] = who.tenant_id;
	params[1] = who.assessment_id;
	if ((err = db_exec(r->db, &view_stmt, 2, params, &res)))
		return req_fail_db(r, err);
	err = req_json_text(r, 200, PQgetvalue(res, 0, 0));
	PQclear(res);
	return err;
}

int respond_forwarding_request(struct req *r)
{
	static const char *const members[] = { "subcontract_id", "respondent", "sections", "note", NULL };
	struct respondent who;
	struct sheet s = { 0 };
	const char *link, *note, *params[7];
	json_t *sections, *respondent, *after = NULL, *mine = NULL;
	char *text_who = NULL, *text_sections = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	jv_only(&r->problem, r->body, members);
	link = jv_uuid(&r->problem, r->body, "subcontract_id", JV_REQUIRED);
	sections = jv_strings(&r->problem, r->body, "sections", 50, 1, 32, NULL);
	note = jv_string(&r->problem, r->body, "note", JV_OPTIONAL, 1, 2000);
	respondent = assessments_read_respondent(&r->problem, r->body, JV_OPTIONAL);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r) || respond_open(r, &who, 1, &s))
		goto out;
	/* a closed assessment takes no more requests */
	if (assessments_require(r, s.a, "sent in_progress submitted in_review returned",
				"forwarded unless it is with the vendor or under review"))
		goto out;
	params[0] = who.tenant_id;
	params[1] = who.assessment_id;
	params[2] = link;
	if ((err = db_exec(r->db, &link_stmt, 3, params, &res)))
		goto out;
	if (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 0), "t")) {
		problem_add_pointer(&r->problem, "/subcontract_id",
				    "is not an approved subcontract of yours in this engagement");
		req_fail_invalid(r);
		goto out;
	}
	PQclear(res);
	res = NULL;
	params[3] = text_who = respondent ? json_dumps(respondent, JSON_COMPACT) : NULL;
	params[4] = text_sections = sections ? json_dumps(sections, JSON_COMPACT) : NULL;
	params[5] = note;
	params[6] = who.actor;
	if ((err = db_exec(r->db, &insert_stmt, 7, params, &res)))
		goto out;
	if (PQntuples(res) == 0) {
		req_fail(r, 409, "invalid-transition", "a request to forward to this subcontractor is already waiting");
		goto out;
	}
	after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	mine = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	if ((err = audit_record_as(r->db, who.tenant_id, NULL, who.actor, r->request_id, "forward_request.created",
				   "forward_request", PQgetvalue(res, 0, 0), NULL, after)))
		goto out;
	ret = req_commit_json(r, 201, mine, 0);
	mine = NULL;
out:
	respond_sheet_free(&s);
	json_decref(after);
	json_decref(mine);
	free(text_who);
	free(text_sections);
	PQclear(res);
	return req_end(r, ret, err);
}

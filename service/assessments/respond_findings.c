/*
 * respond_findings.c - the vendor's findings through its respondent link:
 * what it must fix, and its plan and progress for each.
 */
#include "assessments/respond.h"

#include "assessments/findings.h"
#include "http/req.h"

int respond_findings_list(struct req *r)
{
	struct respondent who;
	struct sheet s = { 0 };
	json_t *out = NULL;
	int err;

	if (!req_db(r) || respond_open(r, &who, 0, &s))
		return -1;
	respond_sheet_free(&s);
	if ((err = findings_for_vendor(r->db, who.tenant_id, who.assessment_id, &out)))
		return req_fail_db(r, err);
	return req_json(r, 200, out);
}

int respond_findings_answer(struct req *r)
{
	const char *finding = req_param_uuid(r, "finding_id", "finding");
	struct respondent who;
	struct sheet s = { 0 };
	json_t *out = NULL;
	int err = 0, ret = -1;

	if (!finding || !req_db(r))
		return -1;
	/* with lock, respond_open() begins the transaction after the link's
	 * budget is spent (outside it, so a refused request still counts) */
	if (respond_open(r, &who, 1, &s))
		goto out;
	if (findings_vendor_respond(r->db, who.tenant_id, who.assessment_id, finding, r->body, who.actor,
				    &r->problem, &out))
		goto out;
	ret = req_commit_json(r, 200, out, 0);
	out = NULL;
out:
	respond_sheet_free(&s);
	json_decref(out);
	return req_end(r, ret, err);
}

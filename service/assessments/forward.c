/*
 * forward.c - an assessment forwarded down the subcontractor chain.
 */
#include "assessments/forward.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assessments/assessments.h"
#include "http/req.h"
#include "json/valid.h"

/* What forwarding needs checked, in one round trip: $1 tenant, $2 the
 * parent assessment (locked by the caller), $3 the link. The contact is
 * the subcontractor's security officer, else its incident contact, else
 * anyone with an e-mail. */
static struct db_stmt resolve_stmt = DB_STMT(
	"select s.id is not null, s.engagement_id = a.engagement_id, s.status, s.depth,"
	"       e.subcontract_max_depth, s.vendor_id,"
	"       (select jsonb_build_object('name', c ->> 'name', 'email', c ->> 'email', 'language', 'ja')"
	"               || case when c ? 'department' then jsonb_build_object('department', c ->> 'department')"
	"                       else '{}' end"
	"          from vendors v, jsonb_array_elements(v.contacts) c"
	"         where v.tenant_id = $1 and v.id = s.vendor_id and coalesce(c ->> 'email', '') <> ''"
	"         order by array_position(array['security_officer', 'incident_contact'], c ->> 'role')"
	"         limit 1)::text"
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

int forward_create(struct req *r)
{
	static const char *const members[] = { "subcontract_id", "due_on", "respondent", "sections", "title",
		"message", NULL };
	const char *id = req_param_uuid(r, "id", "assessment"), *link, *due;
	json_t *current = NULL, *content = NULL, *sections, *respondent, *out = NULL;
	char *who = NULL, *list = NULL;
	const char *params[10];
	PGresult *res = NULL, *ins = NULL;
	int err = 0, ret = -1;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, members);
	link = jv_uuid(&r->problem, r->body, "subcontract_id", JV_REQUIRED);
	due = jv_date(&r->problem, r->body, "due_on", JV_REQUIRED);
	sections = jv_strings(&r->problem, r->body, "sections", 50, 1, 32, NULL);
	jv_string(&r->problem, r->body, "title", JV_OPTIONAL, 1, 200);
	jv_string(&r->problem, r->body, "message", JV_OPTIONAL, 1, 4000);
	respondent = jv_object(&r->problem, r->body, "respondent");
	if (respondent) {
		static const char *const who_members[] = { "name", "email", "department", "language", NULL };
		static const char *const languages[] = { "ja", "en", NULL };
		size_t from = problem_error_count(&r->problem);

		jv_only(&r->problem, respondent, who_members);
		jv_enum(&r->problem, respondent, "language", JV_OPTIONAL, languages);
		jv_string(&r->problem, respondent, "name", JV_REQUIRED, 1, 200);
		jv_string(&r->problem, respondent, "email", JV_REQUIRED, 3, 254);
		jv_string(&r->problem, respondent, "department", JV_OPTIONAL, 1, 200);
		jv_rebase(&r->problem, from, "/respondent");
	}
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || assessments_lock(r, id, &current))
		goto out;
	if (!strcmp(json_string_value(json_object_get(current, "status")), "draft") ||
	    !strcmp(json_string_value(json_object_get(current, "status")), "cancelled")) {
		req_fail(r, 409, "invalid-transition", "the assessment is %s; it cannot be %s",
			 json_string_value(json_object_get(current, "status")), "forwarded until it is sent");
		goto out;
	}
	if (json_is_null(json_object_get(current, "engagement_id"))) {
		req_fail(r, 409, "invalid-transition",
			 "the assessment is for no engagement, so it has no chain to forward down");
		goto out;
	}
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = link;
	if ((err = db_exec(r->db, &resolve_stmt, 3, params, &res)))
		goto out;
	if (check_link(r, res)) {
		req_fail_invalid(r);
		goto out;
	}
	if (sections) {
		if (assessments_content(r, current, &content))
			goto out;
		check_sections(&r->problem, content, sections);
	}
	if (!respondent && PQgetisnull(res, 0, F_CONTACT))
		problem_add_pointer(&r->problem, "/respondent",
				    "is required: the subcontractor has no contact with an e-mail address");
	if (problem_error_count(&r->problem)) {
		req_fail_invalid(r);
		goto out;
	}
	if (respondent && !json_object_get(respondent, "language"))
		json_object_set_new(respondent, "language", json_string("ja"));
	who = respondent ? json_dumps(respondent, JSON_COMPACT) : strdup(PQgetvalue(res, 0, F_CONTACT));
	if (sections) {
		/* a PostgreSQL array literal of our own codes ([A-Z0-9_.-]: nothing to quote) */
		json_t *c;
		size_t i, n = 2;

		json_array_foreach(sections, i, c)
			n += strlen(json_string_value(c)) + 1;
		list = calloc(1, n + 1);
		strcat(list, "{");
		json_array_foreach(sections, i, c) {
			if (i)
				strcat(list, ",");
			strcat(list, json_string_value(c));
		}
		strcat(list, "}");
	}
	params[3] = PQgetvalue(res, 0, F_VENDOR);
	params[4] = due;
	params[5] = who;
	params[6] = list;
	params[7] = json_string_value(json_object_get(r->body, "title"));
	params[8] = json_string_value(json_object_get(r->body, "message"));
	params[9] = r->who.key_id;
	if ((err = db_exec(r->db, &insert_stmt, 10, params, &ins)))
		goto out;
	out = json_loads(PQgetvalue(ins, 0, 2), 0, NULL);
	if ((err = req_audit(r, "assessment.forwarded", "assessment", PQgetvalue(ins, 0, 0), current, out)))
		goto out;
	{
		char location[96];

		snprintf(location, sizeof(location), "/v1/assessments/%s", PQgetvalue(ins, 0, 0));
		req_set_header(r, "Location", location);
	}
	ret = req_commit_json(r, 201, out, atol(PQgetvalue(ins, 0, 1)));
	out = NULL;
out:
	json_decref(current);
	json_decref(content);
	json_decref(out);
	free(who);
	free(list);
	PQclear(res);
	PQclear(ins);
	return req_end(r, ret, err);
}

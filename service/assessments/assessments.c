/*
 * assessments.c - creating, reading, changing, sending and cancelling.
 */
#include "assessments/assessments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "assessments/forward.h"
#include "assessments/recheck.h"
#include "http/etag.h"
#include "http/page.h"
#include "http/query.h"
#include "http/scope.h"
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"
#include "questionnaires/applicability.h"
#include "questionnaires/content.h"

static const char *const fields[] = { "vendor_id", "engagement_id", "subcontract_id", "template_id",
	"template_number", "title", "due_on", "message", "respondent", "owner", NULL };
static const char *const statuses[] = { "draft", "sent", "in_progress", "submitted", "in_review",
	"returned", "completed", "cancelled", NULL };
static const char *const languages[] = { "ja", "en", NULL };

#define JSON_OUT "assessment_json(a)::text"

static struct db_stmt get_stmt = DB_STMT(
	"select version, " JSON_OUT " from assessments a where tenant_id = $1 and id = $2");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, " JSON_OUT ", $3::int[] is null or version = any($3::int[])"
	"  from assessments a where tenant_id = $1 and id = $2 for update");


/* Everything the references of a draft need checked, in one round trip:
 * $1 tenant, $2 vendor, $3 engagement, $4 subcontract, $5 template, $6 number. */
static struct db_stmt resolve_stmt = DB_STMT(
	"select exists (select 1 from vendors v where v.tenant_id = $1 and v.id = $2),"
	"       s.id is not null, s.vendor_id = $2, s.engagement_id,"
	"       e.id is not null, e.vendor_id = $2, coalesce($3::uuid, s.engagement_id),"
	"       t.id is not null, t.archived_at is null, q.number, q.status = 'published'"
	"  from (select 1) one"
	"  left join subcontracts s on s.tenant_id = $1 and s.id = $4"
	"  left join engagements e on e.tenant_id = $1 and e.id = coalesce($3::uuid, s.engagement_id)"
	"  left join questionnaire_templates t on t.tenant_id = $1 and t.id = $5"
	"  left join lateral (select v.number, v.status from questionnaire_versions v"
	"                      where v.tenant_id = $1 and v.template_id = $5"
	"                        and (v.number = $6::int or $6::int is null and v.status = 'published')"
	"                      order by v.number desc limit 1) q on true");
enum { R_VENDOR, R_SUB_FOUND, R_SUB_VENDOR, R_SUB_ENGAGEMENT, R_ENG_FOUND, R_ENG_VENDOR, R_ENGAGEMENT,
       R_TPL_FOUND, R_TPL_ACTIVE, R_NUMBER, R_PUBLISHED };

/* $1 tenant, $2 doc (checked and resolved), $3 actor */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into assessments as a (tenant_id, vendor_id, engagement_id, subcontract_id, template_id,"
	"       template_number, title, due_on, message, respondent, owner, created_by, updated_by)"
	" select $1, (d ->> 'vendor_id')::uuid, (d ->> 'engagement_id')::uuid, (d ->> 'subcontract_id')::uuid,"
	"        (d ->> 'template_id')::uuid, (d ->> 'template_number')::int, d ->> 'title',"
	"        (d ->> 'due_on')::date, d ->> 'message', d -> 'respondent', d ->> 'owner', $3, $3"
	"   from (select $2::jsonb d) x"
	" returning id, version, " JSON_OUT);
/* $1 tenant, $2 id, $3 doc, $4 actor */
static struct db_stmt update_stmt = DB_STMT(
	"update assessments a set vendor_id = (d ->> 'vendor_id')::uuid, engagement_id = (d ->> 'engagement_id')::uuid,"
	"       subcontract_id = (d ->> 'subcontract_id')::uuid, template_id = (d ->> 'template_id')::uuid,"
	"       template_number = (d ->> 'template_number')::int, title = d ->> 'title',"
	"       due_on = (d ->> 'due_on')::date, message = d ->> 'message', respondent = d -> 'respondent',"
	"       owner = d ->> 'owner', version = version + 1, updated_at = now(), updated_by = $4"
	"  from (select $3::jsonb d) x"
	" where a.tenant_id = $1 and a.id = $2"
	" returning a.id, a.version, " JSON_OUT);
/* $1 tenant, $2 id, $3 status, $4 extra columns, $5 actor */
static struct db_stmt move_stmt = DB_STMT(
	"update assessments a set status = $3,"
	"       sent_at = case when $3 = 'sent' then now() else sent_at end,"
	"       submitted_at = case when $3 = 'submitted' then now() else submitted_at end,"
	"       completed_at = case when $3 = 'completed' then now() else completed_at end,"
	"       cancelled_at = case when $3 = 'cancelled' then now() else cancelled_at end,"
	"       decided_by = case when $3 = 'completed' then $5 else decided_by end,"
	"       excluded = coalesce(x.d -> 'excluded', excluded),"
	"       reviews = coalesce(x.d -> 'reviews', reviews),"
	"       returned_items = case when x.d ? 'returned_items'"
	"                        then array(select jsonb_array_elements_text(x.d -> 'returned_items'))"
	"                        else returned_items end,"
	"       score = coalesce(x.d -> 'score', score),"
	"       computed_verdict = coalesce(x.d ->> 'computed_verdict', computed_verdict),"
	"       verdict = coalesce(x.d ->> 'verdict', verdict),"
	"       verdict_reason = coalesce(x.d ->> 'verdict_reason', verdict_reason),"
	"       due_on = coalesce((x.d ->> 'due_on')::date, due_on),"
	"       message = coalesce(x.d ->> 'message', message),"
	"       cancel_reason = coalesce(x.d ->> 'cancel_reason', cancel_reason),"
	"       version = version + 1, updated_at = now(), updated_by = $5"
	"  from (select coalesce($4::jsonb, '{}') d) x"
	" where a.tenant_id = $1 and a.id = $2"
	" returning a.version, " JSON_OUT);
static struct db_stmt content_stmt = DB_STMT(
	"select v.content::text from questionnaire_versions v"
	" where v.tenant_id = $1 and v.template_id = $2 and v.number = $3::int");
static struct db_stmt facts_stmt = DB_STMT(
	"select assessment_facts($1, $2, $3, $4, tokyo_today())::text, $5::date < tokyo_today()");
static struct db_stmt revoke_links_stmt = DB_STMT(
	"update assessment_links set revoked_at = now(), revoked_by = $3"
	" where tenant_id = $1 and assessment_id = $2 and revoked_at is null and superseded_at is null");
/* The list's parameters, named: $n is the enum's value + 1. */
enum list_arg {
	L_TENANT, L_VENDOR, L_STATUSES, L_TEMPLATE, L_ENGAGEMENT, L_OVERDUE, L_DUE_BEFORE, L_DUE_AFTER,
	L_VERDICTS, L_TIERS, L_OWNER, L_DEPTH, L_CAMPAIGN, L_DEPARTMENT, L_TAG, L_CATEGORY,
	L_COMPLETED_AFTER, L_AFTER_KEY, L_AFTER_ID, L_LIMIT, L_COUNT
};
static struct db_stmt list_stmt = DB_STMT(
	"select a.created_at::text, a.id::text, " JSON_OUT " from assessments a"
	"  join vendors v on v.tenant_id = a.tenant_id and v.id = a.vendor_id"
	"  left join subcontracts s on s.tenant_id = a.tenant_id and s.id = a.subcontract_id"
	" where a.tenant_id = $1 and ($2::uuid is null or a.vendor_id = $2)"
	"   and ($3::text[] is null or a.status = any($3::text[]))"
	"   and ($4::uuid is null or a.template_id = $4) and ($5::uuid is null or a.engagement_id = $5)"
	"   and ($6::boolean is null or (a.status in ('sent', 'in_progress', 'returned')"
	"                                and a.due_on < tokyo_today()) = $6)"
	"   and ($7::date is null or a.due_on < $7::date) and ($8::date is null or a.due_on >= $8::date)"
	"   and ($9::text[] is null or a.verdict = any($9::text[]))"
	"   and ($10::text[] is null or v.risk_tier = any($10::text[]))"
	"   and ($11::text is null or a.owner = $11)"
	"   and ($12::int is null or coalesce(s.depth, 0) = $12::int)"
	"   and ($13::uuid is null or a.campaign_id = $13)"
	"   and ($14::text is null or v.department = $14) and ($15::text is null or v.tags @> array[$15])"
	"   and ($16::text is null or exists (select 1 from engagements e"
	"        where e.tenant_id = a.tenant_id and e.vendor_id = a.vendor_id and e.category = $16))"
	"   and ($17::date is null or (a.completed_at at time zone 'Asia/Tokyo')::date >= $17::date)"
	"   and ($18::timestamptz is null or (a.created_at, a.id) > ($18::timestamptz, $19::uuid))"
	" order by a.created_at, a.id limit $20");

/* ---- the writable document ------------------------------------------------- */

json_t *assessments_read_respondent(struct problem *p, json_t *obj, int required)
{
	static const char *const members[] = { "name", "email", "department", "language", NULL };
	json_t *who = json_object_get(obj, "respondent");
	size_t from = problem_error_count(p);
	const char *email;

	if (!json_is_object(who)) {
		if (required)
			problem_add_pointer(p, "/respondent", "is required: the vendor's person who answers (name, email)");
		else if (who && !json_is_null(who))
			problem_add_pointer(p, "/respondent", "must be an object");
		return NULL;
	}
	jv_only(p, who, members);
	jv_string(p, who, "name", JV_REQUIRED, 1, 200);
	email = jv_string(p, who, "email", JV_REQUIRED, 3, 254);
	if (email && !jv_is_email(email))
		problem_add_pointer(p, "/email", "must be an e-mail address");
	jv_string(p, who, "department", JV_OPTIONAL, 1, 200);
	jv_enum(p, who, "language", JV_OPTIONAL, languages);
	if (!json_object_get(who, "language"))
		json_object_set_new(who, "language", json_string("ja"));
	jv_rebase(p, from, "/respondent");
	return problem_error_count(p) > from ? NULL : who;
}

/* Lays patch over base (NULL: new) and checks the fields; the
 * references are resolved by resolve(). Returns the document or NULL. */
static json_t *merge(struct problem *p, json_t *base, json_t *patch)
{
	json_t *doc = base ? json_deep_copy(base) : json_object(), *v;
	size_t before = problem_error_count(p);
	const char *key;
	long long n;

	jv_only(p, patch, fields);
	json_object_foreach(patch, key, v) {
		if (!strcmp(key, "respondent") && json_is_object(v))
			json_object_set_new(doc, key, json_deep_copy(v));
		else
			json_object_set(doc, key, v);
	}
	jv_uuid(p, doc, "vendor_id", JV_REQUIRED);
	jv_uuid(p, doc, "engagement_id", JV_OPTIONAL);
	jv_uuid(p, doc, "subcontract_id", JV_OPTIONAL);
	jv_uuid(p, doc, "template_id", JV_REQUIRED);
	jv_int(p, doc, "template_number", JV_OPTIONAL, 1, 10000, &n);
	jv_string(p, doc, "title", JV_OPTIONAL, 1, 200);
	jv_date(p, doc, "due_on", JV_REQUIRED);
	jv_string(p, doc, "message", JV_OPTIONAL, 1, 4000);
	jv_string(p, doc, "owner", JV_OPTIONAL, 1, 200);
	assessments_read_respondent(p, doc, JV_REQUIRED);
	if (problem_error_count(p) > before) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* Checks what doc refers to and writes the resolved engagement and
 * version number into it. Returns 0, or -1 with a problem on r. */
static int resolve(struct req *r, json_t *doc)
{
	const char *params[6] = { r->who.tenant_id, json_string_value(json_object_get(doc, "vendor_id")),
		json_string_value(json_object_get(doc, "engagement_id")),
		json_string_value(json_object_get(doc, "subcontract_id")),
		json_string_value(json_object_get(doc, "template_id")), NULL };
	struct problem *p = &r->problem;
	char number[16];
	PGresult *res = NULL;
	int err;

#define T(col) (!strcmp(PQgetvalue(res, 0, (col)), "t"))
	if (json_is_integer(json_object_get(doc, "template_number"))) {
		snprintf(number, sizeof(number), "%lld", (long long)json_integer_value(json_object_get(doc, "template_number")));
		params[5] = number;
	}
	if ((err = db_exec(r->db, &resolve_stmt, 6, params, &res)))
		return req_fail_db(r, err);
	if (!T(R_VENDOR))
		problem_add_pointer(p, "/vendor_id", "names no vendor of this tenant");
	if (params[3] && !T(R_SUB_FOUND))
		problem_add_pointer(p, "/subcontract_id", "names no subcontract link of this tenant");
	else if (params[3] && !T(R_SUB_VENDOR))
		problem_add_pointer(p, "/subcontract_id", "is a link of another vendor: the vendor asked must be the link's vendor");
	else if (params[3] && params[2] && strcasecmp(params[2], PQgetvalue(res, 0, R_SUB_ENGAGEMENT)))
		problem_add_pointer(p, "/engagement_id", "is not the engagement of the subcontract link");
	else if (params[2] && !T(R_ENG_FOUND))
		problem_add_pointer(p, "/engagement_id", "names no engagement of this tenant");
	else if (params[2] && !params[3] && !T(R_ENG_VENDOR))
		problem_add_pointer(p, "/engagement_id", "is another vendor's engagement; for a subcontractor name its subcontract_id");
	if (!T(R_TPL_FOUND))
		problem_add_pointer(p, "/template_id", "names no questionnaire template of this tenant");
	else if (!T(R_TPL_ACTIVE))
		problem_add_pointer(p, "/template_id", "is archived; restore it to send it");
	else if (PQgetisnull(res, 0, R_NUMBER))
	{
		if (params[5])
			problem_add_pointer(p, "/template_number", "names no version of this template");
		else
			problem_add_pointer(p, "/template_id", "has no published version yet");
	}
	else if (!T(R_PUBLISHED))
		problem_add_pointer(p, "/template_number", "is a draft; only a published version is sent");
	if (!problem_error_count(p)) {
		if (!PQgetisnull(res, 0, R_ENGAGEMENT))
			json_object_set_new(doc, "engagement_id", json_string(PQgetvalue(res, 0, R_ENGAGEMENT)));
		json_object_set_new(doc, "template_number", json_integer(atoi(PQgetvalue(res, 0, R_NUMBER))));
	}
#undef T
	PQclear(res);
	return problem_error_count(p) ? req_fail_invalid(r) : 0;
}

/* The writable fields of an assessment as the API shows it. */
static json_t *doc_of(json_t *full)
{
	json_t *doc = json_object(), *v;

	for (size_t i = 0; fields[i]; i++)
		if ((v = json_object_get(full, fields[i])) && !json_is_null(v))
			json_object_set(doc, fields[i], v);
	json_object_set(doc, "vendor_id", json_object_get(json_object_get(full, "vendor"), "id"));
	json_object_set(doc, "template_id", json_object_get(json_object_get(full, "template"), "id"));
	json_object_set(doc, "template_number", json_object_get(json_object_get(full, "template"), "number"));
	return doc;
}

int assessments_require(struct req *r, json_t *current, const char *allowed, const char *action)
{
	const char *status = json_string_value(json_object_get(current, "status"));
	size_t n = strlen(status);

	for (const char *s = allowed; (s = strstr(s, status)); s += n)
		if ((s == allowed || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
			return 0;
	return req_fail(r, 409, "invalid-transition", "the assessment is %s; it cannot be %s", status, action);
}

/* Only a draft changes, never its vendor; every reference is resolved. */
static int check(struct req *r, json_t *current, json_t *doc)
{
	if (current) {
		if (assessments_require(r, current, "draft", "changed (only a draft is)"))
			return -1;
		if (!json_equal(json_object_get(doc, "vendor_id"),
				json_object_get(json_object_get(current, "vendor"), "id"))) {
			problem_add_pointer(&r->problem, "/vendor_id",
					    "cannot change: create an assessment for the other vendor");
			return req_fail_invalid(r);
		}
	}
	return resolve(r, doc);
}

static const struct resource assessment = {
	.type = "assessment", .path = "/v1/assessments/", .parent = "tenant", .fields = fields,
	.merge = merge, .insert = &insert_stmt, .insert_args = "tenant doc actor",
	.get = &get_stmt, .lock = &lock_stmt, .update = &update_stmt, .update_args = "tenant id doc actor",
	.check = check, .doc_of = doc_of,
};

/* ---- handlers --------------------------------------------------------------- */

int assessments_create(struct req *r)
{
	return resource_create(r, &assessment, r->who.tenant_id);
}

int assessments_create_for_vendor(struct req *r)
{
	const char *vendor = req_param_uuid(r, "id", "vendor");

	if (!vendor)
		return -1;
	if (json_object_get(r->body, "vendor_id")) {
		problem_add_pointer(&r->problem, "/vendor_id", "is given by the path");
		return req_fail_invalid(r);
	}
	json_object_set_new(r->body, "vendor_id", json_string(vendor));
	return resource_create(r, &assessment, r->who.tenant_id);
}

int assessments_get(struct req *r)
{
	return resource_get(r, &assessment);
}

int assessments_lock(struct req *r, const char *id, json_t **current)
{
	return resource_lock(r, &assessment, id, current);
}

/* 409 unless the assessment is in one of the states (a space-separated
 * list), naming what it is. */

int assessments_update(struct req *r)
{
	return resource_update(r, &assessment);
}

int assessments_content(struct req *r, json_t *assessment_json, json_t **content)
{
	json_t *template = json_object_get(assessment_json, "template");
	char number[16];
	const char *params[3] = { r->who.tenant_id, json_string_value(json_object_get(template, "id")), number };
	PGresult *res = NULL;
	int err;

	snprintf(number, sizeof(number), "%lld", (long long)json_integer_value(json_object_get(template, "number")));
	if ((err = db_exec(r->db, &content_stmt, 3, params, &res)))
		return req_fail_db(r, err);
	*content = PQntuples(res) ? json_loads(PQgetvalue(res, 0, 0), 0, NULL) : NULL;
	PQclear(res);
	return *content ? 0 : req_fail(r, 500, "internal", "a stored questionnaire version could not be read");
}

int assessments_move(struct req *r, json_t *current, const char *status, json_t *extra, const char *action)
{
	const char *id = json_string_value(json_object_get(current, "id"));
	char *text = extra ? json_dumps(extra, JSON_COMPACT) : NULL;
	const char *params[5] = { r->who.tenant_id, id, status, text, r->who.key_id };
	PGresult *res = NULL;
	json_t *after = NULL;
	int err, ret = -1;

	if ((err = db_exec(r->db, &move_stmt, 5, params, &res))) {
		req_fail_db(r, err);
		goto out;
	}
	after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, action, "assessment", id, current, after))) {
		req_fail_db(r, err);
		goto out;
	}
	ret = req_commit_json(r, 200, after, atol(PQgetvalue(res, 0, 0)));
	after = NULL;
out:
	json_decref(after);
	free(text);
	PQclear(res);
	return ret;
}

json_t *assessments_exclusions(json_t *content, json_t *facts, json_t *self)
{
	json_t *excluded = applicability_resolve(content, facts), *more;

	/* a re-check asks only the questions it names, a forwarded child only
	 * the sections forwarded; applicability's own reasons win */
	more = recheck_exclusions(content, json_object_get(self, "recheck_codes"));
	json_object_update_missing(excluded, more);
	json_decref(more);
	more = forward_exclusions(content, json_object_get(self, "forward_sections"));
	json_object_update_missing(excluded, more);
	json_decref(more);
	if (json_object_size(excluded) == content_question_count(content)) {
		json_decref(excluded);
		return NULL;
	}
	return excluded;
}

int assessments_send(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "assessment");
	json_t *current = NULL, *content = NULL, *facts = NULL, *excluded = NULL, *extra = NULL;
	const char *params[5];
	PGresult *res = NULL;
	int err = 0, ret = -1, past;

	if (!id || !req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || assessments_lock(r, id, &current) ||
	    assessments_require(r, current, "draft", "sent (only a draft is)") || assessments_content(r, current, &content))
		goto out;
	params[0] = r->who.tenant_id;
	params[1] = json_string_value(json_object_get(json_object_get(current, "vendor"), "id"));
	params[2] = json_string_value(json_object_get(current, "engagement_id"));
	params[3] = json_string_value(json_object_get(current, "subcontract_id"));
	params[4] = json_string_value(json_object_get(current, "due_on"));
	if ((err = db_exec(r->db, &facts_stmt, 5, params, &res)))
		goto out;
	facts = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	past = !strcmp(PQgetvalue(res, 0, 1), "t");
	if (past) {
		req_fail(r, 409, "invalid-transition", "the due date %s has passed; change it before sending", params[4]);
		goto out;
	}
	if (!(excluded = assessments_exclusions(content, facts, current))) {
		req_fail(r, 409, "invalid-transition",
			 "no question of this sheet applies to this vendor and engagement; nothing would be asked");
		goto out;
	}
	extra = json_pack("{s:O}", "excluded", excluded);
	ret = assessments_move(r, current, "sent", extra, "assessment.sent");
out:
	json_decref(current);
	json_decref(content);
	json_decref(facts);
	json_decref(excluded);
	json_decref(extra);
	PQclear(res);
	return req_end(r, ret, err);
}

int assessments_cancel(struct req *r)
{
	static const char *const members[] = { "reason", NULL };
	const char *id = req_param_uuid(r, "id", "assessment"), *reason;
	const char *params[3] = { r->who.tenant_id, id, r->who.key_id };
	json_t *current = NULL, *extra = NULL;
	int err = 0, ret = -1;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, members);
	reason = jv_string(&r->problem, r->body, "reason", JV_REQUIRED, 1, 2000);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || assessments_lock(r, id, &current) ||
	    assessments_require(r, current, "draft sent in_progress submitted in_review returned",
			   "cancelled once it is closed"))
		goto out;
	if ((err = db_exec(r->db, &revoke_links_stmt, 3, params, NULL)))
		goto out;
	extra = json_pack("{s:s}", "cancel_reason", reason);
	ret = assessments_move(r, current, "cancelled", extra, "assessment.cancelled");
out:
	json_decref(current);
	json_decref(extra);
	return req_end(r, ret, err);
}

/* ---- lists ------------------------------------------------------------------ */

static int list(struct req *r, const char *vendor)
{
	static const char *const verdicts[] = { "no_issues", "watch", "action_required", NULL };
	char status[160], verdict[64];
	const char *params[L_COUNT] = { r->who.tenant_id, vendor };
	struct scope sc;
	char *owner;
	int overdue, ret;

	if (!vendor)
		params[L_VENDOR] = query_uuid(r, "vendor_id");
	query_enum_list(r, "status", statuses, status, sizeof(status));
	params[L_STATUSES] = status[0] ? status : NULL;
	params[L_TEMPLATE] = query_uuid(r, "template_id");
	params[L_ENGAGEMENT] = query_uuid(r, "engagement_id");
	overdue = query_bool(r, "overdue");
	params[L_OVERDUE] = overdue < 0 ? NULL : overdue ? "true" : "false";
	params[L_DUE_BEFORE] = query_date(r, "due_before");
	params[L_DUE_AFTER] = query_date(r, "due_after");
	query_enum_list(r, "verdict", verdicts, verdict, sizeof(verdict));
	params[L_VERDICTS] = verdict[0] ? verdict : NULL;
	/* The vendor scope (http/scope.h), the tiers where they were before
	 * it; its fourth slot is completed_after's, written next. */
	scope_parse(r, &sc, "vendor_tier");
	scope_params(&sc, params + L_DEPARTMENT);
	params[L_TIERS] = params[L_DEPARTMENT + 3];
	params[L_COMPLETED_AFTER] = query_date(r, "completed_after");
	params[L_OWNER] = owner = query_text(r, "owner", 600);
	params[L_DEPTH] = query_int(r, "depth", 0, 10);
	params[L_CAMPAIGN] = query_uuid(r, "campaign_id");
	if (query_fail(r)) {
		free(owner);
		scope_free(&sc);
		return -1;
	}
	ret = page_list(r, &list_stmt, L_COUNT, params, 2);
	free(owner);
	scope_free(&sc);
	return ret;
}

int assessments_list(struct req *r)
{
	return list(r, NULL);
}

static struct db_stmt vendor_exists_stmt = DB_STMT(
	"select 1 from vendors where tenant_id = $1 and id = $2");

int assessments_list_for_vendor(struct req *r)
{
	const char *vendor = req_param_uuid(r, "id", "vendor");
	const char *params[2] = { r->who.tenant_id, vendor };
	PGresult *res = NULL;
	int err, found;

	if (!vendor || !req_db(r))
		return -1;
	if ((err = db_exec(r->db, &vendor_exists_stmt, 2, params, &res)))
		return req_fail_db(r, err);
	found = PQntuples(res) > 0;
	PQclear(res);
	if (!found)
		return req_fail(r, 404, "not-found", "no vendor with this id");
	return list(r, vendor);
}

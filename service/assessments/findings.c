/*
 * findings.c - proposals, findings as a resource, their status, and the
 * vendor's view and answer (see findings.h).
 */
#include "assessments/findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/trail.h"
#include "http/query.h"
#include "http/scope.h"
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"
#include "questionnaires/answers.h"
#include "questionnaires/scoring.h"

const char *const finding_statuses[] = { "open", "in_progress", "resolved", "risk_accepted", NULL };
static const char *const severities[] = { "low", "medium", "high", "critical", NULL };
static const char *const fields[] = { "title", "detail", "severity", "owner", "due_on", NULL };
static const char *const create_fields[] = { "title", "detail", "severity", "owner", "due_on",
	"question_code", NULL };

/* The SQL of the finding as staff see it; with its history on a read. */
#define JSON_OUT "finding_json(f)::text"
#define JSON_FULL "(finding_json(f)::jsonb || jsonb_build_object('history'," \
	" finding_history_json(f.tenant_id, f.id)))::text"

static struct db_stmt get_stmt = DB_STMT(
	"select version, " JSON_FULL " from findings f where tenant_id = $1 and id = $2");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, " JSON_OUT ", $3::int[] is null or version = any($3::int[])"
	"  from findings f where tenant_id = $1 and id = $2 for update");
static const struct resource finding = { .type = "finding", .get = &get_stmt, .lock = &lock_stmt };

static struct db_stmt sheet_stmt = DB_STMT(
	"select json_build_object('status', a.status, 'vendor_id', a.vendor_id, 'recheck_of', a.recheck_of,"
	"       'recheck_codes', a.recheck_codes, 'content', v.content, 'answers', a.answers,"
	"       'excluded', a.excluded, 'reviews', a.reviews)::text"
	"  from assessments a join questionnaire_versions v on v.tenant_id = a.tenant_id"
	"       and v.template_id = a.template_id and v.number = a.template_number"
	" where a.tenant_id = $1 and a.id = $2");
/* $1 tenant, $2 assessment, $3 document, $4 actor; the trigger checks
 * the assessment's state and sets the vendor. */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into findings as f (tenant_id, assessment_id, vendor_id, question_code, title, detail,"
	"       severity, owner, due_on, created_by, updated_by)"
	" select $1, a.id, a.vendor_id, d ->> 'question_code', d ->> 'title', d ->> 'detail',"
	"        d ->> 'severity', d ->> 'owner', (d ->> 'due_on')::date, $4, $4"
	"   from assessments a, (select $3::jsonb d) x where a.tenant_id = $1 and a.id = $2"
	" returning f.id, f.version, " JSON_OUT);
static struct db_stmt update_stmt = DB_STMT(
	"update findings f set title = d ->> 'title', detail = d ->> 'detail', severity = d ->> 'severity',"
	"       owner = d ->> 'owner', due_on = (d ->> 'due_on')::date,"
	"       version = version + 1, updated_at = now(), updated_by = $4"
	"  from (select $3::jsonb d) x where f.tenant_id = $1 and f.id = $2"
	" returning f.version, " JSON_OUT);
/* $3 status, $4 reason, $5 actor: leaving resolved or risk_accepted
 * clears what they recorded (the history keeps it). */
static struct db_stmt status_stmt = DB_STMT(
	"update findings f set status = $3, status_reason = $4,"
	"       risk_accepted_reason = case when $3 = 'risk_accepted' then $4 end,"
	"       risk_accepted_by = case when $3 = 'risk_accepted' then $5 end,"
	"       resolved_at = case when $3 = 'resolved' then now() end,"
	"       resolved_by = case when $3 = 'resolved' then $5 end, resolved_by_assessment = null,"
	"       version = version + 1, updated_at = now(), updated_by = $5"
	" where f.tenant_id = $1 and f.id = $2"
	" returning f.version, " JSON_OUT);
/* The findings that already answer a question, in the assessment's scope. */
static struct db_stmt existing_stmt = DB_STMT(
	"select f.question_code, json_agg(f.id order by f.created_at)::text from findings f"
	" where f.tenant_id = $1 and f.assessment_id = any(finding_scope($1, $2))"
	"   and f.question_code is not null group by f.question_code");
/* $3 statuses, $4 severities, $5 vendor, $6 assessment, $7 overdue,
 * $8 due before, $9-$12 vendor scope (http/scope.h), then the keyset and
 * the limit. */
#define FILTERS \
	"   and ($3::text[] is null or f.status = any($3::text[]))" \
	"   and ($4::text[] is null or f.severity = any($4::text[]))" \
	"   and ($5::uuid is null or f.vendor_id = $5::uuid)" \
	"   and ($6::uuid is null or f.assessment_id = $6::uuid)" \
	"   and ($7::boolean is null or (f.status in ('open', 'in_progress') and f.due_on < tokyo_today()) = $7)" \
	"   and ($8::date is null or f.due_on < $8::date)" \
	"   and vendor_in_scope($1, f.vendor_id, $9, $10, $11, $12::text[])" \
	"   and ($13::timestamptz is null or (f.created_at, f.id) > ($13::timestamptz, $14::uuid))" \
	" order by f.created_at, f.id limit $15"
static struct db_stmt list_stmt = DB_STMT(
	"select f.created_at::text, f.id::text, " JSON_OUT " from findings f"
	" where f.tenant_id = $1 and ($2::uuid is null or f.assessment_id = $2::uuid)" FILTERS);
static struct db_stmt assessment_exists_stmt = DB_STMT(
	"select 1 from assessments where tenant_id = $1 and id = $2");

/* ---- the failing answers --------------------------------------------------- */

static int rank_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int kx = json_is_true(json_object_get(x, "knockout")), ky = json_is_true(json_object_get(y, "knockout"));
	double sx = json_number_value(json_object_get(x, "score")), sy = json_number_value(json_object_get(y, "score"));
	json_int_t ix = json_integer_value(json_object_get(x, "at")), iy = json_integer_value(json_object_get(y, "at"));

	if (kx != ky)
		return ky - kx;
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return ix < iy ? -1 : ix > iy;
}

json_t *findings_failing(json_t *content, json_t *answers, json_t *excluded)
{
	json_t *states = answers_states(content, answers, excluded), *out = json_array(), *s, *q;
	json_t **items = NULL;
	size_t i, j, n = 0, at = 0;

	json_array_foreach(json_object_get(content, "sections"), i, s) {
		json_array_foreach(json_object_get(s, "questions"), j, q) {
			const char *code = json_string_value(json_object_get(q, "code"));
			json_t *v = json_object_get(answers, code);
			int knockout = json_is_true(json_object_get(q, "knockout")), given = answers_given(v);
			double score = 0;

			at++;
			if (json_integer_value(json_object_get(states, code)) != ANSWER_IN)
				continue;
			if (!knockout && !(json_number_value(json_object_get(q, "weight")) > 0))
				continue;
			if (given && (!scoring_answer(content, q, v, &score) || score >= 1))
				continue;
			if (!given && !json_is_true(json_object_get(q, "required")))
				continue;
			json_array_append_new(out, json_pack("{s:s, s:O, s:O, s:O, s:f, s:b, s:I}", "code", code,
				"section", json_object_get(s, "code"), "question", q, "answer", given ? v : json_null(),
				"score", score, "knockout", knockout, "at", (json_int_t)at));
		}
	}
	json_decref(states);
	if ((n = json_array_size(out)) > 1 && (items = calloc(n, sizeof(*items)))) {
		for (i = 0; i < n; i++)
			items[i] = json_incref(json_array_get(out, i));
		qsort(items, n, sizeof(*items), rank_cmp);
		json_array_clear(out);
		for (i = 0; i < n; i++)
			json_array_append_new(out, items[i]);
		free(items);
	}
	json_array_foreach(out, i, q)
		json_object_del(q, "at");
	return out;
}

int findings_sheet(struct db_conn *db, const char *tenant, const char *assessment_id, json_t **sheet)
{
	const char *params[2] = { tenant, assessment_id };
	PGresult *res = NULL;
	int err;

	*sheet = NULL;
	if ((err = db_exec(db, &sheet_stmt, 2, params, &res)))
		return err;
	if (PQntuples(res))
		*sheet = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if (!*sheet)
		return 1;
	return 0;
}

/* Reads the sheet of the path's assessment into *sheet: 404 when the
 * tenant has none. Returns 0 or -1 with a problem on r. */
static int read_sheet(struct req *r, const char *id, json_t **sheet)
{
	int err = findings_sheet(r->db, r->who.tenant_id, id, sheet);

	if (err < 0)
		return req_fail_db(r, err);
	if (err)
		return req_fail(r, 404, "not-found", "no %s with this id", "assessment");
	return 0;
}

/* 409 unless the answers are in: findings come from them. */
static int require_answers(struct req *r, json_t *sheet)
{
	const char *status = json_string_value(json_object_get(sheet, "status"));

	if (!strcmp(status, "submitted") || !strcmp(status, "in_review") || !strcmp(status, "completed"))
		return 0;
	return req_fail(r, 409, "invalid-transition",
			"the assessment is %s; findings come once it is submitted", status);
}

static json_t *question_of(json_t *content, const char *code)
{
	json_t *s, *q;
	size_t i, j;

	json_array_foreach(json_object_get(content, "sections"), i, s)
		json_array_foreach(json_object_get(s, "questions"), j, q)
			if (!strcmp(json_string_value(json_object_get(q, "code")), code))
				return q;
	return NULL;
}

/* ---- proposals ---------------------------------------------------------------- */

static const char *severity_of(json_t *failing)
{
	if (json_is_true(json_object_get(failing, "knockout")))
		return "high";
	return json_number_value(json_object_get(failing, "score")) <= 0 ? "medium" : "low";
}

/* "CODE: text", cut after 200 characters with an ellipsis: a title to
 * start from, which staff usually shorten. */
static json_t *title_of(json_t *failing)
{
	const char *text = json_string_value(json_object_get(json_object_get(failing, "question"), "text_ja"));
	char buf[1200];
	size_t n = 0, chars = 0;

	snprintf(buf, sizeof(buf), "%s: ", json_string_value(json_object_get(failing, "code")));
	n = strlen(buf);
	for (const char *c = text; *c && n + 8 < sizeof(buf); c++) {
		if (((unsigned char)*c & 0xC0) != 0x80 && ++chars > 200) {
			memcpy(buf + n, "\u2026", 3);   /* … */
			n += 3;
			break;
		}
		buf[n++] = *c;
	}
	buf[n] = '\0';
	return json_string(buf);
}

static json_t *proposal_of(json_t *failing, json_t *existing)
{
	json_t *q = json_object_get(failing, "question");
	json_t *ids = json_object_get(existing, json_string_value(json_object_get(failing, "code")));
	json_t *out = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O}",
		"question_code", json_object_get(failing, "code"), "section_code", json_object_get(failing, "section"),
		"text_ja", json_object_get(q, "text_ja"), "answer", json_object_get(failing, "answer"),
		"score", json_object_get(failing, "score"), "knockout", json_object_get(failing, "knockout"),
		"finding_exists", json_boolean(ids != NULL));

	json_object_set(out, "text_en", json_object_get(q, "text_en") ? json_object_get(q, "text_en") : json_null());
	json_object_set_new(out, "finding_ids", ids ? json_incref(ids) : json_array());
	json_object_set_new(out, "suggested", json_pack("{s:o, s:s, s:O, s:O}", "title", title_of(failing),
		"severity", severity_of(failing),
		"remediation_ja", json_object_get(q, "remediation_ja") ? json_object_get(q, "remediation_ja") : json_null(),
		"remediation_en", json_object_get(q, "remediation_en") ? json_object_get(q, "remediation_en") : json_null()));
	return out;
}

int findings_proposals(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "assessment");
	const char *params[2] = { r->who.tenant_id, id };
	json_t *sheet = NULL, *failing = NULL, *existing = json_object(), *items = json_array(), *f;
	PGresult *res = NULL;
	int err, ret = -1;
	size_t i;

	if (!id || !req_db(r))
		goto out;
	if (read_sheet(r, id, &sheet) || require_answers(r, sheet))
		goto out;
	if ((err = db_exec(r->db, &existing_stmt, 2, params, &res))) {
		req_fail_db(r, err);
		goto out;
	}
	for (int k = 0; k < PQntuples(res); k++)
		json_object_set_new(existing, PQgetvalue(res, k, 0), json_loads(PQgetvalue(res, k, 1), 0, NULL));
	failing = findings_failing(json_object_get(sheet, "content"), json_object_get(sheet, "answers"),
				   json_object_get(sheet, "excluded"));
	json_array_foreach(failing, i, f)
		json_array_append_new(items, proposal_of(f, existing));
	ret = req_json(r, 200, json_pack("{s:s, s:O, s:o}", "assessment_id", id,
					 "status", json_object_get(sheet, "status"), "items", items));
	items = NULL;
out:
	json_decref(sheet);
	json_decref(failing);
	json_decref(existing);
	json_decref(items);
	PQclear(res);
	return ret;
}

/* ---- create, read, change -------------------------------------------------------- */

/* Lays patch over base (NULL: new) and checks the writable fields.
 * Returns the document or NULL with errors on p. */
static json_t *merge(struct problem *p, json_t *base, json_t *patch)
{
	json_t *doc = base ? json_deep_copy(base) : json_object(), *v;
	size_t before = problem_error_count(p);
	const char *key;

	jv_only(p, patch, base ? fields : create_fields);
	json_object_foreach(patch, key, v)
		json_object_set(doc, key, v);
	jv_string(p, doc, "title", JV_REQUIRED, 1, 500);
	jv_string(p, doc, "detail", JV_OPTIONAL, 1, 4000);
	jv_enum(p, doc, "severity", JV_REQUIRED, severities);
	jv_string(p, doc, "owner", JV_OPTIONAL, 1, 200);
	jv_date(p, doc, "due_on", JV_REQUIRED);
	if (!base)
		jv_string(p, doc, "question_code", JV_OPTIONAL, 1, 32);
	if (problem_error_count(p) > before) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static void actor_of(struct req *r, char actor[32])
{
	snprintf(actor, 32, "api_key:%s", r->who.prefix);
}

int findings_create(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "assessment");
	const char *params[4] = { r->who.tenant_id, id, NULL, NULL }, *code;
	json_t *doc = NULL, *sheet = NULL, *out = NULL;
	char actor[32], *text = NULL, location[96];
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!id)
		return -1;
	if (!(doc = merge(&r->problem, NULL, r->body)))
		return req_fail_invalid(r);
	if (!req_db(r))
		goto done;
	if ((err = db_begin(r->db)) || read_sheet(r, id, &sheet) || require_answers(r, sheet))
		goto out;
	code = json_string_value(json_object_get(doc, "question_code"));
	if (code && !question_of(json_object_get(sheet, "content"), code)) {
		problem_add_pointer(&r->problem, "/question_code", "is not a question of this assessment's questionnaire version");
		req_fail_invalid(r);
		goto out;
	}
	actor_of(r, actor);
	params[2] = text = json_dumps(doc, JSON_COMPACT);
	params[3] = actor;
	if ((err = db_exec(r->db, &insert_stmt, 4, params, &res)))
		goto out;
	out = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	if ((err = req_audit(r, "finding.created", "finding", PQgetvalue(res, 0, 0), NULL, out)))
		goto out;
	snprintf(location, sizeof(location), "/v1/findings/%s", PQgetvalue(res, 0, 0));
	req_set_header(r, "Location", location);
	ret = req_commit_json(r, 201, out, atol(PQgetvalue(res, 0, 1)));
	out = NULL;
out:
	ret = req_end(r, ret, err);
done:
	json_decref(doc);
	json_decref(sheet);
	json_decref(out);
	free(text);
	PQclear(res);
	return ret;
}

int findings_get(struct req *r)
{
	return resource_get(r, &finding);
}

/* The writable fields of a finding as the API shows it. */
static json_t *doc_of(json_t *full)
{
	json_t *doc = json_object(), *v;

	for (size_t i = 0; fields[i]; i++)
		if ((v = json_object_get(full, fields[i])) && !json_is_null(v))
			json_object_set(doc, fields[i], v);
	return doc;
}

int findings_update(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "finding");
	const char *params[4] = { r->who.tenant_id, id, NULL, NULL };
	json_t *current = NULL, *base = NULL, *doc = NULL, *out = NULL;
	char actor[32], *text = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || resource_lock(r, &finding, id, &current))
		goto out;
	base = doc_of(current);
	if (!(doc = merge(&r->problem, base, r->body))) {
		req_fail_invalid(r);
		goto out;
	}
	if (json_equal(doc, base)) {
		ret = req_commit_json(r, 200, json_incref(current),
				      json_integer_value(json_object_get(current, "version")));
		goto out;
	}
	actor_of(r, actor);
	params[2] = text = json_dumps(doc, JSON_COMPACT);
	params[3] = actor;
	if ((err = db_exec(r->db, &update_stmt, 4, params, &res)))
		goto out;
	out = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, "finding.updated", "finding", id, current, out)))
		goto out;
	ret = req_commit_json(r, 200, out, atol(PQgetvalue(res, 0, 0)));
	out = NULL;
out:
	json_decref(current);
	json_decref(base);
	json_decref(doc);
	json_decref(out);
	free(text);
	PQclear(res);
	return req_end(r, ret, err);
}

/* Whether status is one of the closed ones, which reopening leaves. */
int findings_closed(const char *status)
{
	return !strcmp(status, "resolved") || !strcmp(status, "risk_accepted");
}

int findings_set_status(struct req *r)
{
	static const char *const members[] = { "status", "reason", NULL };
	const char *id = req_param_uuid(r, "id", "finding"), *to, *from, *reason, *params[5];
	json_t *current = NULL, *out = NULL;
	char actor[32];
	PGresult *res = NULL;
	int err = 0, ret = -1, k;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, members);
	k = jv_enum(&r->problem, r->body, "status", JV_REQUIRED, finding_statuses);
	reason = jv_string(&r->problem, r->body, "reason", JV_OPTIONAL, 1, 4000);
	to = k >= 0 ? finding_statuses[k] : NULL;
	if (to && !strcmp(to, "risk_accepted") && !reason && json_is_null(json_object_get(r->body, "reason") ?: json_null()))
		problem_add_pointer(&r->problem, "/reason", "is required to accept a risk: say why it is acceptable");
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || resource_lock(r, &finding, id, &current))
		goto out;
	from = json_string_value(json_object_get(current, "status"));
	if (!strcmp(from, to)) {
		req_fail(r, 409, "invalid-transition", "the finding is already %s", from);
		goto out;
	}
	if (findings_closed(from) && !findings_closed(to) && !reason) {
		problem_set(&r->problem, 422, "validation-failed", NULL,
			    "reopening a finding (%s to %s) needs a reason", from, to);
		problem_add_pointer(&r->problem, "/reason", "is required when reopening");
		goto out;
	}
	actor_of(r, actor);
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = to;
	params[3] = reason;
	params[4] = actor;
	if ((err = db_exec(r->db, &status_stmt, 5, params, &res)))
		goto out;
	out = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, "finding.status_changed", "finding", id, current, out)))
		goto out;
	ret = req_commit_json(r, 200, out, atol(PQgetvalue(res, 0, 0)));
	out = NULL;
out:
	json_decref(current);
	json_decref(out);
	PQclear(res);
	return req_end(r, ret, err);
}

/* ---- lists ------------------------------------------------------------------------- */

static int list(struct req *r, const char *assessment)
{
	char status[96], severity[64];
	const char *params[15] = { r->who.tenant_id, assessment };
	struct scope sc;
	int overdue, ret;

	query_enum_list(r, "status", finding_statuses, status, sizeof(status));
	query_enum_list(r, "severity", severities, severity, sizeof(severity));
	params[2] = status[0] ? status : NULL;
	params[3] = severity[0] ? severity : NULL;
	params[4] = query_uuid(r, "vendor_id");
	params[5] = assessment ? NULL : query_uuid(r, "assessment_id");
	overdue = query_bool(r, "overdue");
	params[6] = overdue < 0 ? NULL : overdue ? "true" : "false";
	params[7] = query_date(r, "due_before");
	scope_parse(r, &sc, "vendor_tier");
	if (query_fail(r)) {
		scope_free(&sc);
		return -1;
	}
	scope_params(&sc, params + 8);
	if (assessment)
		ret = resource_list(r, assessment, "assessment", &assessment_exists_stmt, &list_stmt, 15, params);
	else
		ret = resource_list(r, NULL, NULL, NULL, &list_stmt, 15, params);
	scope_free(&sc);
	return ret;
}

int findings_list(struct req *r)
{
	return list(r, NULL);
}

int findings_list_for_assessment(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "assessment");

	return id ? list(r, id) : -1;
}

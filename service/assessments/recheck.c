/*
 * recheck.c - creating a re-check, what its sending leaves out, and the
 * findings its completion closes (see recheck.h).
 */
#include "assessments/recheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assessments/assessments.h"
#include "assessments/findings.h"
#include "audit/trail.h"
#include "http/req.h"
#include "json/valid.h"
#include "questionnaires/answers.h"
#include "questionnaires/scoring.h"

static const char *const scopes[] = { "failed", "all", NULL };

/* $1 tenant, $2 original, $3 due_on, $4 message, $5 respondent (or null:
 * the original's), $6 codes (JSON array), $7 actor */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into assessments as a (tenant_id, vendor_id, engagement_id, subcontract_id, template_id,"
	"       template_number, title, due_on, message, respondent, owner, recheck_of, recheck_codes,"
	"       created_by, updated_by)"
	" select o.tenant_id, o.vendor_id, o.engagement_id, o.subcontract_id, o.template_id, o.template_number,"
	"        o.title, $3::date, $4, coalesce($5::jsonb, o.respondent), o.owner, o.id,"
	"        array(select jsonb_array_elements_text($6::jsonb)), $7, $7"
	"   from assessments o where o.tenant_id = $1 and o.id = $2"
	" returning a.id, a.version, assessment_json(a)::text");
static struct db_stmt past_stmt = DB_STMT("select $1::date < tokyo_today()");
/* The question codes of the original's findings still open. */
static struct db_stmt open_codes_stmt = DB_STMT(
	"select distinct f.question_code from findings f"
	" where f.tenant_id = $1 and f.assessment_id = any(finding_scope($1, $2))"
	"   and f.status in ('open', 'in_progress') and f.question_code is not null");
/* $1 tenant, $2 re-check, $3 passing codes (JSON array), $4 actor */
static struct db_stmt close_stmt = DB_STMT(
	"with x as (select f.id, finding_json(f)::text as before from findings f"
	"            where f.tenant_id = $1 and f.status in ('open', 'in_progress')"
	"              and f.assessment_id = any(finding_scope($1, (select r.recheck_of from assessments r"
	"                                                           where r.tenant_id = $1 and r.id = $2)))"
	"              and f.question_code in (select jsonb_array_elements_text($3::jsonb))"
	"            for update)"
	" update findings f set status = 'resolved', status_reason = null, resolved_at = now(),"
	"        resolved_by = $4, resolved_by_assessment = $2, version = version + 1,"
	"        updated_at = now(), updated_by = $4"
	"   from x where f.tenant_id = $1 and f.id = x.id"
	" returning f.id::text, x.before, finding_json(f)::text");

/* Each question of content in sheet order, with fn(q, arg). */
static void each_question(json_t *content, void (*fn)(json_t *q, void *arg), void *arg)
{
	json_t *s, *q;
	size_t i, j;

	json_array_foreach(json_object_get(content, "sections"), i, s)
		json_array_foreach(json_object_get(s, "questions"), j, q)
			fn(q, arg);
}

static int has_code(json_t *codes, json_t *code)
{
	json_t *c;
	size_t i;

	json_array_foreach(codes, i, c)
		if (json_equal(c, code))
			return 1;
	return 0;
}

/* ---- creating ------------------------------------------------------------------ */

struct picking {
	json_t *wanted;      /* codes that fail or have open findings */
	json_t *codes;       /* the result, in sheet order */
	int all;
};

static void pick(json_t *q, void *arg)
{
	struct picking *pk = arg;
	json_t *code = json_object_get(q, "code");

	if (pk->all || has_code(pk->wanted, code))
		json_array_append(pk->codes, code);
}

/* The codes a re-check asks: all, or those that failed in the original
 * and those of its findings still open. Returns a new array, or NULL
 * with a problem on r. */
static json_t *codes_of(struct req *r, const char *id, json_t *sheet, int all)
{
	const char *params[2] = { r->who.tenant_id, id };
	struct picking pk = { json_array(), json_array(), all };
	json_t *failing = NULL, *f;
	PGresult *res = NULL;
	size_t i;
	int err;

	if ((err = db_exec(r->db, &open_codes_stmt, 2, params, &res))) {
		req_fail_db(r, err);
		goto fail;
	}
	for (int k = 0; k < PQntuples(res); k++)
		json_array_append_new(pk.wanted, json_string(PQgetvalue(res, k, 0)));
	failing = findings_failing(json_object_get(sheet, "content"), json_object_get(sheet, "answers"),
				   json_object_get(sheet, "excluded"));
	json_array_foreach(failing, i, f)
		json_array_append(pk.wanted, json_object_get(f, "code"));
	each_question(json_object_get(sheet, "content"), pick, &pk);
	if (!json_array_size(pk.codes)) {
		req_fail(r, 409, "invalid-transition",
			 "no answer failed and no finding is open; to ask everything again, give scope all");
		goto fail;
	}
	json_decref(pk.wanted);
	json_decref(failing);
	PQclear(res);
	return pk.codes;
fail:
	json_decref(pk.wanted);
	json_decref(pk.codes);
	json_decref(failing);
	PQclear(res);
	return NULL;
}

int recheck_create(struct req *r)
{
	static const char *const members[] = { "due_on", "scope", "respondent", "message", NULL };
	const char *id = req_param_uuid(r, "id", "assessment"), *due, *message, *params[7];
	json_t *current = NULL, *sheet = NULL, *codes = NULL, *who = NULL, *out = NULL;
	char *codes_text = NULL, *who_text = NULL, location[96];
	PGresult *res = NULL;
	int err = 0, ret = -1, scope;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, members);
	due = jv_date(&r->problem, r->body, "due_on", JV_REQUIRED);
	scope = jv_enum(&r->problem, r->body, "scope", JV_OPTIONAL, scopes);
	message = jv_string(&r->problem, r->body, "message", JV_OPTIONAL, 1, 4000);
	assessments_read_respondent(&r->problem, r->body, JV_OPTIONAL);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	params[0] = due;
	if ((err = db_exec(r->db, &past_stmt, 1, params, &res)))
		goto out;
	if (!strcmp(PQgetvalue(res, 0, 0), "t")) {
		problem_add_pointer(&r->problem, "/due_on", "must be today or later (Asia/Tokyo)");
		req_fail_invalid(r);
		goto out;
	}
	PQclear(res);
	res = NULL;
	if ((err = db_begin(r->db)) || assessments_lock(r, id, &current))
		goto out;
	if (strcmp(json_string_value(json_object_get(current, "status")), "completed")) {
		req_fail(r, 409, "invalid-transition", "the assessment is %s; only a completed assessment is re-checked",
			 json_string_value(json_object_get(current, "status")));
		goto out;
	}
	if ((err = findings_sheet(r->db, r->who.tenant_id, id, &sheet)) < 0)
		goto out;
	err = 0;
	if (!(codes = codes_of(r, id, sheet, scope == 1)))
		goto out;
	if (json_is_object(json_object_get(r->body, "respondent"))) {
		who = json_deep_copy(json_object_get(r->body, "respondent"));
		if (!json_object_get(who, "language"))
			json_object_set_new(who, "language", json_string("ja"));
		who_text = json_dumps(who, JSON_COMPACT);
	}
	codes_text = json_dumps(codes, JSON_COMPACT);
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = due;
	params[3] = message;
	params[4] = who_text;
	params[5] = codes_text;
	params[6] = r->who.key_id;
	if ((err = db_exec(r->db, &insert_stmt, 7, params, &res)))
		goto out;
	out = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	if ((err = req_audit(r, "assessment.created", "assessment", PQgetvalue(res, 0, 0), NULL, out)))
		goto out;
	snprintf(location, sizeof(location), "/v1/assessments/%s", PQgetvalue(res, 0, 0));
	req_set_header(r, "Location", location);
	ret = req_commit_json(r, 201, out, atol(PQgetvalue(res, 0, 1)));
	out = NULL;
out:
	json_decref(current);
	json_decref(sheet);
	json_decref(codes);
	json_decref(who);
	json_decref(out);
	free(codes_text);
	free(who_text);
	PQclear(res);
	return req_end(r, ret, err);
}

/* ---- sending ------------------------------------------------------------------- */

struct leaving {
	json_t *codes;
	json_t *out;
};

static void leave_out(json_t *q, void *arg)
{
	struct leaving *lv = arg;
	json_t *code = json_object_get(q, "code");

	if (!has_code(lv->codes, code))
		json_object_set_new(lv->out, json_string_value(code),
				    json_pack("{s:s, s:s}", "reason", "not_rechecked", "level", "question"));
}

json_t *recheck_exclusions(json_t *content, json_t *recheck_codes)
{
	struct leaving lv = { recheck_codes, json_object() };

	if (json_is_array(recheck_codes))
		each_question(content, leave_out, &lv);
	return lv.out;
}

/* ---- completing ---------------------------------------------------------------- */

struct passing {
	json_t *sheet;
	json_t *states;
	json_t *codes;
};

static void judge(json_t *q, void *arg)
{
	struct passing *ps = arg;
	const char *code = json_string_value(json_object_get(q, "code"));
	json_t *v = json_object_get(json_object_get(ps->sheet, "answers"), code);
	json_t *review = json_object_get(json_object_get(ps->sheet, "reviews"), code);
	const char *decision = json_string_value(json_object_get(review, "decision"));
	double s = 0;

	if (json_integer_value(json_object_get(ps->states, code)) != ANSWER_IN || !answers_given(v))
		return;
	if (!scoring_answer(json_object_get(ps->sheet, "content"), q, v, &s) || s < 1)
		return;
	if (decision && !strcmp(decision, "returned"))
		return;
	json_array_append_new(ps->codes, json_string(code));
}

int recheck_close_findings(struct db_conn *db, const char *tenant, const char *recheck_id,
			      const char *actor, int *closed)
{
	struct passing ps = { NULL, NULL, json_array() };
	const char *params[4] = { tenant, recheck_id, NULL, actor };
	json_t *before = NULL, *after = NULL;
	PGresult *res = NULL;
	char *text = NULL;
	int err;

	*closed = 0;
	if ((err = findings_sheet(db, tenant, recheck_id, &ps.sheet)) ||
	    json_is_null(json_object_get(ps.sheet, "recheck_of")))
		goto out;
	ps.states = answers_states(json_object_get(ps.sheet, "content"), json_object_get(ps.sheet, "answers"),
				   json_object_get(ps.sheet, "excluded"));
	each_question(json_object_get(ps.sheet, "content"), judge, &ps);
	if (!json_array_size(ps.codes))
		goto out;
	params[2] = text = json_dumps(ps.codes, JSON_COMPACT);
	if ((err = db_exec(db, &close_stmt, 4, params, &res)))
		goto out;
	for (int i = 0; i < PQntuples(res) && !err; i++) {
		before = json_loads(PQgetvalue(res, i, 1), 0, NULL);
		after = json_loads(PQgetvalue(res, i, 2), 0, NULL);
		err = audit_record_as(db, tenant, NULL, actor, NULL, "finding.resolved_by_recheck", "finding",
				      PQgetvalue(res, i, 0), before, after);
		json_decref(before);
		json_decref(after);
	}
	if (!err)
		*closed = PQntuples(res);
out:
	json_decref(ps.sheet);
	json_decref(ps.states);
	json_decref(ps.codes);
	free(text);
	PQclear(res);
	return err > 0 ? 0 : err;
}

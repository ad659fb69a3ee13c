/*
 * review.c - reviewing, returning and completing an assessment.
 */
#include "assessments/review.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include "assessments/assessments.h"
#include "assessments/recheck.h"
#include "http/req.h"
#include "json/valid.h"
#include "questionnaires/answers.h"
#include "questionnaires/content.h"
#include "questionnaires/scoring.h"
#include "register/vendors.h"

/* The scoring rule's version, stored with every score (docs/questionnaires.md). */
#define SCORING_VERSION 1

static const char *const decisions[] = { "accepted", "returned", NULL };
static const char *const verdicts[] = { "no_issues", "watch", "action_required", NULL };

static struct db_stmt today_stmt = DB_STMT("select tokyo_today()::text, $1::date < tokyo_today()");

/* Whether code is a question of content that was asked (not excluded). */
static int asked(json_t *content, json_t *current, const char *code)
{
	json_t *s, *q;
	size_t i, j;

	if (json_object_get(json_object_get(current, "excluded"), code))
		return 0;
	json_array_foreach(json_object_get(content, "sections"), i, s)
		json_array_foreach(json_object_get(s, "questions"), j, q)
			if (!strcmp(code, json_string_value(json_object_get(q, "code"))))
				return 1;
	return 0;
}

static void utc_now(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Lays the request's items over the stored reviews. Returns the new
 * reviews (caller decrefs) or NULL with errors on r->problem. */
static json_t *merge_reviews(struct req *r, json_t *content, json_t *current, json_t *items)
{
	static const char *const members[] = { "decision", "comment", NULL };
	json_t *reviews = json_deep_copy(json_object_get(current, "reviews")), *v;
	struct problem *p = &r->problem;
	const char *code;
	char now[32];

	utc_now(now);
	json_object_foreach(items, code, v) {
		size_t from = problem_error_count(p);
		char prefix[64];
		const char *comment;
		int d;

		snprintf(prefix, sizeof(prefix), "/items/%.32s", code);
		if (!asked(content, current, code)) {
			problem_add_pointer(p, prefix, "is not a question asked in this assessment");
			continue;
		}
		if (json_is_null(v)) {
			json_object_del(reviews, code);
			continue;
		}
		if (!json_is_object(v)) {
			problem_add_pointer(p, prefix, "must be an object with decision and comment, or null");
			continue;
		}
		jv_only(p, v, members);
		d = jv_enum(p, v, "decision", JV_REQUIRED, decisions);
		comment = jv_string(p, v, "comment", JV_OPTIONAL, 1, 4000);
		if (d == 1 && !comment)
			problem_add_pointer(p, "/comment", "is required when an answer is returned: tell the vendor what to fix");
		jv_rebase(p, from, prefix);
		if (problem_error_count(p) == from)
			json_object_set_new(reviews, code, json_pack("{s:s, s:s?, s:s, s:s}", "decision", decisions[d],
				"comment", comment, "by", r->who.key_id, "at", now));
	}
	if (problem_error_count(p)) {
		json_decref(reviews);
		return NULL;
	}
	return reviews;
}

int review_update(struct req *r)
{
	static const char *const members[] = { "items", NULL };
	const char *id = req_param_uuid(r, "id", "assessment");
	json_t *current = NULL, *content = NULL, *reviews = NULL, *extra = NULL;
	json_t *items = json_object_get(r->body, "items");
	int err = 0, ret = -1;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, members);
	if (!json_is_object(items) || json_object_size(items) > CONTENT_MAX_QUESTIONS)
		problem_add_pointer(&r->problem, "/items", "is required: an object of question code to {decision, comment} or null");
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || assessments_lock(r, id, &current) ||
	    assessments_require(r, current, "submitted in_review", "reviewed until it is submitted") ||
	    assessments_content(r, current, &content))
		goto out;
	if (!(reviews = merge_reviews(r, content, current, items))) {
		req_fail_invalid(r);
		goto out;
	}
	extra = json_pack("{s:O}", "reviews", reviews);
	ret = assessments_move(r, current, "in_review", extra, "assessment.reviewed");
out:
	json_decref(current);
	json_decref(content);
	json_decref(reviews);
	json_decref(extra);
	return req_end(r, ret, err);
}

int review_return(struct req *r)
{
	static const char *const members[] = { "due_on", NULL };
	const char *id = req_param_uuid(r, "id", "assessment"), *due = NULL;
	json_t *body = r->body ? r->body : NULL, *current = NULL, *extra = NULL, *items, *v;
	PGresult *res = NULL;
	const char *code;
	int err = 0, ret = -1;

	if (!id)
		return -1;
	if (body) {
		jv_only(&r->problem, body, members);
		due = jv_date(&r->problem, body, "due_on", JV_OPTIONAL);
	}
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || assessments_lock(r, id, &current) ||
	    assessments_require(r, current, "submitted in_review", "returned until it is submitted"))
		goto out;
	if (due) {
		const char *params[1] = { due };

		if ((err = db_exec(r->db, &today_stmt, 1, params, &res)))
			goto out;
		if (!strcmp(PQgetvalue(res, 0, 1), "t")) {
			problem_add_pointer(&r->problem, "/due_on", "must not be in the past");
			req_fail_invalid(r);
			goto out;
		}
	}
	items = json_array();
	json_object_foreach(json_object_get(current, "reviews"), code, v)
		if (!strcmp(json_string_value(json_object_get(v, "decision")), "returned"))
			json_array_append_new(items, json_string(code));
	extra = json_pack("{s:o}", "returned_items", items);
	if (!json_array_size(items)) {
		req_fail(r, 409, "invalid-transition",
			 "no answer is marked returned; mark the items to fix (with a comment) before returning");
		goto out;
	}
	if (due)
		json_object_set_new(extra, "due_on", json_string(due));
	ret = assessments_move(r, current, "returned", extra, "assessment.returned");
out:
	json_decref(current);
	json_decref(extra);
	PQclear(res);
	return req_end(r, ret, err);
}

/* The score of the stored answers, as kept in the row. */
static json_t *score_of(json_t *content, json_t *current)
{
	json_t *score = scoring_score(content, json_object_get(current, "answers"),
				      json_object_get(current, "excluded"));

	json_object_set_new(score, "at", json_string("completion"));
	json_object_set_new(score, "scoring", json_integer(SCORING_VERSION));
	return score;
}

int review_complete(struct req *r)
{
	static const char *const members[] = { "verdict", "reason", NULL };
	const char *id = req_param_uuid(r, "id", "assessment"), *reason, *verdict, *computed;
	json_t *current = NULL, *content = NULL, *score = NULL, *extra = NULL, *record = NULL;
	const char *params[1] = { "2000-01-01" };
	PGresult *res = NULL;
	char actor[32];
	int err = 0, ret = -1, v, closed = 0;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, members);
	v = jv_enum(&r->problem, r->body, "verdict", JV_OPTIONAL, verdicts);
	reason = jv_string(&r->problem, r->body, "reason", JV_OPTIONAL, 1, 4000);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || assessments_lock(r, id, &current) ||
	    assessments_require(r, current, "submitted in_review", "completed until it is submitted") ||
	    assessments_content(r, current, &content))
		goto out;
	score = score_of(content, current);
	computed = json_string_value(json_object_get(score, "verdict"));
	verdict = v >= 0 ? verdicts[v] : computed;
	if (!verdict) {
		problem_add_pointer(&r->problem, "/verdict", "is required: nothing in this assessment could be scored");
		req_fail_invalid(r);
		goto out;
	}
	if ((!computed || strcmp(verdict, computed)) && !reason) {
		problem_add_pointer(&r->problem, "/reason",
				    "is required when the verdict differs from the computed one: record why");
		req_fail_invalid(r);
		goto out;
	}
	extra = json_pack("{s:O, s:s, s:s?}", "score", score, "verdict", verdict, "verdict_reason", reason);
	if (computed)
		json_object_set_new(extra, "computed_verdict", json_string(computed));
	if ((err = db_exec(r->db, &today_stmt, 1, params, &res)))
		goto out;
	/* the record names its assessment; its note is the assessment's title */
	if (vendors_record_monitoring(r, json_string_value(json_object_get(json_object_get(current, "vendor"), "id")),
				      PQgetvalue(res, 0, 0), verdict, json_string_value(json_object_get(current, "title")),
				      id, &record))
		goto out;
	/* a re-check closes the findings whose questions now pass; the actor
	 * is this request's key, as the audit trail names it */
	snprintf(actor, sizeof(actor), "api_key:%s", r->who.prefix);
	if ((err = recheck_close_findings(r->db, r->who.tenant_id, id, actor, &closed)))
		goto out;
	ret = assessments_move(r, current, "completed", extra, "assessment.completed");
out:
	json_decref(current);
	json_decref(content);
	json_decref(score);
	json_decref(extra);
	json_decref(record);
	PQclear(res);
	return req_end(r, ret, err);
}

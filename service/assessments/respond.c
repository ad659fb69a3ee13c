/*
 * respond.c - the respondent's link, the questionnaire as the respondent
 * sees it, saving answers and submitting. Evidence files are in
 * respond_files.c.
 */
#include "assessments/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assessments/prefill.h"
#include "audit/trail.h"
#include "http/req.h"
#include "json/valid.h"
#include "questionnaires/answers.h"
#include "questionnaires/content.h"
#include "questionnaires/scoring.h"

#define WINDOW_S "60"
#define SCORING_VERSION 1

/* $1 hash -> tenant, link, assessment, prefix, requests in this window,
 * seconds until it resets, whether the link still works, the outsourcer's
 * name (for a dead link's answer). A dead link
 * spends its budget too (someone is trying it), but is not "used". */
static struct db_stmt find_stmt = DB_STMT(
	"update assessment_links l"
	"   set window_start = case when l.window_start <= now() - make_interval(secs => " WINDOW_S ")"
	"                           then now() else l.window_start end,"
	"       window_count = case when l.window_start <= now() - make_interval(secs => " WINDOW_S ")"
	"                           then 1 else l.window_count + 1 end,"
	"       last_used_at = case when l.revoked_at is null and l.superseded_at is null and l.expires_at > now()"
	"                           then now() else l.last_used_at end"
	" where token_hash = $1"
	" returning tenant_id, id, assessment_id, prefix, window_count,"
	"           ceil(extract(epoch from window_start + make_interval(secs => " WINDOW_S ") - now()))::int,"
	"           revoked_at is null and superseded_at is null and expires_at > now(),"
	"           (select name from tenants t where t.id = l.tenant_id)");

/* What the respondent's handlers need of an assessment, in one round
 * trip: $1 tenant, $2 assessment -> sheet, content, and (locked) the
 * assessment as staff see it, for the audit trail. */
#define LOAD_SQL(full, tail) \
	"select json_build_object(" \
	"         'status', a.status, 'title', a.title, 'due_on', a.due_on," \
	"         'overdue', a.status in ('sent', 'in_progress', 'returned') and a.due_on < tokyo_today()," \
	"         'message', a.message, 'respondent', a.respondent," \
	"         'answers', a.answers, 'answers_version', a.answers_version," \
	"         'answers_updated_at', a.answers_updated_at, 'excluded', a.excluded," \
	"         'returned_items', to_json(a.returned_items), 'reviews', a.reviews," \
	"         'submitted_at', a.submitted_at, 'outsourcer', tn.name, 'vendor', v.name," \
	"         'questionnaire', json_build_object('name', t.name, 'name_en', t.name_en," \
	"                                            'number', a.template_number)," \
	"         'files', coalesce((select json_agg(json_build_object('id', f.id, 'question', f.question_code," \
	"                                   'filename', f.filename, 'content_type', f.content_type, 'size', f.size," \
	"                                   'sha256', f.sha256, 'created_at', f.created_at)" \
	"                                 order by f.question_code, f.created_at, f.id)" \
	"                              from assessment_files f" \
	"                             where f.tenant_id = a.tenant_id and f.assessment_id = a.id), '[]'))::text," \
	"       q.content::text, " full \
	"  from assessments a" \
	"  join tenants tn on tn.id = a.tenant_id" \
	"  join vendors v on v.tenant_id = a.tenant_id and v.id = a.vendor_id" \
	"  join questionnaire_templates t on t.tenant_id = a.tenant_id and t.id = a.template_id" \
	"  join questionnaire_versions q on q.tenant_id = a.tenant_id and q.template_id = a.template_id" \
	"                               and q.number = a.template_number" \
	" where a.tenant_id = $1 and a.id = $2" tail

static struct db_stmt read_stmt = DB_STMT(LOAD_SQL("null", ""));
static struct db_stmt lock_stmt = DB_STMT(LOAD_SQL("assessment_json(a)::text", " for update of a"));

/* $1 tenant, $2 id, $3 answers (null: unchanged), $4 actor */
static struct db_stmt touch_stmt = DB_STMT(
	"update assessments a set answers = coalesce($3::jsonb, answers),"
	"       answers_version = answers_version + case when $3::jsonb is null then 0 else 1 end,"
	"       answers_updated_at = case when $3::jsonb is null then answers_updated_at else now() end,"
	"       status = case when status in ('sent', 'returned') then 'in_progress' else status end,"
	"       version = version + 1, updated_at = now(), updated_by = $4"
	" where tenant_id = $1 and id = $2"
	" returning status, answers_version, answers::text, assessment_json(a)::text");

/* $1 tenant, $2 id, $3 score, $4 computed verdict, $5 actor */
static struct db_stmt submit_stmt = DB_STMT(
	"update assessments a set status = 'submitted', submitted_at = now(), score = $3::jsonb,"
	"       computed_verdict = $4, version = version + 1, updated_at = now(), updated_by = $5"
	" where tenant_id = $1 and id = $2"
	" returning status, assessment_json(a)::text");

/* ---- the link ---------------------------------------------------------------- */

static int find_link(struct req *r, struct respondent *who)
{
	const char *token = req_param(r, "token");
	char hash[CRYPTO_SHA256_HEX_LEN];
	const char *params[1] = { hash };
	PGresult *res = NULL;
	int err, ret = -1;

	/* The same answer for a malformed token as for an unknown one. */
	if (!token || strlen(token) != CRYPTO_TOKEN_LEN || strncmp(token, "ita_", 4) != 0)
		return req_fail(r, 404, "not-found", "no respondent link at this address");
	crypto_sha256_hex(token, strlen(token), hash);
	if (!req_db(r))
		return -1;
	if ((err = db_exec(r->db, &find_stmt, 1, params, &res)))
		return req_fail_db(r, err);
	if (PQntuples(res) == 0) {
		req_fail(r, 404, "not-found", "no respondent link at this address");
		goto out;
	}
	if (atoi(PQgetvalue(res, 0, 4)) > r->app->cfg.respond_link_rate) {
		int wait = atoi(PQgetvalue(res, 0, 5));

		req_fail(r, 429, "rate-limited", "this respondent link has made too many requests; try again in %d s",
			 wait > 0 ? wait : 1);
		r->problem.retry_after = wait > 0 ? wait : 1;
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 6), "t")) {
		req_fail(r, 410, "link-gone",
			 "this respondent link no longer works (expired, revoked or replaced by a newer one); ask the sender for a new link");
		/* Whom to ask: the outsourcer the holder saw while the link
		 * worked (its page says so to a person who opens it late). */
		r->problem.members = json_pack("{s:{s:s}}", "outsourcer", "name", PQgetvalue(res, 0, 7));
		goto out;
	}
	snprintf(who->tenant_id, sizeof(who->tenant_id), "%s", PQgetvalue(res, 0, 0));
	snprintf(who->link_id, sizeof(who->link_id), "%s", PQgetvalue(res, 0, 1));
	snprintf(who->assessment_id, sizeof(who->assessment_id), "%s", PQgetvalue(res, 0, 2));
	snprintf(who->actor, sizeof(who->actor), "respondent_link:%s", PQgetvalue(res, 0, 3));
	ret = 0;
out:
	PQclear(res);
	return ret;
}

/* The budget is spent outside the handler's transaction, so that a
 * refused request still counts; with lock, the transaction begins after. */
int respond_open(struct req *r, struct respondent *who, int lock, struct sheet *s)
{
	const char *params[2] = { who->tenant_id, who->assessment_id };
	PGresult *res = NULL;
	int err;

	memset(s, 0, sizeof(*s));
	if (find_link(r, who))
		return -1;
	if (lock && (err = db_begin(r->db)))
		return req_fail_db(r, err);
	if ((err = db_exec(r->db, lock ? &lock_stmt : &read_stmt, 2, params, &res)))
		return req_fail_db(r, err);
	if (PQntuples(res)) {
		s->a = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
		s->content = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
		if (lock)
			s->full = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	}
	PQclear(res);
	if (!s->a || !s->content) {
		respond_sheet_free(s);
		return req_fail(r, 500, "internal", "a stored questionnaire version could not be read");
	}
	return 0;
}

void respond_sheet_free(struct sheet *s)
{
	json_decref(s->a);
	json_decref(s->content);
	json_decref(s->full);
	memset(s, 0, sizeof(*s));
}

static const char *status_of(const struct sheet *s)
{
	return json_string_value(json_object_get(s->a, "status"));
}

static int is_editable(const char *status)
{
	return !strcmp(status, "sent") || !strcmp(status, "in_progress") || !strcmp(status, "returned");
}

int respond_editable(struct req *r, const struct sheet *s)
{
	const char *status = status_of(s);

	if (is_editable(status))
		return 0;
	return req_fail(r, 409, "invalid-transition",
			"the assessment is %s; the answers can no longer be changed through this link", status);
}

/* While a return is being answered (returned, or in_progress after it),
 * the returned items are the only ones open. */
static json_t *returned_items(const struct sheet *s)
{
	const char *status = status_of(s);
	json_t *items = json_object_get(s->a, "returned_items");

	if (json_array_size(items) == 0 || (strcmp(status, "returned") && strcmp(status, "in_progress")))
		return NULL;
	return items;
}

int respond_item_open(const struct sheet *s, const char *code)
{
	json_t *items = returned_items(s), *v;
	size_t i;

	if (!items)
		return 1;
	json_array_foreach(items, i, v)
		if (!strcmp(json_string_value(v), code))
			return 1;
	return 0;
}

json_t *respond_question(const struct sheet *s, const char *code)
{
	json_t *section, *q;
	size_t i, j;

	json_array_foreach(json_object_get(s->content, "sections"), i, section)
		json_array_foreach(json_object_get(section, "questions"), j, q)
			if (!strcmp(json_string_value(json_object_get(q, "code")), code))
				return q;
	return NULL;
}

int respond_touch(struct req *r, const struct respondent *who, struct sheet *s, json_t *answers,
		  const char *action)
{
	char *text = answers ? json_dumps(answers, JSON_COMPACT) : NULL;
	const char *params[4] = { who->tenant_id, who->assessment_id, text, who->actor };
	json_t *after = NULL;
	PGresult *res = NULL;
	int err;

	if ((err = db_exec(r->db, &touch_stmt, 4, params, &res)))
		goto out;
	json_object_set_new(s->a, "status", json_string(PQgetvalue(res, 0, 0)));
	json_object_set_new(s->a, "answers_version", json_integer(atoll(PQgetvalue(res, 0, 1))));
	json_object_set_new(s->a, "answers", json_loads(PQgetvalue(res, 0, 2), 0, NULL));
	after = json_loads(PQgetvalue(res, 0, 3), 0, NULL);
	err = audit_record_as(r->db, who->tenant_id, NULL, who->actor, r->request_id, action, "assessment",
			      who->assessment_id, s->full, after);
out:
	json_decref(after);
	free(text);
	PQclear(res);
	return err;
}

/* ---- the questionnaire as the respondent sees it ---------------------------- */

static size_t files_for(const struct sheet *s, const char *code)
{
	json_t *f;
	size_t i, n = 0;

	json_array_foreach(json_object_get(s->a, "files"), i, f)
		n += !strcmp(json_string_value(json_object_get(f, "question")), code);
	return n;
}

/* Whether a shown question still needs an evidence file. */
static int needs_evidence(const struct sheet *s, json_t *q)
{
	const char *evidence = json_string_value(json_object_get(q, "evidence"));
	const char *code = json_string_value(json_object_get(q, "code"));
	json_t *answer = json_object_get(json_object_get(s->a, "answers"), code);

	if (!evidence || files_for(s, code))
		return 0;
	return !strcmp(evidence, "always") ||
	       (!strcmp(evidence, "when_yes") && json_is_string(answer) && !strcmp(json_string_value(answer), "yes"));
}

/* A question without what only staff see: weights, choice scores,
 * knockouts, remediation, applicability rules and controls. */
static json_t *question_view(json_t *q)
{
	static const char *const shown[] = { "code", "text_ja", "text_en", "help_ja", "help_en", "answer_type",
		"not_applicable_allowed", "unit", "min", "max", "required", "evidence", "depends_on", NULL };
	json_t *out = json_object(), *choices, *c;
	size_t i;

	for (i = 0; shown[i]; i++)
		if (json_object_get(q, shown[i]))
			json_object_set(out, shown[i], json_object_get(q, shown[i]));
	if ((choices = json_object_get(q, "choices"))) {
		json_t *list = json_array();

		json_array_foreach(choices, i, c) {
			json_t *one = json_pack("{s:O}", "code", json_object_get(c, "code"));

			json_object_set(one, "label_ja", json_object_get(c, "label_ja"));
			if (json_object_get(c, "label_en"))
				json_object_set(one, "label_en", json_object_get(c, "label_en"));
			json_array_append_new(list, one);
		}
		json_object_set_new(out, "choices", list);
	}
	return out;
}

/* Why a question is not asked, without the certificate's record id. */
static json_t *exclusion_view(json_t *why)
{
	static const char *const shown[] = { "reason", "level", "certification", "explanation_ja", "explanation_en", NULL };
	json_t *out = json_object();

	for (size_t i = 0; shown[i]; i++)
		if (json_object_get(why, shown[i]))
			json_object_set(out, shown[i], json_object_get(why, shown[i]));
	return out;
}

json_t *respond_view(const struct sheet *s)
{
	static const char *const states[] = { "shown", "not_asked", "hidden" };
	json_t *a = s->a, *answers = json_object_get(a, "answers"), *excluded = json_object_get(a, "excluded");
	json_t *st = answers_states(s->content, answers, excluded);
	json_t *sections = json_array(), *progress = json_array(), *returned = json_array(), *items;
	json_t *language = json_object_get(json_object_get(a, "respondent"), "language");
	json_t *section, *q, *v;
	size_t i, j, required = 0, answered = 0, evidence = 0;

	json_array_foreach(json_object_get(s->content, "sections"), i, section) {
		json_t *list = json_array(), *out;
		size_t sreq = 0, sans = 0;

		json_array_foreach(json_object_get(section, "questions"), j, q) {
			const char *code = json_string_value(json_object_get(q, "code"));
			int state = (int)json_integer_value(json_object_get(st, code));
			json_t *view = question_view(q);

			json_object_set_new(view, "state", json_string(states[state]));
			if (state == ANSWER_EXCLUDED)
				json_object_set_new(view, "not_asked", exclusion_view(json_object_get(excluded, code)));
			if (state == ANSWER_IN) {
				int given = answers_given(json_object_get(answers, code));

				if (json_is_true(json_object_get(q, "required"))) {
					sreq++;
					sans += given;
				}
				evidence += needs_evidence(s, q);
			}
			json_object_set_new(view, "files", json_integer((json_int_t)files_for(s, code)));
			json_array_append_new(list, view);
		}
		out = json_pack("{s:O, s:O}", "code", json_object_get(section, "code"),
				"title_ja", json_object_get(section, "title_ja"));
		if (json_object_get(section, "title_en"))
			json_object_set(out, "title_en", json_object_get(section, "title_en"));
		json_object_set_new(out, "questions", list);
		json_array_append_new(sections, out);
		json_array_append_new(progress, json_pack("{s:O, s:I, s:I}", "code", json_object_get(section, "code"),
							  "answered", (json_int_t)sans, "required", (json_int_t)sreq));
		required += sreq;
		answered += sans;
	}
	/* The reviewer's comments reach the vendor only for returned items. */
	if ((items = returned_items(s))) {
		json_array_foreach(items, i, v) {
			json_t *review = json_object_get(json_object_get(a, "reviews"), json_string_value(v));
			json_t *comment = json_object_get(review, "comment");
			const char *decision = json_string_value(json_object_get(review, "decision"));

			json_array_append_new(returned, json_pack("{s:O, s:O}", "question", v, "comment",
								  decision && !strcmp(decision, "returned") && comment ?
								  comment : json_null()));
		}
	}
	json_decref(st);
	return json_pack("{s:{s:O, s:O, s:O, s:O, s:O, s:O, s:O}, s:{s:O}, s:{s:O}, s:O?, s:O, s:O, s:b,"
			 " s:O, s:o, s:{s:I, s:I, s:I, s:o}, s:o, s:O, s:o}",
			 "assessment", "title", json_object_get(a, "title"), "status", json_object_get(a, "status"),
			 "due_on", json_object_get(a, "due_on"), "overdue", json_object_get(a, "overdue"),
			 "message", json_object_get(a, "message"), "submitted_at", json_object_get(a, "submitted_at"),
			 "questionnaire", json_object_get(a, "questionnaire"),
			 "outsourcer", "name", json_object_get(a, "outsourcer"),
			 "vendor", "name", json_object_get(a, "vendor"),
			 "language", language,
			 "answers", answers, "answers_version", json_object_get(a, "answers_version"),
			 "editable", is_editable(status_of(s)),
			 "answers_updated_at", json_object_get(a, "answers_updated_at"),
			 "returned_items", returned,
			 "progress", "answered", (json_int_t)answered, "required", (json_int_t)required,
			 "evidence_missing", (json_int_t)evidence, "sections", progress,
			 "sections", sections, "files", json_object_get(a, "files"),
			 "excluded_count", json_integer((json_int_t)json_object_size(excluded)));
}

int respond_get(struct req *r)
{
	struct respondent who;
	struct sheet s;
	json_t *view;
	int err, ret;

	if (respond_open(r, &who, 0, &s))
		return -1;
	err = prefill_view(r->db, &who, &s, &view);
	ret = err ? req_fail_db(r, err) : req_json(r, 200, view);
	respond_sheet_free(&s);
	return ret;
}

/* ---- saving ------------------------------------------------------------------- */

/* Checks the body; the answers to lay over the stored ones are borrowed
 * from it. Returns 0 or -1 with 422 on r. */
static int check_body(struct req *r, json_t **patch, long long *version)
{
	static const char *const keys[] = { "answers", "answers_version", NULL };
	struct problem *p = &r->problem;

	jv_only(p, r->body, keys);
	*patch = json_object_get(r->body, "answers");
	if (!*patch)
		problem_add_pointer(p, "/answers", "is required");
	else if (!json_is_object(*patch))
		problem_add_pointer(p, "/answers", "must be an object");
	else if (json_object_size(*patch) > 1000)
		problem_add_pointer(p, "/answers", "holds more than 1000 answers");
	jv_int(p, r->body, "answers_version", JV_REQUIRED, 0, 2147483647, version);
	return problem_error_count(p) ? req_fail_invalid(r) : 0;
}

/* The merged answers, or NULL with every wrong answer on r->problem:
 * its type, a question the respondent may not answer now, or one it
 * answers by uploading files. Answers to questions the new answers hide
 * are dropped, so the stored set is always the one shown. */
static json_t *merge(struct req *r, const struct sheet *s, json_t *patch)
{
	struct problem *p = &r->problem;
	json_t *merged = json_deep_copy(json_object_get(s->a, "answers")), *values = json_object(), *st, *v, *q;
	json_t *excluded = json_object_get(s->a, "excluded");
	const char *code;
	void *tmp;
	char ptr[160];

	json_object_foreach(patch, code, v)
		if (!json_is_null(v))
			json_object_set(values, code, v);
	answers_check(p, s->content, patch, "/answers");
	json_object_foreach(patch, code, v) {
		snprintf(ptr, sizeof(ptr), "/answers/%s", code);
		if (!(q = respond_question(s, code)))
			continue;   /* answers_check() named it */
		if (content_type_of(q) == CONTENT_FILE)
			problem_add_pointer(p, ptr, "is answered by uploading evidence files to the question");
		else if (!respond_item_open(s, code))
			problem_add_pointer(p, ptr, "cannot change now: while items are returned, only those can change");
		if (json_is_null(v))
			json_object_del(merged, code);
		else
			json_object_set(merged, code, v);
	}
	st = answers_states(s->content, merged, excluded);
	json_object_foreach(values, code, v) {
		json_t *state = json_object_get(st, code);
		json_t *depends = json_object_get(respond_question(s, code), "depends_on");

		snprintf(ptr, sizeof(ptr), "/answers/%s", code);
		if (!state)
			continue;
		if (json_integer_value(state) == ANSWER_EXCLUDED)
			problem_add_pointer(p, ptr, "is not asked in this assessment (see not_asked in the questionnaire)");
		else if (json_integer_value(state) == ANSWER_HIDDEN)
			problem_add_pointer(p, ptr, "is not shown with these answers: it depends on the answer to %s",
					    json_string_value(json_object_get(depends, "question")));
	}
	json_object_foreach_safe(merged, tmp, code, v)
		if (json_integer_value(json_object_get(st, code)) != ANSWER_IN)
			json_object_del(merged, code);
	json_decref(st);
	json_decref(values);
	if (problem_error_count(p)) {
		json_decref(merged);
		return NULL;
	}
	return merged;
}

/* PUT /v1/respond/{token}/answers: a partial save. */
int respond_save(struct req *r)
{
	struct respondent who;
	struct sheet s = { 0 };
	json_t *patch, *merged = NULL, *view;
	long long version, current;
	int err = 0, ret = -1;

	if (check_body(r, &patch, &version))
		return -1;
	if (respond_open(r, &who, 1, &s) || respond_editable(r, &s))
		goto out;
	current = json_integer_value(json_object_get(s.a, "answers_version"));
	if (version != current) {
		req_fail(r, 409, "answers-changed",
			 "the answers have changed since you read them (answers_version is now %lld); read them again and save your changes on top",
			 current);
		goto out;
	}
	if (!(merged = merge(r, &s, patch))) {
		req_fail_invalid(r);
		goto out;
	}
	/* Nothing changes: nothing is written, the version stays. */
	if (!json_equal(merged, json_object_get(s.a, "answers")) &&
	    (err = respond_touch(r, &who, &s, merged, "assessment.answers_saved")))
		goto out;
	if ((err = prefill_view(r->db, &who, &s, &view)))
		goto out;
	ret = req_commit_json(r, 200, view, 0);
out:
	json_decref(merged);
	respond_sheet_free(&s);
	return req_end(r, ret, err);
}

/* ---- submission ---------------------------------------------------------------- */

/* Every required, shown question answered and every evidence it needs
 * uploaded; each missing item is named. Returns 0 or -1 with 422 on r. */
static int check_complete(struct req *r, const struct sheet *s)
{
	json_t *answers = json_object_get(s->a, "answers");
	json_t *st = answers_states(s->content, answers, json_object_get(s->a, "excluded"));
	json_t *section, *q;
	size_t i, j;
	char ptr[160];

	json_array_foreach(json_object_get(s->content, "sections"), i, section) {
		json_array_foreach(json_object_get(section, "questions"), j, q) {
			const char *code = json_string_value(json_object_get(q, "code"));

			if (json_integer_value(json_object_get(st, code)) != ANSWER_IN)
				continue;
			if (json_is_true(json_object_get(q, "required")) && !answers_given(json_object_get(answers, code))) {
				snprintf(ptr, sizeof(ptr), "/answers/%s", code);
				problem_add_pointer(&r->problem, ptr, content_type_of(q) == CONTENT_FILE ?
						    "is required: upload a file for it before submitting" :
						    "is required: answer it before submitting");
			}
			if (needs_evidence(s, q)) {
				snprintf(ptr, sizeof(ptr), "/files/%s", code);
				problem_add_pointer(&r->problem, ptr, "needs at least one evidence file");
			}
		}
	}
	json_decref(st);
	if (!problem_error_count(&r->problem))
		return 0;
	return req_fail(r, 422, "validation-failed",
			"the questionnaire is not complete; errors lists every missing answer and evidence file");
}

/* POST /v1/respond/{token}/submit: the answers become read-only and the
 * score is stored (shown to staff only). */
int respond_submit(struct req *r)
{
	struct respondent who;
	struct sheet s = { 0 };
	json_t *score = NULL, *after = NULL;
	const char *params[5], *status;
	char *text = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (respond_open(r, &who, 1, &s) || respond_editable(r, &s))
		goto out;
	status = status_of(&s);
	if (!strcmp(status, "returned")) {
		req_fail(r, 409, "invalid-transition",
			 "the assessment was returned: change the returned items (or their evidence) before submitting again");
		goto out;
	}
	if (check_complete(r, &s))
		goto out;
	score = scoring_score(s.content, json_object_get(s.a, "answers"), json_object_get(s.a, "excluded"));
	json_object_set_new(score, "at", json_string("submission"));
	json_object_set_new(score, "scoring", json_integer(SCORING_VERSION));
	params[0] = who.tenant_id;
	params[1] = who.assessment_id;
	params[2] = text = json_dumps(score, JSON_COMPACT);
	params[3] = json_string_value(json_object_get(score, "verdict"));
	params[4] = who.actor;
	if ((err = db_exec(r->db, &submit_stmt, 5, params, &res)))
		goto out;
	json_object_set_new(s.a, "status", json_string(PQgetvalue(res, 0, 0)));
	after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	json_object_set(s.a, "submitted_at", json_object_get(after, "submitted_at"));
	json_object_set_new(s.a, "overdue", json_false());
	if ((err = audit_record_as(r->db, who.tenant_id, NULL, who.actor, r->request_id, "assessment.submitted",
				   "assessment", who.assessment_id, s.full, after)))
		goto out;
	ret = req_commit_json(r, 200, respond_view(&s), 0);
out:
	json_decref(score);
	json_decref(after);
	free(text);
	PQclear(res);
	respond_sheet_free(&s);
	return req_end(r, ret, err);
}

/*
 * prefill.c - last time's answers as suggestions in the respondent's view.
 * The rules are in prefill.h.
 */
#include "assessments/prefill.h"

#include <stdlib.h>
#include <string.h>
#include "core/problem.h"
#include "questionnaires/answers.h"
#include "questionnaires/content.h"

/* $1 tenant, $2 assessment -> per code: the latest completed answer of the
 * vendor on this template since its last full (not re-check) completed
 * assessment, the assessment it came from, the day it was submitted (Tokyo)
 * and that assessment's files for the code, each with whether it is older
 * than the tenant's evidence_max_age_months today. */
static struct db_stmt suggestions_stmt = DB_STMT(
	"with me as (select vendor_id, template_id from assessments where tenant_id = $1 and id = $2),"
	" last as (select x.completed_at from assessments x, me"
	"           where x.tenant_id = $1 and x.vendor_id = me.vendor_id and x.template_id = me.template_id"
	"             and x.status = 'completed' and x.recheck_of is null and x.id <> $2"
	"           order by x.completed_at desc limit 1)"
	" select distinct on (k.key) k.key, k.value::text, x.id,"
	"        (coalesce(x.submitted_at, x.completed_at) at time zone 'Asia/Tokyo')::date::text,"
	"        coalesce((select json_agg(json_build_object('filename', f.filename, 'content_type', f.content_type,"
	"                          'size', f.size, 'sha256', f.sha256, 'created_at', f.created_at,"
	"                          'expired', f.created_at < now() - make_interval(months => tenant_evidence_max_age_months($1)))"
	"                          order by f.created_at, f.id)"
	"                    from assessment_files f"
	"                   where f.tenant_id = $1 and f.assessment_id = x.id and f.question_code = k.key), '[]')::text"
	"   from assessments x, me, last, jsonb_each(x.answers) k"
	"  where x.tenant_id = $1 and x.vendor_id = me.vendor_id and x.template_id = me.template_id"
	"    and x.status = 'completed' and x.completed_at >= last.completed_at and x.id <> $2"
	"  order by k.key, x.completed_at desc");

static int is_editable(const char *status)
{
	return !strcmp(status, "sent") || !strcmp(status, "in_progress") || !strcmp(status, "returned");
}

/* Whether the previous value is still an answer this version's question takes. */
static int still_valid(const struct sheet *s, const char *code, json_t *value)
{
	struct problem p = { 0 };
	json_t *one = json_pack("{s:O}", code, value);
	int ok = answers_check(&p, s->content, one, "") == 0;

	problem_clear(&p);
	json_decref(one);
	return ok;
}

static int wants_evidence(json_t *q)
{
	const char *evidence = json_string_value(json_object_get(q, "evidence"));

	return content_type_of(q) == CONTENT_FILE || (evidence && strcmp(evidence, "never"));
}

/* The suggestion for the question q of view, or NULL. */
static json_t *suggestion(const struct sheet *s, json_t *q, json_t *row)
{
	const char *code = json_string_value(json_object_get(q, "code"));
	json_t *previous = json_object_get(row, "value"), *out;
	int file = content_type_of(respond_question(s, code)) == CONTENT_FILE;

	if (strcmp(json_string_value(json_object_get(q, "state")), "shown") || !respond_item_open(s, code) ||
	    answers_given(json_object_get(json_object_get(s->a, "answers"), code)))
		return NULL;
	if (!file && (!answers_given(previous) || !still_valid(s, code, previous)))
		return NULL;
	out = json_pack("{s:O, s:O, s:O}", "value", file ? json_null() : previous,
			"from_assessment", json_object_get(row, "from_assessment"),
			"answered_on", json_object_get(row, "answered_on"));
	if (wants_evidence(respond_question(s, code)))
		json_object_set(out, "files", json_object_get(row, "files"));
	return out;
}

int prefill_view(struct db_conn *db, const struct respondent *who, const struct sheet *s, json_t **view)
{
	const char *params[2] = { who->tenant_id, who->assessment_id };
	json_t *rows = NULL, *section, *q, *one;
	PGresult *res = NULL;
	size_t i, j;
	int err = 0;

	*view = respond_view(s);
	/* Suggestions help only while the vendor may still answer. */
	if (!is_editable(json_string_value(json_object_get(s->a, "status"))))
		return 0;
	if ((err = db_exec(db, &suggestions_stmt, 2, params, &res)))
		goto out;
	rows = json_object();
	for (int k = 0; k < PQntuples(res); k++)
		json_object_set_new(rows, PQgetvalue(res, k, 0),
				    json_pack("{s:o, s:s, s:s, s:o}",
					      "value", json_loads(PQgetvalue(res, k, 1), JSON_DECODE_ANY, NULL),
					      "from_assessment", PQgetvalue(res, k, 2),
					      "answered_on", PQgetvalue(res, k, 3),
					      "files", json_loads(PQgetvalue(res, k, 4), 0, NULL)));
	json_array_foreach(json_object_get(*view, "sections"), i, section)
		json_array_foreach(json_object_get(section, "questions"), j, q) {
			json_t *row = json_object_get(rows, json_string_value(json_object_get(q, "code")));

			if (row && (one = suggestion(s, q, row)))
				json_object_set_new(q, "suggestion", one);
		}
out:
	if (err) {
		json_decref(*view);
		*view = NULL;
	}
	json_decref(rows);
	PQclear(res);
	return err;
}

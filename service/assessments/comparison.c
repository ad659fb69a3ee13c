/*
 * comparison.c - two assessments of a vendor, answer by answer, as JSON
 * and as CSV. The rules are in comparison.h.
 */
#include "assessments/comparison.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/query.h"
#include "http/req.h"
#include "questionnaires/answers.h"
#include "questionnaires/scoring.h"
#include "util/csv.h"

/* One side as the comparison needs it. x: the assessment row; cutoff: the
 * instant before which a file counts as expired. */
#define SIDE(x) \
	"json_build_object('id', " x ".id, 'vendor_id', " x ".vendor_id, 'template_id', " x ".template_id," \
	"  'template_number', " x ".template_number, 'title', " x ".title, 'status', " x ".status," \
	"  'questionnaire', (select t.name from questionnaire_templates t" \
	"                     where t.tenant_id = " x ".tenant_id and t.id = " x ".template_id)," \
	"  'content', (select v.content from questionnaire_versions v where v.tenant_id = " x ".tenant_id" \
	"               and v.template_id = " x ".template_id and v.number = " x ".template_number)," \
	"  'answers', " x ".answers, 'excluded', " x ".excluded, 'score', " x ".score, 'verdict', " x ".verdict," \
	"  'submitted_at', " x ".submitted_at, 'completed_at', " x ".completed_at," \
	"  'files', coalesce((select json_agg(json_build_object('id', f.id, 'question', f.question_code," \
	"                            'filename', f.filename, 'size', f.size, 'sha256', f.sha256," \
	"                            'created_at', f.created_at, 'expired', f.created_at < r.cutoff)" \
	"                            order by f.question_code, f.created_at, f.id)" \
	"                      from assessment_files f" \
	"                     where f.tenant_id = " x ".tenant_id and f.assessment_id = " x ".id), '[]'))::text"

#define FINDING \
	"'id', f.id, 'assessment_id', f.assessment_id, 'question_code', f.question_code, 'title', f.title," \
	" 'severity', f.severity, 'status', f.status, 'opened_at', f.created_at"

/* $1 tenant, $2 assessment, $3 against (null: the default, comparison.h)
 * -> new side, old side (null when none), evidence_max_age_months, and the
 * vendor's findings opened and closed between the two sides' dates. */
static struct db_stmt compare_stmt = DB_STMT(
	"with a as (select * from assessments where tenant_id = $1 and id = $2),"
	" b as (select x.* from assessments x, a"
	"        where x.tenant_id = $1 and x.id <> a.id"
	"          and case when $3::uuid is not null then x.id = $3::uuid"
	"                   when a.recheck_of is not null then x.id = a.recheck_of"
	"                   else x.vendor_id = a.vendor_id and x.template_id = a.template_id"
	"                        and x.status = 'completed' and x.recheck_of is null"
	"                        and (x.created_at, x.id) < (a.created_at, a.id) end"
	"        order by x.completed_at desc nulls last limit 1),"
	" r as (select coalesce(a.submitted_at, now())"
	"              - make_interval(months => tenant_evidence_max_age_months($1)) cutoff from a),"
	" w as (select least(ta, tb) lo, greatest(ta, tb) hi"
	"         from (select coalesce(a.completed_at, a.submitted_at, now()) ta,"
	"                      coalesce(b.completed_at, b.submitted_at, now()) tb from a, b) t)"
	" select (select " SIDE("a") " from a, r), (select " SIDE("b") " from b, r),"
	"        tenant_evidence_max_age_months($1),"
	"        (select json_build_object('from', w.lo, 'to', w.hi,"
	"           'opened', coalesce((select json_agg(json_build_object(" FINDING ") order by f.created_at, f.id)"
	"                                 from findings f where f.tenant_id = $1 and f.vendor_id = a.vendor_id"
	"                                  and f.created_at > w.lo and f.created_at <= w.hi), '[]'),"
	"           'closed', coalesce((select json_agg(json_build_object(" FINDING ", 'closed_at', c.at)"
	"                                               order by c.at, f.id)"
	"                                 from findings f cross join lateral"
	"                                      (select max(e.at) at from finding_events e"
	"                                        where e.tenant_id = f.tenant_id and e.finding_id = f.id"
	"                                          and e.kind in ('status_changed', 'resolved_by_recheck')"
	"                                          and e.data ->> 'to' in ('resolved', 'risk_accepted')"
	"                                          and e.at > w.lo and e.at <= w.hi) c"
	"                                where f.tenant_id = $1 and f.vendor_id = a.vendor_id and c.at is not null), '[]'))"
	"           ::text from w, a)");

/* One side of the comparison (owned by the caller; side_free()). */
struct side {
	json_t *doc;        /* the row as SIDE() builds it */
	json_t *score;      /* the stored score, or one computed now */
	json_t *states;     /* answers_states(): code -> enum answer_state */
	json_t *questions;  /* code -> {question, section} (references into doc) */
	json_t *files;      /* code -> [file] (references into doc) */
};

static void side_free(struct side *s)
{
	json_decref(s->doc);
	json_decref(s->score);
	json_decref(s->states);
	json_decref(s->questions);
	json_decref(s->files);
	memset(s, 0, sizeof(*s));
}

static json_t *member(json_t *o, const char *a, const char *b)
{
	return json_object_get(json_object_get(o, a), b);
}

/* Takes the row (steals doc) and derives what the comparison reads. A
 * score stored before scores carried their per-question map is computed
 * again, like one never stored. */
static void side_init(struct side *s, json_t *doc)
{
	json_t *content = json_object_get(doc, "content"), *section, *q, *f, *list;
	json_t *answers = json_object_get(doc, "answers"), *excluded = json_object_get(doc, "excluded");
	size_t i, j;

	s->doc = doc;
	s->score = json_object_get(doc, "score");
	if (json_is_object(member(doc, "score", "questions")))
		json_incref(s->score);
	else
		s->score = scoring_score(content, answers, excluded);
	s->states = answers_states(content, answers, excluded);
	s->questions = json_object();
	json_array_foreach(json_object_get(content, "sections"), i, section)
		json_array_foreach(json_object_get(section, "questions"), j, q)
			json_object_set_new(s->questions, json_string_value(json_object_get(q, "code")),
					    json_pack("{s:O, s:O}", "question", q, "section", section));
	s->files = json_object();
	json_array_foreach(json_object_get(doc, "files"), i, f) {
		const char *code = json_string_value(json_object_get(f, "question"));

		if (!(list = json_object_get(s->files, code)))
			json_object_set_new(s->files, code, list = json_array());
		json_array_append(list, f);
	}
}

static int stored(const struct side *s)
{
	return json_object_get(s->doc, "score") == s->score;
}

static json_t *summary(const struct side *s)
{
	json_t *d = s->doc, *verdict = json_object_get(d, "verdict");

	if (json_is_null(verdict) || !verdict)
		verdict = json_object_get(s->score, "verdict");
	return json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:s}",
			 "id", json_object_get(d, "id"), "template_id", json_object_get(d, "template_id"),
			 "template_number", json_object_get(d, "template_number"),
			 "questionnaire", json_object_get(d, "questionnaire"), "title", json_object_get(d, "title"),
			 "status", json_object_get(d, "status"), "submitted_at", json_object_get(d, "submitted_at"),
			 "completed_at", json_object_get(d, "completed_at"), "verdict", verdict ? verdict : json_null(),
			 "overall", json_object_get(s->score, "overall") ? json_object_get(s->score, "overall") : json_null(),
			 "score_source", stored(s) ? "stored" : "computed");
}

/* a - b, or null when either is not a number. Question scores are in
 * [0, 1] (four decimals keep choice scores exact); section and overall
 * scores are percentages rounded to one decimal, like the scores. */
static json_t *change(json_t *a, json_t *b, int percent)
{
	double d;

	if (!json_is_number(a) || !json_is_number(b))
		return json_null();
	d = json_number_value(a) - json_number_value(b);
	return json_real(percent ? (d < 0 ? -scoring_round(-d) : scoring_round(d)) : round(d * 10000) / 10000);
}

static json_t *value_or_null(json_t *v)
{
	return v ? v : json_null();
}

static const char *state_name(const struct side *s, const char *code)
{
	json_t *st = json_object_get(s->states, code);

	if (!st)
		return "absent";
	switch (json_integer_value(st)) {
	case ANSWER_IN: return "asked";
	case ANSWER_EXCLUDED: return "not_asked";
	default: return "hidden";
	}
}

static int holds(json_t *files, json_t *f)
{
	const char *sha = json_string_value(json_object_get(f, "sha256"));
	json_t *g;
	size_t i;

	json_array_foreach(files, i, g)
		if (!strcmp(json_string_value(json_object_get(g, "sha256")), sha))
			return 1;
	return 0;
}

static json_t *evidence(const struct side *o, const struct side *n, const char *code)
{
	json_t *old = json_object_get(o->files, code), *new = json_object_get(n->files, code), *f;
	json_t *added = json_array(), *removed = json_array(), *expired = json_array();
	size_t i;

	json_array_foreach(new, i, f)
		if (!holds(old, f))
			json_array_append(added, f);
	json_array_foreach(old, i, f) {
		if (!holds(new, f))
			json_array_append(removed, f);
		if (json_is_true(json_object_get(f, "expired")))
			json_array_append(expired, f);
	}
	return json_pack("{s:o, s:o, s:o}", "added", added, "removed", removed, "expired", expired);
}

static json_t *question_item(const struct side *o, const struct side *n, const char *code)
{
	json_t *on = json_object_get(o->questions, code), *nn = json_object_get(n->questions, code);
	json_t *q = json_object_get(nn ? nn : on, "question"), *section = json_object_get(nn ? nn : on, "section");
	json_t *oa = value_or_null(member(o->doc, "answers", code)), *na = value_or_null(member(n->doc, "answers", code));
	json_t *os = value_or_null(member(o->score, "questions", code));
	json_t *ns = value_or_null(member(n->score, "questions", code));
	json_t *item;

	item = json_pack("{s:s, s:O, s:O, s:s, s:s, s:s, s:O, s:O, s:b, s:O, s:O, s:o, s:o}",
			 "code", code, "section", json_object_get(section, "code"),
			 "text_ja", json_object_get(q, "text_ja"),
			 "presence", on && nn ? "both" : nn ? "added" : "removed",
			 "old_state", state_name(o, code), "new_state", state_name(n, code),
			 "old_answer", oa, "new_answer", na, "answer_changed", !json_equal(oa, na),
			 "old_score", os, "new_score", ns, "score_change", change(ns, os, 0),
			 "evidence", evidence(o, n, code));
	if (json_object_get(q, "text_en"))
		json_object_set(item, "text_en", json_object_get(q, "text_en"));
	return item;
}

static json_t *section_score(const struct side *s, const char *code)
{
	json_t *x;
	size_t i;

	json_array_foreach(json_object_get(s->score, "sections"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "code")), code))
			return value_or_null(json_object_get(x, "score"));
	return json_null();
}

static json_t *section_of(const struct side *s, const char *code)
{
	json_t *x;
	size_t i;

	json_array_foreach(member(s->doc, "content", "sections"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "code")), code))
			return x;
	return NULL;
}

static json_t *section_item(const struct side *o, const struct side *n, const char *code)
{
	json_t *os = section_of(o, code), *ns = section_of(n, code);
	json_t *old = section_score(o, code), *new = section_score(n, code);

	return json_pack("{s:s, s:O, s:s, s:O, s:O, s:o}", "code", code,
			 "title_ja", json_object_get(ns ? ns : os, "title_ja"),
			 "presence", os && ns ? "both" : ns ? "added" : "removed",
			 "old_score", old, "new_score", new, "score_change", change(new, old, 1));
}

/* The codes to compare, in the new version's order then the removed ones
 * in the old version's; only shared ones across templates. kind:
 * "questions" or "sections". */
static json_t *codes(const struct side *o, const struct side *n, int same_template, const char *kind)
{
	json_t *out = json_array(), *seen = json_object(), *x, *q;
	const struct side *sides[2] = { n, o };
	size_t i, j;

	for (int k = 0; k < 2; k++) {
		json_array_foreach(member(sides[k]->doc, "content", "sections"), i, x) {
			json_t *list = !strcmp(kind, "sections") ? json_pack("[O]", x) : json_incref(json_object_get(x, "questions"));

			json_array_foreach(list, j, q) {
				const char *code = json_string_value(json_object_get(q, "code"));
				int both = !strcmp(kind, "sections") ? section_of(sides[!k], code) != NULL
								       : json_object_get(sides[!k]->questions, code) != NULL;

				if (json_object_get(seen, code) || (!same_template && !both))
					continue;
				json_object_set_new(seen, code, json_true());
				json_array_append_new(out, json_string(code));
			}
			json_decref(list);
		}
	}
	json_decref(seen);
	return out;
}

/* A text people read inside the answer: {code, message}, rendered in the
 * request's language from the catalogue like every such text. */
static json_t *note(const char *code, const char *message)
{
	return json_pack("{s:s, s:s}", "code", code, "message", message);
}

/* The comparison document (pure: everything read is in the sides). */
static json_t *build(const struct side *o, const struct side *n, json_t *extra)
{
	int same = json_equal(json_object_get(o->doc, "template_id"), json_object_get(n->doc, "template_id"));
	json_t *qcodes = codes(o, n, same, "questions"), *scodes = codes(o, n, same, "sections");
	json_t *questions = json_array(), *sections = json_array(), *v, *doc, *on, *nn;
	size_t i;

	json_array_foreach(qcodes, i, v)
		json_array_append_new(questions, question_item(o, n, json_string_value(v)));
	json_array_foreach(scodes, i, v)
		json_array_append_new(sections, section_item(o, n, json_string_value(v)));
	on = value_or_null(json_object_get(o->score, "overall"));
	nn = value_or_null(json_object_get(n->score, "overall"));
	doc = json_pack("{s:o, s:o, s:b, s:O, s:{s:O, s:O, s:o}, s:o, s:o, s:O}",
			"assessment", summary(n), "against", summary(o), "same_template", same,
			"evidence_max_age_months", json_object_get(extra, "evidence_max_age_months"),
			"overall", "old_score", on, "new_score", nn, "score_change", same ? change(nn, on, 1) : json_null(),
			"sections", sections, "questions", questions, "findings", json_object_get(extra, "findings"));
	if (!same)
		json_object_set_new(doc, "note", json_array_size(qcodes) ?
			note("different_templates", "the two assessments use different questionnaires: only the questions with the same code are compared") :
			note("no_shared_codes", "the two assessments use different questionnaires with no question code in common: there is nothing to compare answer by answer"));
	json_decref(qcodes);
	json_decref(scodes);
	return doc;
}

/* Reads both sides and builds the document. Returns 0 or -1 with a
 * problem on r (err set for a database failure). */
static int compare(struct req *r, json_t **out, int *err)
{
	const char *id = req_param_uuid(r, "id", "assessment");
	const char *against = req_query(r, "against") ? query_uuid(r, "against") : NULL;
	const char *params[3] = { r->who.tenant_id, id, against };
	struct side o = { 0 }, n = { 0 };
	json_t *extra = NULL;
	PGresult *res = NULL;
	int ret = -1;

	if (!id || query_fail(r))
		return -1;
	if (against && !strcmp(against, id)) {
		problem_add_parameter(&r->problem, "against", "must name another assessment than the one compared");
		return query_fail(r);
	}
	if (!req_db(r))
		return -1;
	if ((*err = db_exec(r->db, &compare_stmt, 3, params, &res)))
		return -1;
	if (PQgetisnull(res, 0, 0)) {
		req_fail(r, 404, "not-found", "no %s with this id", "assessment");
		goto out;
	}
	if (PQgetisnull(res, 0, 1)) {
		if (against)
			req_fail(r, 404, "not-found", "against names no assessment of this tenant");
		else
			req_fail(r, 404, "not-found",
				 "no earlier completed assessment of this vendor on this questionnaire to compare with; name one with against");
		goto out;
	}
	side_init(&n, json_loads(PQgetvalue(res, 0, 0), 0, NULL));
	side_init(&o, json_loads(PQgetvalue(res, 0, 1), 0, NULL));
	if (!json_equal(json_object_get(n.doc, "vendor_id"), json_object_get(o.doc, "vendor_id"))) {
		problem_add_parameter(&r->problem, "against", "names an assessment of another vendor");
		query_fail(r);
		goto out;
	}
	extra = json_pack("{s:I, s:o}", "evidence_max_age_months", (json_int_t)atoi(PQgetvalue(res, 0, 2)),
			  "findings", json_loads(PQgetvalue(res, 0, 3), 0, NULL));
	*out = build(&o, &n, extra);
	ret = 0;
out:
	json_decref(extra);
	side_free(&o);
	side_free(&n);
	PQclear(res);
	return ret;
}

int comparison_get(struct req *r)
{
	json_t *doc = NULL;
	int err = 0, ret = -1;

	if (compare(r, &doc, &err))
		goto out;
	ret = req_json(r, 200, doc);
out:
	return req_end(r, ret, err);
}

/* ---- CSV ------------------------------------------------------------------------ */

static const char *const headers[] = {
	"区分 / section", "設問コード / code", "設問 / question", "版の差 / presence",
	"前回の状態 / old_state", "今回の状態 / new_state", "前回の回答 / old_answer", "今回の回答 / new_answer",
	"回答の変更 / answer_changed", "前回の得点 / old_score", "今回の得点 / new_score", "得点の差 / score_change",
	"追加された証跡 / evidence_added", "削除された証跡 / evidence_removed", "期限切れの証跡 / evidence_expired",
	NULL };

/* An answer or a score as a cell: strings as they are, numbers, lists
 * joined with "; ", nothing for null. */
static void cell(struct csv_buf *out, json_t *v)
{
	char num[32];
	size_t i;
	json_t *x;

	if (json_is_string(v)) {
		csv_field(out, json_string_value(v), 0, 1);
	} else if (json_is_number(v)) {
		snprintf(num, sizeof(num), "%.10g", json_number_value(v));
		csv_field(out, num, 0, 0);
	} else if (json_is_array(v)) {
		struct csv_buf joined = { 0 };

		json_array_foreach(v, i, x) {
			if (i)
				csv_put(&joined, "; ", 2);
			if (json_is_string(x))
				csv_put(&joined, json_string_value(x), strlen(json_string_value(x)));
		}
		csv_field(out, joined.data ? joined.data : "", 0, 1);
		csv_buf_free(&joined);
	} else if (json_is_boolean(v)) {
		csv_field(out, json_is_true(v) ? "true" : "false", 0, 0);
	} else {
		csv_field(out, NULL, 0, 0);
	}
}

/* The file names of a list of files, one cell. */
static void names(struct csv_buf *out, json_t *files)
{
	json_t *list = json_array(), *f;
	size_t i;

	json_array_foreach(files, i, f)
		json_array_append(list, json_object_get(f, "filename"));
	cell(out, list);
	json_decref(list);
}

static void write_csv(json_t *doc, struct csv_buf *out)
{
	static const char *const members[] = { "presence", "old_state", "new_state", "old_answer", "new_answer",
		"answer_changed", "old_score", "new_score", "score_change", NULL };
	json_t *q;
	size_t i;

	csv_put(out, "\xEF\xBB\xBF", 3);
	for (i = 0; headers[i]; i++)
		csv_field(out, headers[i], i == 0, 0);
	csv_end_record(out);
	json_array_foreach(json_object_get(doc, "questions"), i, q) {
		json_t *ev = json_object_get(q, "evidence");

		csv_field(out, json_string_value(json_object_get(q, "section")), 1, 1);
		cell(out, json_object_get(q, "code"));
		cell(out, json_object_get(q, "text_ja"));
		for (size_t k = 0; members[k]; k++)
			cell(out, json_object_get(q, members[k]));
		names(out, json_object_get(ev, "added"));
		names(out, json_object_get(ev, "removed"));
		names(out, json_object_get(ev, "expired"));
		csv_end_record(out);
	}
}

int comparison_csv(struct req *r)
{
	struct csv_buf out = { 0 };
	json_t *doc = NULL;
	char disposition[160];
	int err = 0, ret = -1;

	if (compare(r, &doc, &err))
		goto out;
	write_csv(doc, &out);
	if (out.failed) {
		req_fail(r, 500, "internal", "out of memory");
		goto out;
	}
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"comparison-%s-%s.csv\"",
		 json_string_value(member(doc, "assessment", "id")), json_string_value(member(doc, "against", "id")));
	req_set_header(r, "Content-Disposition", disposition);
	ret = req_raw(r, 200, "text/csv; charset=utf-8", out.data, out.len);
out:
	json_decref(doc);
	csv_buf_free(&out);
	return req_end(r, ret, err);
}

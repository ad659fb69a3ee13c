/*
 * content.c - reading a questionnaire version's content.
 */
#include "questionnaires/content.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json/valid.h"
#include "questionnaires/applicability.h"

const char *const content_answer_types[] = { "scale", "single_choice", "multiple_choice", "text",
	"number", "date", "file", NULL };
const char *const content_scale_answers[] = { "yes", "partially", "no", "not_applicable", NULL };

static const char *const evidence_values[] = { "never", "always", "when_yes", NULL };
static const char *const frameworks[] = { "iso27001", "nisc8", "appi", "nisc_handbook", "scs", NULL };

static const char *const content_members[] = { "thresholds", "scale_scores", "applicability",
	"sections", NULL };
static const char *const section_members[] = { "code", "title_ja", "title_en", "weight",
	"applicability", "questions", NULL };
static const char *const question_members[] = { "code", "text_ja", "text_en", "help_ja", "help_en",
	"answer_type", "choices", "not_applicable_allowed", "unit", "min", "max", "weight", "required",
	"evidence", "knockout", "applicability", "exemptions", "depends_on", "controls",
	"remediation_ja", "remediation_en", NULL };

static int code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 32 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

static const char *check_code(struct problem *p, json_t *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);
	char ptr[128];

	snprintf(ptr, sizeof(ptr), "/%s", name);
	if (!v || json_is_null(v)) {
		problem_add_pointer(p, ptr, "is required");
		return NULL;
	}
	if (!json_is_string(v) || !code_ok(json_string_value(v))) {
		problem_add_pointer(p, ptr, "must be 1 to 32 characters of A-Z, 0-9, _ . - starting with a letter or digit");
		return NULL;
	}
	return json_string_value(v);
}

static json_t *check_choices(struct problem *p, json_t *list)
{
	static const char *const members[] = { "code", "label_ja", "label_en", "score", NULL };
	json_t *out = json_array(), *c;
	size_t i;

	json_array_foreach(list, i, c) {
		size_t from = problem_error_count(p);
		json_t *o = json_object(), *score;
		const char *code;
		char prefix[96];
		double d;

		snprintf(prefix, sizeof(prefix), "/choices/%zu", i);
		if (!json_is_object(c)) {
			problem_add_pointer(p, prefix, "must be an object");
			json_decref(o);
			continue;
		}
		jv_only(p, c, members);
		if ((code = check_code(p, c, "code"))) {
			json_object_set_new(o, "code", json_string(code));
			for (size_t j = 0; j < i; j++)
				if (json_equal(json_object_get(c, "code"), json_object_get(json_array_get(list, j), "code")))
					problem_add_pointer(p, "/code", "repeats the code of an earlier choice");
		}
		jv_string(p, c, "label_ja", JV_REQUIRED, 1, 200);
		jv_string(p, c, "label_en", JV_OPTIONAL, 1, 200);
		jv_keep(o, c, "label_ja");
		jv_keep(o, c, "label_en");
		score = json_object_get(c, "score");
		if (!score)
			problem_add_pointer(p, "/score", "is required: a number from 0 to 1, or null for a choice that does not count");
		else if (json_is_null(score))
			json_object_set_new(o, "score", json_null());
		else if (jv_number(p, c, "score", JV_REQUIRED, 0, 1, &d) == 1)
			json_object_set(o, "score", score);
		json_array_append_new(out, o);
		jv_rebase(p, from, prefix);
	}
	return out;
}

static json_t *check_depends(struct problem *p, json_t *d)
{
	static const char *const members[] = { "question", "any_of", "all_of", NULL };
	json_t *out = json_object(), *any = json_object_get(d, "any_of"), *all = json_object_get(d, "all_of");
	const char *which = all ? "all_of" : "any_of";
	const char *code;

	jv_only(p, d, members);
	if ((code = check_code(p, d, "question")))
		json_object_set_new(out, "question", json_string(code));
	if (any && all) {
		problem_add_pointer(p, "/all_of", "give any_of or all_of, not both");
		return out;
	}
	if (!jv_strings(p, d, which, 50, 1, 32, NULL) || jv_empty(d, which)) {
		if (jv_empty(d, which))
			problem_add_pointer(p, all ? "/all_of" : "/any_of", "is required: a list of at least one answer");
		return out;
	}
	json_object_set(out, which, json_object_get(d, which));
	return out;
}

/* Controls: distinct framework:code strings of a known framework. */
static void check_controls(struct problem *p, json_t *q, json_t *out)
{
	json_t *list = jv_strings(p, q, "controls", 20, 3, 60, NULL), *v;
	size_t i;

	if (!list)
		return;
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v), *colon = strchr(s, ':');
		int known = 0;

		for (size_t f = 0; colon && frameworks[f]; f++)
			known |= strlen(frameworks[f]) == (size_t)(colon - s) &&
				 !strncmp(s, frameworks[f], (size_t)(colon - s));
		if (!known || !colon[1]) {
			char ptr[128];

			snprintf(ptr, sizeof(ptr), "/controls/%zu", i);
			problem_add_pointer(p, ptr, "must be framework:code with a framework of iso27001, nisc8, appi, nisc_handbook, scs");
		}
	}
	json_object_set(out, "controls", list);
}

static void check_type_members(struct problem *p, json_t *q, json_t *out, int type)
{
	json_t *choices = json_object_get(q, "choices"), *list;
	double min = 0, max = 0, w = type <= CONTENT_MULTI ? 1 : 0;
	int na = 1, has_min, has_max, evidence, knockout = 0;

	if (type == CONTENT_SINGLE || type == CONTENT_MULTI) {
		if ((list = jv_array(p, q, "choices", JV_REQUIRED, 2, 50)))
			json_object_set_new(out, "choices", check_choices(p, list));
	} else if (choices && !json_is_null(choices)) {
		problem_add_pointer(p, "/choices", "is only for single_choice and multiple_choice questions");
	}
	if (jv_bool(p, q, "not_applicable_allowed", JV_OPTIONAL, &na) == 1 && type != CONTENT_SCALE)
		problem_add_pointer(p, "/not_applicable_allowed", "is only for scale questions");
	if (type == CONTENT_SCALE)
		json_object_set_new(out, "not_applicable_allowed", json_boolean(na));
	if (jv_string(p, q, "unit", JV_OPTIONAL, 1, 20) && type != CONTENT_NUMBER)
		problem_add_pointer(p, "/unit", "is only for number questions");
	has_min = jv_number(p, q, "min", JV_OPTIONAL, -1e15, 1e15, &min);
	has_max = jv_number(p, q, "max", JV_OPTIONAL, -1e15, 1e15, &max);
	if (type != CONTENT_NUMBER && (has_min == 1 || has_max == 1))
		problem_add_pointer(p, has_min == 1 ? "/min" : "/max", "is only for number questions");
	if (has_min == 1 && has_max == 1 && min > max)
		problem_add_pointer(p, "/max", "must not be less than min");
	jv_keep(out, q, "unit");
	jv_keep(out, q, "min");
	jv_keep(out, q, "max");
	if (jv_number(p, q, "weight", JV_OPTIONAL, 0, 1000, &w) == 1)
		json_object_set(out, "weight", json_object_get(q, "weight"));
	else
		json_object_set_new(out, "weight", json_integer((json_int_t)w));
	evidence = jv_enum(p, q, "evidence", JV_OPTIONAL, evidence_values);
	if (evidence == 2 && type != CONTENT_SCALE)
		problem_add_pointer(p, "/evidence", "when_yes is only for scale questions");
	if (evidence > 0 && type == CONTENT_FILE)
		problem_add_pointer(p, "/evidence", "must be never for a file question: the answer is the evidence");
	json_object_set_new(out, "evidence", json_string(evidence_values[evidence > 0 ? evidence : 0]));
	if (jv_bool(p, q, "knockout", JV_OPTIONAL, &knockout) == 1 && knockout && !content_type_scored(type))
		problem_add_pointer(p, "/knockout", "is only for scale and choice questions, whose answers can fail");
	json_object_set_new(out, "knockout", json_boolean(knockout));
}

static json_t *check_question(struct problem *p, json_t *q)
{
	json_t *out = json_object(), *ex, *d, *e;
	int type, required = 1;
	size_t i;

	jv_only(p, q, question_members);
	if (check_code(p, q, "code"))
		jv_keep(out, q, "code");
	jv_string(p, q, "text_ja", JV_REQUIRED, 1, 2000);
	jv_string(p, q, "text_en", JV_OPTIONAL, 1, 2000);
	jv_string(p, q, "help_ja", JV_OPTIONAL, 1, 4000);
	jv_string(p, q, "help_en", JV_OPTIONAL, 1, 4000);
	jv_keep(out, q, "text_ja");
	jv_keep(out, q, "text_en");
	jv_keep(out, q, "help_ja");
	jv_keep(out, q, "help_en");
	type = jv_enum(p, q, "answer_type", JV_REQUIRED, content_answer_types);
	if (type >= 0) {
		json_object_set_new(out, "answer_type", json_string(content_answer_types[type]));
		check_type_members(p, q, out, type);
	}
	jv_bool(p, q, "required", JV_OPTIONAL, &required);
	json_object_set_new(out, "required", json_boolean(required));
	applicability_read(p, q, out);
	if ((ex = jv_array(p, q, "exemptions", JV_OPTIONAL, 0, 5))) {
		json_t *list = json_array();

		json_array_foreach(ex, i, e) {
			size_t from = problem_error_count(p);
			char prefix[96];

			snprintf(prefix, sizeof(prefix), "/exemptions/%zu", i);
			if (!json_is_object(e))
				problem_add_pointer(p, prefix, "must be an object");
			else
				json_array_append_new(list, applicability_check_exemption(p, e));
			jv_rebase(p, from, prefix);
		}
		json_object_set_new(out, "exemptions", list);
	}
	if ((d = jv_object(p, q, "depends_on"))) {
		size_t from = problem_error_count(p);

		json_object_set_new(out, "depends_on", check_depends(p, d));
		jv_rebase(p, from, "/depends_on");
	}
	check_controls(p, q, out);
	jv_string(p, q, "remediation_ja", JV_OPTIONAL, 1, 2000);
	jv_string(p, q, "remediation_en", JV_OPTIONAL, 1, 2000);
	jv_keep(out, q, "remediation_ja");
	jv_keep(out, q, "remediation_en");
	return out;
}

static json_t *check_section(struct problem *p, json_t *s, size_t *budget)
{
	json_t *out = json_object(), *questions, *q, *list = json_array();
	double w = 1;
	size_t i;

	jv_only(p, s, section_members);
	if (check_code(p, s, "code"))
		jv_keep(out, s, "code");
	jv_string(p, s, "title_ja", JV_REQUIRED, 1, 200);
	jv_string(p, s, "title_en", JV_OPTIONAL, 1, 200);
	jv_keep(out, s, "title_ja");
	jv_keep(out, s, "title_en");
	if (jv_number(p, s, "weight", JV_OPTIONAL, 0, 1000, &w) == 1)
		json_object_set(out, "weight", json_object_get(s, "weight"));
	else
		json_object_set_new(out, "weight", json_integer(1));
	applicability_read(p, s, out);
	questions = jv_array(p, s, "questions", JV_REQUIRED, 1, 200);
	json_array_foreach(questions, i, q) {
		size_t from = problem_error_count(p);
		char prefix[96];

		snprintf(prefix, sizeof(prefix), "/questions/%zu", i);
		if (*budget == 0) {
			problem_add_pointer(p, prefix, "is one question too many: a version holds at most %d", CONTENT_MAX_QUESTIONS);
			break;
		}
		(*budget)--;
		if (!json_is_object(q))
			problem_add_pointer(p, prefix, "must be an object");
		else
			json_array_append_new(list, check_question(p, q));
		jv_rebase(p, from, prefix);
	}
	json_object_set_new(out, "questions", list);
	return out;
}

static json_t *check_scores(struct problem *p, json_t *content)
{
	static const char *const members[] = { "yes", "partially", "no", NULL };
	static const double defaults[] = { 1, 0.5, 0 };
	json_t *s = jv_object(p, content, "scale_scores"), *out = json_object();
	size_t from = problem_error_count(p);

	if (s)
		jv_only(p, s, members);
	for (int i = 0; members[i]; i++) {
		double d;

		if (s && jv_number(p, s, members[i], JV_OPTIONAL, 0, 1, &d) == 1)
			json_object_set(out, members[i], json_object_get(s, members[i]));
		else
			json_object_set_new(out, members[i], i == 1 ? json_real(defaults[i]) :
					    json_integer((json_int_t)defaults[i]));
	}
	jv_rebase(p, from, "/scale_scores");
	return out;
}

static json_t *check_thresholds(struct problem *p, json_t *content, int strict)
{
	static const char *const members[] = { "no_issues", "watch", NULL };
	json_t *t = jv_object(p, content, "thresholds"), *out = json_object();
	size_t from = problem_error_count(p);
	double good = 80, watch = 60;

	if (t) {
		jv_only(p, t, members);
		if (jv_number(p, t, "no_issues", JV_OPTIONAL, 0, 100, &good) == 1)
			json_object_set(out, "no_issues", json_object_get(t, "no_issues"));
		if (jv_number(p, t, "watch", JV_OPTIONAL, 0, 100, &watch) == 1)
			json_object_set(out, "watch", json_object_get(t, "watch"));
	}
	if (!json_object_get(out, "no_issues"))
		json_object_set_new(out, "no_issues", json_integer(80));
	if (!json_object_get(out, "watch"))
		json_object_set_new(out, "watch", json_integer(60));
	if (strict && watch > good)
		problem_add_pointer(p, "/watch", "must not be above no_issues");
	jv_rebase(p, from, "/thresholds");
	return out;
}

/* The rules that need the whole sheet (strict only). */
static void check_rules(struct problem *p, json_t *content);

json_t *content_check(struct problem *p, json_t *content, int strict)
{
	size_t before = problem_error_count(p), budget = CONTENT_MAX_QUESTIONS, i;
	json_t *out = json_object(), *sections, *s, *list = json_array();

	jv_only(p, content, content_members);
	json_object_set_new(out, "thresholds", check_thresholds(p, content, strict));
	json_object_set_new(out, "scale_scores", check_scores(p, content));
	applicability_read(p, content, out);
	sections = jv_array(p, content, "sections", JV_REQUIRED, 1, CONTENT_MAX_SECTIONS);
	json_array_foreach(sections, i, s) {
		size_t from = problem_error_count(p);
		char prefix[96];

		snprintf(prefix, sizeof(prefix), "/sections/%zu", i);
		if (!json_is_object(s))
			problem_add_pointer(p, prefix, "must be an object");
		else
			json_array_append_new(list, check_section(p, s, &budget));
		jv_rebase(p, from, prefix);
	}
	json_object_set_new(out, "sections", list);
	if (problem_error_count(p) == before && strict)
		check_rules(p, out);
	if (problem_error_count(p) > before) {
		json_decref(out);
		return NULL;
	}
	return out;
}

enum content_type content_type_of(json_t *question)
{
	const char *t = json_string_value(json_object_get(question, "answer_type"));

	for (int i = 0; t && content_answer_types[i]; i++)
		if (!strcmp(t, content_answer_types[i]))
			return (enum content_type)i;
	return CONTENT_TEXT;
}

int content_type_scored(enum content_type t)
{
	return t == CONTENT_SCALE || t == CONTENT_SINGLE || t == CONTENT_MULTI;
}

size_t content_question_count(json_t *content)
{
	json_t *s;
	size_t i, n = 0;

	json_array_foreach(json_object_get(content, "sections"), i, s)
		n += json_array_size(json_object_get(s, "questions"));
	return n;
}

json_t *content_controls(json_t *content)
{
	json_t *out = json_array(), *s, *q, *c;
	size_t i, j, k;

	json_array_foreach(json_object_get(content, "sections"), i, s) {
		json_array_foreach(json_object_get(s, "questions"), j, q) {
			json_array_foreach(json_object_get(q, "controls"), k, c) {
				char ptr[128];

				snprintf(ptr, sizeof(ptr), "/sections/%zu/questions/%zu/controls/%zu", i, j, k);
				json_array_append_new(out, json_pack("{s:s, s:O}", "pointer", ptr, "ref", c));
			}
		}
	}
	return out;
}

/* ---- rules over the whole sheet ------------------------------------------- */

struct node {
	json_t *q;
	char ptr[64];
	int dep;        /* index of the question it depends on, -1 none */
	int state;      /* cycle search: 0 new, 1 on the path, 2 done */
};

/* Answers the question at n may be given: its choice codes, or the scale's. */
static int answer_known(json_t *q, const char *answer)
{
	json_t *c;
	size_t i;

	if (content_type_of(q) == CONTENT_SCALE) {
		for (i = 0; content_scale_answers[i]; i++)
			if (!strcmp(answer, content_scale_answers[i]))
				return 1;
		return 0;
	}
	json_array_foreach(json_object_get(q, "choices"), i, c)
		if (!strcmp(answer, json_string_value(json_object_get(c, "code"))))
			return 1;
	return 0;
}

static void check_dependency(struct problem *p, struct node *nodes, json_t *index, size_t n)
{
	json_t *d = json_object_get(nodes[n].q, "depends_on"), *list, *v;
	json_t *at = json_object_get(index, json_string_value(json_object_get(d, "question")));
	const char *which = json_object_get(d, "all_of") ? "all_of" : "any_of";
	char ptr[128];
	struct node *target;
	size_t i;

	snprintf(ptr, sizeof(ptr), "%s/depends_on/question", nodes[n].ptr);
	if (!at) {
		problem_add_pointer(p, ptr, "names no question of this version");
		return;
	}
	target = &nodes[json_integer_value(at)];
	if (target == &nodes[n]) {
		problem_add_pointer(p, ptr, "must name another question");
		return;
	}
	if (!content_type_scored(content_type_of(target->q))) {
		problem_add_pointer(p, ptr, "must name a scale or choice question");
		return;
	}
	nodes[n].dep = (int)json_integer_value(at);
	snprintf(ptr, sizeof(ptr), "%s/depends_on/%s", nodes[n].ptr, which);
	if (!strcmp(which, "all_of") && content_type_of(target->q) != CONTENT_MULTI)
		problem_add_pointer(p, ptr, "is only for a multiple_choice question; use any_of");
	list = json_object_get(d, which);
	json_array_foreach(list, i, v) {
		if (!answer_known(target->q, json_string_value(v))) {
			snprintf(ptr, sizeof(ptr), "%s/depends_on/%s/%zu", nodes[n].ptr, which, i);
			problem_add_pointer(p, ptr, "is not an answer of question %s", json_string_value(json_object_get(d, "question")));
		}
	}
}

static void check_rules(struct problem *p, json_t *content)
{
	json_t *sections = json_object_get(content, "sections"), *s, *q, *index = json_object();
	json_t *section_codes = json_object();
	size_t count = content_question_count(content), n = 0, i, j;
	struct node *nodes = calloc(count ? count : 1, sizeof(*nodes));

	json_array_foreach(sections, i, s) {
		const char *code = json_string_value(json_object_get(s, "code"));
		char ptr[128];

		snprintf(ptr, sizeof(ptr), "/sections/%zu/code", i);
		if (json_object_get(section_codes, code))
			problem_add_pointer(p, ptr, "repeats the code of an earlier section");
		json_object_set_new(section_codes, code, json_true());
		json_array_foreach(json_object_get(s, "questions"), j, q) {
			code = json_string_value(json_object_get(q, "code"));
			nodes[n].q = q;
			nodes[n].dep = -1;
			snprintf(nodes[n].ptr, sizeof(nodes[n].ptr), "/sections/%zu/questions/%zu", i, j);
			if (json_object_get(index, code)) {
				snprintf(ptr, sizeof(ptr), "%s/code", nodes[n].ptr);
				problem_add_pointer(p, ptr, "repeats the code of an earlier question");
			} else {
				json_object_set_new(index, code, json_integer((json_int_t)n));
			}
			n++;
		}
	}
	for (i = 0; i < count; i++)
		if (json_object_get(nodes[i].q, "depends_on"))
			check_dependency(p, nodes, index, i);
	/* Each question depends on at most one other: follow the chain from
	 * every question; meeting the current path again is a cycle. */
	for (i = 0; i < count; i++) {
		size_t k = i;

		while (nodes[k].state == 0) {
			nodes[k].state = 1;
			if (nodes[k].dep < 0)
				break;
			k = (size_t)nodes[k].dep;
		}
		if (nodes[k].state == 1 && nodes[k].dep >= 0) {
			char ptr[128];

			snprintf(ptr, sizeof(ptr), "%s/depends_on/question", nodes[k].ptr);
			problem_add_pointer(p, ptr, "forms a cycle: the questions it depends on lead back to this one");
		}
		for (k = i; nodes[k].state == 1; k = (size_t)nodes[k].dep) {
			nodes[k].state = 2;
			if (nodes[k].dep < 0)
				break;
		}
	}
	free(nodes);
	json_decref(index);
	json_decref(section_codes);
}

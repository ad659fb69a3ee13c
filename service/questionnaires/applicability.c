/*
 * applicability.c - reading applicability conditions and exemptions.
 */
#include "questionnaires/applicability.h"

#include <stdio.h>
#include <string.h>
#include "json/valid.h"
#include "register/certifications.h"
#include "register/engagements.h"

/* The facts of the context a sheet is sent for. */
static const char *const fact_names[] = { "handles_personal_data", "data_outside_jp",
	"subcontracting_allowed", "personal_data_categories", "category", "confidentiality", NULL };
enum { FACT_PERSONAL, FACT_OUTSIDE, FACT_SUBCONTRACTING, FACT_DATA_CATEGORIES, FACT_CATEGORY,
       FACT_CONFIDENTIALITY };

static json_t *check_condition(struct problem *p, json_t *c)
{
	static const char *const flag[] = { "fact", "equals", NULL };
	static const char *const set[] = { "fact", "any_of", NULL };
	static const char *const level[] = { "fact", "at_least", NULL };
	int fact = jv_enum(p, c, "fact", JV_REQUIRED, fact_names), b;
	json_t *out = json_object(), *list;
	long long n;

	if (fact >= 0)
		json_object_set_new(out, "fact", json_string(fact_names[fact]));
	switch (fact) {
	case FACT_PERSONAL:
	case FACT_OUTSIDE:
	case FACT_SUBCONTRACTING:
		jv_only(p, c, flag);
		if (jv_bool(p, c, "equals", JV_REQUIRED, &b) == 1)
			json_object_set_new(out, "equals", json_boolean(b));
		break;
	case FACT_DATA_CATEGORIES:
	case FACT_CATEGORY:
		jv_only(p, c, set);
		list = jv_strings(p, c, "any_of", 10, 1, 40, fact == FACT_CATEGORY ?
				  engagements_categories : engagements_data_categories);
		if (list && json_array_size(list) > 0)
			json_object_set(out, "any_of", list);
		else if (jv_empty(c, "any_of"))
			problem_add_pointer(p, "/any_of", "is required: a list of at least one value");
		break;
	case FACT_CONFIDENTIALITY:
		jv_only(p, c, level);
		if (jv_int(p, c, "at_least", JV_REQUIRED, 1, 3, &n) == 1)
			json_object_set_new(out, "at_least", json_integer(n));
		break;
	}
	return out;
}

static json_t *check_applicability(struct problem *p, json_t *a)
{
	static const char *const members[] = { "all", "explanation_ja", "explanation_en", NULL };
	json_t *out = json_object(), *all, *c, *conds = json_array();
	size_t i;

	jv_only(p, a, members);
	all = jv_array(p, a, "all", JV_REQUIRED, 1, 6);
	json_array_foreach(all, i, c) {
		size_t from = problem_error_count(p);
		char prefix[96];

		if (!json_is_object(c)) {
			snprintf(prefix, sizeof(prefix), "/all/%zu", i);
			problem_add_pointer(p, prefix, "must be an object");
			continue;
		}
		json_array_append_new(conds, check_condition(p, c));
		snprintf(prefix, sizeof(prefix), "/all/%zu", i);
		jv_rebase(p, from, prefix);
	}
	json_object_set_new(out, "all", conds);
	jv_string(p, a, "explanation_ja", JV_REQUIRED, 1, 500);
	jv_string(p, a, "explanation_en", JV_OPTIONAL, 1, 500);
	jv_keep(out, a, "explanation_ja");
	jv_keep(out, a, "explanation_en");
	return out;
}

void applicability_read(struct problem *p, json_t *obj, json_t *out)
{
	json_t *a = jv_object(p, obj, "applicability");
	size_t from = problem_error_count(p);

	if (!a)
		return;
	json_object_set_new(out, "applicability", check_applicability(p, a));
	jv_rebase(p, from, "/applicability");
}

json_t *applicability_check_exemption(struct problem *p, json_t *e)
{
	static const char *const members[] = { "certification", "scope_verified", "explanation_ja",
		"explanation_en", NULL };
	json_t *out = json_object();
	int kind, verified = 1;

	jv_only(p, e, members);
	kind = jv_enum(p, e, "certification", JV_REQUIRED, certifications_kinds);
	if (kind >= 0 && !strcmp(certifications_kinds[kind], "other"))
		problem_add_pointer(p, "/certification", "must name a scheme; other cannot exempt");
	jv_keep(out, e, "certification");
	jv_bool(p, e, "scope_verified", JV_OPTIONAL, &verified);
	json_object_set_new(out, "scope_verified", json_boolean(verified));
	jv_string(p, e, "explanation_ja", JV_REQUIRED, 1, 500);
	jv_string(p, e, "explanation_en", JV_OPTIONAL, 1, 500);
	jv_keep(out, e, "explanation_ja");
	jv_keep(out, e, "explanation_en");
	return out;
}


/* ---- evaluation when an assessment is sent -------------------------------- */

static int in_list(json_t *list, json_t *v)
{
	json_t *x;
	size_t i;

	json_array_foreach(list, i, x)
		if (json_equal(x, v))
			return 1;
	return 0;
}

static int condition_holds(json_t *c, json_t *facts)
{
	const char *fact = json_string_value(json_object_get(c, "fact"));
	json_t *v = json_object_get(facts, fact), *x, *equals = json_object_get(c, "equals");
	json_t *any = json_object_get(c, "any_of"), *least = json_object_get(c, "at_least");
	size_t i;

	if (equals)
		return (v && !json_is_null(v) ? json_is_true(v) : 0) == json_is_true(equals);
	if (!v || json_is_null(v))
		return 0;
	if (least)
		return json_is_integer(v) && json_integer_value(v) >= json_integer_value(least);
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (in_list(any, x))
				return 1;
		return 0;
	}
	return in_list(any, v);
}

/* The reason the block a excludes for, or NULL when it holds (or there is
 * no block). */
static json_t *failing(json_t *a, json_t *facts, const char *level)
{
	json_t *c, *out;
	size_t i;

	if (!a)
		return NULL;
	json_array_foreach(json_object_get(a, "all"), i, c)
		if (!condition_holds(c, facts))
			break;
	if (i == json_array_size(json_object_get(a, "all")))
		return NULL;
	out = json_pack("{s:s, s:s}", "reason", "not_applicable", "level", level);
	jv_keep(out, a, "explanation_ja");
	jv_keep(out, a, "explanation_en");
	return out;
}

static json_t *exempting(json_t *q, json_t *facts)
{
	json_t *e, *c, *out;
	size_t i, j;

	json_array_foreach(json_object_get(q, "exemptions"), i, e) {
		json_array_foreach(json_object_get(facts, "certifications"), j, c) {
			if (!json_equal(json_object_get(c, "kind"), json_object_get(e, "certification")) ||
			    (json_is_true(json_object_get(e, "scope_verified")) &&
			     !json_is_true(json_object_get(c, "scope_verified"))))
				continue;
			out = json_pack("{s:s, s:s, s:O, s:O}", "reason", "exempt", "level", "question",
					"certification", json_object_get(e, "certification"),
					"certification_id", json_object_get(c, "id"));
			jv_keep(out, e, "explanation_ja");
			jv_keep(out, e, "explanation_en");
			return out;
		}
	}
	return NULL;
}

json_t *applicability_resolve(json_t *content, json_t *facts)
{
	json_t *out = json_object(), *sheet = failing(json_object_get(content, "applicability"), facts, "sheet");
	json_t *s, *q;
	size_t i, j;

	json_array_foreach(json_object_get(content, "sections"), i, s) {
		json_t *section = sheet ? json_incref(sheet) :
				  failing(json_object_get(s, "applicability"), facts, "section");

		json_array_foreach(json_object_get(s, "questions"), j, q) {
			json_t *why = section ? json_incref(section) :
				      failing(json_object_get(q, "applicability"), facts, "question");

			if (!why)
				why = exempting(q, facts);
			if (why)
				json_object_set_new(out, json_string_value(json_object_get(q, "code")), why);
		}
		json_decref(section);
	}
	json_decref(sheet);
	return out;
}

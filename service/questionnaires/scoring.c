/*
 * scoring.c - weighted scores, knockouts and the verdict.
 */
#include "questionnaires/scoring.h"

#include <math.h>
#include <string.h>
#include "questionnaires/answers.h"
#include "questionnaires/content.h"

/* A question's contribution: counts (0/1) and score s in [0, 1]. */
struct mark {
	int counts;
	double s;
};

double scoring_round(double x)
{
	/* The epsilon keeps 72.25 from becoming 72.2 through binary noise. */
	return floor(x * 10 + 0.5 + 1e-9) / 10;
}

static json_t *choice(json_t *q, json_t *code)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(q, "choices"), i, c)
		if (json_equal(json_object_get(c, "code"), code))
			return c;
	return NULL;
}

/* The score of an answered scored question; counts 0 when the answer means
 * "does not apply". */
static struct mark score_answer(json_t *content, json_t *q, json_t *v)
{
	struct mark m = { 1, 0 };
	json_t *c, *item;
	size_t i;
	int any = 0;

	switch (content_type_of(q)) {
	case CONTENT_SCALE:
		if (!strcmp(json_string_value(v), "not_applicable"))
			m.counts = 0;
		else
			m.s = json_number_value(json_object_get(json_object_get(content, "scale_scores"),
								json_string_value(v)));
		return m;
	case CONTENT_SINGLE:
		c = choice(q, v);
		if (!c || json_is_null(json_object_get(c, "score")))
			m.counts = 0;
		else
			m.s = json_number_value(json_object_get(c, "score"));
		return m;
	case CONTENT_MULTI:
		json_array_foreach(v, i, item) {
			c = choice(q, item);
			if (c && !json_is_null(json_object_get(c, "score"))) {
				any = 1;
				m.s += json_number_value(json_object_get(c, "score"));
			}
		}
		m.counts = any;
		m.s = m.s > 1 ? 1 : m.s;
		return m;
	default:
		m.s = 1;
		return m;
	}
}

int scoring_answer(json_t *content, json_t *q, json_t *value, double *s)
{
	struct mark m = score_answer(content, q, value);

	*s = m.s;
	return m.counts;
}

static void append_code(json_t *list, json_t *q)
{
	json_array_append(list, json_object_get(q, "code"));
}

static const char *verdict_of(json_t *content, double overall)
{
	json_t *t = json_object_get(content, "thresholds");

	if (overall >= json_number_value(json_object_get(t, "no_issues")))
		return "no_issues";
	if (overall >= json_number_value(json_object_get(t, "watch")))
		return "watch";
	return "action_required";
}

json_t *scoring_score(json_t *content, json_t *answers, json_t *excluded)
{
	json_t *states = answers_states(content, answers, excluded), *s, *q;
	json_t *sections = json_array(), *failed = json_array(), *missing = json_array();
	json_t *hidden = json_array(), *out = json_array(), *per = json_object(), *result;
	double total = 0, total_weight = 0;
	size_t i, j, answered_all = 0;

	json_array_foreach(json_object_get(content, "sections"), i, s) {
		double sum = 0, weight = 0, sw = json_number_value(json_object_get(s, "weight"));
		size_t asked = 0, answered = 0, counted = 0;
		json_t *score = json_null();

		json_array_foreach(json_object_get(s, "questions"), j, q) {
			const char *code = json_string_value(json_object_get(q, "code"));
			int state = (int)json_integer_value(json_object_get(states, code));
			double w = json_number_value(json_object_get(q, "weight"));
			json_t *v = json_object_get(answers, code);
			int given = answers_given(v), required = json_is_true(json_object_get(q, "required"));
			struct mark m = { 0, 0 };

			if (state != ANSWER_IN) {
				append_code(state == ANSWER_HIDDEN ? hidden : out, q);
				continue;
			}
			asked++;
			if (given) {
				answered++;
				m = score_answer(content, q, v);
			} else if (required) {
				append_code(missing, q);
				m.counts = 1;
			}
			if (json_is_true(json_object_get(q, "knockout")) && m.counts && m.s < 1)
				append_code(failed, q);
			/* per asked question: its score in [0, 1], null when it does
			 * not count (not answered and optional, N/A, a null choice) */
			json_object_set_new(per, code, m.counts ? json_real(m.s) : json_null());
			if (w > 0 && m.counts) {
				counted++;
				sum += w * m.s;
				weight += w;
			}
		}
		answered_all += answered;
		if (weight > 0) {
			double value = scoring_round(sum / weight * 100);

			score = json_real(value);
			if (sw > 0) {
				total += sw * value;
				total_weight += sw;
			}
		}
		json_array_append_new(sections, json_pack("{s:O, s:o, s:O, s:I, s:I, s:I}",
			"code", json_object_get(s, "code"), "score", score, "weight", json_object_get(s, "weight"),
			"asked", (json_int_t)asked, "answered", (json_int_t)answered, "counted", (json_int_t)counted));
	}
	result = json_object();
	if (total_weight > 0) {
		double overall = scoring_round(total / total_weight);

		json_object_set_new(result, "overall", json_real(overall));
		json_object_set_new(result, "verdict", json_string(json_array_size(failed) ?
					"action_required" : verdict_of(content, overall)));
	} else {
		json_object_set_new(result, "overall", json_null());
		json_object_set_new(result, "verdict", json_array_size(failed) ?
				    json_string("action_required") : json_null());
	}
	json_object_set_new(result, "knockouts_failed", failed);
	json_object_set_new(result, "answered", json_integer((json_int_t)answered_all));
	json_object_set_new(result, "required_missing", missing);
	json_object_set_new(result, "sections", sections);
	json_object_set_new(result, "questions", per);
	json_object_set_new(result, "hidden", hidden);
	json_object_set_new(result, "excluded", out);
	json_decref(states);
	return result;
}

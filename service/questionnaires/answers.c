/*
 * answers.c - checking answers and deciding which questions are shown.
 */
#include "questionnaires/answers.h"

#include <stdio.h>
#include <string.h>
#include "json/valid.h"
#include "questionnaires/content.h"

static json_t *find_question(json_t *content, const char *code)
{
	json_t *s, *q;
	size_t i, j;

	json_array_foreach(json_object_get(content, "sections"), i, s)
		json_array_foreach(json_object_get(s, "questions"), j, q)
			if (!strcmp(code, json_string_value(json_object_get(q, "code"))))
				return q;
	return NULL;
}

static int choice_known(json_t *q, const char *code)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(q, "choices"), i, c)
		if (!strcmp(code, json_string_value(json_object_get(c, "code"))))
			return 1;
	return 0;
}

/* The message for a wrong value of q, or NULL when it is right. */
static const char *check_value(json_t *q, json_t *v)
{
	enum content_type t = content_type_of(q);
	json_t *item;
	size_t i, j;

	switch (t) {
	case CONTENT_SCALE:
		if (!json_is_string(v))
			return "must be yes, partially, no or not_applicable";
		for (i = 0; i < 3; i++)
			if (!strcmp(json_string_value(v), content_scale_answers[i]))
				return NULL;
		if (!strcmp(json_string_value(v), "not_applicable"))
			return json_is_true(json_object_get(q, "not_applicable_allowed")) ? NULL :
			       "may not be answered not_applicable: this question applies to every vendor asked";
		return "must be yes, partially, no or not_applicable";
	case CONTENT_SINGLE:
		return json_is_string(v) && choice_known(q, json_string_value(v)) ? NULL :
		       "must be the code of one of the question's choices";
	case CONTENT_MULTI:
		if (!json_is_array(v))
			return "must be an array of distinct choice codes";
		json_array_foreach(v, i, item) {
			if (!json_is_string(item) || !choice_known(q, json_string_value(item)))
				return "must be an array of distinct choice codes";
			for (j = 0; j < i; j++)
				if (json_equal(item, json_array_get(v, j)))
					return "must be an array of distinct choice codes";
		}
		return NULL;
	case CONTENT_TEXT:
		return json_is_string(v) && jv_utf8_len(json_string_value(v)) <= 10000 ? NULL :
		       "must be a text of at most 10000 characters";
	case CONTENT_NUMBER: {
		json_t *min = json_object_get(q, "min"), *max = json_object_get(q, "max");

		if (!json_is_number(v))
			return "must be a number";
		if ((min && json_number_value(v) < json_number_value(min)) ||
		    (max && json_number_value(v) > json_number_value(max)))
			return "is outside the question's min and max";
		return NULL;
	}
	case CONTENT_DATE:
		return json_is_string(v) && jv_is_date(json_string_value(v)) ? NULL :
		       "must be a date as YYYY-MM-DD";
	case CONTENT_FILE:
		if (!json_is_array(v) || json_array_size(v) > 20)
			return "must be an array of at most 20 evidence references";
		json_array_foreach(v, i, item)
			if (!json_is_string(item) || jv_utf8_len(json_string_value(item)) < 1 ||
			    jv_utf8_len(json_string_value(item)) > 200)
				return "must be an array of at most 20 evidence references";
		return NULL;
	}
	return NULL;
}

int answers_check(struct problem *p, json_t *content, json_t *answers, const char *prefix)
{
	size_t before = problem_error_count(p);
	const char *code, *message;
	json_t *v, *q;

	json_object_foreach(answers, code, v) {
		char ptr[160], member[100];

		/* the client chose the key: escaped as a pointer needs it */
		jv_pointer(member, sizeof(member), code);
		snprintf(ptr, sizeof(ptr), "%s%s", prefix, member);
		if (!(q = find_question(content, code))) {
			problem_add_pointer(p, ptr, "names no question of this version");
			continue;
		}
		if (!json_is_null(v) && (message = check_value(q, v)))
			problem_add_pointer(p, ptr, "%s", message);
	}
	return problem_error_count(p) > before ? -1 : 0;
}

int answers_given(json_t *v)
{
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v))
		return json_string_value(v)[0] != '\0';
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return 1;
}

static int matches(json_t *depends, json_t *answer)
{
	json_t *any = json_object_get(depends, "any_of"), *all = json_object_get(depends, "all_of"), *v, *a;
	size_t i, j;

	if (all) {
		json_array_foreach(all, i, v) {
			int found = 0;

			json_array_foreach(answer, j, a)
				found |= json_equal(a, v);
			if (!found)
				return 0;
		}
		return 1;
	}
	json_array_foreach(any, i, v) {
		if (json_is_array(answer)) {
			json_array_foreach(answer, j, a)
				if (json_equal(a, v))
					return 1;
		} else if (json_equal(answer, v)) {
			return 1;
		}
	}
	return 0;
}

/* The state of q, computed once into states; depth bounds the chain (the
 * content has no cycle, but the bound keeps a wrong input finite). */
static int state_of(json_t *content, json_t *answers, json_t *excluded, json_t *states,
		    json_t *q, size_t depth)
{
	const char *code = json_string_value(json_object_get(q, "code"));
	json_t *known = json_object_get(states, code), *d = json_object_get(q, "depends_on"), *t;
	int state = ANSWER_IN;

	if (known)
		return (int)json_integer_value(known);
	if (excluded && json_object_get(excluded, code)) {
		state = ANSWER_EXCLUDED;
	} else if (d) {
		const char *target = json_string_value(json_object_get(d, "question"));
		json_t *answer = json_object_get(answers, target);

		t = find_question(content, target);
		if (!t || depth > CONTENT_MAX_QUESTIONS ||
		    state_of(content, answers, excluded, states, t, depth + 1) != ANSWER_IN ||
		    !answers_given(answer) || !matches(d, answer))
			state = ANSWER_HIDDEN;
	}
	json_object_set_new(states, code, json_integer(state));
	return state;
}

json_t *answers_states(json_t *content, json_t *answers, json_t *excluded)
{
	json_t *states = json_object(), *s, *q;
	size_t i, j;

	json_array_foreach(json_object_get(content, "sections"), i, s)
		json_array_foreach(json_object_get(s, "questions"), j, q)
			state_of(content, answers, excluded, states, q, 0);
	return states;
}

/* Unit tests: reading a questionnaire version's content: defaults written
 * out, every shape error with its pointer, the whole-sheet rules only when
 * strict (duplicate codes, depends_on, cycles, thresholds' order). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "questionnaires/content.h"

#define SECTION(questions) "{\"sections\":[{\"code\":\"S\",\"title_ja\":\"s\",\"questions\":[" questions "]}]}"
#define SCALE(code) "{\"code\":\"" code "\",\"text_ja\":\"q\",\"answer_type\":\"scale\"}"

/* Checks text; returns the normalised content or NULL, errors in p. */
static json_t *check(struct problem *p, const char *text, int strict)
{
	json_t *raw = json_loads(text, 0, NULL), *out;

	ck_assert_msg(raw != NULL, "test JSON must parse: %s", text);
	out = content_check(p, raw, strict);
	json_decref(raw);
	return out;
}

/* Whether p has an error at pointer whose message starts with prefix. */
static int has_error(const struct problem *p, const char *pointer, const char *prefix)
{
	json_t *e;
	size_t i;

	json_array_foreach(p->errors, i, e) {
		const char *ptr = json_string_value(json_object_get(e, "pointer"));
		const char *msg = json_string_value(json_object_get(e, "message"));

		if (ptr && !strcmp(ptr, pointer) && msg && !strncmp(msg, prefix, strlen(prefix)))
			return 1;
	}
	return 0;
}

static void refused(const char *text, int strict, const char *pointer, const char *prefix)
{
	struct problem p = { 0 };
	json_t *out = check(&p, text, strict);

	ck_assert_msg(out == NULL, "expected %s to be refused", text);
	ck_assert_msg(has_error(&p, pointer, prefix), "expected an error at %s (\"%s...\"), got %s", pointer, prefix,
		      p.errors ? json_dumps(p.errors, 0) : "none");
	problem_clear(&p);
}

START_TEST(defaults_are_written_out)
{
	struct problem p = { 0 };
	json_t *c = check(&p, SECTION(SCALE("Q1") ",{\"code\":\"Q2\",\"text_ja\":\"q\",\"answer_type\":\"text\"}"), 1);
	json_t *q1, *q2;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(c, "thresholds"), "no_issues")), 80);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(c, "thresholds"), "watch")), 60);
	ck_assert(json_real_value(json_object_get(json_object_get(c, "scale_scores"), "partially")) == 0.5);
	q1 = json_array_get(json_object_get(json_array_get(json_object_get(c, "sections"), 0), "questions"), 0);
	q2 = json_array_get(json_object_get(json_array_get(json_object_get(c, "sections"), 0), "questions"), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(q1, "weight")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(q2, "weight")), 0);    /* text: no score by default */
	ck_assert(json_is_true(json_object_get(q1, "required")));
	ck_assert(json_is_true(json_object_get(q1, "not_applicable_allowed")));
	ck_assert(!json_object_get(q2, "not_applicable_allowed"));
	ck_assert_str_eq(json_string_value(json_object_get(q1, "evidence")), "never");
	ck_assert(json_is_false(json_object_get(q1, "knockout")));
	ck_assert_int_eq(content_question_count(c), 2);
	json_decref(c);
	problem_clear(&p);
}
END_TEST

START_TEST(normalising_twice_changes_nothing)
{
	struct problem p = { 0 };
	json_t *once = check(&p, SECTION(SCALE("Q1")), 1), *twice = content_check(&p, once, 1);

	ck_assert(json_equal(once, twice));
	json_decref(once);
	json_decref(twice);
	problem_clear(&p);
}
END_TEST

START_TEST(shape_errors)
{
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"weight\":-1}"), 0,
		"/sections/0/questions/0/weight", "must be a number from 0");
	refused("{\"scale_scores\":{\"yes\":1.5},\"sections\":[{\"code\":\"S\",\"title_ja\":\"s\",\"questions\":[" SCALE("Q1") "]}]}",
		0, "/scale_scores/yes", "must be a number from 0 to 1");
	refused(SECTION("{\"code\":\"q1\",\"text_ja\":\"q\",\"answer_type\":\"scale\"}"), 0,
		"/sections/0/questions/0/code", "must be 1 to 32 characters");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"yesno\"}"), 0,
		"/sections/0/questions/0/answer_type", "must be one of");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"knock_out\":true}"), 0,
		"/sections/0/questions/0/knock_out", "is not a known field");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"applicability\":"
			"{\"all\":[{\"fact\":\"vendor_size\",\"equals\":true}],\"explanation_ja\":\"x\"}}"), 0,
		"/sections/0/questions/0/applicability/all/0/fact", "must be one of");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"applicability\":"
			"{\"all\":[{\"fact\":\"confidentiality\",\"at_least\":4}]}}"), 0,
		"/sections/0/questions/0/applicability/all/0/at_least", "must be an integer from 1 to 3");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"applicability\":"
			"{\"all\":[{\"fact\":\"category\",\"any_of\":[\"asp_saas\"]}]}}"), 0,
		"/sections/0/questions/0/applicability/explanation_ja", "is required");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"text\",\"knockout\":true}"), 0,
		"/sections/0/questions/0/knockout", "is only for scale and choice questions");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"choices\":[]}"), 0,
		"/sections/0/questions/0/choices", "is only for single_choice");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"single_choice\",\"choices\":["
			"{\"code\":\"A\",\"label_ja\":\"a\",\"score\":1},{\"code\":\"A\",\"label_ja\":\"b\"}]}"), 0,
		"/sections/0/questions/0/choices/1/code", "repeats the code");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"single_choice\",\"choices\":["
			"{\"code\":\"A\",\"label_ja\":\"a\",\"score\":1},{\"code\":\"B\",\"label_ja\":\"b\"}]}"), 0,
		"/sections/0/questions/0/choices/1/score", "is required");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"date\",\"evidence\":\"when_yes\"}"), 0,
		"/sections/0/questions/0/evidence", "when_yes is only for scale");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"file\",\"evidence\":\"always\"}"), 0,
		"/sections/0/questions/0/evidence", "must be never for a file question");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"number\",\"min\":5,\"max\":1}"), 0,
		"/sections/0/questions/0/max", "must not be less than min");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"controls\":[\"cobit:1\"]}"), 0,
		"/sections/0/questions/0/controls/0", "must be framework:code");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"exemptions\":["
			"{\"certification\":\"other\",\"explanation_ja\":\"x\"}]}"), 0,
		"/sections/0/questions/0/exemptions/0/certification", "must name a scheme");
	refused("{\"sections\":[]}", 0, "/sections", "must be an array of 1 to 50");
}
END_TEST

START_TEST(rules_only_when_strict)
{
	const char *dup = SECTION(SCALE("Q1") "," SCALE("Q1"));
	struct problem p = { 0 };
	json_t *c = check(&p, dup, 0);

	ck_assert_ptr_nonnull(c);   /* a draft may hold it */
	json_decref(c);
	problem_clear(&p);
	refused(dup, 1, "/sections/0/questions/1/code", "repeats the code");
}
END_TEST

START_TEST(whole_sheet_rules)
{
	refused(SECTION(SCALE("Q1") "," SCALE("Q1")), 1, "/sections/0/questions/1/code", "repeats the code of an earlier question");
	refused("{\"sections\":[{\"code\":\"S\",\"title_ja\":\"s\",\"questions\":[" SCALE("Q1") "]},"
		"{\"code\":\"S\",\"title_ja\":\"t\",\"questions\":[" SCALE("Q2") "]}]}", 1,
		"/sections/1/code", "repeats the code of an earlier section");
	refused(SECTION("{\"code\":\"Q1\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"depends_on\":{\"question\":\"NOPE\",\"any_of\":[\"yes\"]}}"), 1,
		"/sections/0/questions/0/depends_on/question", "names no question");
	refused(SECTION("{\"code\":\"A\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"depends_on\":{\"question\":\"B\",\"any_of\":[\"yes\"]}},"
			"{\"code\":\"B\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"depends_on\":{\"question\":\"A\",\"any_of\":[\"no\"]}}"), 1,
		"/sections/0/questions/0/depends_on/question", "forms a cycle");
	refused(SECTION(SCALE("A") ",{\"code\":\"B\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"depends_on\":{\"question\":\"A\",\"any_of\":[\"maybe\"]}}"), 1,
		"/sections/0/questions/1/depends_on/any_of/0", "is not an answer of question A");
	refused(SECTION(SCALE("A") ",{\"code\":\"B\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"depends_on\":{\"question\":\"A\",\"all_of\":[\"yes\"]}}"), 1,
		"/sections/0/questions/1/depends_on/all_of", "is only for a multiple_choice question");
	refused(SECTION("{\"code\":\"T\",\"text_ja\":\"q\",\"answer_type\":\"text\"},{\"code\":\"B\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"depends_on\":{\"question\":\"T\",\"any_of\":[\"x\"]}}"), 1,
		"/sections/0/questions/1/depends_on/question", "must name a scale or choice question");
	refused("{\"thresholds\":{\"no_issues\":50,\"watch\":70},\"sections\":[{\"code\":\"S\",\"title_ja\":\"s\",\"questions\":[" SCALE("Q1") "]}]}",
		1, "/thresholds/watch", "must not be above no_issues");
}
END_TEST

START_TEST(a_long_chain_is_no_cycle)
{
	/* Q0 <- Q1 <- ... <- Q199: followed once, not reported. */
	char *text = malloc(64 * 1024);
	size_t n = (size_t)snprintf(text, 64 * 1024, "{\"sections\":[{\"code\":\"S\",\"title_ja\":\"s\",\"questions\":[" SCALE("Q0"));
	struct problem p = { 0 };
	json_t *c;

	for (int i = 1; i < 200; i++)
		n += (size_t)snprintf(text + n, 64 * 1024 - n, ",{\"code\":\"Q%d\",\"text_ja\":\"q\",\"answer_type\":\"scale\","
				      "\"depends_on\":{\"question\":\"Q%d\",\"any_of\":[\"yes\"]}}", i, i - 1);
	snprintf(text + n, 64 * 1024 - n, "]}]}");
	c = check(&p, text, 1);
	ck_assert_msg(c != NULL, "a chain is valid: %s", p.errors ? json_dumps(p.errors, 0) : "");
	json_decref(c);
	problem_clear(&p);
	free(text);
}
END_TEST

START_TEST(at_most_a_thousand_questions)
{
	/* 6 sections of 200 questions: the 1,001st is refused. */
	char *text = malloc(1 << 20);
	size_t n = (size_t)snprintf(text, 1 << 20, "{\"sections\":[");
	struct problem p = { 0 };

	for (int s = 0; s < 6; s++) {
		n += (size_t)snprintf(text + n, (1 << 20) - n, "%s{\"code\":\"S%d\",\"title_ja\":\"s\",\"questions\":[",
				      s ? "," : "", s);
		for (int q = 0; q < 200; q++)
			n += (size_t)snprintf(text + n, (1 << 20) - n, "%s{\"code\":\"Q%d_%d\",\"text_ja\":\"q\",\"answer_type\":\"text\"}",
					      q ? "," : "", s, q);
		n += (size_t)snprintf(text + n, (1 << 20) - n, "]}");
	}
	snprintf(text + n, (1 << 20) - n, "]}");
	ck_assert_ptr_null(check(&p, text, 0));
	ck_assert(has_error(&p, "/sections/5/questions/0", "is one question too many"));
	problem_clear(&p);
	free(text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("questionnaire_content");
	TCase *tc = tcase_create("content");

	tcase_add_test(tc, defaults_are_written_out);
	tcase_add_test(tc, normalising_twice_changes_nothing);
	tcase_add_test(tc, shape_errors);
	tcase_add_test(tc, rules_only_when_strict);
	tcase_add_test(tc, whole_sheet_rules);
	tcase_add_test(tc, a_long_chain_is_no_cycle);
	tcase_add_test(tc, at_most_a_thousand_questions);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

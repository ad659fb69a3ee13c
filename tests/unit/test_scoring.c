/* Unit tests: the scoring rule of docs/questionnaires.md on hand-computed
 * cases (weights, N/A, hidden and excluded questions, unanswered required
 * ones, knockouts, nothing to score), and which questions answers show. */
#include <math.h>
#include <string.h>
#include "harness.h"
#include "questionnaires/answers.h"
#include "questionnaires/content.h"
#include "questionnaires/scoring.h"

/* Section A (weight 1): A1 scale w1; A2 scale w2 knockout; A3 single
 * choice w1 (X 1, Y 0.5, Z null); A4 text (weight 0 by default); A5 scale
 * w1 shown only when A1 is no. Section B (weight 2): B1 multiple choice
 * (P 0.5, Q 0.5, R 0.6, N null); B2 number (w1: 1 when answered); B3 scale
 * not required. */
static const char sheet[] =
	"{\"sections\":["
	" {\"code\":\"A\",\"title_ja\":\"A\",\"questions\":["
	"  {\"code\":\"A1\",\"text_ja\":\"q\",\"answer_type\":\"scale\"},"
	"  {\"code\":\"A2\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"weight\":2,\"knockout\":true},"
	"  {\"code\":\"A3\",\"text_ja\":\"q\",\"answer_type\":\"single_choice\",\"choices\":["
	"    {\"code\":\"X\",\"label_ja\":\"x\",\"score\":1},{\"code\":\"Y\",\"label_ja\":\"y\",\"score\":0.5},"
	"    {\"code\":\"Z\",\"label_ja\":\"z\",\"score\":null}]},"
	"  {\"code\":\"A4\",\"text_ja\":\"q\",\"answer_type\":\"text\"},"
	"  {\"code\":\"A5\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"depends_on\":{\"question\":\"A1\",\"any_of\":[\"no\"]}}]},"
	" {\"code\":\"B\",\"title_ja\":\"B\",\"weight\":2,\"questions\":["
	"  {\"code\":\"B1\",\"text_ja\":\"q\",\"answer_type\":\"multiple_choice\",\"choices\":["
	"    {\"code\":\"P\",\"label_ja\":\"p\",\"score\":0.5},{\"code\":\"Q\",\"label_ja\":\"q\",\"score\":0.5},"
	"    {\"code\":\"R\",\"label_ja\":\"r\",\"score\":0.6},{\"code\":\"N\",\"label_ja\":\"n\",\"score\":null}]},"
	"  {\"code\":\"B2\",\"text_ja\":\"q\",\"answer_type\":\"number\",\"weight\":1},"
	"  {\"code\":\"B3\",\"text_ja\":\"q\",\"answer_type\":\"scale\",\"required\":false}]}]}";

static json_t *content;

static void setup(void)
{
	struct problem p = { 0 };
	json_t *raw = json_loads(sheet, 0, NULL);

	ck_assert_ptr_nonnull(raw);
	content = content_check(&p, raw, 1);
	ck_assert_msg(content != NULL, "the sheet must be valid");
	json_decref(raw);
	problem_clear(&p);
}

static void teardown(void)
{
	json_decref(content);
}

static json_t *score(const char *answers, const char *excluded)
{
	json_t *a = json_loads(answers, 0, NULL), *x = excluded ? json_loads(excluded, 0, NULL) : NULL;
	struct problem p = { 0 };
	json_t *r;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(answers_check(&p, content, a, "/answers"), 0);
	r = scoring_score(content, a, x);
	json_decref(a);
	json_decref(x);
	return r;
}

static double num(json_t *v)
{
	ck_assert_msg(json_is_number(v), "expected a number");
	return json_number_value(v);
}

static double section_score(json_t *r, size_t i)
{
	return num(json_object_get(json_array_get(json_object_get(r, "sections"), i), "score"));
}

static void ck_near(double got, double want)
{
	ck_assert_msg(fabs(got - want) < 1e-9, "expected %.4f, got %.4f", want, got);
}

static int listed(json_t *r, const char *list, const char *code)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(r, list), i, v)
		if (!strcmp(json_string_value(v), code))
			return 1;
	return 0;
}

START_TEST(weighted_sections_and_knockout)
{
	/* A: (1·1 + 2·0.5 + 1·0.5) / (1+2+1) = 2.5/4 = 62.5; A5 hidden (A1 is
	 * not no), A4 weighs 0. B: B1 P+R = 1.1 capped to 1, B2 answered 1,
	 * B3 unanswered but optional: leaves. (1+1)/2 = 100.
	 * Overall (1·62.5 + 2·100)/3 = 87.5, but A2 (knockout) scored 0.5. */
	json_t *r = score("{\"A1\":\"yes\",\"A2\":\"partially\",\"A3\":\"Y\",\"A4\":\"memo\","
			  "\"B1\":[\"P\",\"R\"],\"B2\":5}", NULL);

	ck_near(section_score(r, 0), 62.5);
	ck_near(section_score(r, 1), 100);
	ck_near(num(json_object_get(r, "overall")), 87.5);
	ck_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "action_required");
	ck_assert(listed(r, "knockouts_failed", "A2"));
	ck_assert(listed(r, "hidden", "A5"));
	ck_assert_int_eq(json_integer_value(json_object_get(r, "answered")), 6);
	/* each asked answer's own score; B3 unanswered and optional: null;
	 * A5 hidden: not listed */
	ck_near(num(json_object_get(json_object_get(r, "questions"), "A2")), 0.5);
	ck_near(num(json_object_get(json_object_get(r, "questions"), "B1")), 1);
	ck_assert(json_is_null(json_object_get(json_object_get(r, "questions"), "B3")));
	ck_assert_ptr_null(json_object_get(json_object_get(r, "questions"), "A5"));
	json_decref(r);
}
END_TEST

START_TEST(passing_knockout_and_rounding)
{
	/* A: (1 + 2 + 0.5)/4 = 87.5. Overall (87.5 + 200)/3 = 95.8333 → 95.8. */
	json_t *r = score("{\"A1\":\"yes\",\"A2\":\"yes\",\"A3\":\"Y\",\"B1\":[\"P\",\"R\"],\"B2\":5}", NULL);

	ck_near(section_score(r, 0), 87.5);
	ck_near(num(json_object_get(r, "overall")), 95.8);
	ck_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "no_issues");
	ck_assert_int_eq(json_array_size(json_object_get(r, "knockouts_failed")), 0);
	json_decref(r);
}
END_TEST

START_TEST(not_applicable_leaves_the_sums)
{
	/* A1 N/A leaves; A5 stays hidden (N/A is not "no"). A: (2·1 + 0.5)/3
	 * = 83.33 → 83.3. Overall (83.3 + 200)/3 = 94.43 → 94.4. */
	json_t *r = score("{\"A1\":\"not_applicable\",\"A2\":\"yes\",\"A3\":\"Y\",\"B1\":[\"Q\",\"R\"],\"B2\":0}", NULL);

	ck_near(section_score(r, 0), 83.3);
	ck_near(num(json_object_get(r, "overall")), 94.4);
	ck_assert(listed(r, "hidden", "A5"));
	json_decref(r);
}
END_TEST

START_TEST(shown_follow_up_and_null_choices)
{
	/* A1 no shows A5, unanswered and required: 0. A: (0 + 2 + 1 + 0)/5 =
	 * 60. B: B1 only the null choice: leaves; B2 unanswered: 0. B = 0.
	 * Overall (60 + 0)/3 = 20. */
	json_t *r = score("{\"A1\":\"no\",\"A2\":\"yes\",\"A3\":\"X\",\"B1\":[\"N\"]}", NULL);

	ck_near(section_score(r, 0), 60);
	ck_near(section_score(r, 1), 0);
	ck_near(num(json_object_get(r, "overall")), 20);
	ck_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "action_required");
	ck_assert(!listed(r, "hidden", "A5"));
	ck_assert(listed(r, "required_missing", "A5"));
	ck_assert(listed(r, "required_missing", "B2"));
	json_decref(r);
}
END_TEST

START_TEST(nothing_answered)
{
	/* Every required scored question counts 0; A2 fails its knockout. */
	json_t *r = score("{}", NULL);

	ck_near(num(json_object_get(r, "overall")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "action_required");
	ck_assert(listed(r, "knockouts_failed", "A2"));
	ck_assert(listed(r, "required_missing", "A4"));   /* required, though it weighs nothing */
	ck_assert(!listed(r, "required_missing", "B3"));
	json_decref(r);
}
END_TEST

START_TEST(excluded_questions_leave)
{
	/* A2 and B2 decided out when sent: A: (1 + 0.5)/2 = 75; B: B1 alone
	 * 100. Overall (75 + 200)/3 = 91.67 → 91.7; no knockout is left. */
	json_t *r = score("{\"A1\":\"yes\",\"A2\":\"no\",\"A3\":\"Y\",\"B1\":[\"P\",\"R\"]}",
			  "{\"A2\":null,\"B2\":null}");

	ck_near(section_score(r, 0), 75);
	ck_near(num(json_object_get(r, "overall")), 91.7);
	ck_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "no_issues");
	ck_assert(listed(r, "excluded", "A2"));
	json_decref(r);
}
END_TEST

START_TEST(nothing_scorable_is_null)
{
	struct problem p = { 0 };
	json_t *raw = json_loads("{\"sections\":[{\"code\":\"S\",\"title_ja\":\"s\",\"questions\":["
				 "{\"code\":\"T\",\"text_ja\":\"t\",\"answer_type\":\"text\"},"
				 "{\"code\":\"D\",\"text_ja\":\"d\",\"answer_type\":\"date\"}]}]}", 0, NULL);
	json_t *c = content_check(&p, raw, 1), *a = json_loads("{\"T\":\"x\"}", 0, NULL), *r;

	ck_assert_ptr_nonnull(c);
	r = scoring_score(c, a, NULL);
	ck_assert(json_is_null(json_object_get(r, "overall")));
	ck_assert(json_is_null(json_object_get(r, "verdict")));
	ck_assert(json_is_null(json_object_get(json_array_get(json_object_get(r, "sections"), 0), "score")));
	json_decref(r);
	json_decref(a);
	json_decref(c);
	json_decref(raw);
	problem_clear(&p);
}
END_TEST

START_TEST(version_scale_scores_and_thresholds)
{
	/* partially scores 0.25 here; thresholds 90/70. One question w1:
	 * partially → 25 → action_required; yes → 100 → no_issues. */
	struct problem p = { 0 };
	json_t *raw = json_loads("{\"scale_scores\":{\"partially\":0.25},\"thresholds\":{\"no_issues\":90,\"watch\":20},"
				 "\"sections\":[{\"code\":\"S\",\"title_ja\":\"s\",\"questions\":["
				 "{\"code\":\"Q\",\"text_ja\":\"q\",\"answer_type\":\"scale\"}]}]}", 0, NULL);
	json_t *c = content_check(&p, raw, 1), *a = json_loads("{\"Q\":\"partially\"}", 0, NULL), *r;

	ck_assert_ptr_nonnull(c);
	r = scoring_score(c, a, NULL);
	ck_near(num(json_object_get(r, "overall")), 25);
	ck_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "watch");
	json_decref(r);
	json_decref(a);
	json_decref(c);
	json_decref(raw);
	problem_clear(&p);
}
END_TEST

START_TEST(rounding_half_up)
{
	ck_near(scoring_round(72.25), 72.3);
	ck_near(scoring_round(72.24999), 72.2);
	ck_near(scoring_round(200.0 / 3), 66.7);
	ck_near(scoring_round(0), 0);
	ck_near(scoring_round(100), 100);
}
END_TEST

START_TEST(answers_are_checked_against_their_question)
{
	struct problem p = { 0 };
	json_t *a = json_loads("{\"A1\":\"maybe\",\"A3\":\"W\",\"B1\":[\"P\",\"P\"],\"B2\":\"5\",\"NOPE\":\"yes\",\"B3\":null}",
			       0, NULL);

	ck_assert_int_eq(answers_check(&p, content, a, "/answers"), -1);
	ck_assert_int_eq(problem_error_count(&p), 5);   /* B3 null is no answer, and fine */
	json_decref(a);
	problem_clear(&p);
	/* a key the client chose is escaped in its pointer (RFC 6901) */
	a = json_pack("{s:s}", "A/B~", "yes");
	ck_assert_int_eq(answers_check(&p, content, a, "/answers"), -1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(p.errors, 0), "pointer")), "/answers/A~1B~0");
	json_decref(a);
	problem_clear(&p);
}
END_TEST

START_TEST(visibility_follows_answers)
{
	json_t *a = json_loads("{\"A1\":\"no\"}", 0, NULL), *s = answers_states(content, a, NULL);
	json_t *out = json_pack("{s:n}", "A1");

	ck_assert_int_eq(json_integer_value(json_object_get(s, "A5")), ANSWER_IN);
	json_decref(s);
	json_object_set_new(a, "A1", json_string("yes"));
	s = answers_states(content, a, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "A5")), ANSWER_HIDDEN);
	json_decref(s);
	/* a follow-up of an excluded question is hidden too */
	json_object_set_new(a, "A1", json_string("no"));
	s = answers_states(content, a, out);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "A1")), ANSWER_EXCLUDED);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "A5")), ANSWER_HIDDEN);
	json_decref(s);
	json_decref(out);
	json_decref(a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scoring");
	TCase *tc = tcase_create("scoring");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, weighted_sections_and_knockout);
	tcase_add_test(tc, passing_knockout_and_rounding);
	tcase_add_test(tc, not_applicable_leaves_the_sums);
	tcase_add_test(tc, shown_follow_up_and_null_choices);
	tcase_add_test(tc, nothing_answered);
	tcase_add_test(tc, excluded_questions_leave);
	tcase_add_test(tc, nothing_scorable_is_null);
	tcase_add_test(tc, version_scale_scores_and_thresholds);
	tcase_add_test(tc, rounding_half_up);
	tcase_add_test(tc, answers_are_checked_against_their_question);
	tcase_add_test(tc, visibility_follows_answers);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

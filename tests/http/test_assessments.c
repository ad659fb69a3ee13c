/* HTTP: assessments from the outsourcer's side: creating them (for a
 * vendor, an engagement, a subcontract link), every wrong reference, the
 * draft's changes, sending (the question set fixed with every excluded
 * question's reason: not applicable by the engagement's facts, exempt by a
 * certificate whose scope was verified), cancelling, lists, tenancy, the
 * database's own refusals, reviews, returning and completing with the
 * vendor's monitoring record. The vendor's side is test_respond.c; here a
 * submission is set up in SQL where the test needs one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;
static char vendor[40], other_vendor[40], engagement[40], other_engagement[40], sheet[40];

/* A sheet of four questions: Q1 always; Q2 only for confidentiality 3;
 * Q3 only when data is kept outside Japan; Q4 exempt with an ISMS
 * certificate whose scope was verified; Q4 is a knockout. */
#define SHEET \
	"{\"content\":{\"sections\":[{\"code\":\"S\",\"title_ja\":\"基本\",\"questions\":[" \
	"{\"code\":\"Q1\",\"text_ja\":\"方針はありますか\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"Q2\",\"text_ja\":\"暗号化していますか\",\"answer_type\":\"scale\",\"applicability\":" \
	"  {\"all\":[{\"fact\":\"confidentiality\",\"at_least\":3}],\"explanation_ja\":\"機密性 3 の委託のみ\"}}," \
	"{\"code\":\"Q3\",\"text_ja\":\"国外の保管先を把握していますか\",\"answer_type\":\"scale\",\"applicability\":" \
	"  {\"all\":[{\"fact\":\"data_outside_jp\",\"equals\":true}],\"explanation_ja\":\"国外で保管する委託のみ\"}}," \
	"{\"code\":\"Q4\",\"text_ja\":\"アクセス制御をしていますか\",\"answer_type\":\"scale\",\"knockout\":true," \
	"  \"exemptions\":[{\"certification\":\"isms\",\"explanation_ja\":\"範囲確認済みの ISMS で免除\"}]}]}]}}"

static struct http *call(const char *method, const char *path, const char *body)
{
	return http_do(&t, method, path, t.admin_key, body, NULL);
}

static void post_id(const char *path, const char *body, char out[40])
{
	struct http *h = call("POST", path, body);

	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

static void setup(void)
{
	char path[128];
	struct http *h;

	itk_setup(&t, "assessments", NULL);
	post_id("/v1/vendors", "{\"name\":\"みなと情報処理\"}", vendor);
	post_id("/v1/vendors", "{\"name\":\"東西印刷\"}", other_vendor);
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", vendor);
	post_id(path, "{\"title\":\"給与計算\",\"contract_type\":\"inin\",\"category\":\"data_processing\","
		      "\"handles_personal_data\":true,\"confidentiality\":3,\"subcontracting\":\"prohibited\","
		      "\"subcontract_max_depth\":0}", engagement);
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", other_vendor);
	post_id(path, "{\"title\":\"印刷\",\"contract_type\":\"ukeoi\",\"category\":\"storage_transport\"}",
		other_engagement);
	snprintf(path, sizeof(path), "/v1/vendors/%s/certifications", vendor);
	post_id(path, "{\"kind\":\"isms\",\"certificate_number\":\"IS 1\",\"registered_scope\":\"本社\","
		      "\"issued_on\":\"2025-01-01\",\"expires_on\":\"2099-01-01\",\"scope_verified\":true}",
		(char[40]){ 0 });
	post_id("/v1/questionnaire-templates", "{\"name\":\"試験シート\"}", sheet);
	snprintf(path, sizeof(path), "/v1/questionnaire-templates/%s/versions", sheet);
	h = call("POST", path, SHEET);
	ck_status(h, 201);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/questionnaire-templates/%s/versions/1/publish", sheet);
	h = call("POST", path, NULL);
	ck_status(h, 200);
	http_free(h);
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* Creates an assessment of vendor v with extra members (may be ""). */
static void create(const char *v, const char *extra, char out[40])
{
	char body[1024];

	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"template_id\":\"%s\",\"due_on\":\"2099-03-31\","
		 "\"respondent\":{\"name\":\"山田 花子\",\"email\":\"yamada@example.jp\"}%s}", v, sheet, extra);
	post_id("/v1/assessments", body, out);
}

static struct http *act(const char *id, const char *action, const char *body)
{
	char path[128];

	snprintf(path, sizeof(path), "/v1/assessments/%s/%s", id, action);
	return call("POST", path, body);
}

static const char *status_of(const struct http *h)
{
	return jstr(h, "status");
}

/* A pointer among the problem's errors. */
static int has_pointer(const struct http *h, const char *pointer)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(h->json, "errors"), i, e)
		if (!strcmp(json_string_value(json_object_get(e, "pointer")) ?: "", pointer))
			return 1;
	return 0;
}

START_TEST(created_as_a_draft)
{
	char path[160], id[40], body[512];
	struct http *h;

	snprintf(path, sizeof(path), "/v1/vendors/%s/assessments", vendor);
	snprintf(body, sizeof(body), "{\"template_id\":\"%s\",\"engagement_id\":\"%s\",\"due_on\":\"2099-03-31\","
		 "\"title\":\"2026 年度 点検\",\"owner\":\"情報セキュリティ部 佐藤\","
		 "\"respondent\":{\"name\":\"山田 花子\",\"email\":\"yamada@example.jp\",\"department\":\"情報システム部\"}}",
		 sheet, engagement);
	h = call("POST", path, body);
	ck_status(h, 201);
	ck_assert_str_eq(status_of(h), "draft");
	ck_assert_ptr_nonnull(strstr(http_header(h, "Location"), "/v1/assessments/"));
	ck_assert_str_eq(http_header(h, "ETag"), "\"1\"");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "template"), "number")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "respondent"), "language")), "ja");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "vendor"), "id")), vendor);
	snprintf(id, sizeof(id), "%s", jstr(h, "id"));
	http_free(h);
	/* audited */
	{
		const char *params[1] = { id };
		char *n = itk_sql_value(&t, "select count(*) from audit_events where resource_id = $1"
					   " and action = 'assessment.created'", 1, params);

		ck_assert_str_eq(n, "1");
		free(n);
	}
	/* the draft changes; the vendor does not */
	snprintf(path, sizeof(path), "/v1/assessments/%s", id);
	h = call("PATCH", path, "{\"due_on\":\"2099-04-30\",\"title\":null}");
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "due_on"), "2099-04-30");
	ck_assert(json_is_null(json_object_get(h->json, "title")));
	http_free(h);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\"}", other_vendor);
	h = call("PATCH", path, body);
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/vendor_id"));
	http_free(h);
}
END_TEST

START_TEST(wrong_references_are_named)
{
	char body[1024];
	struct http *h;

	/* another vendor's engagement, an unknown template, a bad e-mail, no due date */
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"template_id\":\"00000000-0000-0000-0000-000000000000\","
		 "\"engagement_id\":\"%s\",\"respondent\":{\"name\":\"x\",\"email\":\"not-an-address\"}}",
		 vendor, other_engagement);
	h = call("POST", "/v1/assessments", body);
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/due_on"));
	ck_assert(has_pointer(h, "/respondent/email"));
	http_free(h);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"template_id\":\"00000000-0000-0000-0000-000000000000\","
		 "\"engagement_id\":\"%s\",\"due_on\":\"2099-01-01\",\"respondent\":{\"name\":\"x\",\"email\":\"x@example.jp\"}}",
		 vendor, other_engagement);
	h = call("POST", "/v1/assessments", body);
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/engagement_id"));
	ck_assert(has_pointer(h, "/template_id"));
	http_free(h);
	/* a version that does not exist */
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"template_id\":\"%s\",\"template_number\":9,"
		 "\"due_on\":\"2099-01-01\",\"respondent\":{\"name\":\"x\",\"email\":\"x@example.jp\"}}", vendor, sheet);
	h = call("POST", "/v1/assessments", body);
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/template_number"));
	http_free(h);
	/* nothing was written */
	{
		char *n = itk_sql_value(&t, "select count(*) from assessments", 0, NULL);

		ck_assert_str_eq(n, "0");
		free(n);
	}
}
END_TEST

START_TEST(sending_fixes_the_question_set)
{
	char id[40], extra[128];
	struct http *h;
	json_t *excluded;

	snprintf(extra, sizeof(extra), ",\"engagement_id\":\"%s\"", engagement);
	create(vendor, extra, id);
	h = act(id, "send", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(status_of(h), "sent");
	excluded = json_object_get(h->json, "excluded");
	/* Q1 asked; Q2 asked (confidentiality 3); Q3 not applicable (data in
	 * Japan only); Q4 exempt by the verified ISMS certificate */
	ck_assert_ptr_null(json_object_get(excluded, "Q1"));
	ck_assert_ptr_null(json_object_get(excluded, "Q2"));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(excluded, "Q3"), "reason")), "not_applicable");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(excluded, "Q3"), "explanation_ja")),
			 "国外で保管する委託のみ");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(excluded, "Q4"), "reason")), "exempt");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(excluded, "Q4"), "certification")), "isms");
	ck_assert_ptr_nonnull(json_object_get(h->json, "sent_at"));
	http_free(h);
	/* sent once; the draft is no more */
	h = act(id, "send", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	{
		char path[96];

		snprintf(path, sizeof(path), "/v1/assessments/%s", id);
		h = call("PATCH", path, "{\"title\":\"後から\"}");
		ck_problem(h, 409, "invalid-transition");
		http_free(h);
	}
	/* the database keeps the set fixed too */
	{
		const char *params[1] = { id };
		PGconn *c = itk_connect(&t);
		PGresult *res = PQexecParams(c, "update assessments set excluded = '{}' where id = $1", 1, NULL, params,
					     NULL, NULL, 0);

		ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
		ck_assert_ptr_nonnull(strstr(PQresultErrorMessage(res), "fixed once the assessment is sent"));
		PQclear(res);
		PQfinish(c);
	}
}
END_TEST

START_TEST(without_an_engagement_only_unconditional_questions)
{
	char id[40];
	struct http *h;

	create(other_vendor, "", id);
	h = act(id, "send", NULL);
	ck_status(h, 200);
	/* no engagement: Q2 and Q3 do not apply; no certificate: Q4 is asked */
	ck_assert_ptr_nonnull(json_object_get(json_object_get(h->json, "excluded"), "Q2"));
	ck_assert_ptr_nonnull(json_object_get(json_object_get(h->json, "excluded"), "Q3"));
	ck_assert_ptr_null(json_object_get(json_object_get(h->json, "excluded"), "Q4"));
	http_free(h);
}
END_TEST

START_TEST(a_passed_due_date_is_not_sent)
{
	char id[40], path[96];
	struct http *h;

	create(vendor, "", id);
	free(itk_sql_value(&t, "update assessments set due_on = '2020-01-01'", 0, NULL));
	h = act(id, "send", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/assessments/%s", id);
	h = call("GET", path, NULL);
	ck_assert_str_eq(status_of(h), "draft");
	http_free(h);
}
END_TEST

START_TEST(cancelled_for_good)
{
	char id[40];
	struct http *h;

	create(vendor, "", id);
	h = act(id, "cancel", "{}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/reason"));
	http_free(h);
	h = act(id, "cancel", "{\"reason\":\"契約を終了したため\"}");
	ck_status(h, 200);
	ck_assert_str_eq(status_of(h), "cancelled");
	ck_assert_str_eq(jstr(h, "cancel_reason"), "契約を終了したため");
	http_free(h);
	h = act(id, "cancel", "{\"reason\":\"再度\"}");
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	h = act(id, "send", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	{
		const char *params[1] = { id };
		PGconn *c = itk_connect(&t);
		PGresult *res = PQexecParams(c, "update assessments set title = 'x' where id = $1", 1, NULL, params,
					     NULL, NULL, 0);

		ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
		PQclear(res);
		PQfinish(c);
	}
}
END_TEST

START_TEST(lists_and_tenancy)
{
	char a1[40], a2[40], path[160], *key2;
	struct http *h;

	create(vendor, "", a1);
	create(other_vendor, "", a2);
	h = act(a1, "send", NULL);
	http_free(h);
	h = call("GET", "/v1/assessments?status=sent", NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = call("GET", "/v1/assessments?status=draft,sent&limit=1", NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert(json_is_string(json_object_get(h->json, "next_cursor")));
	http_free(h);
	snprintf(path, sizeof(path), "/v1/vendors/%s/assessments", other_vendor);
	h = call("GET", path, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "items"), 0), "id")), a2);
	http_free(h);
	h = call("GET", "/v1/assessments?overdue=true", NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 0);
	http_free(h);
	h = call("GET", "/v1/assessments?status=done", NULL);
	ck_problem(h, 400, "invalid-parameter");
	http_free(h);
	/* the work queue's filters: each narrows as documented */
	{
		static const struct { const char *query; size_t n; } cases[] = {
			{ "depth=0", 2 }, { "depth=1", 0 }, { "owner=%E8%AA%B0%E3%82%82", 0 },
			{ "due_after=2099-01-01", 2 }, { "due_after=2099-04-01", 0 },
			{ "verdict=no_issues", 0 }, { "vendor_tier=high,medium,low", 2 },
		};
		char q[128];

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			snprintf(q, sizeof(q), "/v1/assessments?%s", cases[i].query);
			h = call("GET", q, NULL);
			ck_status(h, 200);
			ck_assert_msg(json_array_size(json_object_get(h->json, "items")) == cases[i].n, "%s", q);
			http_free(h);
		}
		h = call("GET", "/v1/assessments?vendor_tier=extreme", NULL);
		ck_problem(h, 400, "invalid-parameter");
		http_free(h);
		h = call("GET", "/v1/assessments?depth=11", NULL);
		ck_problem(h, 400, "invalid-parameter");
		http_free(h);
	}
	h = call("GET", "/v1/assessments?due_before=2026-02-30", NULL);
	ck_problem(h, 400, "invalid-parameter");
	http_free(h);
	/* another tenant sees none of it */
	key2 = itk_bootstrap(&t, "t2");
	snprintf(path, sizeof(path), "/v1/assessments/%s", a1);
	h = http_do(&t, "GET", path, key2, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/assessments/%s/cancel", a1);
	h = http_do(&t, "POST", path, key2, "{\"reason\":\"x\"}", NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = http_do(&t, "GET", "/v1/assessments", key2, NULL, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 0);
	http_free(h);
	free(key2);
}
END_TEST

/* Sends an assessment of vendor (with the engagement) and stands in for
 * the vendor's submission: answers, then the status, in SQL. */
static void submitted(const char *answers, char id[40])
{
	char extra[128];
	const char *params[2];
	struct http *h;

	snprintf(extra, sizeof(extra), ",\"engagement_id\":\"%s\"", engagement);
	create(vendor, extra, id);
	h = act(id, "send", NULL);
	ck_status(h, 200);
	http_free(h);
	params[0] = id;
	params[1] = answers;
	free(itk_sql_value(&t, "update assessments set answers = $2::jsonb, status = 'in_progress' where id = $1", 2, params));
	free(itk_sql_value(&t, "update assessments set status = 'submitted', submitted_at = now() where id = $1", 1, params));
}

START_TEST(reviewed_returned_and_completed)
{
	char id[40], path[128];
	struct http *h;

	/* Q1 yes (1), Q2 partially (0.5): (1 + 0.5)/2 = 75.0 → watch */
	submitted("{\"Q1\":\"yes\",\"Q2\":\"partially\"}", id);
	snprintf(path, sizeof(path), "/v1/assessments/%s/reviews", id);
	/* returned without a comment; a question not asked (exempt) */
	h = call("PATCH", path, "{\"items\":{\"Q2\":{\"decision\":\"returned\"},\"Q4\":{\"decision\":\"accepted\"}}}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/items/Q2/comment"));
	ck_assert(has_pointer(h, "/items/Q4"));
	http_free(h);
	/* nothing returned yet: cannot return */
	h = act(id, "return", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	h = call("PATCH", path, "{\"items\":{\"Q1\":{\"decision\":\"accepted\"},"
		 "\"Q2\":{\"decision\":\"returned\",\"comment\":\"暗号化の方式を教えてください\"}}}");
	ck_status(h, 200);
	ck_assert_str_eq(status_of(h), "in_review");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(h->json, "reviews"), "Q2"),
							   "comment")), "暗号化の方式を教えてください");
	/* the vendor's claim is untouched */
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "answers"), "Q2")), "partially");
	http_free(h);
	h = act(id, "return", "{\"due_on\":\"2020-01-01\"}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = act(id, "return", "{\"due_on\":\"2099-05-31\"}");
	ck_status(h, 200);
	ck_assert_str_eq(status_of(h), "returned");
	ck_assert_str_eq(jstr(h, "due_on"), "2099-05-31");
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "returned_items")), 1);
	http_free(h);
	/* a returned assessment is not completed */
	h = act(id, "complete", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	/* the vendor answers Q2 again and submits (SQL stands in) */
	{
		const char *params[1] = { id };

		free(itk_sql_value(&t, "update assessments set answers = answers || '{\"Q2\":\"yes\"}', status = 'in_progress'"
				      " where id = $1", 1, params));
		free(itk_sql_value(&t, "update assessments set status = 'submitted' where id = $1", 1, params));
	}
	/* overriding the computed verdict needs a reason */
	h = act(id, "complete", "{\"verdict\":\"watch\"}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/reason"));
	http_free(h);
	/* Q1 yes, Q2 yes: 100 → no_issues, the computed verdict */
	h = act(id, "complete", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(status_of(h), "completed");
	ck_assert_str_eq(jstr(h, "verdict"), "no_issues");
	ck_assert_str_eq(jstr(h, "computed_verdict"), "no_issues");
	ck_assert(json_real_value(json_object_get(json_object_get(h->json, "score"), "overall")) == 100.0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "score"), "at")), "completion");
	ck_assert_str_eq(jstr(h, "decided_by"), json_string_value(json_object_get(h->json, "updated_by")));
	http_free(h);
	/* the vendor's monitoring record and last verdict follow */
	{
		const char *params[2] = { vendor, id };
		char *n = itk_sql_value(&t, "select count(*) from vendor_monitoring where vendor_id = $1 and assessment_id = $2"
					   " and verdict = 'no_issues' and monitored_on = tokyo_today()", 2, params);
		char *last = itk_sql_value(&t, "select last_monitoring_verdict from vendors where id = $1", 1, params);

		ck_assert_str_eq(n, "1");
		ck_assert_str_eq(last, "no_issues");
		free(n);
		free(last);
	}
	snprintf(path, sizeof(path), "/v1/vendors/%s", vendor);
	h = call("GET", path, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "monitoring"), "last_verdict")), "no_issues");
	http_free(h);
	/* completed: nothing changes any more */
	h = act(id, "cancel", "{\"reason\":\"x\"}");
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/assessments/%s/reviews", id);
	h = call("PATCH", path, "{\"items\":{\"Q1\":null}}");
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
}
END_TEST

START_TEST(an_override_is_recorded_with_its_reason)
{
	char id[40];
	struct http *h;

	/* Q1 no (0), Q2 yes (1): 50 → action_required computed */
	submitted("{\"Q1\":\"no\",\"Q2\":\"yes\"}", id);
	h = act(id, "complete", "{\"verdict\":\"watch\",\"reason\":\"方針は策定中で、来月の取締役会で承認予定\"}");
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "verdict"), "watch");
	ck_assert_str_eq(jstr(h, "computed_verdict"), "action_required");
	ck_assert_str_eq(jstr(h, "verdict_reason"), "方針は策定中で、来月の取締役会で承認予定");
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("assessments");
	TCase *tc = tcase_create("assessments");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, created_as_a_draft);
	tcase_add_test(tc, wrong_references_are_named);
	tcase_add_test(tc, sending_fixes_the_question_set);
	tcase_add_test(tc, without_an_engagement_only_unconditional_questions);
	tcase_add_test(tc, a_passed_due_date_is_not_sent);
	tcase_add_test(tc, cancelled_for_good);
	tcase_add_test(tc, lists_and_tenancy);
	tcase_add_test(tc, reviewed_returned_and_completed);
	tcase_add_test(tc, an_override_is_recorded_with_its_reason);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

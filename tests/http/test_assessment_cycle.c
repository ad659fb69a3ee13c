/* HTTP: one assessment's whole cycle through the API, as issue 17 asks:
 * create, send, answer partially over two sessions (one stale save
 * refused), upload evidence, submit, return one item, answer it, submit
 * again, complete (the knockout fails: 要是正), findings from the
 * proposals, the vendor's plan through its link, a re-check of the failed
 * questions, answered passing, completed: the findings close, and at each
 * completion the vendor's monitoring record, last verdict and tier follow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;
static char vendor[40], engagement[40], sheet[40];

/* Q1 policy; Q2 encryption, evidence always; Q3 access control, a
 * knockout; Q4 a free-text note (no score). */
#define SHEET \
	"{\"content\":{\"sections\":[{\"code\":\"S\",\"title_ja\":\"基本\",\"questions\":[" \
	"{\"code\":\"Q1\",\"text_ja\":\"情報セキュリティ方針がありますか\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"Q2\",\"text_ja\":\"保管データを暗号化していますか\",\"answer_type\":\"scale\",\"evidence\":\"always\"}," \
	"{\"code\":\"Q3\",\"text_ja\":\"アクセス権を定期的に見直していますか\",\"answer_type\":\"scale\",\"knockout\":true," \
	"  \"not_applicable_allowed\":false,\"remediation_ja\":\"四半期ごとにアクセス権を棚卸ししてください\"}," \
	"{\"code\":\"Q4\",\"text_ja\":\"補足があれば記入してください\",\"answer_type\":\"text\",\"required\":false}]}]}}"

/* path is a prefix, id, then the rest: staff("POST", b, "/v1/assessments/", id, "/send") */
static struct http *staff(const char *method, const char *body, const char *prefix, const char *id,
			  const char *rest)
{
	char path[256];

	snprintf(path, sizeof(path), "%s%s%s", prefix, id, rest);
	return http_do(&t, method, path, t.admin_key, body, NULL);
}

static struct http *vendor_side(const char *method, const char *token, const char *suffix, const char *body)
{
	char path[512];

	snprintf(path, sizeof(path), "/v1/respond/%s%s", token, suffix);
	return http_do(&t, method, path, NULL, body, NULL);
}

static void take(struct http *h, long status, const char *member, char *out, size_t cap)
{
	ck_status(h, status);
	if (member)
		snprintf(out, cap, "%s", jstr(h, member));
	http_free(h);
}

static void setup(void)
{
	char path[128], ignored[40];

	itk_setup(&t, "assessment_cycle", NULL);
	take(http_do(&t, "POST", "/v1/vendors", t.admin_key, "{\"name\":\"みなと情報処理\",\"status\":\"active\"}", NULL),
	     201, "id", vendor, sizeof(vendor));
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", vendor);
	take(http_do(&t, "POST", path, t.admin_key, "{\"title\":\"帳票の入力\",\"contract_type\":\"inin\","
		     "\"category\":\"data_processing\",\"handles_personal_data\":false,\"confidentiality\":2,"
		     "\"subcontracting\":\"prohibited\",\"subcontract_max_depth\":0}", NULL), 201, "id", engagement,
	     sizeof(engagement));
	take(http_do(&t, "POST", "/v1/questionnaire-templates", t.admin_key, "{\"name\":\"年次点検\"}", NULL),
	     201, "id", sheet, sizeof(sheet));
	take(staff("POST", SHEET, "/v1/questionnaire-templates/", sheet, "/versions"), 201, NULL, ignored, 0);
	take(staff("POST", NULL, "/v1/questionnaire-templates/", sheet, "/versions/1/publish"), 200, NULL, ignored, 0);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static char *vendor_value(const char *column)
{
	char sql[128];
	const char *params[1] = { vendor };

	snprintf(sql, sizeof(sql), "select %s from vendors where id = $1", column);
	return itk_sql_value(&t, sql, 1, params);
}

/* Creates and sends an assessment (body members in extra), issues a link. */
static void sent(const char *create_path, const char *body, char id[40], char token[64])
{
	struct http *h = http_do(&t, "POST", create_path, t.admin_key, body, NULL);

	take(h, 201, "id", id, 40);
	take(staff("POST", NULL, "/v1/assessments/", id, "/send"), 200, NULL, NULL, 0);
	h = staff("POST", "{}", "/v1/assessments/", id, "/respondent-links");
	take(h, 201, "token", token, 64);
}

static long long answers_version(const char *token)
{
	struct http *h = vendor_side("GET", token, "", NULL);
	long long v;

	ck_status(h, 200);
	v = json_integer_value(json_object_get(h->json, "answers_version"));
	http_free(h);
	return v;
}

static void save(const char *token, const char *answers, long long version, long status)
{
	char body[512];
	struct http *h;

	snprintf(body, sizeof(body), "{\"answers\":%s,\"answers_version\":%lld}", answers, version);
	h = vendor_side("PUT", token, "/answers", body);
	ck_status(h, status);
	http_free(h);
}

START_TEST(the_whole_cycle)
{
	char id[40], token[64], path[256], body[512], finding[40], recheck[40], token2[64], *tier0, *s;
	const char *pdf_headers[] = { "Content-Type: application/pdf", NULL };
	const char *params[1];
	struct http *h;
	json_t *proposals;

	tier0 = vendor_value("risk_tier");
	snprintf(path, sizeof(path), "/v1/vendors/%s/assessments", vendor);
	snprintf(body, sizeof(body), "{\"template_id\":\"%s\",\"engagement_id\":\"%s\",\"due_on\":\"2099-03-31\","
		 "\"title\":\"2026 年度 点検\",\"respondent\":{\"name\":\"山田 花子\",\"email\":\"yamada@example.jp\"}}",
		 sheet, engagement);
	sent(path, body, id, token);

	/* first session: one answer */
	save(token, "{\"Q1\":\"yes\"}", answers_version(token), 200);
	/* second session reads what the first saved, then answers the rest;
	 * a save from a stale page is refused */
	h = vendor_side("GET", token, "", NULL);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "answers"), "Q1")), "yes");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "assessment"), "status")), "in_progress");
	http_free(h);
	save(token, "{\"Q3\":\"no\"}", 0, 409);
	save(token, "{\"Q2\":\"yes\",\"Q3\":\"no\",\"Q4\":\"年 1 回の外部監査を受けています\"}", answers_version(token), 200);

	/* Q2 needs evidence: submitting without it lists what is missing */
	h = vendor_side("POST", token, "/submit", NULL);
	ck_problem(h, 422, NULL);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/respond/%s/files?question=Q2&filename=encryption.pdf", token);
	h = http_do(&t, "POST", path, NULL, "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", pdf_headers);
	ck_status(h, 201);
	http_free(h);
	h = vendor_side("POST", token, "/submit", NULL);
	ck_status(h, 200);
	http_free(h);

	/* staff return Q2 with a comment */
	h = staff("PATCH", "{\"items\":{\"Q1\":{\"decision\":\"accepted\"},\"Q3\":{\"decision\":\"accepted\"},"
		  "\"Q2\":{\"decision\":\"returned\",\"comment\":\"暗号方式（AES-256 など）を補足してください\"}}}",
		  "/v1/assessments/", id, "/reviews");
	ck_status(h, 200);
	http_free(h);
	take(staff("POST", "{\"due_on\":\"2099-04-30\"}", "/v1/assessments/", id, "/return"), 200, NULL, NULL, 0);

	/* the vendor sees the comment and may change only Q2 */
	h = vendor_side("GET", token, "", NULL);
	ck_assert_ptr_nonnull(strstr(h->body, "AES-256"));
	http_free(h);
	save(token, "{\"Q1\":\"no\"}", answers_version(token), 422);
	save(token, "{\"Q2\":\"partially\"}", answers_version(token), 200);
	h = vendor_side("POST", token, "/submit", NULL);
	ck_status(h, 200);
	http_free(h);

	/* complete: Q1 1, Q2 0.5, Q3 0 → 50, and the failed knockout → 要是正 */
	h = staff("POST", NULL, "/v1/assessments/", id, "/complete");
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "verdict"), "action_required");
	ck_assert(json_real_value(json_object_get(json_object_get(h->json, "score"), "overall")) == 50.0);
	http_free(h);
	s = vendor_value("last_monitoring_verdict");
	ck_assert_str_eq(s, "action_required");
	free(s);
	s = vendor_value("risk_tier");
	ck_assert_str_ne(s, tier0);        /* the verdict counts in the tier */
	free(s);
	s = vendor_value("risk_reasons::text");
	ck_assert_ptr_nonnull(strstr(s, "last_verdict"));
	free(s);

	/* findings from the proposals: the knockout first */
	h = staff("GET", NULL, "/v1/assessments/", id, "/finding-proposals");
	ck_status(h, 200);
	proposals = json_object_get(h->json, "items");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(proposals, 0), "question_code")), "Q3");
	http_free(h);
	take(staff("POST", "{\"question_code\":\"Q3\",\"title\":\"アクセス権の定期見直しがない\",\"severity\":\"high\","
		   "\"owner\":\"委託先 情報システム部\",\"due_on\":\"2099-06-30\"}", "/v1/assessments/", id, "/findings"),
	     201, "id", finding, sizeof(finding));
	take(staff("POST", "{\"question_code\":\"Q2\",\"title\":\"暗号化が一部のみ\",\"severity\":\"low\","
		   "\"due_on\":\"2099-06-30\"}", "/v1/assessments/", id, "/findings"), 201, NULL, NULL, 0);

	/* the vendor answers its plan through the link */
	h = vendor_side("GET", token, "/findings", NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
	http_free(h);
	snprintf(path, sizeof(path), "/findings/%s", finding);
	h = vendor_side("POST", token, path, "{\"plan\":\"5 月から四半期ごとに棚卸しを行います\"}");
	ck_status(h, 200);
	http_free(h);

	/* the re-check asks the failed questions only */
	h = staff("POST", "{\"due_on\":\"2099-07-31\"}", "/v1/assessments/", id, "/recheck");
	take(h, 201, "id", recheck, sizeof(recheck));
	take(staff("POST", NULL, "/v1/assessments/", recheck, "/send"), 200, NULL, NULL, 0);
	h = staff("GET", NULL, "/v1/assessments/", recheck, "");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(h->json, "excluded"), "Q1"),
							   "reason")), "not_rechecked");
	http_free(h);
	take(staff("POST", "{}", "/v1/assessments/", recheck, "/respondent-links"), 201, "token", token2, sizeof(token2));
	snprintf(path, sizeof(path), "/v1/respond/%s/files?question=Q2&filename=encryption-v2.pdf", token2);
	h = http_do(&t, "POST", path, NULL, "%PDF-1.4\n2 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", pdf_headers);
	ck_status(h, 201);
	http_free(h);
	save(token2, "{\"Q2\":\"yes\",\"Q3\":\"yes\"}", answers_version(token2), 200);
	h = vendor_side("POST", token2, "/submit", NULL);
	ck_status(h, 200);
	http_free(h);
	h = staff("POST", NULL, "/v1/assessments/", recheck, "/complete");
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "verdict"), "no_issues");
	http_free(h);

	/* both findings closed by the re-check; the vendor's record follows */
	params[0] = recheck;
	s = itk_sql_value(&t, "select count(*) from findings where status = 'resolved' and resolved_by_assessment = $1",
			  1, params);
	ck_assert_str_eq(s, "2");
	free(s);
	s = vendor_value("last_monitoring_verdict");
	ck_assert_str_eq(s, "no_issues");
	free(s);
	s = vendor_value("risk_tier");
	ck_assert_str_eq(s, tier0);
	free(s);
	params[0] = vendor;
	s = itk_sql_value(&t, "select count(*) from vendor_monitoring where vendor_id = $1 and assessment_id is not null",
			  1, params);
	ck_assert_str_eq(s, "2");
	free(s);
	/* and every step is in the audit trail, the vendor's as its link */
	params[0] = id;
	s = itk_sql_value(&t, "select count(distinct action) from audit_events where resource_id = $1", 1, params);
	ck_assert_int_ge(atoi(s), 6);
	free(s);
	s = itk_sql_value(&t, "select count(*) from audit_events where resource_id = $1 and actor like 'respondent_link:%'",
			  1, params);
	ck_assert_int_ge(atoi(s), 3);
	free(s);
	free(tier0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("assessment_cycle");
	TCase *tc = tcase_create("cycle");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, the_whole_cycle);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

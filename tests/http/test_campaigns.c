/* HTTP: assessment campaigns: creation by explicit ids and by a filter
 * over the register, one per engagement, every reason a vendor is
 * skipped, the 2,000-vendor cap both ways, an empty filter, progress
 * after assessments move, the CSV export, tenancy, Idempotency-Key replay,
 * the audit trail and the assessments list's campaign filter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;
static char sheet[40], narrow_sheet[40];
/* aoba: a security officer and an incident contact, one current engagement;
 * iroha: an incident contact only, two current engagements;
 * ueno: a contact without e-mail; edo: terminated; oota: no engagement;
 * fuji: already has an open assessment of the sheet */
static char aoba[40], iroha[40], ueno[40], edo[40], oota[40], fuji[40];

/* Q1, Q2 always asked; Q3 only for confidentiality 3. */
#define SHEET \
	"{\"content\":{\"sections\":[{\"code\":\"S\",\"title_ja\":\"基本\",\"questions\":[" \
	"{\"code\":\"Q1\",\"text_ja\":\"方針はありますか\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"Q2\",\"text_ja\":\"教育をしていますか\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"Q3\",\"text_ja\":\"暗号化していますか\",\"answer_type\":\"scale\",\"applicability\":" \
	"  {\"all\":[{\"fact\":\"confidentiality\",\"at_least\":3}],\"explanation_ja\":\"機密性 3 の委託のみ\"}}]}]}}"
/* Only for confidentiality 3: nothing applies without an engagement. */
#define NARROW_SHEET \
	"{\"content\":{\"sections\":[{\"code\":\"S\",\"title_ja\":\"基本\",\"questions\":[" \
	"{\"code\":\"Q3\",\"text_ja\":\"暗号化していますか\",\"answer_type\":\"scale\",\"applicability\":" \
	"  {\"all\":[{\"fact\":\"confidentiality\",\"at_least\":3}],\"explanation_ja\":\"機密性 3 の委託のみ\"}}]}]}}"

static struct http *call(const char *method, const char *path, const char *body)
{
	return http_do(&t, method, path, t.admin_key, body, NULL);
}

static void post_id(const char *path, const char *body, char out[40])
{
	struct http *h = call("POST", path, body);

	ck_status(h, 201);
	if (out)
		snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

static void vendor(const char *body, char out[40])
{
	post_id("/v1/vendors", body, out);
}

static void engagement(const char *v, const char *title)
{
	char path[128], body[256];

	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", v);
	snprintf(body, sizeof(body), "{\"title\":\"%s\",\"contract_type\":\"inin\",\"category\":\"data_processing\","
		 "\"confidentiality\":3,\"starts_on\":\"2020-04-01\"}", title);
	post_id(path, body, NULL);
}

static void publish(const char *name, const char *content, char out[40])
{
	char path[128], body[64];
	struct http *h;

	snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
	post_id("/v1/questionnaire-templates", body, out);
	snprintf(path, sizeof(path), "/v1/questionnaire-templates/%s/versions", out);
	post_id(path, content, NULL);
	snprintf(path, sizeof(path), "/v1/questionnaire-templates/%s/versions/1/publish", out);
	h = call("POST", path, NULL);
	ck_status(h, 200);
	http_free(h);
}

static void setup(void)
{
	char body[512];

	itk_setup(&t, "campaigns", NULL);
	publish("年次点検", SHEET, sheet);
	publish("機密性 3 のみ", NARROW_SHEET, narrow_sheet);
	vendor("{\"name\":\"あおば情報\",\"status\":\"active\",\"department\":\"情報システム部\",\"tags\":[\"基幹\"],"
	       "\"contacts\":[{\"name\":\"契約 太郎\",\"role\":\"contract_signer\",\"email\":\"keiyaku@aoba.example.jp\"},"
	       "{\"name\":\"事故 次郎\",\"role\":\"incident_contact\",\"email\":\"jiko@aoba.example.jp\"},"
	       "{\"name\":\"安全 花子\",\"role\":\"security_officer\",\"email\":\"anzen@aoba.example.jp\"}]}", aoba);
	engagement(aoba, "給与計算");
	vendor("{\"name\":\"いろは印刷\",\"status\":\"active\",\"external_ref\":\"ERP-002\","
	       "\"contacts\":[{\"name\":\"契約 三郎\",\"role\":\"contract_signer\"},"
	       "{\"name\":\"事故 四郎\",\"role\":\"incident_contact\",\"email\":\"jiko@iroha.example.jp\"}]}", iroha);
	engagement(iroha, "帳票印刷");
	engagement(iroha, "発送代行");
	vendor("{\"name\":\"うえの物流\",\"status\":\"active\",\"contacts\":[{\"name\":\"窓口\",\"role\":\"other\"}]}", ueno);
	vendor("{\"name\":\"えど商事\",\"status\":\"terminated\","
	       "\"contacts\":[{\"name\":\"窓口\",\"role\":\"other\",\"email\":\"x@edo.example.jp\"}]}", edo);
	vendor("{\"name\":\"おおた技研\",\"status\":\"active\","
	       "\"contacts\":[{\"name\":\"窓口\",\"role\":\"other\",\"email\":\"x@oota.example.jp\"}]}", oota);
	vendor("{\"name\":\"ふじ開発\",\"status\":\"active\","
	       "\"contacts\":[{\"name\":\"窓口\",\"role\":\"security_officer\",\"email\":\"x@fuji.example.jp\"}]}", fuji);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"template_id\":\"%s\",\"due_on\":\"2099-03-31\","
		 "\"respondent\":{\"name\":\"窓口\",\"email\":\"x@fuji.example.jp\"}}", fuji, sheet);
	post_id("/v1/assessments", body, NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static char *sql1(const char *sql, const char *arg)
{
	const char *params[1] = { arg };

	return itk_sql_value(&t, sql, arg ? 1 : 0, params);
}

static void ck_sql(const char *sql, const char *arg, const char *want)
{
	char *v = sql1(sql, arg);

	ck_assert_msg(!strcmp(v, want), "%s: expected %s, got %s", sql, want, v);
	free(v);
}

/* The result of vendor v (and the n-th of its engagements) in h's results. */
static json_t *result_of(const struct http *h, const char *v, int nth)
{
	json_t *res;
	size_t i;

	json_array_foreach(json_object_get(h->json, "results"), i, res)
		if (!strcmp(json_string_value(json_object_get(json_object_get(res, "vendor"), "id")), v) && nth-- == 0)
			return res;
	return NULL;
}

static const char *member(json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name)) ?: "";
}

static int has_pointer(const struct http *h, const char *pointer)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(h->json, "errors"), i, e)
		if (!strcmp(json_string_value(json_object_get(e, "pointer")) ?: "", pointer))
			return 1;
	return 0;
}

static long long num(json_t *o, const char *name)
{
	return json_integer_value(json_object_get(o, name));
}

/* POSTs a campaign of sheet s with selection (a JSON member or two). */
static struct http *campaign(const char *s, const char *selection)
{
	char body[2048];

	snprintf(body, sizeof(body), "{\"name\":\"2026 年度 年次点検\",\"template_id\":\"%s\",\"due_on\":\"2099-06-30\","
		 "\"message\":\"ご回答をお願いします\",%s}", s, selection);
	return call("POST", "/v1/assessment-campaigns", body);
}

START_TEST(by_ids_with_every_skip_reason)
{
	char sel[512], path[160], id[40];
	struct http *h;
	json_t *res;

	snprintf(sel, sizeof(sel), "\"vendor_ids\":[\"%s\",\"%s\",\"%s\",\"%s\",\"%s\"]", aoba, iroha, ueno, edo, fuji);
	h = campaign(sheet, sel);
	ck_status(h, 201);
	snprintf(id, sizeof(id), "%s", jstr(h, "id"));
	ck_assert_ptr_nonnull(strstr(http_header(h, "Location"), id));
	ck_assert_int_eq(num(h->json, "created"), 2);
	ck_assert_int_eq(num(h->json, "skipped"), 3);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "results")), 5);
	res = result_of(h, aoba, 0);
	ck_assert_str_eq(member(res, "outcome"), "created");
	res = result_of(h, iroha, 0);
	ck_assert_str_eq(member(res, "outcome"), "created");
	ck_assert_str_eq(member(json_object_get(res, "vendor"), "external_ref"), "ERP-002");
	ck_assert_str_eq(member(result_of(h, ueno, 0), "reason"), "no_respondent_contact");
	ck_assert_str_eq(member(result_of(h, edo, 0), "reason"), "terminated");
	ck_assert_str_eq(member(result_of(h, fuji, 0), "reason"), "open_assessment");
	ck_assert_int_eq(num(json_object_get(json_object_get(h->json, "progress"), "by_status"), "sent"), 2);
	/* sent, its question set fixed (Q3 needs an engagement of confidentiality 3) */
	snprintf(path, sizeof(path), "/v1/assessments/%s", member(result_of(h, aoba, 0), "assessment_id"));
	http_free(h);
	h = call("GET", path, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "sent");
	ck_assert_str_eq(jstr(h, "title"), "2026 年度 年次点検");
	ck_assert_str_eq(jstr(h, "message"), "ご回答をお願いします");
	ck_assert_ptr_nonnull(json_object_get(json_object_get(h->json, "excluded"), "Q3"));
	/* the security officer answers before the incident contact */
	ck_assert_str_eq(member(json_object_get(h->json, "respondent"), "email"), "anzen@aoba.example.jp");
	ck_assert_str_eq(http_header(h, "ETag"), "\"2\"");
	http_free(h);
	ck_sql("select respondent ->> 'email' from assessments where vendor_id = $1", iroha, "jiko@iroha.example.jp");
	/* audited as single creations and sends, plus the campaign's own event;
	 * assessment.sent reached the webhook outbox from the trigger */
	ck_sql("select count(*) from audit_events where action = 'assessment_campaign.created' and resource_id = $1", id, "1");
	ck_sql("select count(*) from audit_events e join assessments a on a.id::text = e.resource_id"
	       " where a.campaign_id = $1 and e.action in ('assessment.created', 'assessment.sent')", id, "4");
	/* the assessments list filters by campaign */
	snprintf(path, sizeof(path), "/v1/assessments?campaign_id=%s", id);
	h = call("GET", path, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
	http_free(h);
	/* the campaign keeps why vendors were skipped */
	snprintf(path, sizeof(path), "/v1/assessment-campaigns/%s", id);
	h = call("GET", path, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "skipped_vendors")), 3);
	http_free(h);
	h = call("GET", "/v1/assessment-campaigns", NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert_ptr_null(json_object_get(json_array_get(json_object_get(h->json, "items"), 0), "progress"));
	http_free(h);
}
END_TEST

START_TEST(by_filter_and_an_empty_filter)
{
	struct http *h;

	/* the register's tag and department; drafts when not sent */
	h = campaign(sheet, "\"send\":false,\"filter\":{\"tag\":\"基幹\",\"department\":\"情報システム部\",\"status\":[\"active\"]}");
	ck_status(h, 201);
	ck_assert_int_eq(num(h->json, "created"), 1);
	ck_assert_str_eq(member(json_array_get(json_object_get(h->json, "results"), 0), "outcome"), "created");
	ck_assert_str_eq(member(json_object_get(json_array_get(json_object_get(h->json, "results"), 0), "vendor"), "id"), aoba);
	http_free(h);
	ck_sql("select status from assessments where vendor_id = $1", aoba, "draft");
	/* a filter that matches nothing: an empty campaign, documented as 201 */
	h = campaign(sheet, "\"filter\":{\"department\":\"存在しない部署\"}");
	ck_status(h, 201);
	ck_assert_int_eq(num(h->json, "created"), 0);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "results")), 0);
	ck_assert_int_eq(num(json_object_get(h->json, "progress"), "assessments"), 0);
	http_free(h);
	/* candidates have no next monitoring date: never due */
	h = campaign(sheet, "\"filter\":{\"monitoring_due_before\":\"2099-01-01\",\"risk_tier\":[\"low\",\"medium\",\"high\"]}");
	ck_status(h, 201);
	/* aoba has its draft of the sheet by now: open */
	ck_assert_str_eq(member(result_of(h, aoba, 0), "reason"), "open_assessment");
	ck_assert_ptr_null(result_of(h, edo, 0));
	http_free(h);
	/* neither or both selections, an unknown filter member */
	h = campaign(sheet, "\"filter\":{\"colour\":\"red\"}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/filter/colour"));
	http_free(h);
	h = campaign(sheet, "\"send\":true");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
}
END_TEST

START_TEST(per_engagement_and_nothing_applies)
{
	char sel[256];
	struct http *h;

	snprintf(sel, sizeof(sel), "\"per_engagement\":true,\"vendor_ids\":[\"%s\",\"%s\",\"%s\"]", aoba, iroha, oota);
	h = campaign(sheet, sel);
	ck_status(h, 201);
	ck_assert_int_eq(num(h->json, "created"), 3);
	ck_assert_str_eq(member(result_of(h, iroha, 0), "outcome"), "created");
	ck_assert_str_eq(member(result_of(h, iroha, 1), "outcome"), "created");
	ck_assert_str_ne(member(result_of(h, iroha, 0), "engagement_id"), member(result_of(h, iroha, 1), "engagement_id"));
	ck_assert_str_eq(member(result_of(h, oota, 0), "reason"), "no_current_engagement");
	http_free(h);
	/* for an engagement of confidentiality 3, Q3 is asked */
	ck_sql("select count(*) from assessments where vendor_id = $1 and engagement_id is not null"
	       " and not excluded ? 'Q3' and status = 'sent'", iroha, "2");
	/* one per vendor, without an engagement: nothing of the narrow sheet applies */
	snprintf(sel, sizeof(sel), "\"vendor_ids\":[\"%s\"]", oota);
	h = campaign(narrow_sheet, sel);
	ck_status(h, 201);
	ck_assert_str_eq(member(result_of(h, oota, 0), "reason"), "nothing_applies");
	ck_assert_int_eq(num(h->json, "created"), 0);
	http_free(h);
}
END_TEST

START_TEST(at_most_2000_vendors)
{
	char *body, *p;
	struct http *h;
	const char *params[1];
	char *tenant;
	size_t cap = 2001 * 40 + 512;

	/* 2,001 explicit ids: refused before anything is read */
	body = malloc(cap);
	p = body + sprintf(body, "{\"name\":\"多すぎる\",\"template_id\":\"%s\",\"due_on\":\"2099-06-30\",\"vendor_ids\":[", sheet);
	for (int i = 0; i < 2001; i++)
		p += sprintf(p, "%s\"00000000-0000-4000-8000-%012d\"", i ? "," : "", i);
	sprintf(p, "]}");
	h = call("POST", "/v1/assessment-campaigns", body);
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/vendor_ids"));
	http_free(h);
	free(body);
	/* an id of no vendor of this tenant is named */
	h = campaign(sheet, "\"vendor_ids\":[\"00000000-0000-4000-8000-000000000000\"]");
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/vendor_ids/0"));
	http_free(h);
	/* a filter matching more than 2,000: the register grows in SQL, the
	 * API would take 2,001 requests */
	tenant = sql1("select tenant_id::text from vendors where id = $1", aoba);
	params[0] = tenant;
	PQclear(itk_sql(&t, "insert into vendors (tenant_id, name, status)"
			    " select $1, '大量 ' || g, 'active' from generate_series(1, 2001) g", 1, params));
	free(tenant);
	h = campaign(sheet, "\"filter\":{\"status\":[\"active\"]}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/filter"));
	http_free(h);
	ck_sql("select count(*) from assessment_campaigns", NULL, "0");
}
END_TEST

START_TEST(progress_and_export)
{
	char sel[256], path[160], id[40], a_aoba[40], a_iroha[40];
	struct http *h;
	json_t *pr;

	snprintf(sel, sizeof(sel), "\"vendor_ids\":[\"%s\",\"%s\"]", aoba, iroha);
	h = campaign(sheet, sel);
	ck_status(h, 201);
	snprintf(id, sizeof(id), "%s", jstr(h, "id"));
	snprintf(a_aoba, sizeof(a_aoba), "%s", member(result_of(h, aoba, 0), "assessment_id"));
	snprintf(a_iroha, sizeof(a_iroha), "%s", member(result_of(h, iroha, 0), "assessment_id"));
	http_free(h);
	/* The states move in SQL: through the respondent link and the review
	 * endpoints this would take a link, saves, a submission and a
	 * completion per assessment (test_assessment_cycle.c walks those).
	 * aoba: one of two answered, overdue; iroha: both, completed (watch, 75). */
	{
		const char *params[1] = { a_aoba };

		PQclear(itk_sql(&t, "update assessments set answers = '{\"Q1\":\"yes\"}', status = 'in_progress',"
				    " due_on = '2020-01-01' where id = $1", 1, params));
		params[0] = a_iroha;
		PQclear(itk_sql(&t, "update assessments set answers = '{\"Q1\":\"yes\",\"Q2\":\"no\"}' where id = $1",
				1, params));
		PQclear(itk_sql(&t, "update assessments set status = 'completed', submitted_at = now(),"
				    " completed_at = now(), computed_verdict = 'watch', verdict = 'watch',"
				    " score = '{\"overall\":75,\"sections\":[{\"code\":\"S\",\"score\":75}]}'"
				    " where id = $1", 1, params));
	}
	snprintf(path, sizeof(path), "/v1/assessment-campaigns/%s", id);
	h = call("GET", path, NULL);
	ck_status(h, 200);
	pr = json_object_get(h->json, "progress");
	ck_assert_int_eq(num(pr, "assessments"), 2);
	ck_assert_int_eq(num(json_object_get(pr, "by_status"), "in_progress"), 1);
	ck_assert_int_eq(num(json_object_get(pr, "by_status"), "completed"), 1);
	ck_assert_int_eq(num(json_object_get(pr, "by_status"), "sent"), 0);
	ck_assert_int_eq(num(pr, "overdue"), 1);
	ck_assert_int_eq(num(pr, "questions_asked"), 4);
	ck_assert_int_eq(num(pr, "questions_answered"), 3);
	ck_assert(json_number_value(json_object_get(pr, "answered_percent")) == 75.0);
	ck_assert_int_eq(num(json_object_get(pr, "verdicts"), "watch"), 1);
	ck_assert_int_eq(num(json_object_get(pr, "verdicts"), "no_issues"), 0);
	ck_assert(json_number_value(json_object_get(pr, "average_score")) == 75.0);
	http_free(h);
	/* the export: BOM, header, one CRLF row per assessment by vendor name */
	snprintf(path, sizeof(path), "/v1/assessment-campaigns/%s/export.csv", id);
	h = call("GET", path, NULL);
	ck_status(h, 200);
	ck_assert_ptr_nonnull(strstr(http_header(h, "Content-Type"), "text/csv"));
	ck_assert_ptr_nonnull(strstr(http_header(h, "Content-Disposition"), id));
	ck_assert(h->len > 3 && !memcmp(h->body, "\xEF\xBB\xBF", 3));
	ck_assert_msg(!strncmp(h->body + 3, "assessment_id,vendor_id,vendor_name,external_ref,engagement_id,status,"
				      "due_on,overdue,submitted_at,completed_at,verdict,overall_score,score_S,findings_open\r\n",
			       strlen("assessment_id,vendor_id,vendor_name,external_ref,engagement_id,status,"
				      "due_on,overdue,submitted_at,completed_at,verdict,overall_score,score_S,findings_open\r\n")),
		      "header: %.200s", h->body);
	{
		char *first = strstr(h->body, "\r\n") + 2, *second = strstr(first, "\r\n") + 2;

		ck_assert(!strncmp(first, a_aoba, 36));
		ck_assert_ptr_nonnull(strstr(first, ",あおば情報,,"));
		ck_assert_ptr_nonnull(strstr(first, ",in_progress,2020-01-01,true,"));
		ck_assert(!strncmp(second, a_iroha, 36));
		ck_assert_ptr_nonnull(strstr(second, ",いろは印刷,ERP-002,"));
		ck_assert_ptr_nonnull(strstr(second, ",watch,75,75,0\r\n"));
		ck_assert_str_eq(strstr(second, "\r\n"), "\r\n");
	}
	http_free(h);
}
END_TEST

START_TEST(tenancy_and_replay)
{
	const char *headers[] = { "Idempotency-Key: campaign-2026-1", NULL };
	char body[512], path[160], id[40], *key2;
	struct http *h;

	snprintf(body, sizeof(body), "{\"name\":\"再送\",\"template_id\":\"%s\",\"due_on\":\"2099-06-30\","
		 "\"vendor_ids\":[\"%s\"]}", sheet, aoba);
	h = http_do(&t, "POST", "/v1/assessment-campaigns", t.admin_key, body, headers);
	ck_status(h, 201);
	snprintf(id, sizeof(id), "%s", jstr(h, "id"));
	http_free(h);
	/* the same key and body: the stored answer, nothing made twice */
	h = http_do(&t, "POST", "/v1/assessment-campaigns", t.admin_key, body, headers);
	ck_status(h, 201);
	ck_assert_str_eq(jstr(h, "id"), id);
	ck_assert_str_eq(http_header(h, "Idempotent-Replayed"), "true");
	ck_assert_str_eq(member(result_of(h, aoba, 0), "outcome"), "created");
	http_free(h);
	ck_sql("select count(*) from assessments where campaign_id is not null and vendor_id = $1", aoba, "1");
	/* another tenant sees none of it */
	key2 = itk_bootstrap(&t, "t2");
	snprintf(path, sizeof(path), "/v1/assessment-campaigns/%s", id);
	h = http_do(&t, "GET", path, key2, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/assessment-campaigns/%s/export.csv", id);
	h = http_do(&t, "GET", path, key2, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = http_do(&t, "GET", "/v1/assessment-campaigns", key2, NULL, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 0);
	http_free(h);
	/* nor can it send to this tenant's vendors or with its sheet */
	h = http_do(&t, "POST", "/v1/assessment-campaigns", key2, body, NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/template_id"));
	ck_assert(has_pointer(h, "/vendor_ids/0"));
	http_free(h);
	free(key2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("campaigns");
	TCase *tc = tcase_create("campaigns");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, by_ids_with_every_skip_reason);
	tcase_add_test(tc, by_filter_and_an_empty_filter);
	tcase_add_test(tc, per_engagement_and_nothing_applies);
	tcase_add_test(tc, at_most_2000_vendors);
	tcase_add_test(tc, progress_and_export);
	tcase_add_test(tc, tenancy_and_replay);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

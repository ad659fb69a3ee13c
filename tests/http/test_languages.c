/* HTTP: texts for people in Japanese or English by Accept-Language, each
 * with a stable code that is the same in both: a problem (detail, title,
 * field messages), a risk reason, and a rule explanation from the
 * database. */
#include <stdio.h>
#include <string.h>
#include "harness.h"

static struct itk t;
static const char *const ja[] = { "Accept-Language: ja-JP,ja;q=0.9,en;q=0.5", NULL };
static const char *const en[] = { "Accept-Language: en-US,en;q=0.9,ja;q=0.1", NULL };

static void setup(void)
{
	itk_setup(&t, "languages", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static const char *error_field(const struct http *h, const char *name)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(h->json, "errors"), 0), name));
}

START_TEST(problems_in_both_languages)
{
	struct http *h;

	h = http_do(&t, "GET", "/v1/vendors/00000000-0000-4000-8000-000000000000", t.admin_key, NULL, ja);
	ck_problem(h, 404, "not-found");
	ck_assert_str_eq(http_header(h, "Content-Language"), "ja");
	ck_assert_ptr_nonnull(strstr(http_header(h, "Vary"), "Accept-Language"));
	ck_assert_str_eq(jstr(h, "title"), "見つかりません");
	ck_assert_str_eq(jstr(h, "detail"), "この ID の委託先はありません");
	ck_assert_str_eq(jstr(h, "code"), "vendor.not_found");
	http_free(h);
	h = http_do(&t, "GET", "/v1/vendors/00000000-0000-4000-8000-000000000000", t.admin_key, NULL, en);
	ck_problem(h, 404, "not-found");
	ck_assert_str_eq(http_header(h, "Content-Language"), "en");
	ck_assert_str_eq(jstr(h, "title"), "Not found");
	ck_assert_str_eq(jstr(h, "detail"), "no vendor with this id");
	ck_assert_str_eq(jstr(h, "code"), "vendor.not_found");
	http_free(h);

	/* field messages, with arguments */
	h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"role\":\"viewer\",\"name\":\"\"}", ja);
	ck_problem(h, 422, "validation-failed");
	ck_assert_str_eq(error_field(h, "message"), "1〜200 文字にしてください");
	ck_assert_str_eq(error_field(h, "code"), "field.length_range");
	ck_assert_str_eq(jstr(h, "detail"), "本文に不正な項目があります。errors を見てください");
	http_free(h);
	h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"role\":\"viewer\",\"name\":\"\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert_str_eq(http_header(h, "Content-Language"), "en");   /* no header: English */
	ck_assert_str_eq(error_field(h, "message"), "must be 1 to 200 characters long");
	ck_assert_str_eq(error_field(h, "code"), "field.length_range");
	http_free(h);
}
END_TEST

static void post_id(const char *path, const char *body, char out[40])
{
	struct http *h = http_do(&t, "POST", path, t.admin_key, body, NULL);

	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

/* The reason with code; its message in the answer's language. */
static const char *reason(const struct http *h, const char *code)
{
	json_t *reasons = json_object_get(json_object_get(h->json, "risk"), "reasons"), *r;
	size_t i;

	json_array_foreach(reasons, i, r) {
		if (!strcmp(json_string_value(json_object_get(r, "code")), code))
			return json_string_value(json_object_get(r, "message"));
	}
	return "";
}

START_TEST(risk_reasons_and_rules_in_both_languages)
{
	char vid[40], eid[40], path[128], body[256];
	struct http *h;

	post_id("/v1/vendors", "{\"name\":\"言語試験株式会社\",\"status\":\"active\"}", vid);
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", vid);
	post_id(path, "{\"title\":\"給与計算\",\"contract_type\":\"inin\",\"category\":\"data_processing\","
		      "\"handles_personal_data\":true,\"confidentiality\":2,\"subcontracting\":\"prohibited\","
		      "\"subcontract_max_depth\":0}", eid);

	snprintf(path, sizeof(path), "/v1/vendors/%s", vid);
	h = http_do(&t, "GET", path, t.admin_key, NULL, ja);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "Content-Language"), "ja");
	ck_assert_str_eq(reason(h, "personal_data"), "委託業務「給与計算」で個人データを扱います");
	ck_assert_str_eq(reason(h, "confidentiality"), "機密性 2");
	http_free(h);
	h = http_do(&t, "GET", path, t.admin_key, NULL, en);
	ck_assert_str_eq(http_header(h, "Content-Language"), "en");
	ck_assert_str_eq(reason(h, "personal_data"), "engagement \"給与計算\" handles personal data");
	http_free(h);

	/* a rule the database enforces */
	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts", eid);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"scope\":\"入力\",\"reason\":\"繁忙期\","
		 "\"confidentiality\":1}", vid);
	h = http_do(&t, "POST", path, t.admin_key, body, ja);
	ck_problem(h, 422, "rule-violated");
	ck_assert_str_eq(jstr(h, "detail"), "委託業務「給与計算」は再委託を禁止しています");
	ck_assert_str_eq(jstr(h, "code"), "rule.subcontracting_prohibited");
	http_free(h);
	h = http_do(&t, "POST", path, t.admin_key, body, en);
	ck_problem(h, 422, "rule-violated");
	ck_assert_str_eq(jstr(h, "detail"), "engagement \"給与計算\" prohibits subcontracting");
	ck_assert_str_eq(jstr(h, "code"), "rule.subcontracting_prohibited");
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("languages");
	TCase *tc = tcase_create("languages");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, problems_in_both_languages);
	tcase_add_test(tc, risk_reasons_and_rules_in_both_languages);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

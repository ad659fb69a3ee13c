/* HTTP: the vendor register - create and validation, corporate numbers,
 * duplicates, If-Match, search and filters, sorts with keyset pagination,
 * delete versus terminate, CSV export, tenant isolation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;

static void setup(void)
{
	itk_setup(&t, "vendors", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static struct http *post(const char *body)
{
	return http_do(&t, "POST", "/v1/vendors", t.admin_key, body, NULL);
}

/* Creates a vendor; returns its id (caller frees). */
static char *create(const char *body)
{
	struct http *h = post(body);
	char *id;

	ck_status(h, 201);
	id = strdup(jstr(h, "id"));
	http_free(h);
	return id;
}

static char *count_vendors(void)
{
	return itk_sql_value(&t, "select count(*) from vendors", 0, NULL);
}

static const char *first_error_pointer(const struct http *h)
{
	json_t *e = json_array_get(json_object_get(h->json, "errors"), 0);

	return json_string_value(json_object_get(e, "pointer"));
}

START_TEST(create_normalises_and_audits)
{
	struct http *h = post("{\"name\":\"株式会社サンプル\",\"name_kana\":\"カブシキガイシャサンプル\","
			      "\"corporate_number\":\"１-１８０３-０１０１-８７７１\",\"external_ref\":\"V-001\","
			      "\"country\":\"jp\",\"tags\":[\"cloud\"],\"status\":\"active\","
			      "\"contacts\":[{\"name\":\"山田 花子\",\"role\":\"security_officer\","
			      "\"email\":\"hanako@example.co.jp\",\"phone\":\"03-1234-5678\"}]}");
	const char *params[1];
	char path[96], *n;

	ck_status(h, 201);
	ck_assert_str_eq(jstr(h, "corporate_number"), "1180301018771");
	ck_assert_str_eq(jstr(h, "country"), "JP");
	ck_assert_str_eq(jstr(h, "entity_type"), "corporation");
	ck_assert_str_eq(http_header(h, "ETag"), "\"1\"");
	snprintf(path, sizeof(path), "/v1/vendors/%s", jstr(h, "id"));
	ck_assert_str_eq(http_header(h, "Location"), path);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "risk"), "tier")), "low");
	/* active and never monitored: due from registration */
	ck_assert(json_is_string(json_object_get(json_object_get(h->json, "monitoring"), "next_due")));
	params[0] = jstr(h, "id");
	n = itk_sql_value(&t, "select count(*) from audit_events where action = 'vendor.created'"
			      " and resource_id = $1", 1, params);
	ck_assert_str_eq(n, "1");
	free(n);
	http_free(h);
}
END_TEST

START_TEST(corporate_number_rules)
{
	struct http *h;
	char *n;

	h = post("{\"name\":\"A\",\"corporate_number\":\"6010001008846\"}");
	ck_problem(h, 422, "validation-failed");
	ck_assert_str_eq(first_error_pointer(h), "/corporate_number");
	ck_assert_ptr_nonnull(strstr(h->body, "check digit"));
	http_free(h);
	h = post("{\"name\":\"A\",\"corporate_number\":\"7010401067252\"}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = post("{\"name\":\"A\",\"corporate_number\":\"501000100884\"}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	/* sole proprietors have none */
	h = post("{\"name\":\"個人事業 田中\",\"entity_type\":\"sole_proprietor\",\"corporate_number\":\"5010001008846\"}");
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "sole proprietors"));
	http_free(h);
	n = count_vendors();
	ck_assert_str_eq(n, "0");
	free(n);
	/* valid, unique per tenant */
	free(create("{\"name\":\"A\",\"corporate_number\":\"5010001008846\"}"));
	h = post("{\"name\":\"B\",\"corporate_number\":\"5010-0010-08846\"}");
	ck_problem(h, 409, "duplicate");
	ck_assert_str_eq(first_error_pointer(h), "/corporate_number");
	http_free(h);
}
END_TEST

START_TEST(bad_input_writes_nothing)
{
	struct http *h;
	char *n;

	h = post("{\"name\":\"A\",\"status\":\"deleted\",\"entity_type\":\"robot\",\"country\":\"J1\","
		 "\"capital_jpy\":-1,\"tags\":[\"a\",\"a\"],\"contacts\":[{\"name\":\"x\",\"role\":\"boss\","
		 "\"email\":\"not-mail\"}],\"colour\":\"red\"}");
	ck_problem(h, 422, "validation-failed");
	ck_assert_int_ge(json_array_size(json_object_get(h->json, "errors")), 8);
	ck_assert_ptr_nonnull(strstr(h->body, "/contacts/0/role"));
	ck_assert_ptr_nonnull(strstr(h->body, "/contacts/0/email"));
	ck_assert_ptr_nonnull(strstr(h->body, "/colour"));
	http_free(h);
	h = post("{\"external_ref\":\"X\"}");
	ck_problem(h, 422, "validation-failed");
	ck_assert_str_eq(first_error_pointer(h), "/name");
	http_free(h);
	h = post("[1]");
	ck_problem(h, 400, "malformed-json");
	http_free(h);
	n = count_vendors();
	ck_assert_str_eq(n, "0");
	free(n);
}
END_TEST

START_TEST(duplicate_external_ref_is_409)
{
	struct http *h;
	char *n;

	free(create("{\"name\":\"A\",\"external_ref\":\"ERP-1\"}"));
	h = post("{\"name\":\"B\",\"external_ref\":\"ERP-1\"}");
	ck_problem(h, 409, "duplicate");
	ck_assert_str_eq(first_error_pointer(h), "/external_ref");
	http_free(h);
	n = count_vendors();
	ck_assert_str_eq(n, "1");
	free(n);
}
END_TEST

START_TEST(patch_honours_if_match)
{
	char *id = create("{\"name\":\"A\"}"), path[96];
	const char *stale[] = { "If-Match: \"7\"", NULL }, *fresh[] = { "If-Match: \"1\"", NULL };
	struct http *h;

	snprintf(path, sizeof(path), "/v1/vendors/%s", id);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"name\":\"B\"}", stale);
	ck_problem(h, 412, "precondition-failed");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"name\":\"B\",\"department\":\"情報システム部\"}", fresh);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "name"), "B");
	ck_assert_str_eq(http_header(h, "ETag"), "\"2\"");
	http_free(h);
	/* the same patch again changes nothing */
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"name\":\"B\"}", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "ETag"), "\"2\"");
	http_free(h);
	/* null clears, bad values refused */
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"department\":null,\"status\":\"gone\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	free(id);
}
END_TEST

START_TEST(search_folds_width_and_kana)
{
	struct http *h;

	free(create("{\"name\":\"株式会社アルファ\",\"name_kana\":\"ｱﾙﾌｧ\",\"external_ref\":\"A_1\"}"));
	free(create("{\"name\":\"ベータ100%商事\",\"external_ref\":\"AB1\"}"));
	free(create("{\"name\":\"Gamma Ｓｙｓｔｅｍｓ\",\"corporate_number\":\"1180301018771\"}"));
	/* hiragana finds half-width katakana */
	h = http_do(&t, "GET", "/v1/vendors?q=%E3%81%82%E3%82%8B%E3%81%B5%E3%81%81", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	/* ASCII finds full-width, case-insensitive */
	h = http_do(&t, "GET", "/v1/vendors?q=gamma%20systems", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	/* corporate number with hyphens */
	h = http_do(&t, "GET", "/v1/vendors?q=1-1803-0101", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	/* % and _ are literal characters, not wildcards */
	h = http_do(&t, "GET", "/v1/vendors?q=100%25", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = http_do(&t, "GET", "/v1/vendors?q=A_1", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "items"), 0),
							   "external_ref")), "A_1");
	http_free(h);
	h = http_do(&t, "GET", "/v1/vendors?q=%25", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
}
END_TEST

START_TEST(filters_and_bad_parameters)
{
	struct http *h;

	free(create("{\"name\":\"A\",\"status\":\"active\",\"department\":\"経理部\",\"tags\":[\"saas\"]}"));
	free(create("{\"name\":\"B\",\"status\":\"suspended\"}"));
	free(create("{\"name\":\"C\"}"));
	h = http_do(&t, "GET", "/v1/vendors?status=active,suspended", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 2);
	http_free(h);
	h = http_do(&t, "GET", "/v1/vendors?tag=saas&department=%E7%B5%8C%E7%90%86%E9%83%A8", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = http_do(&t, "GET", "/v1/vendors?risk_tier=low&handles_personal_data=false", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 3);
	http_free(h);
	h = http_do(&t, "GET", "/v1/vendors?status=gone&sort=size&monitoring_overdue=maybe"
		    "&certificate_expiring_within_days=-1", t.admin_key, NULL, NULL);
	ck_problem(h, 400, "invalid-parameter");
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "errors")), 4);
	http_free(h);
}
END_TEST

/* Walks a listing page by page; returns the names in order (caller frees). */
static char *walk(const char *query, int *pages)
{
	char path[1024], *names = calloc(1, 4096), *cursor = NULL;

	*pages = 0;
	do {
		struct http *h;
		json_t *item;
		size_t i;

		snprintf(path, sizeof(path), "/v1/vendors?%s&limit=2%s%s", query, cursor ? "&cursor=" : "",
			 cursor ? cursor : "");
		h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
		ck_status(h, 200);
		json_array_foreach(json_object_get(h->json, "items"), i, item) {
			strcat(names, json_string_value(json_object_get(item, "name")));
			strcat(names, " ");
		}
		free(cursor);
		cursor = json_is_string(json_object_get(h->json, "next_cursor"))
				 ? strdup(jstr(h, "next_cursor")) : NULL;
		(*pages)++;
		http_free(h);
	} while (cursor);
	return names;
}

START_TEST(sorts_paginate_with_keyset)
{
	const char *names[] = { "D", "B", "E", "A", "C" };
	char body[64], *got, first_cursor[512];
	struct http *h;
	int pages;

	for (int i = 0; i < 5; i++) {
		snprintf(body, sizeof(body), "{\"name\":\"%s\"}", names[i]);
		free(create(body));
	}
	got = walk("sort=name", &pages);
	ck_assert_str_eq(got, "A B C D E ");
	ck_assert_int_eq(pages, 3);
	free(got);
	got = walk("sort=-name", &pages);
	ck_assert_str_eq(got, "E D C B A ");
	free(got);
	got = walk("sort=created_at", &pages);
	ck_assert_str_eq(got, "D B E A C ");
	free(got);
	got = walk("sort=-created_at", &pages);
	ck_assert_str_eq(got, "C A E B D ");
	free(got);
	got = walk("sort=next_monitoring_due", &pages);
	ck_assert_uint_eq(strlen(got), 10);
	free(got);
	/* a cursor only continues the sort it was made for */
	h = http_do(&t, "GET", "/v1/vendors?sort=name&limit=2", t.admin_key, NULL, NULL);
	snprintf(first_cursor, sizeof(first_cursor), "/v1/vendors?sort=created_at&cursor=%s", jstr(h, "next_cursor"));
	ck_assert_ptr_nonnull(http_header(h, "Link"));
	http_free(h);
	h = http_do(&t, "GET", first_cursor, t.admin_key, NULL, NULL);
	ck_problem(h, 400, "invalid-cursor");
	http_free(h);
}
END_TEST

START_TEST(delete_only_bare_candidates)
{
	char *cand = create("{\"name\":\"候補\"}"), *act = create("{\"name\":\"取引中\",\"status\":\"active\"}");
	char *other = create("{\"name\":\"証明書あり\"}"), path[128];
	struct http *h;
	char *n;

	snprintf(path, sizeof(path), "/v1/vendors/%s", act);
	h = http_do(&t, "DELETE", path, t.admin_key, NULL, NULL);
	ck_problem(h, 409, "vendor-in-use");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/vendors/%s/certifications", other);
	h = http_do(&t, "POST", path, t.admin_key, "{\"kind\":\"privacy_mark\"}", NULL);
	ck_status(h, 201);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/vendors/%s", other);
	h = http_do(&t, "DELETE", path, t.admin_key, NULL, NULL);
	ck_problem(h, 409, "vendor-in-use");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/vendors/%s", cand);
	h = http_do(&t, "DELETE", path, t.admin_key, NULL, NULL);
	ck_status(h, 204);
	http_free(h);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	n = count_vendors();
	ck_assert_str_eq(n, "2");
	free(n);
	/* the database refuses it too */
	{
		PGconn *c = itk_connect(&t);
		PGresult *res = PQexec(c, "delete from vendors where status = 'active'");

		ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
		PQclear(res);
		PQfinish(c);
	}
	free(cand);
	free(act);
	free(other);
}
END_TEST

START_TEST(export_csv_with_bom_and_quoting)
{
	struct http *h;

	free(create("{\"name\":\"株式会社\\\"引用\\\", 商事\",\"external_ref\":\"=cmd()\",\"tags\":[\"a\",\"b\"]}"));
	free(create("{\"name\":\"Other\",\"status\":\"active\"}"));
	h = http_do(&t, "GET", "/v1/vendors/export.csv?status=candidate", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "Content-Type"), "text/csv; charset=utf-8");
	ck_assert(h->len > 3 && memcmp(h->body, "\xEF\xBB\xBF" "id,external_ref,name,", 24) == 0);
	ck_assert_ptr_nonnull(strstr(h->body, ",\"'=cmd()\",\"株式会社\"\"引用\"\", 商事\","));
	ck_assert_ptr_nonnull(strstr(h->body, ",a;b,"));
	ck_assert_ptr_null(strstr(h->body, "Other"));
	ck_assert_ptr_nonnull(strstr(h->body, "\r\n"));
	http_free(h);
	h = http_do(&t, "GET", "/v1/vendors/export.csv?sort=bogus", t.admin_key, NULL, NULL);
	ck_problem(h, 400, "invalid-parameter");
	http_free(h);
}
END_TEST

START_TEST(other_tenant_sees_nothing)
{
	char *id = create("{\"name\":\"A\",\"external_ref\":\"R\"}"), *k2 = itk_bootstrap(&t, "t2"), path[96];
	struct http *h;

	snprintf(path, sizeof(path), "/v1/vendors/%s", id);
	h = http_do(&t, "GET", path, k2, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = http_do(&t, "PATCH", path, k2, "{\"name\":\"x\"}", NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = http_do(&t, "GET", "/v1/vendors", k2, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 0);
	http_free(h);
	/* the same external_ref is free in another tenant */
	h = http_do(&t, "POST", "/v1/vendors", k2, "{\"name\":\"B\",\"external_ref\":\"R\"}", NULL);
	ck_status(h, 201);
	http_free(h);
	free(id);
	free(k2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vendors");
	TCase *tc = tcase_create("vendors");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, create_normalises_and_audits);
	tcase_add_test(tc, corporate_number_rules);
	tcase_add_test(tc, bad_input_writes_nothing);
	tcase_add_test(tc, duplicate_external_ref_is_409);
	tcase_add_test(tc, patch_honours_if_match);
	tcase_add_test(tc, search_folds_width_and_kana);
	tcase_add_test(tc, filters_and_bad_parameters);
	tcase_add_test(tc, sorts_paginate_with_keyset);
	tcase_add_test(tc, delete_only_bare_candidates);
	tcase_add_test(tc, export_csv_with_bom_and_quoting);
	tcase_add_test(tc, other_tenant_sees_nothing);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

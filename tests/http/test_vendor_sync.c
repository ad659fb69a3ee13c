/* HTTP: ERP sync - PUT by external_ref (create, unchanged, update) and the
 * batch endpoint in both modes, its limits, and Idempotency-Key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;

static void setup(void)
{
	itk_setup(&t, "vsync", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static char *sql1(const char *sql)
{
	return itk_sql_value(&t, sql, 0, NULL);
}

START_TEST(put_by_ref_creates_then_is_idempotent)
{
	char *k = itk_bootstrap(&t, "t9"), *n;
	struct http *h;

	h = http_do(&t, "PUT", "/v1/vendors/by-ref/ERP%2F001", t.admin_key,
		    "{\"name\":\"東京データ株式会社\",\"status\":\"active\"}", NULL);
	ck_status(h, 201);
	ck_assert_str_eq(http_header(h, "Itaku-Sync-Result"), "created");
	ck_assert_str_eq(jstr(h, "external_ref"), "ERP/001");
	ck_assert_ptr_nonnull(http_header(h, "Location"));
	http_free(h);
	h = http_do(&t, "PUT", "/v1/vendors/by-ref/ERP%2F001", t.admin_key,
		    "{\"name\":\"東京データ株式会社\"}", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "Itaku-Sync-Result"), "unchanged");
	ck_assert_str_eq(http_header(h, "ETag"), "\"1\"");
	/* fields left out keep their values */
	ck_assert_str_eq(jstr(h, "status"), "active");
	http_free(h);
	h = http_do(&t, "PUT", "/v1/vendors/by-ref/ERP%2F001", t.admin_key,
		    "{\"name\":\"東京データ株式会社\",\"employee_count\":120}", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "Itaku-Sync-Result"), "updated");
	ck_assert_str_eq(http_header(h, "ETag"), "\"2\"");
	http_free(h);
	n = sql1("select count(*) from audit_events where resource_type = 'vendor'");
	ck_assert_str_eq(n, "2");
	free(n);
	/* another tenant may use the same ref */
	h = http_do(&t, "PUT", "/v1/vendors/by-ref/ERP%2F001", k, "{\"name\":\"別会社\"}", NULL);
	ck_status(h, 201);
	http_free(h);
	/* An idempotent replay tells the outcome too (it used to drop it). */
	for (int i = 0; i < 2; i++) {
		static const char *const idem[] = { "Idempotency-Key: sync-77", NULL };

		h = http_do(&t, "PUT", "/v1/vendors/by-ref/ERP%2F077", t.admin_key,
			    "{\"name\":\"再送株式会社\"}", idem);
		ck_status(h, 201);
		ck_assert_str_eq(http_header(h, "Itaku-Sync-Result"), "created");
		if (i)
			ck_assert_str_eq(http_header(h, "Idempotent-Replayed"), "true");
		http_free(h);
	}
	free(k);
}
END_TEST

START_TEST(put_by_ref_rejects_mismatch_and_bad_fields)
{
	struct http *h;
	char *n;

	h = http_do(&t, "PUT", "/v1/vendors/by-ref/A1", t.admin_key, "{\"name\":\"x\",\"external_ref\":\"B2\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = http_do(&t, "PUT", "/v1/vendors/by-ref/A1", t.admin_key, "{\"name\":\"x\",\"status\":\"zombie\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = http_do(&t, "PUT", "/v1/vendors/by-ref/A1", t.admin_key, "{\"name\":\"x\"}",
		    (const char *const[]){ "If-Match: \"1\"", NULL });
	ck_problem(h, 412, "precondition-failed");
	http_free(h);
	n = sql1("select count(*) from vendors");
	ck_assert_str_eq(n, "0");
	free(n);
}
END_TEST

START_TEST(batch_valid_only_applies_the_good_items)
{
	struct http *h;
	json_t *res;
	char *n;

	h = http_do(&t, "PUT", "/v1/vendors/by-ref/E1", t.admin_key, "{\"name\":\"既存\",\"corporate_number\":\"5010001008846\"}", NULL);
	ck_status(h, 201);
	http_free(h);
	h = http_do(&t, "POST", "/v1/vendors/batch", t.admin_key,
		    "{\"vendors\":["
		    "{\"external_ref\":\"E1\",\"name\":\"既存\"},"
		    "{\"external_ref\":\"E2\",\"name\":\"新規\"},"
		    "{\"external_ref\":\"E3\",\"name\":\"番号誤り\",\"corporate_number\":\"6010001008846\"},"
		    "{\"external_ref\":\"E4\",\"name\":\"番号重複\",\"corporate_number\":\"5010001008846\"},"
		    "{\"name\":\"参照なし\"},"
		    "{\"external_ref\":\"E2\",\"name\":\"重複\"},"
		    "{\"external_ref\":\"E1\",\"name\":\"既存(改)\"}]}", NULL);
	ck_status(h, 200);
	res = json_object_get(h->json, "results");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 0), "result")), "unchanged");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 1), "result")), "created");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 2), "result")), "error");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_array_get(res, 2), "problem"), "status")), 422);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_array_get(res, 3), "problem"), "status")), 409);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 4), "result")), "error");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 5), "result")), "error");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 6), "result")), "error");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "summary"), "errors")), 5);
	http_free(h);
	n = sql1("select string_agg(external_ref || ':' || name, ',' order by external_ref) from vendors");
	ck_assert_str_eq(n, "E1:既存,E2:新規");
	free(n);
}
END_TEST

START_TEST(batch_all_or_nothing_applies_nothing)
{
	struct http *h;
	char *n;

	h = http_do(&t, "POST", "/v1/vendors/batch", t.admin_key,
		    "{\"mode\":\"all_or_nothing\",\"vendors\":["
		    "{\"external_ref\":\"E1\",\"name\":\"良い\"},"
		    "{\"external_ref\":\"E2\",\"name\":\"\",\"status\":\"x\"}]}", NULL);
	ck_problem(h, 422, "batch-rejected");
	ck_assert_ptr_nonnull(strstr(h->body, "/vendors/1/name"));
	ck_assert_ptr_nonnull(strstr(h->body, "/vendors/1/status"));
	http_free(h);
	n = sql1("select count(*) from vendors");
	ck_assert_str_eq(n, "0");
	free(n);
	h = http_do(&t, "POST", "/v1/vendors/batch", t.admin_key,
		    "{\"mode\":\"all_or_nothing\",\"vendors\":[{\"external_ref\":\"E1\",\"name\":\"良い\"}]}", NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "summary"), "created")), 1);
	http_free(h);
}
END_TEST

START_TEST(batch_limits)
{
	size_t cap = 1001 * 40 + 64, used;
	char *body = malloc(cap), *n;
	struct http *h;

	used = (size_t)snprintf(body, cap, "{\"vendors\":[");
	for (int i = 0; i < 1001; i++)
		used += (size_t)snprintf(body + used, cap - used, "%s{\"external_ref\":\"R%d\",\"name\":\"N\"}",
					 i ? "," : "", i);
	snprintf(body + used, cap - used, "]}");
	h = http_do(&t, "POST", "/v1/vendors/batch", t.admin_key, body, NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "1 to 1000 vendors"));
	http_free(h);
	h = http_do(&t, "POST", "/v1/vendors/batch", t.admin_key, "{\"vendors\":[]}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = http_do(&t, "POST", "/v1/vendors/batch", t.admin_key, "{\"vendors\":[1],\"mode\":\"some\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	n = sql1("select count(*) from vendors");
	ck_assert_str_eq(n, "0");
	free(n);
	free(body);
}
END_TEST

START_TEST(batch_of_1000_and_idempotency_replay)
{
	size_t cap = 1000 * 48 + 64, used;
	char *body = malloc(cap), *n;
	const char *idem[] = { "Idempotency-Key: sync-2026-11-21", NULL };
	struct http *h, *again;

	used = (size_t)snprintf(body, cap, "{\"vendors\":[");
	for (int i = 0; i < 1000; i++)
		used += (size_t)snprintf(body + used, cap - used, "%s{\"external_ref\":\"R%d\",\"name\":\"取引先%d\"}",
					 i ? "," : "", i, i);
	snprintf(body + used, cap - used, "]}");
	h = http_do(&t, "POST", "/v1/vendors/batch", t.admin_key, body, idem);
	ck_status(h, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "summary"), "created")), 1000);
	again = http_do(&t, "POST", "/v1/vendors/batch", t.admin_key, body, idem);
	ck_status(again, 200);
	ck_assert_str_eq(http_header(again, "Idempotent-Replayed"), "true");
	ck_assert_str_eq(again->body, h->body);
	n = sql1("select count(*) from vendors");
	ck_assert_str_eq(n, "1000");
	free(n);
	http_free(h);
	http_free(again);
	free(body);
}
END_TEST

START_TEST(viewer_cannot_sync)
{
	struct http *h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"name\":\"v\",\"role\":\"viewer\"}", NULL);
	char *viewer = strdup(jstr(h, "key"));

	http_free(h);
	h = http_do(&t, "PUT", "/v1/vendors/by-ref/X", viewer, "{\"name\":\"x\"}", NULL);
	ck_problem(h, 403, "forbidden");
	http_free(h);
	h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"name\":\"erp\",\"role\":\"integration\"}", NULL);
	free(viewer);
	viewer = strdup(jstr(h, "key"));
	http_free(h);
	h = http_do(&t, "PUT", "/v1/vendors/by-ref/X", viewer, "{\"name\":\"x\"}", NULL);
	ck_status(h, 201);
	http_free(h);
	free(viewer);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vendor_sync");
	TCase *tc = tcase_create("vendor_sync");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, put_by_ref_creates_then_is_idempotent);
	tcase_add_test(tc, put_by_ref_rejects_mismatch_and_bad_fields);
	tcase_add_test(tc, batch_valid_only_applies_the_good_items);
	tcase_add_test(tc, batch_all_or_nothing_applies_nothing);
	tcase_add_test(tc, batch_limits);
	tcase_add_test(tc, batch_of_1000_and_idempotency_replay);
	tcase_add_test(tc, viewer_cannot_sync);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

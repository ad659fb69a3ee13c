/* HTTP: probes, metrics and the served OpenAPI document. */
#include <string.h>
#include "harness.h"

static struct itk t;

static void setup(void)
{
	itk_setup(&t, "health", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

START_TEST(healthz_and_readyz)
{
	struct http *h = http_do(&t, "GET", "/healthz", NULL, NULL, NULL);

	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "ok");
	http_free(h);
	h = http_do(&t, "GET", "/readyz", NULL, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "ready");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "migrations"), "applied")),
			 json_integer_value(json_object_get(json_object_get(h->json, "migrations"), "expected")));
	http_free(h);
}
END_TEST

START_TEST(readyz_fails_when_schema_is_behind)
{
	PGresult *r = itk_sql(&t, "insert into itaku_schema_migrations (version, name, checksum)"
				  " values (9999, '9999_future.sql', 'x')", 0, NULL);
	struct http *h;

	PQclear(r);
	h = http_do(&t, "GET", "/readyz", NULL, NULL, NULL);
	ck_problem(h, 503, "not-migrated");
	http_free(h);
	r = itk_sql(&t, "delete from itaku_schema_migrations where version = 9999", 0, NULL);
	PQclear(r);
	h = http_do(&t, "GET", "/readyz", NULL, NULL, NULL);
	ck_status(h, 200);
	http_free(h);
	/* A functions file this build has and the database has not applied. */
	r = itk_sql(&t, "update itaku_schema_functions set checksum = 'old' where name = '50_webhooks.sql'",
		    0, NULL);
	PQclear(r);
	h = http_do(&t, "GET", "/readyz", NULL, NULL, NULL);
	ck_problem(h, 503, "not-migrated");
	ck_assert_str_eq(jstr(h, "code"), "db.functions_stale");
	http_free(h);
	{
		const char *argv[] = { "migrate", NULL };
		int status;
		char *out = itk_run(&t, argv, NULL, &status);

		ck_assert_int_eq(status, 0);
		ck_assert_ptr_nonnull(strstr(out, "applied functions 50_webhooks.sql"));
		free(out);
	}
	h = http_do(&t, "GET", "/readyz", NULL, NULL, NULL);
	ck_status(h, 200);
	http_free(h);
}
END_TEST

START_TEST(metrics_count_by_route_template)
{
	struct http *h;

	for (int i = 0; i < 3; i++) {
		h = http_do(&t, "GET", "/v1/api-keys/00000000-0000-4000-8000-000000000000", t.admin_key, NULL, NULL);
		ck_problem(h, 404, "not-found");
		http_free(h);
	}
	h = http_do(&t, "GET", "/metrics", NULL, NULL, NULL);
	ck_status(h, 200);
	ck_assert_ptr_nonnull(strstr(http_header(h, "Content-Type"), "text/plain"));
	ck_assert_ptr_nonnull(strstr(h->body,
		"itaku_http_requests_total{method=\"GET\",route=\"/v1/api-keys/{id}\",status=\"404\"} 3"));
	ck_assert_ptr_nonnull(strstr(h->body,
		"itaku_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/api-keys/{id}\"} 3"));
	ck_assert_ptr_nonnull(strstr(h->body, "itaku_db_pool_size 8"));
	ck_assert_ptr_nonnull(strstr(h->body, "itaku_db_pool_in_use "));
	ck_assert_ptr_nonnull(strstr(h->body, "itaku_db_pool_waits_total "));
	ck_assert_ptr_nonnull(strstr(h->body, "itaku_db_errors_total "));
	ck_assert_ptr_null(strstr(h->body, "00000000-0000-4000"));   /* never raw paths */
	http_free(h);
}
END_TEST

START_TEST(openapi_served_in_both_forms)
{
	struct http *y = http_do(&t, "GET", "/openapi.yaml", NULL, NULL, NULL);
	struct http *j = http_do(&t, "GET", "/openapi.json", NULL, NULL, NULL);
	json_t *paths;

	ck_status(y, 200);
	ck_assert_ptr_nonnull(strstr(y->body, "openapi: 3.1.0"));
	ck_status(j, 200);
	ck_assert_ptr_nonnull(j->json);
	ck_assert_str_eq(json_string_value(json_object_get(j->json, "openapi")), "3.1.0");
	paths = json_object_get(j->json, "paths");
	ck_assert_ptr_nonnull(json_object_get(paths, "/v1/api-keys"));
	ck_assert_ptr_nonnull(json_object_get(paths, "/v1/audit-events/verification"));
	/* typed scalars survive the conversion */
	ck_assert(json_is_integer(json_object_get(json_object_get(json_object_get(json_object_get(
		json_object_get(j->json, "components"), "parameters"), "Limit"), "schema"), "maximum")));
	http_free(y);
	http_free(j);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("health");
	TCase *tc = tcase_create("health");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, healthz_and_readyz);
	tcase_add_test(tc, readyz_fails_when_schema_is_behind);
	tcase_add_test(tc, metrics_count_by_route_template);
	tcase_add_test(tc, openapi_served_in_both_forms);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

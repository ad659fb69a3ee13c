/* Unit tests: problem details and the router. */
#include <string.h>
#include "harness.h"
#include "core/problem.h"
#include "http/router.h"

START_TEST(problem_json_shape)
{
	struct problem p = { 0 };
	json_t *j;

	problem_add_pointer(&p, "/name", "is required");
	problem_add_parameter(&p, "limit", "must be %d or less", 200);
	ck_assert_int_eq(problem_set(&p, 422, "validation-failed", NULL, "bad %s", "fields"), -1);
	ck_assert_uint_eq(problem_error_count(&p), 2);
	j = problem_to_json(&p, LANG_EN);
	ck_assert_str_eq(json_string_value(json_object_get(j, "type")), "urn:itaku:problem:validation-failed");
	ck_assert_str_eq(json_string_value(json_object_get(j, "title")), "Unprocessable content");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "status")), 422);
	ck_assert_str_eq(json_string_value(json_object_get(j, "detail")), "bad fields");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "errors"), 0), "pointer")), "/name");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "errors"), 1), "parameter")), "limit");
	json_decref(j);
	problem_clear(&p);
	problem_set(&p, 404, "not-found", NULL, "x");
	j = problem_to_json(&p, LANG_EN);
	ck_assert_ptr_null(json_object_get(j, "errors"));
	json_decref(j);
	problem_clear(&p);
}
END_TEST

/* A detail longer than its buffer is cut between characters, so the body
 * is always encodable. */
START_TEST(problem_long_detail_stays_valid)
{
	struct problem p = { 0 };
	char text[1600] = "";
	json_t *j;

	for (int i = 0; i < 500; i++)
		strcat(text, "委");
	problem_set(&p, 422, "rule-violated", NULL, "x%s", text);
	problem_add_pointer(&p, "/title", "y%s", text);
	j = problem_to_json(&p, LANG_EN);
	ck_assert_ptr_nonnull(j);
	ck_assert_uint_eq(strlen(json_string_value(json_object_get(j, "detail"))), 1 + 340 * 3);   /* 1,023 bytes hold "x" and 340 whole characters */
	ck_assert_ptr_nonnull(json_object_get(j, "errors"));
	ck_assert_uint_eq(strlen(json_string_value(json_object_get(json_array_get(
		json_object_get(j, "errors"), 0), "message"))), 1 + 84 * 3);
	json_decref(j);
	problem_clear(&p);
}
END_TEST

static int fn(struct req *r)
{
	(void)r;
	return 0;
}

static const struct route table[] = {
	{ "GET", "/v1/things", 0, 0, fn },
	{ "POST", "/v1/things", 0, 0, fn },
	{ "GET", "/v1/things/{id}", 0, 0, fn },
	{ "DELETE", "/v1/things/{id}", 0, 0, fn },
	{ "GET", "/v1/things/{id}/parts/{part}", 0, 0, fn },
};

START_TEST(router_matches)
{
	struct route_match m;
	size_t n = sizeof(table) / sizeof(table[0]);

	ck_assert_int_eq(router_match(table, n, "GET", "/v1/things", &m), ROUTER_OK);
	ck_assert_int_eq(m.index, 0);
	ck_assert_int_eq(router_match(table, n, "DELETE", "/v1/things/abc", &m), ROUTER_OK);
	ck_assert_int_eq(m.index, 3);
	ck_assert_str_eq(router_param(&m, "id"), "abc");
	ck_assert_int_eq(router_match(table, n, "GET", "/v1/things/a%20b/parts/%E5%A7%94", &m), ROUTER_OK);
	ck_assert_str_eq(router_param(&m, "id"), "a b");
	ck_assert_str_eq(router_param(&m, "part"), "委");
	ck_assert_ptr_null(router_param(&m, "nope"));
	ck_assert_int_eq(router_match(table, n, "HEAD", "/v1/things", &m), ROUTER_OK);
}
END_TEST

START_TEST(router_rejects)
{
	struct route_match m;
	size_t n = sizeof(table) / sizeof(table[0]);

	ck_assert_int_eq(router_match(table, n, "GET", "/v1/nothing", &m), ROUTER_NOT_FOUND);
	ck_assert_int_eq(router_match(table, n, "GET", "/v1/things/", &m), ROUTER_NOT_FOUND);
	ck_assert_int_eq(router_match(table, n, "GET", "/v1/things/x/y", &m), ROUTER_NOT_FOUND);
	ck_assert_int_eq(router_match(table, n, "GET", "/v1/things/%00", &m), ROUTER_NOT_FOUND);
	ck_assert_int_eq(router_match(table, n, "GET", "/v1/things/%ff", &m), ROUTER_NOT_FOUND);
	ck_assert_int_eq(router_match(table, n, "GET", "/v1/things/%4", &m), ROUTER_NOT_FOUND);
	ck_assert_int_eq(router_match(table, n, "PUT", "/v1/things", &m), ROUTER_BAD_METHOD);
	ck_assert_str_eq(m.allow, "GET, POST, HEAD, OPTIONS");
	ck_assert_int_eq(router_match(table, n, "POST", "/v1/things/1", &m), ROUTER_BAD_METHOD);
	ck_assert_str_eq(m.allow, "GET, DELETE, HEAD, OPTIONS");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("problem");
	TCase *tc = tcase_create("problem");

	tcase_add_test(tc, problem_json_shape);
	tcase_add_test(tc, problem_long_detail_stays_valid);
	tcase_add_test(tc, router_matches);
	tcase_add_test(tc, router_rejects);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

/* HTTP: Idempotency-Key on POST (replay, mismatch, concurrent duplicate). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"

static struct itk t;

static void setup(void)
{
	itk_setup(&t, "idem", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static long count_named(const char *name)
{
	const char *params[1] = { name };
	char *v = itk_sql_value(&t, "select count(*) from api_keys where name = $1", 1, params);
	long n = atol(v);

	free(v);
	return n;
}

START_TEST(same_key_same_body_replays)
{
	static const char *const idem[] = { "Idempotency-Key: order-7781", NULL };
	const char *body = "{\"name\":\"replayed\",\"role\":\"viewer\"}";
	struct http *a = http_do(&t, "POST", "/v1/api-keys", t.admin_key, body, idem);
	struct http *b = http_do(&t, "POST", "/v1/api-keys", t.admin_key, body, idem);

	ck_status(a, 201);
	ck_status(b, 201);
	/* The key is a secret shown once: the replay is the same answer
	 * without it. */
	ck_assert_ptr_nonnull(json_object_get(a->json, "key"));
	ck_assert_ptr_null(json_object_get(b->json, "key"));
	json_object_del(a->json, "key");
	ck_assert(json_equal(a->json, b->json));
	ck_assert_str_eq(http_header(a, "Location"), http_header(b, "Location"));
	ck_assert_str_eq(http_header(b, "ETag"), "\"1\"");
	ck_assert_str_eq(http_header(b, "Idempotent-Replayed"), "true");
	ck_assert_ptr_null(http_header(a, "Idempotent-Replayed"));
	ck_assert_int_eq(count_named("replayed"), 1);
	http_free(a);
	http_free(b);
}
END_TEST

START_TEST(same_key_other_body_422)
{
	static const char *const idem[] = { "Idempotency-Key: order-7782", NULL };
	struct http *a = http_do(&t, "POST", "/v1/api-keys", t.admin_key,
				 "{\"name\":\"first\",\"role\":\"viewer\"}", idem);
	struct http *b = http_do(&t, "POST", "/v1/api-keys", t.admin_key,
				 "{\"name\":\"second\",\"role\":\"viewer\"}", idem);

	ck_status(a, 201);
	ck_problem(b, 422, "idempotency-key-reused");
	ck_assert_int_eq(count_named("second"), 0);
	http_free(a);
	http_free(b);
}
END_TEST

START_TEST(failed_request_is_not_stored)
{
	static const char *const idem[] = { "Idempotency-Key: order-7783", NULL };
	struct http *a = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"name\":\"\",\"role\":\"viewer\"}", idem);
	struct http *b;

	ck_problem(a, 422, "validation-failed");
	/* The client fixes its request and retries with the same key. */
	b = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"name\":\"fixed\",\"role\":\"viewer\"}", idem);
	ck_status(b, 201);
	http_free(a);
	http_free(b);
}
END_TEST

START_TEST(bad_key_header_400)
{
	static const char *const idem[] = { "Idempotency-Key: has space", NULL };
	struct http *a = http_do(&t, "POST", "/v1/api-keys", t.admin_key,
				 "{\"name\":\"nokey\",\"role\":\"viewer\"}", idem);

	ck_problem(a, 400, "invalid-parameter");
	ck_assert_int_eq(count_named("nokey"), 0);
	http_free(a);
}
END_TEST

START_TEST(concurrent_duplicate_409)
{
	static const char *const idem[] = { "Idempotency-Key: order-7784", NULL };
	const char *body = "{\"name\":\"concurrent\",\"role\":\"viewer\"}";
	struct itk_call first = { &t, "POST", "/v1/api-keys", body, idem, NULL, 0 };
	PGconn *lock = itk_park_writers(&t);
	struct http *dup, *after, *res;

	/* The first request reserves the key, then parks inside its transaction. */
	itk_call_start(&first);
	ck_assert(itk_wait_parked(&t));
	dup = http_do(&t, "POST", "/v1/api-keys", t.admin_key, body, idem);
	ck_problem(dup, 409, "idempotency-in-progress");
	itk_unpark(lock);
	res = itk_call_join(&first);
	ck_status(res, 201);
	after = http_do(&t, "POST", "/v1/api-keys", t.admin_key, body, idem);
	ck_status(after, 201);
	json_object_del(res->json, "key");   /* a secret: not replayed */
	ck_assert(json_equal(after->json, res->json));
	ck_assert_int_eq(count_named("concurrent"), 1);
	http_free(res);
	http_free(dup);
	http_free(after);
}
END_TEST

START_TEST(keys_are_per_tenant)
{
	static const char *const idem[] = { "Idempotency-Key: shared-123", NULL };
	char *other = itk_bootstrap(&t, "idem-t2");
	struct http *a = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"name\":\"pt\",\"role\":\"viewer\"}", idem);
	struct http *b = http_do(&t, "POST", "/v1/api-keys", other, "{\"name\":\"pt\",\"role\":\"viewer\"}", idem);

	ck_status(a, 201);
	ck_status(b, 201);
	ck_assert_str_ne(jstr(a, "id"), jstr(b, "id"));
	ck_assert_ptr_null(http_header(b, "Idempotent-Replayed"));
	http_free(a);
	http_free(b);
	free(other);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("idempotency");
	TCase *tc = tcase_create("idempotency");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, same_key_same_body_replays);
	tcase_add_test(tc, same_key_other_body_422);
	tcase_add_test(tc, failed_request_is_not_stored);
	tcase_add_test(tc, bad_key_header_400);
	tcase_add_test(tc, concurrent_duplicate_409);
	tcase_add_test(tc, keys_are_per_tenant);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

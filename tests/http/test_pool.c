/* The connection pool: when every connection stays busy past the acquire
 * timeout, requests answer 503 `busy` with Retry-After, and recover after. */
#include <stdio.h>
#include <string.h>
#include "harness.h"

static struct itk t;

static void setup(void)
{
	static const char *const env[] = { "ITAKU_DB_POOL_SIZE=1", "ITAKU_DB_ACQUIRE_TIMEOUT_MS=200", NULL };

	itk_setup(&t, "pool", env);
}

static void teardown(void)
{
	itk_teardown(&t);
}

START_TEST(exhausted_pool_answers_503_busy)
{
	struct itk_call c = { &t, "POST", "/v1/api-keys", "{\"name\":\"holds the pool\",\"role\":\"viewer\"}",
			      NULL, NULL, 0 };
	PGconn *lock;
	struct http *h;

	h = http_do(&t, "GET", "/v1/me", t.admin_key, NULL, NULL);   /* caches the key */
	ck_status(h, 200);
	http_free(h);
	lock = itk_park_writers(&t);
	itk_call_start(&c);          /* takes the only connection and parks */
	ck_assert(itk_wait_parked(&t));
	h = http_do(&t, "GET", "/v1/api-keys", t.admin_key, NULL, NULL);
	ck_problem(h, 503, "busy");
	ck_assert_str_eq(http_header(h, "Retry-After"), "1");
	http_free(h);
	itk_unpark(lock);
	h = itk_call_join(&c);
	ck_status(h, 201);
	http_free(h);
	h = http_do(&t, "GET", "/v1/api-keys", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	http_free(h);
	h = http_do(&t, "GET", "/metrics", NULL, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(h->body, "itaku_db_pool_timeouts_total 1"));
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pool");
	TCase *tc = tcase_create("pool");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, exhausted_pool_answers_503_busy);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

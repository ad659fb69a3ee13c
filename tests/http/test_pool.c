/* The connection pool: when every connection stays busy past the acquire
 * timeout, requests answer 503 `busy` with Retry-After, and recover after. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
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

struct call {
	struct http *res;
};

static void *slow_post(void *arg)
{
	struct call *c = arg;

	c->res = http_do(&t, "POST", "/v1/api-keys", t.admin_key,
			 "{\"name\":\"holds the pool\",\"role\":\"viewer\"}", NULL);
	return NULL;
}

START_TEST(exhausted_pool_answers_503_busy)
{
	PGconn *lock = itk_connect(&t);
	struct call c = { 0 };
	pthread_t th;
	struct http *h;
	int waiting = 0;

	h = http_do(&t, "GET", "/v1/me", t.admin_key, NULL, NULL);   /* caches the key */
	ck_status(h, 200);
	http_free(h);
	PQclear(PQexec(lock, "begin"));
	PQclear(PQexec(lock, "select * from audit_chain_heads for update"));
	pthread_create(&th, NULL, slow_post, &c);
	for (int i = 0; i < 100 && !waiting; i++) {
		char *n = itk_sql_value(&t, "select count(*) from pg_stat_activity where wait_event_type = 'Lock'", 0, NULL);

		waiting = atoi(n);
		free(n);
		usleep(20000);
	}
	ck_assert(waiting);
	h = http_do(&t, "GET", "/v1/api-keys", t.admin_key, NULL, NULL);
	ck_problem(h, 503, "busy");
	ck_assert_str_eq(http_header(h, "Retry-After"), "1");
	http_free(h);
	PQclear(PQexec(lock, "commit"));
	PQfinish(lock);
	pthread_join(th, NULL);
	ck_status(c.res, 201);
	http_free(c.res);
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

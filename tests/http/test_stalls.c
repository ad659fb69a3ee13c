/* HTTP: one slow request never stalls unrelated ones. Requests that wait
 * on the database (here: held inside their transactions) keep their own
 * connection's thread busy and nothing else, so probes, reads from the
 * remaining pool connections and other tenants go on being answered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"

#define HELD 8

static struct itk t;

static void setup(void)
{
	static const char *const env[] = { "ITAKU_DB_POOL_SIZE=12", NULL };

	itk_setup(&t, "stalls", env);
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* Requests answered while the held ones still wait, with curl's own
 * timeout as the only clock: a stalled thread would never answer them
 * before the writers are released. */
static void answered_while_held(const char *method, const char *path, const char *key, long status)
{
	struct http *h = http_do(&t, method, path, key, NULL, NULL);

	ck_status(h, status);
	http_free(h);
}

START_TEST(held_requests_do_not_stall_others)
{
	struct itk_call calls[HELD];
	char names[HELD][64];
	char *other = itk_bootstrap(&t, "other");
	PGconn *park;
	struct http *h;

	h = http_do(&t, "GET", "/v1/me", t.admin_key, NULL, NULL);   /* caches the key */
	ck_status(h, 200);
	http_free(h);
	park = itk_park_writers(&t);
	for (int i = 0; i < HELD; i++) {
		snprintf(names[i], sizeof(names[i]), "{\"name\":\"待機中 %d\"}", i);
		calls[i] = (struct itk_call){ .t = &t, .method = "POST", .path = "/v1/vendors",
					      .body = names[i] };
		itk_call_start(&calls[i]);
	}
	for (int i = 0; i < 500 && itk_backends_waiting(&t) < HELD; i++)
		usleep(10000);
	ck_assert_int_eq(itk_backends_waiting(&t), HELD);

	for (int round = 0; round < 4; round++) {
		answered_while_held("GET", "/healthz", NULL, 200);
		answered_while_held("GET", "/readyz", NULL, 200);
		answered_while_held("GET", "/v1/api-keys", t.admin_key, 200);
		answered_while_held("GET", "/v1/vendors", other, 200);
	}
	ck_assert_int_eq(itk_backends_waiting(&t), HELD);   /* still held: nothing waited for them */

	itk_unpark(park);
	for (int i = 0; i < HELD; i++) {
		h = itk_call_join(&calls[i]);
		ck_status(h, 201);
		http_free(h);
	}
	free(other);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stalls");
	TCase *tc = tcase_create("stalls");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, held_requests_do_not_stall_others);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

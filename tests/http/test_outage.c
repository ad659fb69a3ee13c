/* PostgreSQL outage: 503 with Retry-After while it is down, /readyz fails,
 * and the service recovers by itself when it returns. Runs its own cluster. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"

static struct itk t;
static char dir[128], admin[256];
static int port;

/* Runs deploy/pgcluster.sh; "start" prints the port it used (it may move
 * past a taken one), which becomes the port from then on. */
static void cluster(const char *cmd)
{
	char line[512], out[32] = "";
	FILE *p;

	snprintf(line, sizeof(line), "%s %s %s %d", getenv("ITAKU_PGCLUSTER"), cmd, dir, port);
	p = popen(line, "r");
	ck_assert_ptr_nonnull(p);
	if (!fgets(out, sizeof(out), p))
		out[0] = '\0';
	ck_assert_msg(pclose(p) == 0, "%s failed", line);
	if (!strcmp(cmd, "start"))
		port = atoi(out);
	ck_assert_int_gt(port, 0);
}

static void setup(void)
{
	static const char *const env[] = { "ITAKU_DB_ACQUIRE_TIMEOUT_MS=500", NULL };
	char *key;

	memset(&t, 0, sizeof(t));
	ck_assert_ptr_nonnull(getenv("ITAKU_PGCLUSTER"));
	snprintf(dir, sizeof(dir), "/tmp/itaku-outage-%d", (int)getpid());
	port = 20000 + getpid() % 10000;   /* below the kernel's ephemeral range */
	cluster("start");
	snprintf(admin, sizeof(admin), "host=127.0.0.1 port=%d user=itaku dbname=postgres", port);
	itk_db_create(&t, "outage", admin);
	key = itk_bootstrap(&t, "t1");
	snprintf(t.admin_key, sizeof(t.admin_key), "%s", key);
	free(key);
	ck_assert_int_eq(itk_start(&t, env), 0);
}

static void teardown(void)
{
	char line[300];

	itk_stop(&t);
	cluster("start");
	itk_db_drop(&t, admin);
	cluster("stop");
	snprintf(line, sizeof(line), "rm -rf %s", dir);
	if (system(line) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

START_TEST(unavailable_then_recovers)
{
	struct http *h = http_do(&t, "GET", "/v1/api-keys", t.admin_key, NULL, NULL);
	int recovered = 0;

	ck_status(h, 200);
	http_free(h);

	cluster("stop");
	h = http_do(&t, "GET", "/v1/api-keys", t.admin_key, NULL, NULL);
	ck_problem(h, 503, "database-unavailable");
	ck_assert_ptr_nonnull(http_header(h, "Retry-After"));
	http_free(h);
	h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"name\":\"during outage\",\"role\":\"viewer\"}", NULL);
	ck_problem(h, 503, "database-unavailable");
	http_free(h);
	h = http_do(&t, "GET", "/readyz", NULL, NULL, NULL);
	ck_problem(h, 503, "database-unavailable");
	http_free(h);
	h = http_do(&t, "GET", "/healthz", NULL, NULL, NULL);
	ck_status(h, 200);
	http_free(h);

	cluster("start");
	for (int i = 0; i < 100 && !recovered; i++) {
		h = http_do(&t, "GET", "/v1/api-keys", t.admin_key, NULL, NULL);
		recovered = h->status == 200;
		http_free(h);
		if (!recovered)
			usleep(100000);
	}
	ck_assert_msg(recovered, "no recovery after PostgreSQL came back");
	h = http_do(&t, "GET", "/readyz", NULL, NULL, NULL);
	ck_status(h, 200);
	http_free(h);
	h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"name\":\"after outage\",\"role\":\"viewer\"}", NULL);
	ck_status(h, 201);
	http_free(h);
	h = http_do(&t, "GET", "/metrics", NULL, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(h->body, "itaku_db_connects_total"));
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("outage");
	TCase *tc = tcase_create("outage");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, unavailable_then_recovers);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

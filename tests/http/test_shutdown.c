/* Graceful shutdown: SIGTERM stops accepting, lets in-flight requests finish. */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"

static struct itk t;

/* The server is started inside the test, so that the test process is its
 * parent and can collect its exit status. */
static void setup(void)
{
	char *key;

	memset(&t, 0, sizeof(t));
	itk_db_create(&t, "shutdown", getenv("ITAKU_TEST_PG"));
	key = itk_bootstrap(&t, "t1");
	snprintf(t.admin_key, sizeof(t.admin_key), "%s", key);
	free(key);
}

static void teardown(void)
{
	itk_db_drop(&t, getenv("ITAKU_TEST_PG"));
}

static int can_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

START_TEST(sigterm_drains_in_flight_requests)
{
	struct itk_call c = { &t, "POST", "/v1/api-keys", "{\"name\":\"in flight\",\"role\":\"viewer\"}",
			      NULL, NULL, 0 };
	PGconn *lock;
	struct http *res;
	int st;
	char *n;

	ck_assert_int_eq(itk_start(&t, NULL), 0);
	lock = itk_park_writers(&t);
	itk_call_start(&c);
	ck_assert_msg(itk_wait_parked(&t), "the request never reached the lock");

	kill(t.pid, SIGTERM);
	usleep(300000);
	/* Still running (draining), but no longer accepting connections. */
	ck_assert_int_eq(waitpid(t.pid, &st, WNOHANG), 0);
	ck_assert(!can_connect(t.port));

	itk_unpark(lock);
	res = itk_call_join(&c);
	ck_status(res, 201);
	ck_assert_str_eq(jstr(res, "name"), "in flight");
	http_free(res);
	ck_assert_int_eq(waitpid(t.pid, &st, 0), t.pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	t.pid = 0;
	n = itk_sql_value(&t, "select count(*) from api_keys where name = 'in flight'", 0, NULL);
	ck_assert_str_eq(n, "1");
	free(n);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("shutdown");
	TCase *tc = tcase_create("shutdown");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sigterm_drains_in_flight_requests);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

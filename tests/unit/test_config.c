/* Unit tests: configuration parsing and its error messages. */
#include <string.h>
#include "config.h"
#include "harness.h"

static const char *vars[32][2];
static int nvars;

static void set(const char *name, const char *value)
{
	vars[nvars][0] = name;
	vars[nvars++][1] = value;
}

static const char *lookup(const char *name)
{
	for (int i = nvars - 1; i >= 0; i--) {
		if (!strcmp(vars[i][0], name))
			return vars[i][1];
	}
	return NULL;
}

static void reset(void)
{
	nvars = 0;
}

START_TEST(defaults)
{
	struct config c;
	char err[256];

	reset();
	ck_assert_int_eq(config_load_from(&c, lookup, err, sizeof(err)), 0);
	ck_assert_str_eq(c.listen_host, "127.0.0.1");
	ck_assert_uint_eq(c.listen_port, 8080);
	ck_assert_uint_eq(c.max_body_bytes, 1048576);
	ck_assert_int_eq(c.db_pool_size, 8);
	ck_assert_ptr_null(c.database_url);
	ck_assert_int_eq(c.n_origins, 0);
	ck_assert_int_eq(c.webhook_workers, 2);
	ck_assert_int_eq(c.webhook_allow_private, 0);
	/* The schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h. */
	ck_assert_int_eq(c.n_retries, 9);
	ck_assert_int_eq(c.retry_delays[0], 5);
	ck_assert_int_eq(c.retry_delays[1], 300);
	ck_assert_int_eq(c.retry_delays[3], 7200);
	ck_assert_int_eq(c.retry_delays[8], 86400);
}
END_TEST

START_TEST(values)
{
	struct config c;
	char err[256];

	reset();
	set("ITAKU_LISTEN", "0.0.0.0:9000");
	set("ITAKU_DB_POOL_SIZE", "16");
	set("ITAKU_MAX_BODY_BYTES", "2048");
	set("ITAKU_LOG_LEVEL", "DEBUG");
	set("ITAKU_CORS_ORIGINS", "https://a.example, http://localhost:5173");
	set("ITAKU_DATABASE_URL", "postgresql://x@y/z");
	ck_assert_int_eq(config_load_from(&c, lookup, err, sizeof(err)), 0);
	ck_assert_str_eq(c.listen_host, "0.0.0.0");
	ck_assert_uint_eq(c.listen_port, 9000);
	ck_assert_int_eq(c.db_pool_size, 16);
	ck_assert_uint_eq(c.max_body_bytes, 2048);
	ck_assert_int_eq(c.n_origins, 2);
	ck_assert(config_origin_allowed(&c, "http://localhost:5173"));
	ck_assert(!config_origin_allowed(&c, "https://evil.example"));
	ck_assert(!config_origin_allowed(&c, NULL));
	ck_assert_str_eq(c.database_url, "postgresql://x@y/z");

	set("ITAKU_WEBHOOK_SCHEDULE", "1,2s,3m,1d");
	ck_assert_int_eq(config_load_from(&c, lookup, err, sizeof(err)), 0);
	ck_assert_int_eq(c.n_retries, 4);
	ck_assert_int_eq(c.retry_delays[0], 1);
	ck_assert_int_eq(c.retry_delays[1], 2);
	ck_assert_int_eq(c.retry_delays[2], 180);
	ck_assert_int_eq(c.retry_delays[3], 86400);
}
END_TEST

static void expect_error(const char *name, const char *value, const char *needle)
{
	struct config c;
	char err[256] = "";

	reset();
	set(name, value);
	ck_assert_int_eq(config_load_from(&c, lookup, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, name) && strstr(err, needle), "message \"%s\" for %s=%s", err,
		      name, value);
}

START_TEST(bad_values_name_the_variable)
{
	expect_error("ITAKU_DB_POOL_SIZE", "0", "between 1 and 256");
	expect_error("ITAKU_DB_POOL_SIZE", "eight", "integer");
	expect_error("ITAKU_LISTEN", "8080", "host:port");
	expect_error("ITAKU_LISTEN", "example.com:80", "IPv4");
	expect_error("ITAKU_LISTEN", "127.0.0.1:70000", "65535");
	expect_error("ITAKU_MAX_BODY_BYTES", "-1", "integer");
	expect_error("ITAKU_LOG_LEVEL", "loud", "debug");
	expect_error("ITAKU_CORS_ORIGINS", "ftp://x", "origin");
	expect_error("ITAKU_HTTP_THREADS", "1000", "256");
	expect_error("ITAKU_WEBHOOK_SCHEDULE", "5x", "like 5s");
	expect_error("ITAKU_WEBHOOK_SCHEDULE", "8d", "7 days");
	expect_error("ITAKU_WEBHOOK_SCHEDULE", "1s,,2s", "like 5s");
	expect_error("ITAKU_WEBHOOK_ALLOW_PRIVATE", "yes", "integer");
}
END_TEST

START_TEST(wildcard_origin)
{
	struct config c;
	char err[256];

	reset();
	set("ITAKU_CORS_ORIGINS", "*");
	ck_assert_int_eq(config_load_from(&c, lookup, err, sizeof(err)), 0);
	ck_assert(config_origin_allowed(&c, "https://anything.example"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, defaults);
	tcase_add_test(tc, values);
	tcase_add_test(tc, bad_values_name_the_variable);
	tcase_add_test(tc, wildcard_origin);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

/* The command line: migrate, bootstrap, help, configuration errors. */
#include <string.h>
#include "harness.h"

static struct itk t;
static const char *admin;

static void setup(void)
{
	memset(&t, 0, sizeof(t));
	admin = getenv("ITAKU_TEST_PG");
	ck_assert_ptr_nonnull(admin);
	itk_db_create(&t, "cli", admin);   /* runs `itaku migrate` once */
}

static void teardown(void)
{
	itk_db_drop(&t, admin);
}

START_TEST(migrate_twice_is_a_noop)
{
	const char *argv[] = { "migrate", NULL };
	int status;
	char *out = itk_run(&t, argv, NULL, &status), *n;

	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "0 applied"));
	n = itk_sql_value(&t, "select count(*) from itaku_schema_migrations", 0, NULL);
	ck_assert_int_ge(atoi(n), 1);
	free(n);
	free(out);
}
END_TEST

START_TEST(changed_migration_stops_migrate)
{
	const char *argv[] = { "migrate", NULL };
	char *saved = itk_sql_value(&t, "select checksum from itaku_schema_migrations where version = 11", 0, NULL);
	const char *params[1] = { saved };
	PGresult *r = itk_sql(&t, "update itaku_schema_migrations set checksum = 'edited' where version = 11", 0, NULL);
	int status;
	char *out;

	PQclear(r);
	out = itk_run(&t, argv, NULL, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_ptr_nonnull(strstr(out, "0011_baseline.sql was changed after it was applied"));
	free(out);
	r = itk_sql(&t, "update itaku_schema_migrations set checksum = $1 where version = 11", 1, params);
	PQclear(r);
	out = itk_run(&t, argv, NULL, &status);
	ck_assert_int_eq(status, 0);
	free(out);
	free(saved);
}
END_TEST

START_TEST(bootstrap_prints_key_last)
{
	const char *argv[] = { "bootstrap", "--tenant", "株式会社テスト", NULL };
	int status;
	char *out = itk_run(&t, argv, NULL, &status), *last, *count;
	size_t n = strlen(out);

	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "tenant created"));
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	last = strrchr(out, '\n') + 1;
	ck_assert_uint_eq(strlen(last), 47);
	ck_assert(strncmp(last, "itk_", 4) == 0);
	{
		const char *params[1] = { last };

		count = itk_sql_value(&t, "select count(*) from api_keys k join tenants t on t.id = k.tenant_id"
				      " where t.name = '株式会社テスト' and k.role = 'admin'"
				      "   and k.key_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')", 1, params);
	}
	ck_assert_str_eq(count, "1");
	free(count);
	free(out);
	/* Again: the tenant exists, a second key is made. */
	out = itk_run(&t, argv, NULL, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "tenant exists"));
	free(out);
}
END_TEST

START_TEST(usage_and_config_errors)
{
	const char *help[] = { "--help", NULL };
	const char *nobody[] = { "bootstrap", NULL };
	const char *what[] = { "frobnicate", NULL };
	const char *serve[] = { "serve", NULL };
	static const char *const bad_pool[] = { "ITAKU_DB_POOL_SIZE=0", NULL };
	const char *vars[] = { "ITAKU_DATABASE_URL", "ITAKU_LISTEN", "ITAKU_DB_POOL_SIZE",
			       "ITAKU_MAX_BODY_BYTES", "ITAKU_LOG_LEVEL", "ITAKU_CORS_ORIGINS" };
	int status;
	char *out = itk_run(&t, help, NULL, &status);

	ck_assert_int_eq(status, 0);
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		ck_assert_msg(strstr(out, vars[i]), "--help does not mention %s", vars[i]);
	ck_assert_ptr_nonnull(strstr(out, "bootstrap --tenant NAME"));
	free(out);
	out = itk_run(&t, nobody, NULL, &status);
	ck_assert_int_eq(status, 2);
	free(out);
	out = itk_run(&t, what, NULL, &status);
	ck_assert_int_eq(status, 2);
	free(out);
	out = itk_run(&t, serve, bad_pool, &status);
	ck_assert_int_eq(status, 2);
	ck_assert_ptr_nonnull(strstr(out, "ITAKU_DB_POOL_SIZE"));
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, migrate_twice_is_a_noop);
	tcase_add_test(tc, changed_migration_stops_migrate);
	tcase_add_test(tc, bootstrap_prints_key_last);
	tcase_add_test(tc, usage_and_config_errors);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

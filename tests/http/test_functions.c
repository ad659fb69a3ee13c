/* Functions and triggers live once, in sql/functions, re-applied by
 * `itaku migrate` whenever a file changes: a fresh database and one
 * upgraded from the migration set of before (0001-0011 applied as the old
 * binary did, functions defined by the migrations themselves) end with
 * identical function and trigger definitions, and the dead two-argument
 * incident_deadline_state is gone from both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curl/curl.h>
#include "harness.h"

static struct itk fresh, upgraded;
static const char *admin;

#define FUNCTIONS_MD5 \
	"select md5(string_agg(pg_get_functiondef(p.oid), E'\\n'" \
	"        order by p.proname, pg_get_function_identity_arguments(p.oid)))" \
	"  from pg_proc p join pg_namespace n on n.oid = p.pronamespace" \
	" where n.nspname = 'public' and p.prokind = 'f'" \
	"   and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')"
#define TRIGGERS_MD5 \
	"select md5(string_agg(pg_get_triggerdef(t.oid), E'\\n' order by c.relname, t.tgname))" \
	"  from pg_trigger t join pg_class c on c.oid = t.tgrelid" \
	"  join pg_namespace n on n.oid = c.relnamespace" \
	" where n.nspname = 'public' and not t.tgisinternal"
#define DEAD_FUNCTION \
	"select count(*) from pg_proc where proname = 'incident_deadline_state' and pronargs = 2"

static char *migrate(struct itk *t, int *status)
{
	const char *argv[] = { "migrate", NULL };

	return itk_run(t, argv, NULL, status);
}

static void setup(void)
{
	char sql[200];
	PGconn *c;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	admin = getenv("ITAKU_TEST_PG");
	ck_assert_ptr_nonnull(admin);
	itk_db_create(&fresh, "fn_fresh", admin);
	memset(&upgraded, 0, sizeof(upgraded));
	snprintf(upgraded.db, sizeof(upgraded.db), "itaku_t_fn_upgraded_%d", (int)getpid());
	c = PQconnectdb(admin);
	snprintf(sql, sizeof(sql), "drop database if exists %s", upgraded.db);
	PQclear(PQexec(c, sql));
	snprintf(sql, sizeof(sql), "create database %s", upgraded.db);
	PQclear(PQexec(c, sql));
	PQfinish(c);
	snprintf(upgraded.url, sizeof(upgraded.url), "%s dbname=%s", admin, upgraded.db);
	itk_migrate_as_before(&upgraded, 0);
}

static void teardown(void)
{
	itk_db_drop(&fresh, admin);
	itk_db_drop(&upgraded, admin);
}

START_TEST(fresh_and_upgraded_databases_define_the_same_functions)
{
	char *out, *a, *b;
	int status;

	/* Before the upgrade the old database still has the dead function. */
	a = itk_sql_value(&upgraded, DEAD_FUNCTION, 0, NULL);
	ck_assert_str_eq(a, "1");
	free(a);
	out = migrate(&upgraded, &status);
	ck_assert_msg(status == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "migrations: 0 applied"));
	ck_assert_ptr_nonnull(strstr(out, "applied functions 10_platform.sql"));
	free(out);

	a = itk_sql_value(&fresh, FUNCTIONS_MD5, 0, NULL);
	b = itk_sql_value(&upgraded, FUNCTIONS_MD5, 0, NULL);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	a = itk_sql_value(&fresh, TRIGGERS_MD5, 0, NULL);
	b = itk_sql_value(&upgraded, TRIGGERS_MD5, 0, NULL);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	a = itk_sql_value(&fresh, DEAD_FUNCTION, 0, NULL);
	ck_assert_str_eq(a, "0");
	free(a);
	a = itk_sql_value(&upgraded, DEAD_FUNCTION, 0, NULL);
	ck_assert_str_eq(a, "0");
	free(a);

	/* Unchanged files are not applied again; a changed one is. */
	out = migrate(&fresh, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_null(strstr(out, "applied functions"));
	free(out);
	PQclear(itk_sql(&fresh, "update itaku_schema_functions set checksum = 'x'"
			" where name = '30_chain.sql'", 0, NULL));
	out = migrate(&fresh, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "applied functions 30_chain.sql"));
	ck_assert_ptr_null(strstr(out, "applied functions 20_register.sql"));
	free(out);
	a = itk_sql_value(&fresh, "select count(*) from itaku_schema_functions"
			     " where checksum ~ '^[0-9a-f]{64}$'", 0, NULL);
	b = itk_sql_value(&fresh, "select count(*) from itaku_schema_functions", 0, NULL);
	ck_assert_str_eq(a, b);
	ck_assert_int_ge(atoi(b), 7);
	free(a);
	free(b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("functions");
	TCase *tc = tcase_create("functions");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, fresh_and_upgraded_databases_define_the_same_functions);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

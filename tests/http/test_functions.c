/* Functions and triggers live once, in sql/functions, re-applied by
 * `itaku migrate` whenever a file changes, and 0011_baseline.sql stands
 * for the old migrations 0001-0011: a fresh database (built from the
 * baseline) and one upgraded from the migration set of before (the old
 * 0001-0011 applied as the old binary did, functions defined by the
 * migrations themselves) end with identical tables, columns, constraints,
 * indexes, seeded rows, function and trigger definitions, and the same
 * record of migrations; the dead two-argument incident_deadline_state is
 * gone from both. */
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
/* The schema, one line per object, in an order both databases share;
 * columns in their order (a row type's order is part of its meaning). */
#define TABLES \
	"select string_agg(format('%s %s %s', c.relname, c.relkind, c.relpersistence), E'\\n'" \
	"        order by c.relname)" \
	"  from pg_class c join pg_namespace n on n.oid = c.relnamespace" \
	" where n.nspname = 'public' and c.relkind in ('r', 'v', 'm', 'S', 'p')"
#define COLUMNS \
	"select string_agg(format('%s.%s %s %s %s %s %s', c.relname, a.attname," \
	"        format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, a.attgenerated," \
	"        pg_get_expr(d.adbin, d.adrelid)), E'\\n' order by c.relname, a.attnum)" \
	"  from pg_attribute a join pg_class c on c.oid = a.attrelid" \
	"  join pg_namespace n on n.oid = c.relnamespace" \
	"  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum" \
	" where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped"
#define CONSTRAINTS \
	"select string_agg(format('%s %s %s', k.conrelid::regclass, k.conname," \
	"        pg_get_constraintdef(k.oid)), E'\\n' order by k.conrelid::regclass::text, k.conname)" \
	"  from pg_constraint k join pg_namespace n on n.oid = k.connamespace" \
	" where n.nspname = 'public' and k.contype <> 't'"
#define INDEXES \
	"select string_agg(indexdef, E'\\n' order by tablename, indexname)" \
	"  from pg_indexes where schemaname = 'public'"
#define EXTENSIONS \
	"select string_agg(extname, ' ' order by extname) from pg_extension"
#define SEEDED \
	"select md5((select json_agg(m order by no)::text from outsourcing_measures m)" \
	"        || (select json_agg(json_build_array(day, name, basis, added_by) order by day)::text" \
	"              from jp_extra_holidays)" \
	"        || (select count(*) from server_secrets where octet_length(secret) >= 32))"
#define MIGRATIONS \
	"select string_agg(format('%s %s %s', version, name, checksum), E'\\n' order by version)" \
	"  from itaku_schema_migrations"
#define DEAD_FUNCTION \
	"select count(*) from pg_proc where proname = 'incident_deadline_state' and pronargs = 2"

/* Asserts that sql answers the same text in both databases, naming the
 * first line that differs. */
static void ck_same(const char *what, const char *sql)
{
	char *a = itk_sql_value(&fresh, sql, 0, NULL), *b = itk_sql_value(&upgraded, sql, 0, NULL);
	size_t i = 0, line = 0;

	while (a[i] && a[i] == b[i])
		i++;
	while (line < i && a[i - line - 1] != '\n')
		line++;
	ck_assert_msg(a[i] == b[i], "%s differ, fresh vs upgraded from: %.200s\n  ~ %.200s",
		      what, a + i - line, b + i - line);
	free(a);
	free(b);
}

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
	itk_migrate_as_before(&upgraded, 1, 0);
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
	ck_assert_ptr_nonnull(strstr(out, "recorded migrations 0001-0011 as 0011_baseline.sql"));
	/* adopted, not re-run: only migrations after the baseline apply */
	ck_assert_ptr_null(strstr(out, "applied 0011_baseline.sql"));
	ck_assert_ptr_nonnull(strstr(out, "applied functions 00_pure.sql"));
	ck_assert_ptr_nonnull(strstr(out, "applied functions 10_platform.sql"));
	free(out);

	ck_same("tables", TABLES);
	ck_same("columns", COLUMNS);
	ck_same("constraints", CONSTRAINTS);
	ck_same("indexes", INDEXES);
	ck_same("extensions", EXTENSIONS);
	ck_same("seeded rows", SEEDED);
	ck_same("migration records", MIGRATIONS);
	/* The record is adopted once: the next run has nothing to do. */
	out = migrate(&upgraded, &status);
	ck_assert_msg(status == 0, "%s", out);
	ck_assert_ptr_null(strstr(out, "recorded migrations"));
	ck_assert_ptr_null(strstr(out, "applied functions"));
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

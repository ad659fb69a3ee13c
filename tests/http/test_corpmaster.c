/* The corporate number register import, an operator job (`itaku
 * corporate-master import FILE|-`): the NTA CSV format streamed from a file
 * or standard input, per-row errors, later files winning, future dates
 * refused, closure flags on vendors with an audit event in each vendor's
 * own tenant, and no way for a tenant's key to write the shared register. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "harness.h"

static struct itk t;

static void setup(void)
{
	itk_setup(&t, "corpmaster", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static char *fixture(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", ITK_FIXTURES, name);
	return path;
}

/* Runs the import of file; returns its JSON summary (NULL when it printed
 * none) and the exit status in *status. */
static json_t *import(const char *file, int *status)
{
	const char *argv[] = { "corporate-master", "import", file, NULL };
	char *out = itk_run(&t, argv, NULL, status), *brace = strchr(out, '{');
	json_t *j = brace ? json_loads(brace, JSON_DISABLE_EOF_CHECK, NULL) : NULL;

	free(out);
	return j;
}

static long num(json_t *j, const char *name)
{
	return (long)json_integer_value(json_object_get(j, name));
}

static char *sql1(const char *q)
{
	return itk_sql_value(&t, q, 0, NULL);
}

static void ck_sql(const char *q, const char *want)
{
	char *v = sql1(q);

	ck_assert_msg(!strcmp(v, want), "%s: got %s, want %s", q, v, want);
	free(v);
}

START_TEST(full_file_then_diff)
{
	struct http *v;
	json_t *s, *errors;
	char path[96];
	int status;

	v = http_do(&t, "POST", "/v1/vendors", t.admin_key,
		    "{\"name\":\"閉鎖済みシステム\",\"corporate_number\":\"9010401000003\",\"status\":\"active\"}", NULL);
	ck_status(v, 201);
	ck_assert(json_is_null(json_object_get(v->json, "official")));
	snprintf(path, sizeof(path), "/v1/vendors/%s", jstr(v, "id"));
	http_free(v);

	s = import(fixture("corporate_master_full.csv"), &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(num(s, "rows"), 8);
	ck_assert_int_eq(num(s, "inserted"), 5);
	ck_assert_int_eq(num(s, "rejected"), 3);
	ck_assert_int_eq(num(s, "vendors_changed"), 1);
	errors = json_object_get(s, "errors");
	ck_assert_uint_eq(json_array_size(errors), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(errors, 0), "line")), 4);
	{
		char *all = json_dumps(errors, 0);

		ck_assert_ptr_nonnull(strstr(all, "expected 30 columns"));
		ck_assert_ptr_nonnull(strstr(all, "check digit"));
		ck_assert_ptr_nonnull(strstr(all, "YYYY-MM-DD"));
		free(all);
	}
	json_decref(s);
	ck_sql("select count(*) from corporate_master", "5");
	ck_sql("select name from corporate_master where corporate_number = '1011001000004'",
	       "合同会社\"さくら\"ラボ");

	/* the vendor now shows the official record and is flagged */
	v = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert(json_is_true(json_object_get(v->json, "corporation_closed")));
	ck_assert_str_eq(http_header(v, "ETag"), "\"2\"");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(v->json, "official"), "name")),
			 "株式会社閉鎖済みシステム");
	{
		json_t *reasons = json_object_get(json_object_get(v->json, "risk"), "reasons"), *x;
		size_t i;
		int found = 0;

		json_array_foreach(reasons, i, x)
			found |= !strcmp(json_string_value(json_object_get(x, "code")), "corporation_closed") &&
				 json_integer_value(json_object_get(x, "points")) == 2;
		ck_assert(found);
	}
	http_free(v);
	/* ... and the change is in the tenant's own audit trail */
	ck_sql("select count(*) from audit_events where action = 'vendor.official_record_changed'"
	       " and actor = 'operator' and after->>'corporation_closed' = 'true'", "1");

	/* a diff file from standard input: newer rows replace, older ones do not */
	{
		char cmd[1400];

		snprintf(cmd, sizeof(cmd), "ITAKU_DATABASE_URL='%s' ITAKU_LOG_LEVEL=warning '%s' "
			 "corporate-master import - < '%s' > /dev/null", t.url, getenv("ITAKU_BIN"),
			 fixture("corporate_master_diff.csv"));
		status = system(cmd);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ck_sql("select string_agg(name, ',' order by corporate_number) from corporate_master"
	       " where corporate_number in ('5010001000002', '6010001000001')",
	       "みなとデータ株式会社,株式会社東京データサービス");
	ck_sql("select string_agg(regexp_replace(source, '.*/', '') || ':' || outcome || ':' || updated"
	       " || ':' || unchanged, ',' order by started_at) from corporate_master_imports",
	       "corporate_master_full.csv:completed:0:0,stdin:completed:1:1");
	/* nothing about the import itself lands in a tenant's trail */
	ck_sql("select count(*) from audit_events where resource_type = 'corporate_master'", "0");
}
END_TEST

/* A row dated in the future would win against every real update to come;
 * it is refused like any other bad row. */
START_TEST(future_update_date_refused)
{
	char path[256];
	json_t *s;
	FILE *f;
	int status;

	snprintf(path, sizeof(path), "/tmp/itaku-cm-future-%d.csv", (int)getpid());
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("1,6010001000001,01,0,2999-12-31,,\"偽装株式会社\",,301,\"東京都\",\"千代田区\",\"丸の内\",,13,101,"
	      "1000005,,,2999-12-31,01,,,2015-10-05,1,,,,,,0\n", f);
	fputs("2,5010001000002,01,0,2024-04-01,,\"みなと情報処理株式会社\",,301,\"東京都\",\"港区\",\"芝公園\",,13,"
	      "103,1050011,,,,,,,2015-10-05,1,,,,,,0\n", f);
	fclose(f);
	s = import(path, &status);
	remove(path);
	ck_assert_int_eq(status, 0);
	ck_assert_int_eq(num(s, "inserted"), 1);
	ck_assert_int_eq(num(s, "rejected"), 1);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_array_get(
		json_object_get(s, "errors"), 0), "message")), "future"));
	json_decref(s);
	ck_sql("select count(*) from corporate_master where corporate_number = '6010001000001'", "0");
	/* the table refuses such a row too */
	{
		PGconn *c = itk_connect(&t);
		PGresult *r = PQexec(c, "insert into corporate_master (corporate_number, sequence_number,"
				     " process, correct, update_date, name, kind, latest, hidden)"
				     " values ('6010001000001', 1, '01', false, '2999-12-31', 'x', '301', true, false)");

		ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
		ck_assert_str_eq(PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME),
				 "corporate_master_update_date_not_future");
		PQclear(r);
		PQfinish(c);
	}
}
END_TEST

/* No tenant key can write the shared register, and so none can change
 * what another tenant reads through it. */
START_TEST(tenants_cannot_write_the_register)
{
	char *other = itk_bootstrap(&t, "other"), path[96];
	const char *headers[] = { "Content-Type: text/csv", NULL };
	struct http *v, *h;
	json_t *s;
	int status;

	v = http_do(&t, "POST", "/v1/vendors", other,
		    "{\"name\":\"東京データ\",\"corporate_number\":\"6010001000001\"}", NULL);
	ck_status(v, 201);
	snprintf(path, sizeof(path), "/v1/vendors/%s", jstr(v, "id"));
	http_free(v);
	h = http_do(&t, "POST", "/v1/corporate-master/import", t.admin_key,
		    "1,6010001000001,01,0,2999-12-31,,\"偽装\",,301,,,,,,,,,,2999-12-31,01,,,,1,,,,,,0\n", headers);
	ck_problem(h, 404, "not-found");
	http_free(h);
	ck_sql("select count(*) from corporate_master", "0");
	v = http_do(&t, "GET", path, other, NULL, NULL);
	ck_assert_str_eq(http_header(v, "ETag"), "\"1\"");
	ck_assert(json_is_null(json_object_get(v->json, "official")));
	http_free(v);

	/* The operator's import reaches the other tenant's vendor, with an
	 * event in that tenant's trail and in no one else's. */
	s = import(fixture("corporate_master_full.csv"), &status);
	ck_assert_int_eq(status, 0);
	json_decref(s);
	v = http_do(&t, "GET", path, other, NULL, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(v->json, "official"), "name")),
			 "株式会社東京データサービス");
	http_free(v);
	h = http_do(&t, "GET", "/v1/audit-events?action=vendor.official_record_changed", other, NULL, NULL);
	ck_status(h, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = http_do(&t, "GET", "/v1/audit-events?action=vendor.official_record_changed", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 0);
	http_free(h);
	free(other);
}
END_TEST

START_TEST(usage_and_missing_file)
{
	const char *bad[] = { "corporate-master", "export", "x.csv", NULL };
	const char *missing[] = { "corporate-master", "import", "/nonexistent/file.csv", NULL };
	char *out;
	int status;

	out = itk_run(&t, bad, NULL, &status);
	ck_assert_int_eq(status, 2);
	ck_assert_ptr_nonnull(strstr(out, "usage: itaku corporate-master import FILE|-"));
	free(out);
	out = itk_run(&t, missing, NULL, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_ptr_nonnull(strstr(out, "cannot open"));
	free(out);
	ck_sql("select count(*) from corporate_master_imports", "0");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("corpmaster");
	TCase *tc = tcase_create("corpmaster");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, full_file_then_diff);
	tcase_add_test(tc, future_update_date_refused);
	tcase_add_test(tc, tenants_cannot_write_the_register);
	tcase_add_test(tc, usage_and_missing_file);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

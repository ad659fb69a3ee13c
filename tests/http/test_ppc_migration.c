/* Migration 0009 on a database that already holds incidents: the schema
 * before it is built from the old migration files, incidents are written
 * under the old rules (their triggers compute the old deadlines). This
 * build cannot finish the old files (0011_baseline.sql replaced them) and
 * says so, changing nothing; the release before the baseline applies
 * 0009-0011 (as the harness does here), then the real `itaku migrate`
 * adopts the baseline and re-applies the functions. Each incident whose
 * deadlines moved has an audit event; who detected is filled in so that
 * no awareness moves; nothing else changes, and the audit chain still
 * verifies. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"

static struct itk t;
static const char *admin;
static char tenant[40], vendor[40];

static void admin_sql(const char *sql)
{
	PGconn *c = PQconnectdb(admin);
	PGresult *r = PQexec(c, sql);

	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

static void setup(void)
{
	char sql[160], *v;

	memset(&t, 0, sizeof(t));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	admin = getenv("ITAKU_TEST_PG");
	ck_assert_ptr_nonnull(admin);
	snprintf(t.db, sizeof(t.db), "itaku_t_ppc_migration_%d", (int)getpid());
	snprintf(sql, sizeof(sql), "drop database if exists %s", t.db);
	admin_sql(sql);
	snprintf(sql, sizeof(sql), "create database %s", t.db);
	admin_sql(sql);
	snprintf(t.url, sizeof(t.url), "%s dbname=%s", admin, t.db);
	itk_migrate_as_before(&t, 1, 9);
	v = itk_sql_value(&t, "insert into tenants (name) values ('t1') returning id", 0, NULL);
	snprintf(tenant, sizeof(tenant), "%s", v);
	free(v);
	{
		const char *params[1] = { tenant };

		v = itk_sql_value(&t, "insert into vendors (tenant_id, name) values ($1, 'みなと情報処理')"
				  " returning id", 1, params);
	}
	snprintf(vendor, sizeof(vendor), "%s", v);
	free(v);
}

static void teardown(void)
{
	if (t.pid > 0)
		ck_assert_int_eq(itk_stop(&t), 0);
	itk_db_drop(&t, admin);
}

/* Inserts an incident under the old schema; extra columns and values are
 * appended to the defaults. Returns its id. */
static void old_incident(const char *cols, const char *vals, char id[40])
{
	const char *params[2] = { tenant, vendor };
	char sql[1024], *v;

	snprintf(sql, sizeof(sql), "insert into incidents (tenant_id, vendor_id, chain_path, aware_at, title,"
		 " category, severity, %s) values ($1, $2, '{}', now(), '旧い事故', 'leak', 'high', %s)"
		 " returning id", cols, vals);
	v = itk_sql_value(&t, sql, 2, params);
	snprintf(id, 40, "%s", v);
	free(v);
}

static char *col(const char *id, const char *expr)
{
	char sql[256];
	const char *params[1] = { id };

	snprintf(sql, sizeof(sql), "select (%s)::text from incidents where id = $1", expr);
	return itk_sql_value(&t, sql, 1, params);
}

#define CK_COL(id, expr, want) \
	do { \
		char *v_ = col(id, expr); \
		ck_assert_msg(!strcmp(v_, want), "%s: %s is %s, want %s", #id, expr, v_, want); \
		free(v_); \
	} while (0)

static int recomputed(const char *id, const char *before, const char *after)
{
	const char *params[3] = { id, before, after };
	char *v = itk_sql_value(&t, "select count(*) from audit_events"
				" where action = 'incident.deadlines_recomputed'"
				"   and actor = 'migration:0009_ppc_deadlines' and resource_id = $1"
				"   and before #>> '{ppc,final,due_on}' = $2 and after #>> '{ppc,final,due_on}' = $3",
				3, params);
	int n = atoi(v);

	free(v);
	return n;
}

START_TEST(existing_incidents_are_recomputed_and_audited)
{
	char a[40], b[40], c[40], d[40], e[40], link[40], *out, *key, path[96];
	const char *argv[] = { "migrate", NULL };
	int status;
	struct http *h;

	/* A: staff, Friday 22:30 JST; later found reportable (audited then) */
	old_incident("detected_at, personal_data, financial_damage",
		     "'2026-11-13T22:30:00+09:00', 'yes', 'yes'", a);
	{
		const char *params[2] = { tenant, a };

		PQclear(itk_sql(&t, "insert into audit_events (tenant_id, occurred_at, actor, action, resource_type,"
				    " resource_id, after) values"
				    " ($1, '2026-11-13T14:00:00Z', 'key', 'incident.created', 'incident', $2,"
				    "  '{\"ppc\":{\"reportable\":false}}'),"
				    " ($1, '2026-11-20T01:00:00Z', 'key', 'incident.updated', 'incident', $2,"
				    "  '{\"ppc\":{\"reportable\":true}}')", 2, params));
	}
	/* B: filed through a report link: the vendor detected, then told us */
	{
		const char *params[2] = { tenant, vendor };
		char *v = itk_sql_value(&t, "insert into report_links (tenant_id, vendor_id, token_hash, prefix,"
					" expires_at) values ($1, $2, repeat('a', 64), 'itr_AAAAAAAA',"
					" now() + interval '1 day') returning id", 2, params);

		snprintf(link, sizeof(link), "%s", v);
		free(v);
	}
	{
		char vals[256];

		snprintf(vals, sizeof(vals), "'report_link', '%s', '2026-11-01T09:00:00+09:00',"
			 " '2026-11-03T10:00:00+09:00', 'yes', 'yes'", link);
		old_incident("source, report_link_id, detected_at, reported_to_us_at, personal_data, sensitive_data",
			     vals, b);
	}
	/* C: staff, the vendor's notice before our detection */
	old_incident("detected_at, reported_to_us_at, over_1000_people, appi_basis",
		     "'2026-11-10T10:00:00+09:00', '2026-11-05T10:00:00+09:00', 'likely', '名簿の件数'", c);
	/* D: not reportable */
	old_incident("detected_at, personal_data", "'2026-11-10T10:00:00+09:00', 'no'", d);
	/* E: staff, detection then the vendor's notice; wrongful purpose */
	old_incident("detected_at, reported_to_us_at, personal_data, wrongful_purpose",
		     "'2026-11-02T09:00:00+09:00', '2026-11-04T09:00:00+09:00', 'yes', 'yes'", e);
	/* the old rules: counted from the day after, never moved */
	CK_COL(a, "final_due_on", "2026-12-13");
	CK_COL(b, "preliminary_due_on", "2026-11-06");
	CK_COL(e, "final_due_on", "2027-01-03");

	out = itk_run(&t, argv, NULL, &status);
	ck_assert_msg(status != 0, "%s", out);
	ck_assert_msg(strstr(out, "database has 8 of the 11 migrations that 0011_baseline.sql replaced"),
		      "%s", out);
	free(out);
	CK_COL(a, "final_due_on", "2026-12-13");
	itk_migrate_as_before(&t, 9, 0);
	out = itk_run(&t, argv, NULL, &status);
	ck_assert_msg(status == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "recorded migrations 0001-0011 as 0011_baseline.sql"));
	/* adopted, not re-run: only migrations after the baseline apply */
	ck_assert_ptr_null(strstr(out, "applied 0011_baseline.sql"));
	free(out);

	CK_COL(a, "preliminary_due_on", "2026-11-15");
	CK_COL(a, "final_due_on", "2026-12-14");
	CK_COL(a, "detected_by", "us");
	CK_COL(a, "version", "2");
	CK_COL(a, "reportable_since = '2026-11-20T01:00:00Z'", "true");
	ck_assert_int_eq(recomputed(a, "2026-12-13", "2026-12-14"), 1);
	CK_COL(b, "detected_by", "vendor");
	CK_COL(b, "aware_at = '2026-11-03T10:00:00+09:00'", "true");
	CK_COL(b, "preliminary_due_on", "2026-11-05");
	CK_COL(b, "final_due_on", "2026-12-02");
	CK_COL(b, "reportable_since = created_at", "true");
	ck_assert_int_eq(recomputed(b, "2026-12-03", "2026-12-02"), 1);
	CK_COL(c, "detected_by", "us");
	CK_COL(c, "aware_at = '2026-11-05T10:00:00+09:00'", "true");
	CK_COL(c, "final_due_on", "2026-12-04");
	ck_assert_int_eq(recomputed(c, "2026-12-05", "2026-12-04"), 1);
	CK_COL(d, "version", "1");
	CK_COL(d, "reportable_since is null", "true");
	ck_assert_int_eq(recomputed(d, "", ""), 0);
	CK_COL(e, "detected_by", "vendor");
	CK_COL(e, "aware_at = '2026-11-04T09:00:00+09:00'", "true");
	CK_COL(e, "final_due_on", "2027-01-04");   /* day 60 is 01-02, in the year-end closure */
	ck_assert_int_eq(recomputed(e, "2027-01-03", "2027-01-04"), 1);
	{
		char *n = itk_sql_value(&t, "select count(*) from audit_events"
				        " where action = 'incident.deadlines_recomputed'", 0, NULL);

		ck_assert_str_eq(n, "4");
		free(n);
		/* no timeline entries beyond the five filings */
		n = itk_sql_value(&t, "select count(*) from incident_events", 0, NULL);
		ck_assert_str_eq(n, "5");
		free(n);
	}

	/* the API reads the result, and the audit chain holds */
	key = itk_bootstrap(&t, "t1");
	snprintf(t.admin_key, sizeof(t.admin_key), "%s", key);
	free(key);
	ck_assert_int_eq(itk_start(&t, NULL), 0);
	snprintf(path, sizeof(path), "/v1/incidents/%s", a);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(h->json, "ppc"),
							"final"), "due_on")), "2026-12-14");
	http_free(h);
	h = http_do(&t, "GET", "/v1/audit-events/verification", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert(json_is_true(json_object_get(h->json, "valid")));
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ppc_migration");
	TCase *tc = tcase_create("ppc_migration");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, existing_incidents_are_recomputed_and_audited);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

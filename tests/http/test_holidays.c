/* The holiday calendar behind the PPC deadlines: every day of 2024-2027
 * against the published calendars (内閣府「国民の祝日」), the law's older
 * and special years, the closed days of 行政機関の休日に関する法律, and the
 * operator's one-off holidays, which move incidents' deadlines with an
 * audit event each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;

static void setup(void)
{
	itk_setup(&t, "holidays", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* The published calendars. The Cabinet Office names both 振替休日 and
 * 国民の休日 just 休日; jp_holiday() says which rule made the day. */
static const char *const published[][2] = {
	{ "2024-01-01", "元日" }, { "2024-01-08", "成人の日" }, { "2024-02-11", "建国記念の日" },
	{ "2024-02-12", "振替休日" }, { "2024-02-23", "天皇誕生日" }, { "2024-03-20", "春分の日" },
	{ "2024-04-29", "昭和の日" }, { "2024-05-03", "憲法記念日" }, { "2024-05-04", "みどりの日" },
	{ "2024-05-05", "こどもの日" }, { "2024-05-06", "振替休日" }, { "2024-07-15", "海の日" },
	{ "2024-08-11", "山の日" }, { "2024-08-12", "振替休日" }, { "2024-09-16", "敬老の日" },
	{ "2024-09-22", "秋分の日" }, { "2024-09-23", "振替休日" }, { "2024-10-14", "スポーツの日" },
	{ "2024-11-03", "文化の日" }, { "2024-11-04", "振替休日" }, { "2024-11-23", "勤労感謝の日" },

	{ "2025-01-01", "元日" }, { "2025-01-13", "成人の日" }, { "2025-02-11", "建国記念の日" },
	{ "2025-02-23", "天皇誕生日" }, { "2025-02-24", "振替休日" }, { "2025-03-20", "春分の日" },
	{ "2025-04-29", "昭和の日" }, { "2025-05-03", "憲法記念日" }, { "2025-05-04", "みどりの日" },
	{ "2025-05-05", "こどもの日" }, { "2025-05-06", "振替休日" }, { "2025-07-21", "海の日" },
	{ "2025-08-11", "山の日" }, { "2025-09-15", "敬老の日" }, { "2025-09-23", "秋分の日" },
	{ "2025-10-13", "スポーツの日" }, { "2025-11-03", "文化の日" }, { "2025-11-23", "勤労感謝の日" },
	{ "2025-11-24", "振替休日" },

	{ "2026-01-01", "元日" }, { "2026-01-12", "成人の日" }, { "2026-02-11", "建国記念の日" },
	{ "2026-02-23", "天皇誕生日" }, { "2026-03-20", "春分の日" }, { "2026-04-29", "昭和の日" },
	{ "2026-05-03", "憲法記念日" }, { "2026-05-04", "みどりの日" }, { "2026-05-05", "こどもの日" },
	{ "2026-05-06", "振替休日" }, { "2026-07-20", "海の日" }, { "2026-08-11", "山の日" },
	{ "2026-09-21", "敬老の日" }, { "2026-09-22", "国民の休日" }, { "2026-09-23", "秋分の日" },
	{ "2026-10-12", "スポーツの日" }, { "2026-11-03", "文化の日" }, { "2026-11-23", "勤労感謝の日" },

	{ "2027-01-01", "元日" }, { "2027-01-11", "成人の日" }, { "2027-02-11", "建国記念の日" },
	{ "2027-02-23", "天皇誕生日" }, { "2027-03-21", "春分の日" }, { "2027-03-22", "振替休日" },
	{ "2027-04-29", "昭和の日" }, { "2027-05-03", "憲法記念日" }, { "2027-05-04", "みどりの日" },
	{ "2027-05-05", "こどもの日" }, { "2027-07-19", "海の日" }, { "2027-08-11", "山の日" },
	{ "2027-09-20", "敬老の日" }, { "2027-09-23", "秋分の日" }, { "2027-10-11", "スポーツの日" },
	{ "2027-11-03", "文化の日" }, { "2027-11-23", "勤労感謝の日" },
};
#define NPUBLISHED (sizeof(published) / sizeof(published[0]))

static const char *published_name(const char *day)
{
	for (size_t i = 0; i < NPUBLISHED; i++)
		if (!strcmp(published[i][0], day))
			return published[i][1];
	return "";
}

START_TEST(every_day_of_2024_to_2027_as_published)
{
	PGresult *r = itk_sql(&t, "select d::date::text, coalesce(jp_holiday(d::date), ''),"
			      "       jp_government_closed(d::date), extract(isodow from d) >= 6"
			      "  from generate_series(date '2024-01-01', date '2027-12-31', interval '1 day') d"
			      " order by d", 0, NULL);
	int holidays = 0;

	ck_assert_int_eq(PQntuples(r), 366 + 365 + 365 + 365);
	for (int i = 0; i < PQntuples(r); i++) {
		const char *day = PQgetvalue(r, i, 0), *name = PQgetvalue(r, i, 1);
		const char *want = published_name(day);
		int closed = !strcmp(PQgetvalue(r, i, 2), "t"), weekend = !strcmp(PQgetvalue(r, i, 3), "t");
		int year_end = strcmp(day + 5, "12-29") >= 0 || strcmp(day + 5, "01-03") <= 0;

		ck_assert_msg(!strcmp(name, want), "%s: \"%s\", published \"%s\"", day, name, want);
		ck_assert_msg(closed == (weekend || *want || year_end), "%s: closed is %d", day, closed);
		holidays += *name != '\0';
	}
	ck_assert_int_eq(holidays, (int)NPUBLISHED);
	PQclear(r);
}
END_TEST

static void ck_holiday(const char *day, const char *want)
{
	const char *params[1] = { day };
	char *v = itk_sql_value(&t, "select jp_holiday($1::date)", 1, params);

	ck_assert_msg(!strcmp(v, want), "%s: \"%s\", want \"%s\"", day, v, want);
	free(v);
}

/* The rules as they stood in other years, and the special laws. */
START_TEST(older_rules_and_special_years)
{
	char *v;

	ck_holiday("2002-07-20", "海の日");          /* a fixed day until 2002 */
	ck_holiday("2003-07-21", "海の日");          /* third Monday from 2003 */
	ck_holiday("2002-09-15", "敬老の日");
	ck_holiday("2003-09-15", "敬老の日");        /* 2003's third Monday is also the 15th */
	ck_holiday("2006-04-29", "みどりの日");
	ck_holiday("2006-05-04", "国民の休日");      /* between two 祝日, before みどりの日 moved there */
	ck_holiday("2003-05-04", "");                /* a Sunday was no 国民の休日 before 2007 */
	ck_holiday("2008-05-06", "振替休日");        /* Sunday 05-04 -> the first day that is no 祝日 */
	ck_holiday("2009-09-22", "国民の休日");
	ck_holiday("2018-12-24", "振替休日");        /* 天皇誕生日 on Sunday 12-23 */
	ck_holiday("2019-12-23", "");                /* no 天皇誕生日 in 2019 */
	ck_holiday("2020-02-24", "振替休日");
	ck_holiday("2019-04-30", "国民の休日");      /* the accession (a one-off law) made these */
	ck_holiday("2019-05-01", "即位の日");
	ck_holiday("2019-05-02", "国民の休日");
	ck_holiday("2019-10-22", "即位礼正殿の儀の行われる日");
	ck_holiday("2019-10-14", "体育の日");
	ck_holiday("2020-07-20", "");                /* moved for the Olympic Games */
	ck_holiday("2020-07-23", "海の日");
	ck_holiday("2020-07-24", "スポーツの日");
	ck_holiday("2020-08-10", "山の日");
	ck_holiday("2021-07-22", "海の日");
	ck_holiday("2021-07-23", "スポーツの日");
	ck_holiday("2021-08-09", "振替休日");
	ck_holiday("2021-10-11", "");
	ck_holiday("2032-09-21", "国民の休日");
	ck_holiday("2099-09-23", "秋分の日");
	/* outside 2000-2099 the calendar does not guess */
	{
		PGconn *c = itk_connect(&t);
		PGresult *r = PQexec(c, "select jp_holiday(date '1999-12-31')");

		ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
		ck_assert_ptr_nonnull(strstr(PQresultErrorMessage(r), "2000 to 2099"));
		PQclear(r);
		PQfinish(c);
	}
	v = itk_sql_value(&t, "select jp_next_open_day(date '2025-12-27')", 0, NULL);
	ck_assert_str_eq(v, "2026-01-05");
	free(v);
}
END_TEST

static char *run(const char *const argv[], int *status)
{
	return itk_run(&t, argv, NULL, status);
}

static int count(const char *sql)
{
	char *v = itk_sql_value(&t, sql, 0, NULL);
	int n = atoi(v);

	free(v);
	return n;
}

/* Final due date of an incident, read through the API. */
static char *final_due(const char *path)
{
	struct http *h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	char *due = strdup(json_string_value(json_object_get(json_object_get(json_object_get(h->json, "ppc"),
							 "final"), "due_on")));

	http_free(h);
	return due;
}

START_TEST(operator_adds_and_removes_a_one_off_holiday)
{
	const char *add[] = { "holiday", "add", "2026-12-01", "臨時の休日", "令和8年法律第999号（試験用）", NULL };
	const char *remove[] = { "holiday", "remove", "2026-12-01", NULL };
	const char *list[] = { "holiday", "list", "2026", NULL };
	char body[512], path[96], other[96], *out, *due;
	struct http *h;
	int status;

	h = http_do(&t, "POST", "/v1/vendors", t.admin_key, "{\"name\":\"みなと情報処理\"}", NULL);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"title\":\"誤送信\",\"category\":\"leak\","
		 "\"severity\":\"high\",\"detected_at\":\"2026-11-02T10:00:00+09:00\","
		 "\"appi\":{\"personal_data\":\"yes\",\"sensitive_data\":\"yes\"}}", jstr(h, "id"));
	snprintf(other, sizeof(other), "%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "POST", "/v1/incidents", t.admin_key, body, NULL);
	ck_status(h, 201);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(h->json, "ppc"),
							"final"), "due_on")), "2026-12-01");
	snprintf(path, sizeof(path), "/v1/incidents/%s", jstr(h, "id"));
	http_free(h);
	/* one whose deadline the holiday does not touch (other still holds the vendor) */
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"title\":\"紛失\",\"category\":\"loss_or_theft\","
		 "\"severity\":\"low\",\"detected_at\":\"2026-10-01T10:00:00+09:00\","
		 "\"appi\":{\"personal_data\":\"yes\",\"sensitive_data\":\"yes\"}}", other);
	h = http_do(&t, "POST", "/v1/incidents", t.admin_key, body, NULL);
	ck_status(h, 201);
	snprintf(other, sizeof(other), "/v1/incidents/%s", jstr(h, "id"));
	http_free(h);

	/* day 30 becomes a holiday: the deadline moves to the next open day */
	out = run(add, &status);
	ck_assert_msg(status == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "moved: 1 incident"));
	free(out);
	due = final_due(path);
	ck_assert_str_eq(due, "2026-12-02");
	free(due);
	due = final_due(other);
	ck_assert_str_eq(due, "2026-10-30");
	free(due);
	ck_assert_int_eq(count("select count(*) from audit_events where action = 'incident.deadlines_recomputed'"
			       " and actor = 'operator:holiday add 2026-12-01'"
			       " and before #>> '{ppc,final,due_on}' = '2026-12-01'"
			       " and after #>> '{ppc,final,due_on}' = '2026-12-02'"), 1);
	out = run(list, &status);
	ck_assert_ptr_nonnull(strstr(out, "2026-12-01 Tue 臨時の休日 (one-off: 令和8年法律第999号（試験用）)"));
	free(out);

	/* refused: a day that is already a holiday, a statutory one, bad input */
	{
		const char *again[] = { "holiday", "add", "2026-12-01", "重複", NULL };
		const char *statutory[] = { "holiday", "remove", "2026-11-03", NULL };
		const char *plain[] = { "holiday", "remove", "2026-11-04", NULL };
		const char *bad_date[] = { "holiday", "add", "2026-02-30", "x", NULL };
		const char *early[] = { "holiday", "add", "1999-12-01", "x", NULL };
		const char *no_name[] = { "holiday", "add", "2026-12-02", "", NULL };
		const char *bad_year[] = { "holiday", "list", "20x6", NULL };
		const char *nothing[] = { "holiday", NULL };

		out = run(again, &status);
		ck_assert_int_eq(status, 1);
		ck_assert_ptr_nonnull(strstr(out, "already a holiday (臨時の休日)"));
		free(out);
		out = run(statutory, &status);
		ck_assert_int_eq(status, 1);
		ck_assert_ptr_nonnull(strstr(out, "文化の日 under 国民の祝日に関する法律"));
		free(out);
		out = run(plain, &status);
		ck_assert_int_eq(status, 1);
		ck_assert_ptr_nonnull(strstr(out, "not a holiday"));
		free(out);
		free(run(bad_date, &status));
		ck_assert_int_eq(status, 2);
		free(run(early, &status));
		ck_assert_int_eq(status, 2);
		free(run(no_name, &status));
		ck_assert_int_eq(status, 2);
		free(run(bad_year, &status));
		ck_assert_int_eq(status, 2);
		out = run(nothing, &status);
		ck_assert_int_eq(status, 2);
		ck_assert_ptr_nonnull(strstr(out, "usage"));
		free(out);
	}
	ck_assert_int_eq(count("select count(*) from jp_extra_holidays"), 3);

	/* removed again: the deadline returns, with its own audit event */
	out = run(remove, &status);
	ck_assert_msg(status == 0, "%s", out);
	free(out);
	due = final_due(path);
	ck_assert_str_eq(due, "2026-12-01");
	free(due);
	ck_assert_int_eq(count("select count(*) from audit_events where action = 'incident.deadlines_recomputed'"), 2);
	ck_assert_int_eq(count("select count(*) from jp_extra_holidays"), 2);

	/* the audit chain still verifies */
	h = http_do(&t, "GET", "/v1/audit-events/verification", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert(json_is_true(json_object_get(h->json, "valid")));
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("holidays");
	TCase *tc = tcase_create("holidays");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_day_of_2024_to_2027_as_published);
	tcase_add_test(tc, older_rules_and_special_years);
	tcase_add_test(tc, operator_adds_and_removes_a_one_off_holiday);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

/* HTTP: the overview for dashboards (issue 21). Every figure of GET
 * /v1/overview is followed to its href, paged through, and its list must
 * hold exactly count items: on the demo data (deploy/demo-data.sh, through
 * the API, with a dead delivery, a disabled subscription, monitoring
 * verdicts and an override added; its negotiations included) and on a
 * generated register
 * (tests/fixtures/overview_seed.sql, a few hundred vendors), unscoped and
 * in several scopes (department, tag, engagement category, tiers, all
 * four). Then: the webhook figures only for admins, bad parameters, the
 * trend (the day's snapshot written once by concurrent steps and by the
 * scheduler, gaps as null, pruning after three years, the range checks)
 * and the board report CSV (BOM, CRLF, Japanese labels, one row per
 * vendor with a problem). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "receiver.h"

static struct itk t;

static struct http *get(const char *key, const char *fmt, ...)
{
	char path[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return http_do(&t, "GET", path, key ? key : t.admin_key, NULL, NULL);
}

static char *sql1(const char *sql, const char *p1)
{
	const char *params[1] = { p1 };

	return itk_sql_value(&t, sql, p1 ? 1 : 0, params);
}

static void sql_do(const char *sql, const char *p1)
{
	free(sql1(sql, p1));
}

static int wait_sql(const char *sql, const char *want, int ms)
{
	for (int waited = 0; waited <= ms; waited += 50) {
		char *v = sql1(sql, NULL);
		int same = strcmp(v, want) == 0;

		free(v);
		if (same)
			return 1;
		usleep(50000);
	}
	return 0;
}

static void setup(void)
{
	static const char *const env[] = { "ITAKU_SCHEDULER_INTERVAL_S=1", "ITAKU_WEBHOOK_ALLOW_PRIVATE=1",
					   ITK_SECRET_KEY_ENV, NULL };

	itk_setup(&t, "overview", env);
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* Items the list at href holds, paging through 200 at a time. */
static long list_count(const char *key, const char *href)
{
	char *cursor = NULL;
	long n = 0;

	for (int pages = 0; pages < 1000; pages++) {
		struct http *h = get(key, "%s%climit=200%s%s", href, strchr(href, '?') ? '&' : '?',
				     cursor ? "&cursor=" : "", cursor ? cursor : "");
		json_t *next;

		ck_status(h, 200);
		n += (long)json_array_size(json_object_get(h->json, "items"));
		next = json_object_get(h->json, "next_cursor");
		free(cursor);
		cursor = json_is_string(next) ? strdup(json_string_value(next)) : NULL;
		http_free(h);
		if (!cursor)
			return n;
	}
	ck_abort_msg("%s: too many pages", href);
	return -1;
}

/* Follows every figure under v; returns how many there were and adds
 * their counts to *sum. */
static int walk(const char *key, json_t *v, const char *where, long *sum)
{
	const char *k;
	json_t *m;
	size_t i;
	int n = 0;

	if (json_is_object(v) && json_object_get(v, "href")) {
		const char *href = json_string_value(json_object_get(v, "href"));
		long count = (long)json_integer_value(json_object_get(v, "count"));
		long listed = list_count(key, href);

		ck_assert_msg(listed == count, "%s: count %ld, but %s lists %ld", where, count, href, listed);
		*sum += count;
		return 1;
	}
	if (json_is_object(v))
		json_object_foreach(v, k, m) {
			char path[256];

			snprintf(path, sizeof(path), "%s.%s", where, k);
			n += walk(key, m, path, sum);
		}
	else if (json_is_array(v))
		json_array_foreach(v, i, m) {
			char path[256];

			snprintf(path, sizeof(path), "%s[%zu]", where, i);
			n += walk(key, m, path, sum);
		}
	return n;
}

/* GET /v1/overview?scope and checks every figure; returns the figures'
 * total count (so that a test can insist the scope selected something). */
static long check_overview(const char *key, const char *scope, int min_figures)
{
	struct http *h = get(key, "/v1/overview%s%s", scope[0] ? "?" : "", scope);
	long sum = 0;
	int n;

	ck_status(h, 200);
	n = walk(key, h->json, scope[0] ? scope : "overview", &sum);
	ck_assert_msg(n >= min_figures, "%s: only %d figures", scope, n);
	http_free(h);
	if (!scope[0]) {   /* the whole tenant is read from its kept counts, which agree with a recount */
		char *v = sql1("select count(*) from overview_counts_ready r, overview_counts_diff(r.tenant_id)", NULL);

		ck_assert_str_eq(v, "0");
		free(v);
		v = sql1("select count(*) from tenants x"
			 " where not exists (select 1 from overview_counts_ready r where r.tenant_id = x.id)", NULL);
		ck_assert_str_eq(v, "0");
		free(v);
	}
	return sum;
}

static char *viewer_key(void)
{
	struct http *h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"name\":\"board\",\"role\":\"viewer\"}",
				 NULL);
	char *key;

	ck_status(h, 201);
	key = strdup(jstr(h, "key"));
	http_free(h);
	return key;
}

static void load_demo(void)
{
	char cmd[1024];
	int rc;

	snprintf(cmd, sizeof(cmd), "bash %s/../../deploy/demo-data.sh %s %s >/dev/null 2>&1", ITK_FIXTURES,
		 t.base, t.admin_key);
	rc = system(cmd);
	ck_assert_msg(rc == 0, "demo-data.sh failed (%d)", rc);
}

START_TEST(every_figure_lists_its_records_on_the_demo_data)
{
	struct http *h;
	char *viewer, *v;
	long all, scoped;

	load_demo();
	/* What the demo leaves without: verdicts, an override, a dead
	 * delivery, a disabled subscription, an overdue handover. */
	sql_do("update vendors set last_monitoring_date = tokyo_today() - 800, last_monitoring_verdict ="
	       " (array['no_issues', 'watch', 'action_required'])[1 + abs(hashtext(external_ref)) % 3]"
	       " where external_ref in ('V-001', 'V-002', 'V-007', 'V-010', 'V-014')", NULL);
	sql_do("update vendors set risk_override_tier = 'high', risk_override_reason = '基幹業務',"
	       " risk_override_at = now(), risk_override_by = (select id from api_keys order by created_at limit 1)"
	       " where external_ref = 'V-006'", NULL);
	h = http_do(&t, "POST", "/v1/webhook-subscriptions", t.admin_key,
		    "{\"url\":\"http://127.0.0.1:9/itaku\",\"event_types\":[\"incident.reported\"]}", NULL);
	ck_status(h, 201);
	http_free(h);
	sql_do("update webhook_subscriptions set enabled = false, disabled_at = now(), disabled_reason = 'disabled through the API'", NULL);
	sql_do("insert into webhook_events (tenant_id, type, body)"
	       " select id, 'incident.reported', '{}' from tenants order by created_at limit 1", NULL);
	sql_do("insert into webhook_deliveries (tenant_id, event_id, subscription_id, status)"
	       " select e.tenant_id, e.id, s.id, 'dead' from webhook_events e, webhook_subscriptions s limit 1", NULL);
	sql_do("insert into handovers (tenant_id, engagement_id, item, classification, handed_over_on, method, return_due_on)"
	       " select tenant_id, id, '給与データ', 'secret', tokyo_today() - 90, 'encrypted_transfer', tokyo_today() - 3"
	       " from engagements where handles_personal_data order by created_at limit 2", NULL);

	all = check_overview(NULL, "", 45);
	ck_assert_int_gt(all, 40);
	h = get(NULL, "/v1/overview");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_object_get(h->json, "vendors"),
		"total"), "count")), 20);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_object_get(h->json, "webhooks"),
		"dead_deliveries"), "count")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_object_get(h->json, "subcontracting"),
		"deepest_approved"), "depth")), 2);
	ck_assert(json_is_object(json_object_get(json_object_get(json_object_get(h->json, "incidents"),
		"ppc_filings_pending"), "nearest")));
	ck_assert_int_eq(json_array_size(json_object_get(json_object_get(h->json, "assessments"),
		"average_score_by_template")), 1);
	ck_assert_int_gt(json_integer_value(json_object_get(json_object_get(json_object_get(h->json, "negotiations"),
		"open_requests"), "count")), 0);
	http_free(h);

	/* Scopes: each figure's href carries it, and the lists agree. */
	scoped = check_overview(NULL, "department=%E6%83%85%E5%A0%B1%E3%82%B7%E3%82%B9%E3%83%86%E3%83%A0%E9%83%A8", 45);
	ck_assert(scoped > 0 && scoped < all);
	check_overview(NULL, "tag=demo", 45);
	check_overview(NULL, "engagement_category=data_processing", 45);
	check_overview(NULL, "risk_tier=high,medium", 45);
	check_overview(NULL, "department=%E7%B7%8F%E5%8B%99%E9%83%A8&tag=demo&engagement_category=storage_transport"
		       "&risk_tier=high,medium,low", 45);
	h = get(NULL, "/v1/overview?risk_tier=high");
	ck_assert_ptr_null(json_object_get(json_object_get(json_object_get(h->json, "vendors"), "by_tier"), "low"));
	v = strdup(json_string_value(json_object_get(json_object_get(json_object_get(h->json, "vendors"), "total"),
						     "href")));
	ck_assert_str_eq(v, "/v1/vendors?risk_tier=high");
	free(v);
	http_free(h);

	/* Webhook lists are for admins: a viewer sees no webhook figures,
	 * and every figure it sees it can follow. */
	viewer = viewer_key();
	h = get(viewer, "/v1/overview");
	ck_status(h, 200);
	ck_assert(json_is_null(json_object_get(h->json, "webhooks")));
	http_free(h);
	check_overview(viewer, "", 43);
	free(viewer);
}
END_TEST

START_TEST(every_figure_lists_its_records_on_a_generated_register)
{
	char *tenant;
	long all;

	itk_load_fixture_functions(&t, "overview_seed.sql");
	tenant = sql1("select id::text from tenants order by created_at limit 1", NULL);
	sql_do("select overview_seed($1, 400)", tenant);
	free(tenant);

	all = check_overview(NULL, "", 45);
	ck_assert_int_gt(all, 2000);
	check_overview(NULL, "department=%E8%B3%BC%E8%B2%B7%E9%83%A8", 45);
	check_overview(NULL, "tag=cloud&risk_tier=high", 45);
	check_overview(NULL, "engagement_category=asp_saas&risk_tier=medium,low", 45);
	check_overview(NULL, "department=%E7%B7%8F%E5%8B%99%E9%83%A8&tag=dev&engagement_category=housing", 45);
}
END_TEST

START_TEST(bad_parameters_answer_400)
{
	static const char *const bad[] = {
		"/v1/overview?risk_tier=urgent", "/v1/overview?engagement_category=consulting",
		"/v1/overview?vendor_tier=high", "/v1/overview?tag=", "/v1/overview/report.csv?risk_tier=x",
		"/v1/overview/trend", "/v1/overview/trend?metric=vendors", "/v1/overview/trend?metric=vendors_total&from=2026-13-01",
		"/v1/overview/trend?metric=vendors_total&from=2026-12-02&to=2026-12-01",
		"/v1/overview/trend?metric=vendors_total&from=2020-01-01&to=2026-01-01",
		"/v1/certifications?scope_verified=maybe", "/v1/engagements?clauses_missing=1",
		"/v1/subcontracts?depth=11", "/v1/vendors?monitoring_due_within_days=-1",
		"/v1/incidents?vendor_tier=urgent", "/v1/webhook-subscriptions?enabled=no",
		/* an empty list filters nothing in or out: it is refused, not read as "none" */
		"/v1/overview?risk_tier=", "/v1/vendors?risk_tier=", "/v1/assessments?vendor_tier=", NULL
	};

	for (int i = 0; bad[i]; i++) {
		struct http *h = get(NULL, "%s", bad[i]);

		ck_assert_msg(h->status == 400, "%s: %ld %s", bad[i], h->status, h->body);
		ck_problem(h, 400, NULL);
		http_free(h);
	}
}
END_TEST

START_TEST(the_trend_keeps_one_row_a_day_with_gaps)
{
	struct http *h;
	json_t *pts;
	char *tenant, *v;

	/* The scheduler (every second here) keeps today's row once the day's
	 * re-derivation is done: one per tenant. */
	ck_assert(wait_sql("select count(*) from overview_days where day = tokyo_today()", "1", 10000));
	tenant = sql1("select id::text from tenants order by created_at limit 1", NULL);
	h = http_do(&t, "POST", "/v1/vendors", t.admin_key, "{\"name\":\"株式会社トレンド\",\"status\":\"active\"}", NULL);
	ck_status(h, 201);
	http_free(h);
	/* Another step the same day writes nothing: the row is the day's. */
	v = sql1("select more::text || '/' || written from overview_snapshot_step(10)", NULL);
	ck_assert_str_eq(v, "false/0");
	free(v);
	free(sql1("delete from scheduler_runs where job = 'overview_snapshot'", NULL));
	v = sql1("select more::text || '/' || written from overview_snapshot_step(10)", NULL);
	ck_assert_str_eq(v, "false/0");   /* the key keeps the first row */
	free(v);
	v = sql1("select figures ->> 'vendors_total' from overview_days where day = tokyo_today()", NULL);
	ck_assert_str_eq(v, "0");
	free(v);

	/* Earlier days: two kept, one missing (a gap), one from four years ago. */
	sql_do("insert into overview_days (tenant_id, day, figures) values"
	       " ($1, tokyo_today() - 1, '{\"vendors_total\": 7, \"monitoring_overdue\": 2}'),"
	       " ($1, tokyo_today() - 3, '{\"vendors_total\": 5}'),"
	       " ($1, tokyo_today() - 1500, '{\"vendors_total\": 1}')", tenant);
	h = get(NULL, "/v1/overview/trend?metric=vendors_total&from=%s", "2000-01-01");
	ck_status(h, 400);
	http_free(h);
	v = sql1("select (tokyo_today() - 4)::text", NULL);
	h = get(NULL, "/v1/overview/trend?metric=vendors_total&from=%s", v);
	free(v);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "metric"), "vendors_total");
	pts = json_object_get(h->json, "points");
	ck_assert_int_eq(json_array_size(pts), 5);
	ck_assert(json_is_null(json_object_get(json_array_get(pts, 0), "value")));
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(pts, 1), "value")), 5);
	ck_assert(json_is_null(json_object_get(json_array_get(pts, 2), "value")));   /* a gap, not 0 */
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(pts, 3), "value")), 7);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(pts, 4), "value")), 0);
	http_free(h);
	/* A metric a day did not keep is a gap too. */
	h = get(NULL, "/v1/overview/trend?metric=findings_overdue");   /* the 30 days up to today */
	ck_status(h, 200);
	pts = json_object_get(h->json, "points");
	ck_assert_int_eq(json_array_size(pts), 30);
	ck_assert(json_is_null(json_object_get(json_array_get(pts, 28), "value")));
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(pts, 29), "value")), 0);
	http_free(h);

	/* The next day's run prunes what is older than three years. */
	sql_do("update scheduler_runs set day = day - 1", NULL);
	sql_do("delete from overview_days where day = tokyo_today()", NULL);
	ck_assert(wait_sql("select count(*) from overview_days where day = tokyo_today()", "1", 10000));
	v = sql1("select count(*) from overview_days", NULL);   /* today, yesterday, 3 days ago */
	ck_assert_str_eq(v, "3");
	free(v);
	v = sql1("select figures ->> 'vendors_total' from overview_days where day = tokyo_today()", NULL);
	ck_assert_str_eq(v, "1");
	free(v);
	v = sql1("select count(*) from overview_days where day < tokyo_today() - 1000", NULL);
	ck_assert_str_eq(v, "0");
	free(v);
	free(tenant);
}
END_TEST

START_TEST(the_board_report_is_a_csv_for_excel)
{
	struct http *h;
	const char *body;

	load_demo();
	sql_do("update vendors set last_monitoring_date = tokyo_today() - 800, last_monitoring_verdict = 'action_required'"
	       " where external_ref = 'V-007'", NULL);
	h = http_do(&t, "GET", "/v1/overview/report.csv", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "Content-Type"), "text/csv; charset=utf-8");
	ck_assert_str_eq(http_header(h, "Content-Disposition"), "attachment; filename=\"overview-report.csv\"");
	body = h->body;
	ck_assert(!memcmp(body, "\xEF\xBB\xBF", 3));
	ck_assert_msg(!strncmp(body + 3, "種別 / kind,区分 / section,項目 / item,件数 / count,値 / value,一覧 / list\r\n",
			       strlen("種別 / kind,区分 / section,項目 / item,件数 / count,値 / value,一覧 / list\r\n")),
		      "%.200s", body);
	ck_assert_msg(strstr(body, "集計 / figure,委託先 / vendors,総数 / total,20,,/v1/vendors\r\n"), "%s", body);
	ck_assert(strstr(body, "集計 / figure,再委託 / subcontracting,承認済みの最深階層 / deepest_approved,"));
	ck_assert(strstr(body, "委託先 / vendor,株式会社グローバルBPOパートナーズ,"));
	ck_assert(strstr(body, "要是正の判定 / action_required"));
	ck_assert(!strstr(body + 3, "\n\n") && !strstr(strchr(body, '\n') + 1, "\r\r"));
	for (const char *p = strchr(body, '\n'); p; p = strchr(p + 1, '\n'))
		ck_assert(p[-1] == '\r');
	http_free(h);

	/* In a scope: only its vendors' rows. */
	h = http_do(&t, "GET", "/v1/overview/report.csv?department=%E7%B7%8F%E5%8B%99%E9%83%A8", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert(!strstr(h->body, "株式会社グローバルBPOパートナーズ"));
	ck_assert(strstr(h->body, "/v1/vendors?department=%E7%B7%8F%E5%8B%99%E9%83%A8\r\n"));
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("overview");
	TCase *tc = tcase_create("overview");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, every_figure_lists_its_records_on_the_demo_data);
	tcase_add_test(tc, every_figure_lists_its_records_on_a_generated_register);
	tcase_add_test(tc, bad_parameters_answer_400);
	tcase_add_test(tc, the_trend_keeps_one_row_a_day_with_gaps);
	tcase_add_test(tc, the_board_report_is_a_csv_for_excel);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

/* HTTP: what depends on the date is derived again once per Tokyo day.
 *
 * Time passes by backdating rows with their triggers off (what a write
 * would have re-derived, the calendar does not): a certificate expires,
 * an engagement ends. Until the day's run the register shows the stale
 * tiers; after it, tiers, risk_tier filters, overdue monitoring and chain
 * health are right, vendor.tier_changed reached a real receiver once per
 * vendor, and the audit trail shows each change by "scheduler", though
 * two processes scanned. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "receiver.h"

static struct itk t;
static struct receiver rv;

static char *sql1(const char *sql, const char *p1)
{
	const char *params[1] = { p1 };

	return itk_sql_value(&t, sql, p1 ? 1 : 0, params);
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

static void post_id(const char *path, const char *body, char out[40])
{
	struct http *h = http_do(&t, "POST", path, t.admin_key, body, NULL);

	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

static char *tokyo_date(int days)
{
	char sql[96];

	snprintf(sql, sizeof(sql), "select (tokyo_today() + %d)::text", days);
	return sql1(sql, NULL);
}

static void engagement(const char *vendor, const char *extra, char out[40])
{
	char path[96], body[1024];

	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", vendor);
	snprintf(body, sizeof(body), "{\"title\":\"委託\",\"contract_type\":\"inin\",%s}", extra);
	post_id(path, body, out);
}

static const char *tier(const char *vendor)
{
	static char out[16];
	char path[96];
	struct http *h;

	snprintf(path, sizeof(path), "/v1/vendors/%s", vendor);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	snprintf(out, sizeof(out), "%s", json_string_value(json_object_get(json_object_get(h->json, "risk"), "tier")));
	http_free(h);
	return out;
}

/* The ids a vendor list answers, space-separated. */
static char *listed(const char *query)
{
	char path[128], *out = calloc(1, 512);
	struct http *h;
	json_t *items;

	snprintf(path, sizeof(path), "/v1/vendors?%s", query);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	items = json_object_get(h->json, "items");
	for (size_t i = 0; i < json_array_size(items); i++) {
		strcat(out, json_string_value(json_object_get(json_array_get(items, i), "id")));
		strcat(out, " ");
	}
	http_free(h);
	return out;
}

static const char *weakest_tier(const char *eng)
{
	static char out[16];
	char path[96];
	struct http *h;

	snprintf(path, sizeof(path), "/v1/engagements/%s", eng);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	snprintf(out, sizeof(out), "%s", json_string_value(json_object_get(json_object_get(
		json_object_get(h->json, "chain_health"), "weakest_link"), "risk_tier")));
	http_free(h);
	return out;
}

struct register_ids {
	char x[40], y[40], p[40], cert[40], ey[40], ep[40];
};

/* x: medium through a verified certificate expiring in 30 days, monitored
 * 400 days ago (due in 24 months at medium, 12 at high); y: high through
 * an engagement ending in 10 days; p: high because y, high, sits in its
 * chain. */
static void build_register(struct register_ids *ids)
{
	char body[512], path[96], link[40], ex[40], *soon = tokyo_date(30), *ends = tokyo_date(10);
	char *monitored = tokyo_date(-400);
	static const char risky[] = "\"category\":\"data_processing\",\"handles_personal_data\":true,"
				    "\"confidentiality\":3";

	post_id("/v1/vendors", "{\"name\":\"みなと情報処理\",\"status\":\"active\"}", ids->x);
	post_id("/v1/vendors", "{\"name\":\"東西印刷\",\"status\":\"active\"}", ids->y);
	post_id("/v1/vendors", "{\"name\":\"北港システム\",\"status\":\"active\"}", ids->p);
	engagement(ids->x, risky, ex);
	snprintf(path, sizeof(path), "/v1/vendors/%s/certifications", ids->x);
	snprintf(body, sizeof(body), "{\"kind\":\"isms\",\"expires_on\":\"%s\",\"scope_verified\":true}", soon);
	post_id(path, body, ids->cert);
	snprintf(path, sizeof(path), "/v1/vendors/%s/monitoring-records", ids->x);
	snprintf(body, sizeof(body), "{\"monitored_on\":\"%s\",\"verdict\":\"no_issues\"}", monitored);
	post_id(path, body, link);
	snprintf(body, sizeof(body), "%s,\"ends_on\":\"%s\"", risky, ends);
	engagement(ids->y, body, ids->ey);
	engagement(ids->p, "\"category\":\"maintenance\",\"confidentiality\":1,\"subcontracting\":\"allowed\"",
		   ids->ep);
	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts", ids->ep);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"scope\":\"印刷\",\"reason\":\"設備\","
		 "\"confidentiality\":1,\"status\":\"approved\",\"flow_down\":{\"equal_obligations\":true,"
		 "\"equal_obligations_ref\":\"覚書\",\"direct_incident_notice\":true,"
		 "\"recurrence_prevention\":true,\"status_reports_visible\":true,\"return_or_erasure\":true}}",
		 ids->y);
	post_id(path, body, link);
	ck_assert_str_eq(tier(ids->x), "medium");
	ck_assert_str_eq(tier(ids->y), "high");
	ck_assert_str_eq(tier(ids->p), "high");
	free(soon);
	free(ends);
	free(monitored);
}

/* A day passes: everything with an end date ended yesterday (x's
 * certificate, y's engagement), without the triggers a write would fire. */
static void time_passes(void)
{
	PGconn *c = itk_connect(&t);
	PGresult *r = PQexec(c,
		"begin;"
		"alter table certifications disable trigger certifications_touch_vendor;"
		"update certifications set expires_on = tokyo_today() - 1 where expires_on is not null;"
		"alter table certifications enable trigger certifications_touch_vendor;"
		"alter table engagements disable trigger engagements_touch_vendor;"
		"update engagements set ends_on = tokyo_today() - 1 where ends_on is not null;"
		"alter table engagements enable trigger engagements_touch_vendor;"
		"commit");

	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

START_TEST(the_day_rederives_tiers_once_across_processes)
{
	static const char *const env[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", ITK_SECRET_KEY_ENV,
					   "ITAKU_SCHEDULER_INTERVAL_S=1", NULL };
	struct register_ids ids;
	struct itk t2;
	char body[160], sub[40], *v, *ids_high;
	int seen[3] = { 0 };

	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	itk_setup(&t, "rederive", env);
	t2 = t;
	snprintf(t2.db + strlen(t2.db), sizeof(t2.db) - strlen(t2.db), "_b");   /* its own log */
	ck_assert_int_eq(itk_start(&t2, env), 0);
	/* Today's run, over an empty register, is done before anything happens. */
	ck_assert(wait_sql("select count(*) from scheduler_runs where job = 'vendor_rederive' and finished_at is not null", "1", 5000));
	build_register(&ids);
	time_passes();
	snprintf(body, sizeof(body), "{\"url\":\"http://127.0.0.1:%d/hooks\",\"event_types\":[\"vendor.tier_changed\"]}",
		 rv.port);
	post_id("/v1/webhook-subscriptions", body, sub);

	/* Stale: nothing a request did changed, so nothing changed. */
	sleep(2);
	ck_assert_str_eq(tier(ids.x), "medium");
	ck_assert_str_eq(tier(ids.y), "high");
	ids_high = listed("risk_tier=high");
	ck_assert(strstr(ids_high, ids.y) && strstr(ids_high, ids.p) && !strstr(ids_high, ids.x));
	free(ids_high);
	ck_assert_int_eq(rv.count, 0);

	/* A new Tokyo day: the last run was yesterday's. */
	free(sql1("update scheduler_runs set day = day - 1", NULL));
	ck_assert(wait_sql("select count(*) from scheduler_runs where job = 'vendor_rederive' and day = tokyo_today()"
			   " and finished_at is not null", "1", 10000));
	ck_assert_str_eq(tier(ids.x), "high");        /* no current certification */
	ck_assert_str_eq(tier(ids.y), "low");         /* no current engagement */
	ck_assert_str_eq(tier(ids.p), "medium");      /* its chain no longer holds a high tier */
	v = listed("risk_tier=high");
	ck_assert_msg(strstr(v, ids.x) && !strstr(v, ids.y) && !strstr(v, ids.p), "%s", v);
	free(v);
	v = listed("risk_tier=low");
	ck_assert(strstr(v, ids.y) && !strstr(v, ids.x));
	free(v);
	v = listed("monitoring_overdue=true");      /* 12 months at high: 400 days ago is overdue */
	ck_assert(strstr(v, ids.x) && !strstr(v, ids.p));
	free(v);
	ck_assert_str_eq(weakest_tier(ids.ep), "low");

	/* Once each, though two processes scan every second. */
	ck_assert_int_eq(receiver_wait(&rv, 3, 10000), 3);
	sleep(3);
	ck_assert_int_eq(rv.count, 3);
	for (int k = 0; k < rv.n; k++) {
		json_t *j = json_loads(rv.got[k].body, 0, NULL), *data = json_object_get(j, "data");
		const char *id = json_string_value(json_object_get(json_object_get(data, "vendor"), "id"));
		const char *to = json_string_value(json_object_get(data, "to"));

		ck_assert_str_eq(json_string_value(json_object_get(j, "type")), "vendor.tier_changed");
		if (!strcmp(id, ids.x) && !strcmp(to, "high"))
			seen[0]++;
		else if (!strcmp(id, ids.y) && !strcmp(to, "low"))
			seen[1]++;
		else if (!strcmp(id, ids.p) && !strcmp(to, "medium"))
			seen[2]++;
		else
			ck_abort_msg("unexpected event %s", rv.got[k].body);
		json_decref(j);
	}
	ck_assert(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
	v = sql1("select string_agg(actor || ':' || (before -> 'risk' ->> 'tier') || '>' || (after -> 'risk' ->> 'tier'),"
		 " ' ' order by (before -> 'risk' ->> 'tier'), (after -> 'risk' ->> 'tier'))"
		 " from audit_events where action = 'vendor.rederived'", NULL);
	ck_assert_str_eq(v, "scheduler:high>low scheduler:high>medium scheduler:medium>high");
	free(v);
	v = sql1("select checked || '/' || changed from scheduler_runs where job = 'vendor_rederive' and day = tokyo_today()", NULL);
	ck_assert_str_eq(v, "2/2");                   /* x and y; p followed y through the chain trigger */
	free(v);

	ck_assert_int_eq(itk_stop(&t2), 0);
	itk_teardown(&t);
	receiver_stop(&rv);
}
END_TEST

struct stepper {
	const struct itk *t;
	pthread_t th;
	int steps;
};

/* Calls one-vendor steps until the day's run is finished. */
static void *step_until_done(void *arg)
{
	struct stepper *s = arg;
	PGconn *c = PQconnectdb(s->t->url);

	for (int i = 0; i < 2000; i++) {
		PGresult *r = PQexec(c, "select more::text, (select finished_at is not null from scheduler_runs"
				     " where job = 'vendor_rederive' and day = tokyo_today())::text from vendors_rederive_step(1)");
		int done = PQresultStatus(r) == PGRES_TUPLES_OK && !strcmp(PQgetvalue(r, 0, 1), "true");

		s->steps += PQresultStatus(r) == PGRES_TUPLES_OK && !strcmp(PQgetvalue(r, 0, 0), "true");
		PQclear(r);
		if (done)
			break;
	}
	PQfinish(c);
	return NULL;
}

START_TEST(concurrent_steps_share_one_run)
{
	/* No scheduler in the server: the test drives the steps, one vendor
	 * each, from two connections at once. */
	static const char *const env[] = { "ITAKU_WEBHOOK_WORKERS=0", NULL };
	struct register_ids ids;
	struct stepper a = { .t = &t }, b = { .t = &t };
	char *v;

	itk_setup(&t, "rederive_steps", env);
	build_register(&ids);
	/* Twenty more whose engagements end: their reasons change, their tier not. */
	for (int i = 0; i < 20; i++) {
		char name[64], id[40], eng[40];

		snprintf(name, sizeof(name), "{\"name\":\"取引先%02d\"}", i);
		post_id("/v1/vendors", name, id);
		engagement(id, "\"category\":\"maintenance\",\"confidentiality\":1,\"ends_on\":\"2099-12-31\"", eng);
	}
	time_passes();
	pthread_create(&a.th, NULL, step_until_done, &a);
	pthread_create(&b.th, NULL, step_until_done, &b);
	pthread_join(a.th, NULL);
	pthread_join(b.th, NULL);
	ck_assert_int_ge(a.steps + b.steps, 21);       /* one vendor a step, shared out */
	v = sql1("select checked || '/' || changed || '/' || (finished_at is not null)::text"
		 " from scheduler_runs where job = 'vendor_rederive' and day = tokyo_today()", NULL);
	ck_assert_str_eq(v, "22/22/true");
	free(v);
	/* Each once, and p through its chain. */
	v = sql1("select count(*) || '/' || count(distinct resource_id) from audit_events"
		 " where action = 'vendor.rederived' and actor = 'scheduler'", NULL);
	ck_assert_str_eq(v, "23/23");
	free(v);
	ck_assert_str_eq(tier(ids.x), "high");
	ck_assert_str_eq(tier(ids.y), "low");
	ck_assert_str_eq(tier(ids.p), "medium");
	/* The day is done: another step finds nothing to do. */
	v = sql1("select more::text || '/' || rederived from vendors_rederive_step(500)", NULL);
	ck_assert_str_eq(v, "false/0");
	free(v);
	itk_teardown(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rederive");
	TCase *tc = tcase_create("rederive");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, the_day_rederives_tiers_once_across_processes);
	tcase_add_test(tc, concurrent_steps_share_one_run);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

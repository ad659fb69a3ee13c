/* HTTP: reminders (issue 18). The tenant's schedule in the settings
 * (offsets validated: integers -90..90, distinct, at most 10; negative
 * before the due date, 0 on it), the reminders due now and the ones
 * fired, and the scheduler firing each once at a real receiver though
 * two processes scan every second; a due date moved later re-arms; one
 * tenant never sees another's.
 *
 * Time is set by due dates relative to today (Asia/Tokyo) and, for an
 * assessment sent long ago, its sent_at, with SQL. The suite's own server
 * scans once at start-up (the interval is an hour) before anything is
 * due, so the list can be read before two more servers fire it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "receiver.h"

static struct itk t;
static struct receiver rv;

#define SHEET \
	"{\"sections\":[{\"code\":\"S1\",\"title_ja\":\"基本\",\"questions\":[" \
	"{\"code\":\"Q1\",\"text_ja\":\"教育をしていますか\",\"answer_type\":\"scale\"}]}]}"

static struct http *call(const char *key, const char *method, const char *body, const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return http_do(&t, method, path, key ? key : t.admin_key, body, NULL);
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

static void post_id(const char *key, const char *path, const char *body, char out[40])
{
	struct http *h = call(key, "POST", body, "%s", path);

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

/* A published template of SHEET for the key's tenant. */
static void template(const char *key, const char *name, char tpl[40])
{
	char body[128];
	struct http *h;

	snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
	post_id(key, "/v1/questionnaire-templates", body, tpl);
	h = call(key, "POST", "{\"content\":" SHEET "}", "/v1/questionnaire-templates/%s/versions", tpl);
	ck_status(h, 201);
	http_free(h);
	h = call(key, "POST", NULL, "/v1/questionnaire-templates/%s/versions/1/publish", tpl);
	ck_status(h, 200);
	http_free(h);
}

/* An assessment of tpl for vendor, sent today, due in `days` days. */
static void sent(const char *key, const char *vendor, const char *tpl, int days, const char *title, char id[40])
{
	char body[512], *due = tokyo_date(days);
	struct http *h;

	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"template_id\":\"%s\",\"due_on\":\"%s\",\"title\":\"%s\","
		 "\"respondent\":{\"name\":\"山田 花子\",\"email\":\"yamada@example.jp\",\"department\":\"情報システム部\"}}",
		 vendor, tpl, due, title);
	post_id(key, "/v1/assessments", body, id);
	h = call(key, "POST", NULL, "/v1/assessments/%s/send", id);
	ck_status(h, 200);
	http_free(h);
	free(due);
}

/* The compact JSON of v, in a buffer that lives until the next call. */
static const char *compact(json_t *v)
{
	static char buf[256];
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	snprintf(buf, sizeof(buf), "%s", s ? s : "");
	free(s);
	return buf;
}

static int items(const struct http *h)
{
	return (int)json_array_size(json_object_get(h->json, "items"));
}

static json_t *item(const struct http *h, size_t i)
{
	return json_array_get(json_object_get(h->json, "items"), i);
}

/* "kind:subject:offset:due_on" of each listed reminder, sorted, in one string. */
static char *listed(const char *key, const char *query)
{
	struct http *h = call(key, "GET", NULL, "/v1/reminders?%s", query);
	char *out = calloc(1, 4096);

	ck_status(h, 200);
	for (int i = 0; i < items(h); i++) {
		json_t *x = item(h, i), *w = json_object_get(x, "reminder");
		const char *kind = json_string_value(json_object_get(x, "kind"));
		json_t *subject = json_object_get(x, kind);

		snprintf(out + strlen(out), 4096 - strlen(out), "%s%s:%s:%lld:%s", i ? " " : "", kind,
			 json_string_value(json_object_get(subject, "id")),
			 (long long)json_integer_value(json_object_get(w, "offset_days")),
			 json_string_value(json_object_get(w, "due_on")));
	}
	http_free(h);
	return out;
}

static char *entry(const char *kind, const char *id, int offset, int due_days)
{
	char *due = tokyo_date(due_days), *out = malloc(160);

	snprintf(out, 160, "%s:%s:%d:%s", kind, id, offset, due);
	free(due);
	return out;
}

static int has(const char *list, const char *kind, const char *id, int offset, int due_days)
{
	char *e = entry(kind, id, offset, due_days);
	int yes = strstr(list, e) != NULL;

	free(e);
	return yes;
}

/* Events at the receiver of type for subject with offset. */
static int events(const char *type, const char *subject_kind, const char *id, int offset)
{
	int n = 0;

	for (int k = 0; k < rv.n; k++) {
		json_t *j = json_loads(rv.got[k].body, 0, NULL), *data = json_object_get(j, "data");
		json_t *subject = json_object_get(data, subject_kind);

		n += !strcmp(json_string_value(json_object_get(j, "type")), type) &&
		     !strcmp(json_string_value(json_object_get(subject, "id")), id) &&
		     json_integer_value(json_object_get(json_object_get(data, "reminder"), "offset_days")) == offset;
		json_decref(j);
	}
	return n;
}

START_TEST(the_schedule_is_validated)
{
	struct http *h;
	json_t *e;

	itk_setup(&t, "reminders_settings", NULL);
	h = call(NULL, "GET", NULL, "/v1/settings");
	ck_status(h, 200);
	e = json_object_get(h->json, "reminders");
	ck_assert_str_eq(compact(json_object_get(e, "assessment_days")), "[-7,-1,1,7]");
	http_free(h);

	/* Negative offsets are before the due date, 0 is the day itself:
	 * both valid. Out of range, not an integer, repeated: 422 each. */
	h = call(NULL, "PATCH", "{\"reminders\":{\"assessment_days\":[-7,0,3.5,91,-91,0,\"x\",-90,90]}}", "/v1/settings");
	ck_problem(h, 422, "validation-failed");
	ck_assert_msg(strstr(h->body, "\"/reminders/assessment_days/2\"") &&
		      strstr(h->body, "\"/reminders/assessment_days/3\"") &&
		      strstr(h->body, "\"/reminders/assessment_days/4\"") &&
		      strstr(h->body, "\"/reminders/assessment_days/5\"") &&
		      strstr(h->body, "\"/reminders/assessment_days/6\"") &&
		      !strstr(h->body, "\"/reminders/assessment_days/0\"") &&
		      !strstr(h->body, "\"/reminders/assessment_days/1\"") &&
		      !strstr(h->body, "\"/reminders/assessment_days/7\"") &&
		      !strstr(h->body, "\"/reminders/assessment_days/8\""), "%s", h->body);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "errors")), 5);
	http_free(h);
	h = call(NULL, "PATCH", "{\"reminders\":{\"finding_days\":[1,2,3,4,5,6,7,8,9,10,11],\"weekly\":true}}",
		 "/v1/settings");
	ck_problem(h, 422, "validation-failed");
	ck_assert_msg(strstr(h->body, "\"/reminders/finding_days\"") && strstr(h->body, "\"/reminders/weekly\""),
		      "%s", h->body);
	http_free(h);
	h = call(NULL, "PATCH", "{\"reminders\":[-7]}", "/v1/settings");
	ck_problem(h, 422, "validation-failed");
	ck_assert_msg(strstr(h->body, "\"/reminders\""), "%s", h->body);
	http_free(h);
	h = call(NULL, "PATCH", "{\"reminders\":{\"finding_days\":\"-7\"}}", "/v1/settings");
	ck_problem(h, 422, "validation-failed");
	http_free(h);

	/* Stored ascending; the other list keeps its value; [] turns one off. */
	h = call(NULL, "PATCH", "{\"reminders\":{\"finding_days\":[7,-90,0,90]}}", "/v1/settings");
	ck_status(h, 200);
	e = json_object_get(h->json, "reminders");
	ck_assert_str_eq(compact(json_object_get(e, "finding_days")), "[-90,0,7,90]");
	ck_assert_str_eq(compact(json_object_get(e, "assessment_days")), "[-7,-1,1,7]");
	http_free(h);
	h = call(NULL, "PATCH", "{\"reminders\":{\"assessment_days\":[]}}", "/v1/settings");
	ck_status(h, 200);
	e = json_object_get(h->json, "reminders");
	ck_assert_str_eq(compact(json_object_get(e, "assessment_days")), "[]");
	ck_assert_str_eq(compact(json_object_get(e, "finding_days")), "[-90,0,7,90]");
	http_free(h);
	h = call(NULL, "GET", NULL, "/v1/reminders?due=maybe&kind=incident");
	ck_problem(h, 400, NULL);
	http_free(h);
	itk_teardown(&t);
}
END_TEST

START_TEST(each_reminder_fires_once_across_processes)
{
	/* The suite's server scans at start-up only; t2 and t3 every second. */
	static const char *const env[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", ITK_SECRET_KEY_ENV,
					   "ITAKU_SCHEDULER_INTERVAL_S=3600", NULL };
	static const char *const env_fast[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", ITK_SECRET_KEY_ENV,
						"ITAKU_SCHEDULER_INTERVAL_S=1", NULL };
	char vendor[40], vendor2[40], tpl[40], tpl2[40], a1[40], a2[40], a3[40], a4[40], b1[40], f1[40], sub[40];
	char body[512], *key2, *v, *due, *e;
	char *seen[8] = { 0 };
	struct itk t2, t3;
	struct http *h;
	const char *cursor;
	int pages = 0, n = 0;

	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	itk_setup(&t, "reminders", env);
	key2 = itk_bootstrap(&t, "t2");
	snprintf(body, sizeof(body), "{\"url\":\"http://127.0.0.1:%d/hooks\",\"event_types\":"
		 "[\"assessment.reminder_due\",\"assessment.overdue\",\"finding.reminder_due\"]}", rv.port);
	post_id(NULL, "/v1/webhook-subscriptions", body, sub);
	post_id(key2, "/v1/webhook-subscriptions", body, sub);

	/* t1: 0 (the due date itself) among the assessments' offsets. */
	h = call(NULL, "PATCH", "{\"reminders\":{\"assessment_days\":[-7,-1,0,1,7],\"finding_days\":[-1,0,7]}}",
		 "/v1/settings");
	ck_status(h, 200);
	http_free(h);
	post_id(NULL, "/v1/vendors", "{\"name\":\"株式会社リマインド\"}", vendor);
	template(NULL, "年次チェック", tpl);
	sent(NULL, vendor, tpl, 7, "年次 A1", a1);          /* -7: today */
	sent(NULL, vendor, tpl, 30, "年次 A2", a2);
	sent(NULL, vendor, tpl, 30, "年次 A3", a3);
	sent(NULL, vendor, tpl, 30, "年次 A4", a4);
	/* A2 was sent 20 days ago and was due yesterday: -7, -1, 0 and 1 have
	 * passed; only the latest, +1 (overdue), is due. */
	sql_do("update assessments set due_on = tokyo_today() - 1, sent_at = now() - interval '20 days'"
	       " where id = $1::uuid", a2);
	/* A4, sent 3 days ago, is due today: offset 0. */
	sql_do("update assessments set due_on = tokyo_today(), sent_at = now() - interval '3 days'"
	       " where id = $1::uuid", a4);
	/* A3 is submitted: no assessment reminder; its finding is due tomorrow: -1. */
	sql_do("update assessments set status = 'submitted', submitted_at = now() where id = $1::uuid", a3);
	due = tokyo_date(1);
	snprintf(body, sizeof(body), "{\"title\":\"教育の実施\",\"severity\":\"medium\",\"due_on\":\"%s\",\"owner\":\"委託先 佐藤\"}",
		 due);
	free(due);
	snprintf(body + 400, 112, "/v1/assessments/%s/findings", a3);
	post_id(NULL, body + 400, body, f1);
	/* t2: the default schedule; due tomorrow, -1. */
	post_id(key2, "/v1/vendors", "{\"name\":\"他社の委託先\"}", vendor2);
	template(key2, "他社チェック", tpl2);
	sent(key2, vendor2, tpl2, 1, "他社 B1", b1);

	/* What is due, before anything fired. */
	v = listed(NULL, "due=true");
	ck_assert_msg(has(v, "assessment", a1, -7, 7) && has(v, "assessment", a2, 1, -1) &&
		      has(v, "assessment", a4, 0, 0) && has(v, "finding", f1, -1, 1) &&
		      !strstr(v, a3) && !strstr(v, b1), "%s", v);
	free(v);
	v = listed(NULL, "due=true&kind=finding");
	e = entry("finding", f1, -1, 1);
	ck_assert_str_eq(v, e);
	free(e);
	free(v);
	v = listed(NULL, "due=true&kind=assessment&vendor_id=00000000-0000-4000-8000-000000000000");
	ck_assert_str_eq(v, "");
	free(v);
	/* Another tenant's: only its own, and t1's vendor filter finds nothing there. */
	v = listed(key2, "due=true");
	e = entry("assessment", b1, -1, 1);
	ck_assert_str_eq(v, e);
	free(e);
	free(v);
	snprintf(body, sizeof(body), "due=true&vendor_id=%s", vendor);
	v = listed(key2, body);
	ck_assert_str_eq(v, "");
	free(v);
	/* Nothing has fired yet. */
	v = listed(NULL, "");
	ck_assert_str_eq(v, "");
	free(v);

	/* One item shows the whole contact. */
	h = call(NULL, "GET", NULL, "/v1/reminders?due=true&kind=finding");
	ck_status(h, 200);
	{
		json_t *x = item(h, 0), *c = json_object_get(x, "contact");

		ck_assert_str_eq(json_string_value(json_object_get(c, "owner")), "委託先 佐藤");
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(c, "respondent"), "language")), "ja");
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(x, "assessment"), "id")), a3);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(x, "vendor"), "id")), vendor);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(x, "reminder"), "event_type")),
				 "finding.reminder_due");
		ck_assert(json_is_null(json_object_get(x, "fired_at")));
	}
	http_free(h);

	/* Keyset pages of one: four distinct items, then no cursor. */
	h = call(NULL, "GET", NULL, "/v1/reminders?due=true&limit=1");
	for (;;) {
		json_t *x;

		ck_status(h, 200);
		ck_assert_int_eq(items(h), 1);
		x = item(h, 0);
		seen[n++] = strdup(json_string_value(json_object_get(json_object_get(x, json_string_value(
			json_object_get(x, "kind"))), "id")));
		pages++;
		cursor = json_string_value(json_object_get(h->json, "next_cursor"));
		if (!cursor || pages > 6)
			break;
		snprintf(body, sizeof(body), "/v1/reminders?due=true&limit=1&cursor=%s", cursor);
		http_free(h);
		h = call(NULL, "GET", NULL, "%s", body);
	}
	http_free(h);
	ck_assert_int_eq(pages, 4);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(seen[i], seen[j]);
	for (int i = 0; i < n; i++)
		free(seen[i]);

	/* Two processes scan every second: each reminder reaches the
	 * receiver once. */
	t2 = t;
	snprintf(t2.db + strlen(t2.db), sizeof(t2.db) - strlen(t2.db), "_b");
	t3 = t;
	snprintf(t3.db + strlen(t3.db), sizeof(t3.db) - strlen(t3.db), "_c");
	ck_assert_int_eq(itk_start(&t2, env_fast), 0);
	ck_assert_int_eq(itk_start(&t3, env_fast), 0);
	ck_assert_int_eq(receiver_wait(&rv, 5, 15000), 5);
	sleep(3);
	ck_assert_int_eq(rv.count, 5);
	ck_assert_int_eq(events("assessment.reminder_due", "assessment", a1, -7), 1);
	ck_assert_int_eq(events("assessment.overdue", "assessment", a2, 1), 1);
	ck_assert_int_eq(events("assessment.reminder_due", "assessment", a4, 0), 1);
	ck_assert_int_eq(events("finding.reminder_due", "finding", f1, -1), 1);
	ck_assert_int_eq(events("assessment.reminder_due", "assessment", b1, -1), 1);
	/* What a mailer needs, never a token. */
	for (int k = 0; k < rv.n; k++) {
		json_t *j = json_loads(rv.got[k].body, 0, NULL), *data = json_object_get(j, "data");
		json_t *resp = json_object_get(data, "respondent");

		ck_assert_msg(!strstr(rv.got[k].body, "ita_"), "%s", rv.got[k].body);
		ck_assert_str_eq(json_string_value(json_object_get(resp, "email")), "yamada@example.jp");
		ck_assert_str_eq(json_string_value(json_object_get(resp, "language")), "ja");
		ck_assert_ptr_nonnull(json_string_value(json_object_get(json_object_get(data, "vendor"), "name")));
		ck_assert_ptr_nonnull(json_string_value(json_object_get(json_object_get(json_object_get(data,
			"assessment"), "template"), "name")));
		ck_assert_ptr_nonnull(json_string_value(json_object_get(json_object_get(data, "reminder"), "due_on")));
		json_decref(j);
	}

	/* Nothing due any more; the history, newest first, with the events. */
	v = listed(NULL, "due=true");
	ck_assert_str_eq(v, "");
	free(v);
	v = listed(NULL, "");
	ck_assert_msg(has(v, "assessment", a1, -7, 7) && has(v, "assessment", a2, 1, -1) &&
		      has(v, "assessment", a4, 0, 0) && has(v, "finding", f1, -1, 1) && !strstr(v, b1), "%s", v);
	free(v);
	h = call(NULL, "GET", NULL, "/v1/reminders?kind=assessment");
	ck_status(h, 200);
	ck_assert_int_eq(items(h), 3);
	for (int i = 0; i < items(h); i++) {
		ck_assert_ptr_nonnull(json_string_value(json_object_get(item(h, i), "event_id")));
		ck_assert_ptr_nonnull(json_string_value(json_object_get(item(h, i), "fired_at")));
		if (i)
			ck_assert(strcmp(json_string_value(json_object_get(item(h, i - 1), "fired_at")),
					 json_string_value(json_object_get(item(h, i), "fired_at"))) >= 0);
	}
	http_free(h);
	v = sql1("select count(*)::text from reminders", NULL);
	ck_assert_str_eq(v, "5");
	free(v);

	/* A2's due date moved to tomorrow (an extension): -1 is due again,
	 * against the new date, once; the finding moved a week later has
	 * nothing due until its new days come. */
	sql_do("update assessments set due_on = tokyo_today() + 1 where id = $1::uuid", a2);
	due = tokyo_date(9);
	snprintf(body, sizeof(body), "{\"title\":\"教育の実施\",\"severity\":\"medium\",\"due_on\":\"%s\"}", due);
	free(due);
	h = call(NULL, "PATCH", body, "/v1/findings/%s", f1);
	ck_status(h, 200);
	http_free(h);
	ck_assert_int_eq(receiver_wait(&rv, 6, 10000), 6);
	sleep(3);
	ck_assert_int_eq(rv.count, 6);
	ck_assert_int_eq(events("assessment.reminder_due", "assessment", a2, -1), 1);
	v = listed(NULL, "kind=assessment");
	ck_assert_msg(has(v, "assessment", a2, -1, 1) && has(v, "assessment", a2, 1, -1), "%s", v);
	free(v);
	v = listed(NULL, "due=true");
	ck_assert_str_eq(v, "");
	free(v);
	v = sql1("select count(*)::text from reminders where tenant_id = (select id from tenants where name = 't2')", NULL);
	ck_assert_str_eq(v, "1");
	free(v);
	/* A fired reminder never changes. */
	{
		PGconn *c = itk_connect(&t);
		PGresult *r = PQexec(c, "update reminders set offset_days = offset_days");

		ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
		ck_assert_ptr_nonnull(strstr(PQerrorMessage(c), "a fired reminder never changes"));
		PQclear(r);
		r = PQexec(c, "delete from reminders");
		ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
		PQclear(r);
		PQfinish(c);
	}

	ck_assert_int_eq(itk_stop(&t3), 0);
	ck_assert_int_eq(itk_stop(&t2), 0);
	free(key2);
	itk_teardown(&t);
	receiver_stop(&rv);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reminders");
	TCase *tc = tcase_create("reminders");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, the_schedule_is_validated);
	tcase_add_test(tc, each_reminder_fires_once_across_processes);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

/* HTTP: incidents (事故報告): filing and validation, the APPI judgement and
 * its deadlines in Tokyo dates (Friday evening, month ends, leap years, the
 * 60-day case, the tenant's 3-5 day setting), status moves and reopening,
 * the append-only timeline, PPC lists, and chain visibility from above. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness.h"

static struct itk t;
static char v1[40], v2[40], v3[40], eng[40], link1[40];

#define FLOW_OK \
	"{\"equal_obligations\":true,\"equal_obligations_ref\":\"覚書\",\"direct_incident_notice\":true," \
	"\"recurrence_prevention\":true,\"status_reports_visible\":true,\"return_or_erasure\":true}"

static void post_id(const char *path, const char *body, char out[40])
{
	struct http *h = http_do(&t, "POST", path, t.admin_key, body, NULL);

	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

/* v1 holds engagement eng; v2 is its approved subcontractor, v3 is v2's. */
static void setup(void)
{
	char path[128], body[1024];

	itk_setup(&t, "incidents", NULL);
	post_id("/v1/vendors", "{\"name\":\"みなと情報処理\"}", v1);
	post_id("/v1/vendors", "{\"name\":\"東西印刷\"}", v2);
	post_id("/v1/vendors", "{\"name\":\"関西ロジテック\"}", v3);
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", v1);
	post_id(path, "{\"title\":\"給与計算\",\"contract_type\":\"inin\",\"category\":\"data_processing\","
		      "\"handles_personal_data\":true,\"confidentiality\":3,\"subcontracting\":\"allowed\","
		      "\"subcontract_max_depth\":3}", eng);
	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts", eng);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"scope\":\"印刷\",\"reason\":\"設備\","
		 "\"confidentiality\":2,\"status\":\"approved\",\"flow_down\":" FLOW_OK "}", v2);
	post_id(path, body, link1);
	snprintf(body, sizeof(body), "{\"parent_id\":\"%s\",\"vendor_id\":\"%s\",\"scope\":\"配送\","
		 "\"reason\":\"物流\",\"confidentiality\":1,\"status\":\"approved\",\"flow_down\":" FLOW_OK "}",
		 link1, v3);
	post_id(path, body, (char[40]){ 0 });
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* Member at a slash-separated path of the JSON body, or NULL. */
static json_t *jat(const struct http *h, const char *path)
{
	json_t *v = h->json;
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, "/", &save); k && v; k = strtok_r(NULL, "/", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(k)) : json_object_get(v, k);
	return v;
}

static const char *sat(const struct http *h, const char *path)
{
	json_t *v = jat(h, path);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* Files an incident; extra is more JSON members (or ""), which replace the
 * defaults they name. */
static struct http *file(const char *vendor, const char *extra)
{
	static const char *const defaults[][2] = { { "title", "\"顧客名簿の誤送信\"" },
		{ "category", "\"leak\"" }, { "severity", "\"medium\"" },
		{ "detected_at", "\"2026-11-02T10:00:00+09:00\"" } };
	char body[2048], key[32];
	int n;

	n = snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"engagement_id\":\"%s\"", vendor, eng);
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		snprintf(key, sizeof(key), "\"%s\"", defaults[i][0]);
		if (!strstr(extra, key))
			n += snprintf(body + n, sizeof(body) - (size_t)n, ",%s:%s", key, defaults[i][1]);
	}
	snprintf(body + n, sizeof(body) - (size_t)n, "%s%s}", *extra ? "," : "", extra);
	return http_do(&t, "POST", "/v1/incidents", t.admin_key, body, NULL);
}

static int count(const char *sql)
{
	char *v = itk_sql_value(&t, sql, 0, NULL);
	int n = atoi(v);

	free(v);
	return n;
}

START_TEST(file_read_and_bad_input)
{
	char path[96];
	struct http *h = file(v1, "\"description\":\"宛先を誤って送付\",\"occurred_at\":\"2026-11-01T18:00:00+09:00\"");

	ck_status(h, 201);
	ck_assert_str_eq(jstr(h, "status"), "reported");
	ck_assert_str_eq(sat(h, "vendor/name"), "みなと情報処理");
	ck_assert_int_eq(json_integer_value(jat(h, "depth")), 0);
	ck_assert_str_eq(sat(h, "appi/personal_data"), "unknown");
	ck_assert(json_is_false(jat(h, "ppc/reportable")));
	ck_assert(json_is_null(jat(h, "ppc/preliminary")));
	ck_assert_ptr_nonnull(http_header(h, "ETag"));
	snprintf(path, sizeof(path), "/v1/incidents/%s", jstr(h, "id"));
	ck_assert_str_eq(http_header(h, "Location"), path);
	http_free(h);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "title"), "顧客名簿の誤送信");
	http_free(h);
	ck_assert_int_eq(count("select count(*) from audit_events where action = 'incident.created'"), 1);

	/* every bad field at once, nothing written */
	h = http_do(&t, "POST", "/v1/incidents", t.admin_key,
		    "{\"vendor_id\":\"nope\",\"title\":\"\",\"category\":\"fire\",\"severity\":\"huge\","
		    "\"detected_at\":\"yesterday\",\"colour\":1,\"measures\":[{\"owner\":\"x\"}],\"detected_by\":\"them\","
		    "\"notice_items\":{\"mood\":\"x\",\"cause\":\"\"},"
		    "\"appi\":{\"personal_data\":\"yes\",\"sensitive_data\":\"likely\",\"exemption\":\"advanced_encryption\","
		    "\"being_acquired\":\"maybe\"},"
		    "\"filings\":{\"final\":{\"filed_at\":\"2026-11-03T00:00:00Z\"}},"
		    "\"report_items\":{\"mood\":\"x\"},\"individuals\":{\"notified_at\":\"2026-11-03T00:00:00Z\"}}",
		    NULL);
	ck_problem(h, 422, "validation-failed");
	{
		static const char *const ptrs[] = { "/vendor_id", "/title", "/category", "/severity",
			"/detected_at", "/colour", "/measures/0/what", "/appi/basis", "/appi/exemption_reason",
			"/filings/final/filed_at", "/report_items/mood", "/individuals/method", "/detected_by",
			"/notice_items/mood", "/notice_items/cause", "/appi/being_acquired", NULL };

		for (int i = 0; ptrs[i]; i++)
			ck_assert_msg(strstr(h->body, ptrs[i]), "no error at %s: %s", ptrs[i], h->body);
	}
	http_free(h);
	/* a vendor outside the engagement's chain, a future time, a missing vendor */
	h = http_do(&t, "POST", "/v1/vendors", t.admin_key, "{\"name\":\"無関係商事\"}", NULL);
	{
		char other[40];

		snprintf(other, sizeof(other), "%s", jstr(h, "id"));
		http_free(h);
		h = file(other, "");
		ck_problem(h, 422, "rule-violated");
		http_free(h);
	}
	h = file(v1, "\"detected_at\":\"2099-01-01T00:00:00Z\"");
	ck_problem(h, 422, "rule-violated");
	http_free(h);
	h = file("00000000-0000-4000-8000-000000000000", "");
	ck_problem(h, 422, "reference-not-found");
	ck_assert(strstr(h->body, "/vendor_id"));
	http_free(h);
	/* the vendor's detection needs its notice, which cannot come before it */
	h = file(v1, "\"detected_by\":\"vendor\"");
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/reported_to_us_at"));
	http_free(h);
	h = file(v1, "\"detected_by\":\"vendor\",\"reported_to_us_at\":\"2026-11-01T10:00:00+09:00\"");
	ck_problem(h, 422, "rule-violated");
	ck_assert(strstr(jstr(h, "detail"), "precede"));
	http_free(h);
	/* the holiday calendar covers 2000-2099: no deadline is guessed outside it */
	h = file(v1, "\"detected_at\":\"1999-06-01T10:00:00+09:00\",\"appi\":{\"personal_data\":\"yes\","
		     "\"sensitive_data\":\"yes\"}");
	ck_problem(h, 422, "rule-violated");
	ck_assert(strstr(jstr(h, "detail"), "2000 to 2099"));
	http_free(h);
	ck_assert_int_eq(count("select count(*) from incidents"), 1);
}
END_TEST

/* Files an incident and checks its PPC deadlines; returns the response. */
static struct http *deadlines(const char *extra, const char *prelim, const char *final, int final_days)
{
	struct http *h = file(v1, extra);

	ck_status(h, 201);
	ck_assert_msg(json_is_true(jat(h, "ppc/reportable")), "%s: not reportable", extra);
	ck_assert_msg(!strcmp(sat(h, "ppc/preliminary/due_on"), prelim), "%s: preliminary %s, want %s",
		      extra, sat(h, "ppc/preliminary/due_on"), prelim);
	ck_assert_msg(!strcmp(sat(h, "ppc/final/due_on"), final), "%s: final %s, want %s", extra,
		      sat(h, "ppc/final/due_on"), final);
	ck_assert_int_eq(json_integer_value(jat(h, "ppc/final/days")), final_days);
	return h;
}

static void ck_deadlines(const char *extra, const char *prelim, const char *final, int final_days)
{
	http_free(deadlines(extra, prelim, final, final_days));
}

#define PD_YES "\"appi\":{\"personal_data\":\"yes\",\"financial_damage\":\"yes\"}"
#define WRONGFUL "\"appi\":{\"personal_data\":\"yes\",\"wrongful_purpose\":\"yes\"}"

/* 通則編 3-5-3-3/3-5-3-4: the Tokyo day of awareness is day 1; day 30 (60)
 * on a Saturday, Sunday, holiday or 12/29-1/3 moves the final report to
 * the next open day; the preliminary report (3 days here) never moves. */
START_TEST(appi_deadlines_as_the_guideline_counts)
{
	struct http *h;
	char path[96], *want;

	/* day 30 is Wednesday 04-30; a final report on 05-01 is late, on 04-30 in time */
	h = deadlines("\"detected_at\":\"2025-04-01T10:00:00+09:00\"," PD_YES, "2025-04-03", "2025-04-30", 30);
	ck_assert_str_eq(sat(h, "ppc/aware_on"), "2025-04-01");
	ck_assert_str_eq(sat(h, "ppc/final/counted_due_on"), "2025-04-30");
	snprintf(path, sizeof(path), "/v1/incidents/%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"filings\":{\"preliminary\":{\"filed_at\":"
		    "\"2025-04-03T17:00:00+09:00\"},\"final\":{\"filed_at\":\"2025-05-01T10:00:00+09:00\"}}}", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(sat(h, "ppc/preliminary/state"), "filed");
	ck_assert_str_eq(sat(h, "ppc/final/state"), "filed_late");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"filings\":{\"final\":{\"filed_at\":"
		    "\"2025-04-30T23:59:00+09:00\"}}}", NULL);
	ck_assert_str_eq(sat(h, "ppc/final/state"), "filed");
	http_free(h);

	/* Friday 22:30 JST: day 30 is Saturday 12-12 -> Monday 12-14; day 3 is Sunday 11-15 */
	h = deadlines("\"detected_at\":\"2026-11-13T22:30:00+09:00\"," PD_YES, "2026-11-15", "2026-12-14", 30);
	ck_assert_str_eq(sat(h, "ppc/final/counted_due_on"), "2026-12-12");
	ck_assert(strncmp(sat(h, "ppc/final/deadline_at"), "2026-12-14T15:00:00", 19) == 0);
	http_free(h);
	/* 15:30 UTC on the 13th is 00:30 on the 14th in Tokyo: counted from the 14th */
	h = deadlines("\"detected_at\":\"2026-11-13T15:30:00Z\"," PD_YES, "2026-11-16", "2026-12-14", 30);
	ck_assert_str_eq(sat(h, "ppc/aware_on"), "2026-11-14");
	ck_assert_str_eq(sat(h, "ppc/final/counted_due_on"), "2026-12-13");
	http_free(h);
	/* day 30 is Saturday 11-01; Sunday; 11-03 文化の日 -> 11-04 */
	ck_deadlines("\"detected_at\":\"2025-10-03T09:00:00+09:00\"," PD_YES, "2025-10-05", "2025-11-04", 30);
	/* day 30 is 12-30, in the year-end closure; 01-03 Saturday, 01-04 Sunday -> 01-05 */
	ck_deadlines("\"detected_at\":\"2025-12-01T09:00:00+09:00\"," PD_YES, "2025-12-03", "2026-01-05", 30);
	/* day 30 Sunday 03-01 of a common year -> 03-02 */
	ck_deadlines("\"detected_at\":\"2026-01-31T10:00:00+09:00\"," PD_YES, "2026-02-02", "2026-03-02", 30);
	/* wrongful purpose: day 60 is Saturday 05-03; 05-04 Sunday, 05-05 こどもの日, 05-06 振替休日 -> 05-07 */
	ck_deadlines("\"detected_at\":\"2025-03-05T09:00:00+09:00\"," WRONGFUL, "2025-03-07", "2025-05-07", 60);
	/* wrongful purpose in a leap year: day 60 is Thursday 02-29 */
	ck_deadlines("\"detected_at\":\"2024-01-01T09:00:00+09:00\"," WRONGFUL, "2024-01-03", "2024-02-29", 60);

	/* 規則7条3号 also covers personal information being acquired, and only 3号 does */
	h = deadlines("\"detected_at\":\"2026-11-13T22:30:00+09:00\",\"appi\":{\"personal_data\":\"no\","
		      "\"being_acquired\":\"yes\",\"wrongful_purpose\":\"yes\",\"sensitive_data\":\"yes\"}",
		      "2026-11-15", "2027-01-12", 60);
	ck_assert_int_eq(json_array_size(jat(h, "ppc/reasons")), 1);
	ck_assert_str_eq(sat(h, "ppc/reasons/0"), "wrongful_purpose");
	ck_assert_str_eq(sat(h, "appi/being_acquired"), "yes");
	http_free(h);
	h = file(v1, "\"appi\":{\"personal_data\":\"no\",\"being_acquired\":\"yes\",\"sensitive_data\":\"yes\"}");
	ck_status(h, 201);
	ck_assert(json_is_false(jat(h, "ppc/reportable")));
	http_free(h);

	/* awareness is the earliest of our own detection and the vendor's notice */
	h = deadlines("\"detected_at\":\"2026-11-02T10:00:00+09:00\",\"reported_to_us_at\":\"2026-11-05T10:00:00+09:00\","
		      PD_YES, "2026-11-04", "2026-12-01", 30);
	ck_assert_str_eq(sat(h, "detected_by"), "us");
	ck_assert(strncmp(sat(h, "ppc/aware_at"), "2026-11-02T01:00:00", 19) == 0);
	ck_assert_str_eq(sat(h, "ppc/aware_from"), "our_detection");
	ck_assert(json_is_null(jat(h, "vendor_notice/late")));
	http_free(h);
	h = deadlines("\"detected_at\":\"2026-11-10T10:00:00+09:00\",\"reported_to_us_at\":\"2026-11-05T10:00:00+09:00\","
		      "\"appi\":{\"personal_data\":\"unknown\",\"over_1000_people\":\"likely\",\"basis\":\"名簿の件数\"}",
		      "2026-11-07", "2026-12-04", 30);
	ck_assert_str_eq(sat(h, "ppc/aware_from"), "vendor_notice");
	http_free(h);
	/* the vendor's own detection is not ours: the clock starts at its notice, 17 days later */
	h = deadlines("\"detected_by\":\"vendor\",\"detected_at\":\"2026-10-20T10:00:00+09:00\","
		      "\"reported_to_us_at\":\"2026-11-05T10:00:00+09:00\"," PD_YES, "2026-11-07", "2026-12-04", 30);
	ck_assert_str_eq(sat(h, "ppc/aware_on"), "2026-11-05");
	ck_assert_int_eq(json_integer_value(jat(h, "vendor_notice/day")), 17);
	ck_assert(json_is_true(jat(h, "vendor_notice/late")));
	ck_assert(strncmp(sat(h, "vendor_notice/vendor_detected_at"), "2026-10-20T01:00:00", 19) == 0);
	http_free(h);

	/* 1,000 people is not more than 1,000; 1,001 is, by itself */
	h = file(v1, "\"appi\":{\"personal_data\":\"yes\",\"people_affected\":1000}");
	ck_status(h, 201);
	ck_assert(json_is_false(jat(h, "ppc/reportable")));
	ck_assert_str_eq(sat(h, "appi/over_1000_people"), "no");
	http_free(h);
	h = file(v1, "\"detected_at\":\"2026-11-13T13:30:00Z\",\"appi\":{\"personal_data\":\"yes\",\"people_affected\":1001}");
	ck_status(h, 201);
	ck_assert_str_eq(sat(h, "appi/over_1000_people"), "yes");
	ck_assert_int_eq(json_array_size(jat(h, "ppc/reasons")), 1);
	ck_assert_str_eq(sat(h, "ppc/reasons/0"), "over_1000_people");
	ck_assert(strncmp(sat(h, "ppc/preliminary/deadline_at"), "2026-11-15T15:00:00", 19) == 0);
	ck_assert_str_eq(sat(h, "ppc/preliminary/state"), "overdue");
	http_free(h);

	/* no personal data, or strong encryption: not reportable */
	h = file(v1, "\"appi\":{\"personal_data\":\"no\",\"sensitive_data\":\"yes\"}");
	ck_assert(json_is_false(jat(h, "ppc/reportable")));
	ck_assert(json_is_null(jat(h, "ppc/reportable_since")));
	http_free(h);
	h = file(v1, "\"appi\":{\"personal_data\":\"yes\",\"sensitive_data\":\"yes\","
		     "\"exemption\":\"advanced_encryption\",\"exemption_reason\":\"AES-256で暗号化、鍵は無事\"}");
	ck_status(h, 201);
	ck_assert(json_is_false(jat(h, "ppc/reportable")));
	http_free(h);

	/* a condition learnt later (the count passes 1,000 today): the clock
	 * stays at awareness, and the record says when it became reportable */
	h = file(v1, "\"appi\":{\"personal_data\":\"yes\",\"people_affected\":900}");
	snprintf(path, sizeof(path), "/v1/incidents/%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"appi\":{\"people_affected\":1200}}", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(sat(h, "ppc/final/due_on"), "2026-12-01");
	ck_assert_str_eq(sat(h, "ppc/aware_on"), "2026-11-02");
	ck_assert(strlen(sat(h, "ppc/reportable_since")) > 0);
	want = itk_sql_value(&t, "select tokyo_today() - date '2026-11-02' + 1", 0, NULL);
	ck_assert_int_eq(json_integer_value(jat(h, "ppc/reportable_on_day")), atoi(want));
	free(want);
	http_free(h);
	ck_assert_int_eq(count("select count(*) from incidents where reportable_since > now() - interval '1 minute'"
			       " and people_affected = 1200"), 1);

	/* the tenant's setting: 5 days for incidents judged from now on */
	h = http_do(&t, "PATCH", "/v1/settings", t.admin_key, "{\"appi_preliminary_days\":5}", NULL);
	ck_status(h, 200);
	http_free(h);
	ck_deadlines("\"detected_at\":\"2026-11-13T13:30:00Z\"," PD_YES, "2026-11-17", "2026-12-14", 30);
	h = http_do(&t, "PATCH", "/v1/settings", t.admin_key, "{\"appi_preliminary_days\":2}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
}
END_TEST

/* Aware three Tokyo days ago: day 3 was yesterday, so the preliminary
 * report is overdue now (counted from the day after, it would be due
 * today), and the PPC list says so. */
START_TEST(overdue_follows_the_guideline_count)
{
	char extra[256], *day = itk_sql_value(&t, "select to_char(tokyo_today() - 2, 'YYYY-MM-DD')", 0, NULL);
	struct http *h;

	snprintf(extra, sizeof(extra), "\"detected_at\":\"%sT12:00:00+09:00\"," PD_YES, day);
	free(day);
	h = file(v1, extra);
	ck_status(h, 201);
	ck_assert_str_eq(sat(h, "ppc/preliminary/state"), "due_soon");
	http_free(h);
	day = itk_sql_value(&t, "select to_char(tokyo_today() - 3, 'YYYY-MM-DD')", 0, NULL);
	snprintf(extra, sizeof(extra), "\"detected_at\":\"%sT12:00:00+09:00\"," PD_YES, day);
	free(day);
	h = file(v1, extra);
	ck_assert_str_eq(sat(h, "ppc/preliminary/state"), "overdue");
	http_free(h);
	h = http_do(&t, "GET", "/v1/incidents?overdue=true", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = http_do(&t, "GET", "/v1/incidents?overdue=false&ppc_reportable=true", t.admin_key, NULL, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
}
END_TEST

START_TEST(edit_status_and_timeline)
{
	char path[96], spath[112], epath[112];
	struct http *h = file(v1, "\"appi\":{\"personal_data\":\"yes\",\"financial_damage\":\"yes\"}");
	json_t *items;

	snprintf(path, sizeof(path), "/v1/incidents/%s", jstr(h, "id"));
	snprintf(spath, sizeof(spath), "%s/status", path);
	snprintf(epath, sizeof(epath), "%s/events", path);
	http_free(h);

	/* severity up, a filing, a condition that changes the final deadline */
	h = http_do(&t, "PATCH", path, t.admin_key,
		    "{\"severity\":\"critical\",\"appi\":{\"wrongful_purpose\":\"likely\",\"basis\":\"不審なログイン\"},"
		    "\"filings\":{\"preliminary\":{\"filed_at\":\"2026-11-03T10:00:00+09:00\",\"reference\":\"PPC-0001\"}}}",
		    (const char *const[]){ "If-Match: \"1\"", NULL });
	ck_status(h, 200);
	ck_assert_int_eq(json_integer_value(jat(h, "version")), 2);
	ck_assert_int_eq(json_integer_value(jat(h, "ppc/final/days")), 60);
	ck_assert_str_eq(sat(h, "ppc/preliminary/state"), "filed");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"title\":\"x\"}", (const char *const[]){ "If-Match: \"1\"", NULL });
	ck_problem(h, 412, "precondition-failed");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"vendor_id\":\"00000000-0000-4000-8000-000000000000\",\"status\":\"closed\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/vendor_id") && strstr(h->body, "/status"));
	http_free(h);

	/* status: resolved needs a root cause; closed needs the final report */
	h = http_do(&t, "POST", spath, t.admin_key, "{\"status\":\"resolved\"}", NULL);
	ck_problem(h, 422, "rule-violated");
	ck_assert(strstr(jstr(h, "detail"), "root cause"));
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key,
		    "{\"root_cause\":\"宛先確認の手順がなかった\",\"measures\":[{\"what\":\"送信前の二重確認\","
		    "\"owner\":\"業務部\",\"due_on\":\"2026-12-31\"}]}", NULL);
	ck_status(h, 200);
	http_free(h);
	h = http_do(&t, "POST", spath, t.admin_key, "{\"status\":\"closed\"}", NULL);
	ck_problem(h, 422, "rule-violated");
	ck_assert(strstr(jstr(h, "detail"), "final report"));
	http_free(h);
	h = http_do(&t, "POST", spath, t.admin_key, "{\"status\":\"resolved\"}", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "resolved");
	http_free(h);
	h = http_do(&t, "POST", spath, t.admin_key, "{\"status\":\"resolved\"}", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	h = http_do(&t, "POST", spath, t.admin_key, "{\"status\":\"investigating\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/note"));
	http_free(h);
	h = http_do(&t, "POST", spath, t.admin_key, "{\"status\":\"investigating\",\"note\":\"別の宛先にも送付\"}", NULL);
	ck_status(h, 200);
	http_free(h);
	h = http_do(&t, "POST", spath, t.admin_key, "{\"status\":\"paused\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);

	/* manual entries; system kinds cannot be added by hand */
	h = http_do(&t, "POST", epath, t.admin_key, "{\"kind\":\"contact\",\"note\":\"委託先の責任者と電話\"}", NULL);
	ck_status(h, 201);
	ck_assert_str_eq(jstr(h, "kind"), "contact");
	http_free(h);
	h = http_do(&t, "POST", epath, t.admin_key, "{\"kind\":\"filed\",\"note\":\"x\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);

	/* the timeline in order, paginated */
	h = http_do(&t, "GET", epath, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	items = json_object_get(h->json, "items");
	{
		static const char *const kinds[] = { "reported", "severity_changed", "filed",
			"status_changed", "status_changed", "contact", NULL };

		ck_assert_int_eq(json_array_size(items), 6);
		for (size_t i = 0; kinds[i]; i++)
			ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, i), "kind")), kinds[i]);
	}
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(items, 4), "data"), "to")),
			 "investigating");
	http_free(h);
	{
		char p2[512];

		snprintf(p2, sizeof(p2), "%s?limit=4", epath);
		h = http_do(&t, "GET", p2, t.admin_key, NULL, NULL);
		ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 4);
		snprintf(p2, sizeof(p2), "%s?limit=4&cursor=%s", epath, jstr(h, "next_cursor"));
		http_free(h);
		h = http_do(&t, "GET", p2, t.admin_key, NULL, NULL);
		ck_status(h, 200);
		ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
		http_free(h);
	}

	/* the timeline is append-only, even for the database owner */
	{
		PGconn *c = itk_connect(&t);
		PGresult *res = PQexec(c, "update incident_events set note = 'edited'");

		ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
		PQclear(res);
		res = PQexec(c, "delete from incident_events");
		ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
		PQclear(res);
		PQfinish(c);
	}
}
END_TEST

START_TEST(lists_and_chain_visibility)
{
	char path[160], recent[160];
	time_t hour_ago = time(NULL) - 3600;
	struct http *h;

	/* detected an hour ago: its deadlines lie days ahead whenever this runs */
	strftime(recent, sizeof(recent), "\"severity\":\"high\",\"appi\":{\"personal_data\":\"yes\","
		 "\"sensitive_data\":\"yes\"},\"detected_at\":\"%Y-%m-%dT%H:%M:%SZ\"", gmtime(&hour_ago));
	h = file(v3, recent);
	ck_status(h, 201);
	/* found below two links: its path runs v1 -> v2 -> v3 */
	ck_assert_int_eq(json_integer_value(jat(h, "depth")), 2);
	ck_assert_str_eq(sat(h, "path/0/name"), "みなと情報処理");
	ck_assert_str_eq(sat(h, "path/2/name"), "関西ロジテック");
	ck_assert(strlen(jstr(h, "subcontract_id")) == 36);
	http_free(h);
	http_free(file(v1, "\"severity\":\"low\""));
	http_free(file(v2, "\"appi\":{\"personal_data\":\"yes\",\"financial_damage\":\"yes\"},"
			   "\"detected_at\":\"2026-10-01T10:00:00+09:00\""));

	/* from above: the engagement sees all three; v2 sees its own and v3's; v3 only its own */
	snprintf(path, sizeof(path), "/v1/engagements/%s/incidents", eng);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 3);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/vendors/%s/incidents", v2);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/vendors/%s/incidents", v3);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);

	/* the engagement's chain health counts open incidents, below included */
	snprintf(path, sizeof(path), "/v1/engagements/%s", eng);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_int_eq(json_integer_value(jat(h, "chain_health/open_incidents")), 3);
	ck_assert_int_eq(json_integer_value(jat(h, "chain_health/open_incidents_below")), 2);
	ck_assert_str_eq(sat(h, "chain_health/worst_open_severity"), "high");
	http_free(h);
	/* and the tree shows each incident at its node */
	snprintf(path, sizeof(path), "/v1/engagements/%s/chain", eng);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_integer_value(jat(h, "root/open_incidents")), 1);
	ck_assert_int_eq(json_integer_value(jat(h, "root/children/0/open_incidents")), 1);
	ck_assert_int_eq(json_integer_value(jat(h, "root/children/0/children/0/open_incidents")), 1);
	ck_assert_str_eq(sat(h, "root/children/0/children/0/problems/0"), "open_incidents");
	http_free(h);

	/* PPC queue: reportable ones, nearest deadline first; overdue; deadline_before */
	h = http_do(&t, "GET", "/v1/incidents?ppc_reportable=true&sort=deadline", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
	ck_assert_str_eq(sat(h, "items/0/path/1/name"), "東西印刷");
	http_free(h);
	h = http_do(&t, "GET", "/v1/incidents?overdue=true", t.admin_key, NULL, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = http_do(&t, "GET", "/v1/incidents?deadline_before=2026-10-10T00:00:00Z", t.admin_key, NULL, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = http_do(&t, "GET", "/v1/incidents?severity=high,low&open=true", t.admin_key, NULL, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
	http_free(h);
	h = http_do(&t, "GET", "/v1/incidents?deadline_before=soon&severity=huge&sort=name", t.admin_key, NULL, NULL);
	ck_problem(h, 400, "invalid-parameter");
	ck_assert(strstr(h->body, "deadline_before") && strstr(h->body, "severity") && strstr(h->body, "sort"));
	http_free(h);
	h = http_do(&t, "GET", "/v1/engagements/00000000-0000-4000-8000-000000000000/incidents", t.admin_key, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);

	/* another tenant sees none of it */
	{
		char *other = itk_bootstrap(&t, "t2");

		h = http_do(&t, "GET", "/v1/incidents", other, NULL, NULL);
		ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 0);
		http_free(h);
		free(other);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("incidents");
	TCase *tc = tcase_create("incidents");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, file_read_and_bad_input);
	tcase_add_test(tc, appi_deadlines_as_the_guideline_counts);
	tcase_add_test(tc, overdue_follows_the_guideline_count);
	tcase_add_test(tc, edit_status_and_timeline);
	tcase_add_test(tc, lists_and_chain_visibility);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

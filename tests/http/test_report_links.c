/* HTTP: vendor report links: creating (token shown once, stored hashed),
 * filing through a link (as the engagement's vendor and as a subcontractor),
 * the vendor's view and updates, another vendor's incident, expired,
 * revoked and malformed tokens (all the same 404), and the rate limit;
 * whom a link is for and the vendor's list, which the report page reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;
static char v1[40], v2[40], v3[40], eng[40];

#define FLOW_OK \
	"{\"equal_obligations\":true,\"equal_obligations_ref\":\"覚書\",\"direct_incident_notice\":true," \
	"\"recurrence_prevention\":true,\"status_reports_visible\":true,\"return_or_erasure\":true}"
#define INCIDENT \
	"{\"title\":\"配送中の書類紛失\",\"category\":\"loss_or_theft\",\"severity\":\"high\"," \
	"\"detected_at\":\"2026-11-02T09:00:00+09:00\",\"reporter\":{\"name\":\"山田 花子\",\"email\":\"yamada@example.jp\"}}"

static void post_id(const char *path, const char *body, char out[40])
{
	struct http *h = http_do(&t, "POST", path, t.admin_key, body, NULL);

	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

static void setup(void)
{
	static const char *const env[] = { "ITAKU_REPORT_LINK_RATE=12", NULL };
	char path[128], body[1024];

	itk_setup(&t, "report_links", env);
	post_id("/v1/vendors", "{\"name\":\"みなと情報処理\"}", v1);
	post_id("/v1/vendors", "{\"name\":\"東西印刷\"}", v2);
	post_id("/v1/vendors", "{\"name\":\"無関係商事\"}", v3);
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", v1);
	post_id(path, "{\"title\":\"給与計算\",\"contract_type\":\"inin\",\"category\":\"data_processing\","
		      "\"handles_personal_data\":true,\"confidentiality\":3,\"subcontracting\":\"allowed\","
		      "\"subcontract_max_depth\":2}", eng);
	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts", eng);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"scope\":\"印刷\",\"reason\":\"設備\","
		 "\"confidentiality\":2,\"status\":\"approved\",\"flow_down\":" FLOW_OK "}", v2);
	post_id(path, body, (char[40]){ 0 });
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* Creates a link for vendor (engagement may be NULL); fills token and id. */
static void make_link(const char *vendor, const char *engagement, char token[64], char id[40])
{
	char path[96], body[160];
	struct http *h;

	snprintf(path, sizeof(path), "/v1/vendors/%s/report-links", vendor);
	if (engagement)
		snprintf(body, sizeof(body), "{\"engagement_id\":\"%s\",\"label\":\"事故報告用\"}", engagement);
	else
		snprintf(body, sizeof(body), "{\"expires_in_days\":7}");
	h = http_do(&t, "POST", path, t.admin_key, body, NULL);
	ck_status(h, 201);
	snprintf(token, 64, "%s", jstr(h, "token"));
	snprintf(id, 40, "%s", jstr(h, "id"));
	ck_assert_str_eq(jstr(h, "status"), "active");
	ck_assert(strncmp(token, "itr_", 4) == 0 && strlen(token) == 47);
	ck_assert(strncmp(jstr(h, "prefix"), token, 12) == 0);
	http_free(h);
}

static struct http *intake(const char *token, const char *suffix, const char *method, const char *body)
{
	char path[512];

	snprintf(path, sizeof(path), "/v1/report/%s/incidents%s", token, suffix);
	return http_do(&t, method, path, NULL, body, NULL);
}

static int count(const char *sql)
{
	char *v = itk_sql_value(&t, sql, 0, NULL);
	int n = atoi(v);

	free(v);
	return n;
}

START_TEST(links_are_hashed_listed_and_checked)
{
	char token[64], id[40], path[96], *stored;
	struct http *h;
	const char *params[1] = { token };

	make_link(v1, eng, token, id);
	/* only the hash is kept, and the listing never shows the token */
	stored = itk_sql_value(&t, "select count(*) from report_links where token_hash = encode(sha256($1::bytea), 'hex')",
			       1, params);
	ck_assert_str_eq(stored, "1");
	free(stored);
	ck_assert_int_eq(count("select count(*) from report_links where token_hash like 'itr_%'"), 0);
	snprintf(path, sizeof(path), "/v1/vendors/%s/report-links", v1);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert(!strstr(h->body, token));
	ck_assert(!strstr(h->body, "\"token\""));
	http_free(h);

	/* a vendor outside the engagement's chain, bad input, unknown vendor */
	snprintf(path, sizeof(path), "/v1/vendors/%s/report-links", v3);
	snprintf(token, sizeof(token), "{\"engagement_id\":\"%s\"}", eng);
	h = http_do(&t, "POST", path, t.admin_key, token, NULL);
	ck_problem(h, 422, "rule-violated");
	http_free(h);
	h = http_do(&t, "POST", path, t.admin_key, "{\"expires_in_days\":0,\"engagement_id\":\"x\",\"url\":1}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/expires_in_days") && strstr(h->body, "/engagement_id") && strstr(h->body, "/url"));
	http_free(h);
	h = http_do(&t, "POST", "/v1/vendors/00000000-0000-4000-8000-000000000000/report-links", t.admin_key, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	ck_assert_int_eq(count("select count(*) from report_links"), 1);
	/* viewers cannot make links */
	{
		char *viewer;
		struct http *k = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"name\":\"見る人\",\"role\":\"viewer\"}", NULL);

		viewer = strdup(jstr(k, "key"));
		http_free(k);
		snprintf(path, sizeof(path), "/v1/vendors/%s/report-links", v1);
		h = http_do(&t, "POST", path, viewer, NULL, NULL);
		ck_problem(h, 403, NULL);
		http_free(h);
		free(viewer);
	}
}
END_TEST

START_TEST(vendor_files_sees_and_updates)
{
	char token[64], id[40], sub_token[64], sub_id[40], path[160], iid[40], sid[40];
	struct http *h;

	make_link(v1, eng, token, id);
	make_link(v2, eng, sub_token, sub_id);

	/* the engagement's vendor files: reported_to_us_at is the notice time */
	h = intake(token, "", "POST", INCIDENT);
	ck_status(h, 201);
	/* no Location: it would carry the token into a logged header */
	ck_assert_ptr_null(http_header(h, "Location"));
	snprintf(iid, sizeof(iid), "%s", jstr(h, "id"));
	ck_assert_str_eq(jstr(h, "status"), "reported");
	ck_assert(strlen(jstr(h, "reported_to_us_at")) > 0);
	ck_assert_ptr_null(json_object_get(h->json, "appi"));   /* the vendor's view */
	http_free(h);
	snprintf(path, sizeof(path), "/v1/incidents/%s", iid);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_str_eq(jstr(h, "source"), "report_link");
	ck_assert_str_eq(jstr(h, "report_link_id"), id);
	ck_assert_str_eq(jstr(h, "vendor_id"), v1);
	ck_assert_str_eq(jstr(h, "engagement_id"), eng);
	/* its detection stays the vendor's: our clock starts at the notice */
	ck_assert_str_eq(jstr(h, "detected_by"), "vendor");
	ck_assert_str_eq(jstr(h, "detected_at"), "2026-11-02T00:00:00+00:00");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "ppc"), "aware_at")),
			 jstr(h, "reported_to_us_at"));
	http_free(h);
	/* staff cannot turn the vendor's detection into ours */
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"detected_by\":\"us\"}", NULL);
	ck_problem(h, 422, "rule-violated");
	http_free(h);
	ck_assert_int_eq(count("select count(*) from audit_events where action = 'incident.created'"
			       " and actor like 'report_link:itr_%'"), 1);

	/* the subcontractor files through its own link: placed below its link */
	h = intake(sub_token, "", "POST", INCIDENT);
	ck_status(h, 201);
	snprintf(sid, sizeof(sid), "%s", jstr(h, "id"));
	http_free(h);
	snprintf(path, sizeof(path), "/v1/incidents/%s", sid);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "depth")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "path"), 0), "name")),
			 "みなと情報処理");
	http_free(h);

	/* updates and status, seen by the vendor; staff notes stay internal */
	snprintf(path, sizeof(path), "/%s/events", iid);
	h = intake(token, path, "POST", "{\"note\":\"影響範囲は1拠点に限られる\"}");
	ck_status(h, 201);
	http_free(h);
	h = intake(token, path, "POST", "{\"note\":\"\",\"kind\":\"note\"}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/incidents/%s/events", iid);
	http_free(http_do(&t, "POST", path, t.admin_key, "{\"kind\":\"note\",\"note\":\"社内メモ\"}", NULL));
	snprintf(path, sizeof(path), "/v1/incidents/%s/status", iid);
	http_free(http_do(&t, "POST", path, t.admin_key, "{\"status\":\"investigating\"}", NULL));
	snprintf(path, sizeof(path), "/%s", iid);
	h = intake(token, path, "GET", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "incident"), "status")),
			 "investigating");
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "events")), 3);
	ck_assert(strstr(h->body, "影響範囲は1拠点に限られる"));
	ck_assert(!strstr(h->body, "社内メモ"));
	http_free(h);

	/* another vendor's incident through this link: not found */
	snprintf(path, sizeof(path), "/%s", sid);
	h = intake(token, path, "GET", NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	snprintf(path, sizeof(path), "/%s/events", sid);
	h = intake(token, path, "POST", "{\"note\":\"x\"}");
	ck_problem(h, 404, "not-found");
	http_free(h);

	/* only what a vendor can know is accepted */
	h = intake(token, "", "POST", "{\"title\":\"x\",\"category\":\"leak\",\"severity\":\"low\","
				      "\"detected_at\":\"2026-11-02T09:00:00Z\",\"root_cause\":\"x\",\"vendor_id\":\"x\"}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/root_cause") && strstr(h->body, "/vendor_id"));
	http_free(h);
	ck_assert_int_eq(count("select count(*) from incidents"), 2);
}
END_TEST

static json_t *member(json_t *o, const char *a, const char *b)
{
	return json_object_get(json_object_get(o, a), b);
}

/* 3-5-3-5: the vendor's notice gives what it knows of the nine items of
 * 規則8条1項; staff see them, and whether the notice came after day 5
 * counted from the vendor's own detection (day 1). */
START_TEST(vendor_notice_items_and_late_flag)
{
	char token[64], id[40], path[160], body[1024], *day;
	struct http *h;

	make_link(v1, eng, token, id);
	/* detected four Tokyo days ago: today is day 5, in time */
	day = itk_sql_value(&t, "select to_char(tokyo_today() - 4, 'YYYY-MM-DD')", 0, NULL);
	snprintf(body, sizeof(body), "{\"title\":\"入力フォームの改ざん\",\"category\":\"tampering\","
		 "\"severity\":\"critical\",\"detected_at\":\"%sT09:00:00+09:00\",\"notice_items\":{"
		 "\"summary\":\"決済画面に不正なスクリプト\",\"data_items\":\"カード番号、有効期限\","
		 "\"people\":\"調査中\"}}", day);
	free(day);
	h = intake(token, "", "POST", body);
	ck_status(h, 201);
	ck_assert_str_eq(json_string_value(member(h->json, "notice_items", "summary")), "決済画面に不正なスクリプト");
	snprintf(path, sizeof(path), "/v1/incidents/%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(json_string_value(member(h->json, "notice_items", "data_items")), "カード番号、有効期限");
	ck_assert_int_eq(json_integer_value(member(h->json, "vendor_notice", "day")), 5);
	ck_assert(json_is_false(member(h->json, "vendor_notice", "late")));
	ck_assert_uint_eq(json_array_size(member(h->json, "vendor_notice", "items_missing")), 6);
	ck_assert_ptr_null(member(h->json, "report_items", "summary"));   /* our draft stays ours */
	http_free(h);
	/* staff add what came later by telephone, item by item; null clears */
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"notice_items\":{\"people\":\"約300名\"}}", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(json_string_value(member(h->json, "notice_items", "people")), "約300名");
	ck_assert_str_eq(json_string_value(member(h->json, "notice_items", "summary")), "決済画面に不正なスクリプト");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"notice_items\":null}", NULL);
	ck_status(h, 200);
	ck_assert_uint_eq(json_object_size(json_object_get(h->json, "notice_items")), 0);
	ck_assert_uint_eq(json_array_size(member(h->json, "vendor_notice", "items_missing")), 9);
	http_free(h);

	/* detected five Tokyo days ago: today is day 6, late */
	day = itk_sql_value(&t, "select to_char(tokyo_today() - 5, 'YYYY-MM-DD')", 0, NULL);
	snprintf(body, sizeof(body), "{\"title\":\"媒体の紛失\",\"category\":\"loss_or_theft\","
		 "\"severity\":\"high\",\"detected_at\":\"%sT23:00:00+09:00\"}", day);
	free(day);
	h = intake(token, "", "POST", body);
	ck_status(h, 201);
	snprintf(path, sizeof(path), "/v1/incidents/%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_int_eq(json_integer_value(member(h->json, "vendor_notice", "day")), 6);
	ck_assert(json_is_true(member(h->json, "vendor_notice", "late")));
	ck_assert_uint_eq(json_array_size(member(h->json, "vendor_notice", "items_missing")), 9);
	http_free(h);

	/* items it cannot name, and an empty one: nothing written */
	h = intake(token, "", "POST", "{\"title\":\"x\",\"category\":\"leak\",\"severity\":\"low\","
		   "\"detected_at\":\"2026-11-02T09:00:00Z\",\"notice_items\":{\"mood\":\"x\",\"cause\":\"\"}}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/notice_items/mood") && strstr(h->body, "/notice_items/cause"));
	http_free(h);
	h = intake(token, "", "POST", "{\"title\":\"x\",\"category\":\"leak\",\"severity\":\"low\","
		   "\"detected_at\":\"2026-11-02T09:00:00Z\",\"notice_items\":[],\"detected_by\":\"us\"}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/notice_items") && strstr(h->body, "/detected_by"));
	http_free(h);
	ck_assert_int_eq(count("select count(*) from incidents"), 2);
}
END_TEST

/* What the report page reads: whom the link is for, and the incidents the
 * vendor filed through any of its links, newest first, paged by the body's
 * cursor only (a Link header would carry the token). */
START_TEST(about_and_list_for_the_page)
{
	char token[64], id[40], second[64], second_id[40], sub[64], sub_id[40], path[384], ids[3][40];
	char *tenant, *cursor;
	struct http *h;
	json_t *items;

	make_link(v1, eng, token, id);
	make_link(v1, NULL, second, second_id);
	make_link(v2, eng, sub, sub_id);
	h = intake(token, "", "POST", INCIDENT);
	ck_status(h, 201);
	http_free(h);

	snprintf(path, sizeof(path), "/v1/report/%s", token);
	h = http_do(&t, "GET", path, NULL, NULL, NULL);
	ck_status(h, 200);
	tenant = itk_sql_value(&t, "select name from tenants", 0, NULL);
	ck_assert_str_eq(jstr(h, "outsourcer"), tenant);
	free(tenant);
	ck_assert_str_eq(jstr(h, "vendor"), "みなと情報処理");
	ck_assert_str_eq(jstr(h, "engagement"), "給与計算");
	ck_assert(strlen(jstr(h, "expires_at")) > 0);
	ck_assert(!strstr(h->body, "事故報告用"));   /* the label is the outsourcer's note */
	http_free(h);
	snprintf(path, sizeof(path), "/v1/report/%s", second);
	h = http_do(&t, "GET", path, NULL, NULL, NULL);
	ck_status(h, 200);
	ck_assert(json_is_null(json_object_get(h->json, "engagement")));
	http_free(h);

	/* the vendor's three filings (through both its links), not the subcontractor's */
	h = intake(sub, "", "POST", INCIDENT);
	ck_status(h, 201);
	http_free(h);
	h = intake(second, "", "POST", INCIDENT);
	ck_status(h, 201);
	http_free(h);
	h = intake(token, "", "POST", INCIDENT);
	ck_status(h, 201);
	http_free(h);
	PQclear(itk_sql(&t, "update incidents set created_at = created_at - (interval '1 minute' * (10 - "
			    "(select count(*) from incidents j where j.created_at <= incidents.created_at)))", 0, NULL));
	{
		struct http *all = intake(second, "?limit=2", "GET", NULL);

		ck_status(all, 200);
		ck_assert_ptr_null(http_header(all, "Link"));
		items = json_object_get(all->json, "items");
		ck_assert_uint_eq(json_array_size(items), 2);
		for (size_t i = 0; i < 2; i++)
			snprintf(ids[i], 40, "%s", json_string_value(json_object_get(json_array_get(items, i), "id")));
		ck_assert_ptr_null(json_object_get(json_array_get(items, 0), "appi"));   /* the vendor's view */
		cursor = strdup(jstr(all, "next_cursor"));
		http_free(all);
	}
	snprintf(path, sizeof(path), "?limit=2&cursor=%s", cursor);
	free(cursor);
	h = intake(token, path, "GET", NULL);
	ck_status(h, 200);
	items = json_object_get(h->json, "items");
	ck_assert_uint_eq(json_array_size(items), 1);
	ck_assert(json_is_null(json_object_get(h->json, "next_cursor")));
	snprintf(ids[2], 40, "%s", json_string_value(json_object_get(json_array_get(items, 0), "id")));
	http_free(h);
	/* newest first, and exactly the vendor's own */
	{
		char sql[512];
		char *want;

		snprintf(sql, sizeof(sql), "select string_agg(id::text, ',' order by created_at desc) from incidents"
			 " where vendor_id = '%s'", v1);
		want = itk_sql_value(&t, sql, 0, NULL);
		snprintf(path, sizeof(path), "%s,%s,%s", ids[0], ids[1], ids[2]);
		ck_assert_str_eq(path, want);
		free(want);
	}
	h = intake(token, "?cursor=bogus", "GET", NULL);
	ck_problem(h, 400, "invalid-cursor");
	http_free(h);

	/* a dead link answers both as every report link route does */
	snprintf(path, sizeof(path), "/v1/report-links/%s/revoke", second_id);
	http_free(http_do(&t, "POST", path, t.admin_key, NULL, NULL));
	h = intake(second, "", "GET", NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/report/%s", second);
	h = http_do(&t, "GET", path, NULL, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = http_do(&t, "GET", "/v1/report/itr_short", NULL, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);

	/* the schema's order of events, named by the field to correct */
	h = intake(token, "", "POST", "{\"title\":\"x\",\"category\":\"leak\",\"severity\":\"low\","
		   "\"occurred_at\":\"2026-11-03T09:00:00+09:00\",\"detected_at\":\"2026-11-02T09:00:00+09:00\"}");
	ck_problem(h, 422, "constraint-violated");
	ck_assert(strstr(h->body, "\"/occurred_at\""));
	http_free(h);
	ck_assert_int_eq(count("select count(*) from incidents"), 4);
}
END_TEST

START_TEST(expired_revoked_malformed_and_rate_limited)
{
	char token[64], id[40], other[64], other_id[40], path[96];
	struct http *h, *unknown;
	const char *params[1] = { id };

	make_link(v1, NULL, token, id);
	make_link(v1, NULL, other, other_id);
	h = intake(token, "", "POST", INCIDENT);
	ck_status(h, 201);
	http_free(h);

	/* unknown, malformed, expired and revoked all answer the same */
	unknown = intake("itr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", "POST", INCIDENT);
	ck_problem(unknown, 404, "not-found");
	h = intake("not-a-token", "", "POST", INCIDENT);
	ck_problem(h, 404, "not-found");
	ck_assert_str_eq(jstr(h, "detail"), jstr(unknown, "detail"));
	http_free(h);
	PQclear(itk_sql(&t, "update report_links set created_at = now() - interval '2 days',"
			    " expires_at = now() - interval '1 day' where id = $1", 1, params));
	h = intake(token, "", "POST", INCIDENT);
	ck_problem(h, 404, "not-found");
	ck_assert_str_eq(jstr(h, "detail"), jstr(unknown, "detail"));
	http_free(h);
	snprintf(path, sizeof(path), "/v1/report-links/%s/revoke", other_id);
	h = http_do(&t, "POST", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "revoked");
	ck_assert_str_eq(http_header(h, "ETag"), "\"2\"");
	http_free(h);
	h = http_do(&t, "POST", path, t.admin_key, NULL, NULL);   /* again: no change */
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "ETag"), "\"2\"");
	http_free(h);
	/* The record stays, as revoked; DELETE is not offered. */
	path[strlen(path) - strlen("/revoke")] = '\0';
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "revoked");
	http_free(h);
	h = http_do(&t, "DELETE", path, t.admin_key, NULL, NULL);
	ck_problem(h, 405, "method-not-allowed");
	http_free(h);
	h = intake(other, "", "POST", INCIDENT);
	ck_problem(h, 404, "not-found");
	ck_assert_str_eq(jstr(h, "detail"), jstr(unknown, "detail"));
	http_free(h);
	http_free(unknown);
	ck_assert_int_eq(count("select count(*) from audit_events where action = 'report_link.revoked'"), 1);
	ck_assert_int_eq(count("select count(*) from incidents"), 1);

	/* 12 requests a minute per link, then 429 with Retry-After */
	make_link(v1, NULL, token, id);
	for (int i = 0; i < 12; i++) {
		h = intake(token, "/00000000-0000-4000-8000-000000000000", "GET", NULL);
		ck_problem(h, 404, "not-found");
		http_free(h);
	}
	h = intake(token, "", "POST", INCIDENT);
	ck_problem(h, 429, "rate-limited");
	ck_assert_int_gt(atoi(http_header(h, "Retry-After")), 0);
	ck_assert_int_le(atoi(http_header(h, "Retry-After")), 60);
	http_free(h);
	ck_assert_int_eq(count("select count(*) from incidents"), 1);
	/* the window passes */
	PQclear(itk_sql(&t, "update report_links set window_start = now() - interval '61 seconds' where id = $1",
			1, params));
	h = intake(token, "", "POST", INCIDENT);
	ck_status(h, 201);
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report_links");
	TCase *tc = tcase_create("report_links");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, links_are_hashed_listed_and_checked);
	tcase_add_test(tc, vendor_files_sees_and_updates);
	tcase_add_test(tc, vendor_notice_items_and_late_flag);
	tcase_add_test(tc, about_and_list_for_the_page);
	tcase_add_test(tc, expired_revoked_malformed_and_rate_limited);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

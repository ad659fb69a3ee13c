/* HTTP: event payloads are bounded by construction, with a real receiver.
 *
 * Writes with the longest texts the API allows (notes, conditions, names
 * in four-byte characters down a ten-deep chain) succeed while a tenant
 * subscribes to their events, and every delivered body fits the outbox
 * (20,480 bytes), lists what was cut in "truncated" and links to the
 * resource in "href", where the whole text is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "receiver.h"

static struct itk t;
static struct receiver rv;

#define BIG 65536
#define WIDE "\xf0\xa0\x80\x8b"       /* U+2000B, four bytes in UTF-8 */
#define KANJI "\xe5\xa7\x94"          /* 委, three bytes */

/* n copies of the character ch, then tail (may be ""). Caller frees. */
static char *rep(const char *ch, int n, const char *tail)
{
	size_t w = strlen(ch);
	char *s = malloc(w * (size_t)n + strlen(tail) + 1), *p = s;

	for (int i = 0; i < n; i++, p += w)
		memcpy(p, ch, w);
	strcpy(p, tail);
	return s;
}

static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void post_id(const char *path, const char *body, char out[40])
{
	struct http *h = http_do(&t, "POST", path, t.admin_key, body, NULL);

	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

/* A vendor named with 199 four-byte characters and a tag, and a 100-character external_ref. */
static void wide_vendor(int i, char out[40])
{
	char tag[8], *name, *ref, *body = malloc(BIG);

	snprintf(tag, sizeof(tag), "%02d", i);
	name = rep(WIDE, 198, tag);
	ref = rep(WIDE, 98, tag);
	snprintf(body, BIG, "{\"name\":\"%s\",\"external_ref\":\"%s\"}", name, ref);
	post_id("/v1/vendors", body, out);
	free(name);
	free(ref);
	free(body);
}

/* The delivered body of the last event of type for resource id (waiting
 * up to 10 s for it), checked to be bounded, to link to path/id, and to
 * list cut texts as pointers into data. */
static json_t *delivered(const char *type, const char *path, const char *id)
{
	char href[128];

	snprintf(href, sizeof(href), "%s%s", path, id);
	for (int waited = 0; waited < 10000; waited += 100) {
		json_t *found = NULL;

		pthread_mutex_lock(&rv.mu);
		for (int k = rv.n - 1; k >= 0 && !found; k--) {
			json_t *j = json_loads(rv.got[k].body, 0, NULL);

			ck_assert_msg(j != NULL, "not JSON: %.200s", rv.got[k].body);
			ck_assert_msg(rv.got[k].len <= 20480, "%zu bytes", rv.got[k].len);
			if (!strcmp(json_string_value(json_object_get(j, "type")), type) &&
			    json_is_string(json_object_get(j, "href")) &&
			    !strcmp(json_string_value(json_object_get(j, "href")), href))
				found = j;
			else
				json_decref(j);
		}
		pthread_mutex_unlock(&rv.mu);
		if (found) {
			json_t *tr = json_object_get(found, "truncated");

			ck_assert(json_is_array(tr));
			for (size_t i = 0; i < json_array_size(tr); i++)
				ck_assert(strncmp(json_string_value(json_array_get(tr, i)), "/data", 5) == 0);
			return found;
		}
		receiver_wait(&rv, rv.n + 1, 100);
	}
	ck_abort_msg("no %s event for %s arrived", type, id);
	return NULL;
}

START_TEST(long_texts_never_fail_a_write)
{
	static const char *const env[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", ITK_SECRET_KEY_ENV, NULL };
	char v[12][40], eng[40], eng2[40], link[11][40], req[40], inc[40], path[128], sub[40];
	char *body = malloc(BIG), *title, *note, *conditions, *snote;
	const char *parent = NULL;
	json_t *j, *data;
	struct http *h;

	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	itk_setup(&t, "webhook_payloads", env);
	snprintf(body, BIG, "{\"url\":\"http://127.0.0.1:%d/hooks\",\"event_types\":[\"*\"]}", rv.port);
	post_id("/v1/webhook-subscriptions", body, sub);
	for (int i = 0; i < 12; i++)
		wide_vendor(i, v[i]);

	/* A ten-deep chain below v[0], every link approved at once. */
	title = rep(WIDE, 200, "");
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", v[0]);
	snprintf(body, BIG, "{\"title\":\"%s\",\"contract_type\":\"inin\",\"category\":\"data_processing\","
		 "\"handles_personal_data\":true,\"confidentiality\":3,\"subcontracting\":\"allowed\","
		 "\"subcontract_max_depth\":10}", title);
	post_id(path, body, eng);
	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts", eng);
	for (int i = 1; i <= 10; i++) {
		char parent_json[64] = "null";

		if (parent)
			snprintf(parent_json, sizeof(parent_json), "\"%s\"", parent);
		snprintf(body, BIG, "{\"vendor_id\":\"%s\",\"parent_id\":%s,\"scope\":\"運用\",\"reason\":\"体制\","
			 "\"confidentiality\":2,\"personal_data\":true,\"status\":\"approved\","
			 "\"flow_down\":{\"equal_obligations\":true,\"equal_obligations_ref\":\"覚書\","
			 "\"direct_incident_notice\":true,\"recurrence_prevention\":true,"
			 "\"status_reports_visible\":true,\"return_or_erasure\":true}}", v[i], parent_json);
		post_id(path, body, link[i]);
		parent = link[i];
	}

	/* subcontract.decided: a request approved with the longest note and
	 * conditions allowed (2,000 and 4,000 characters). */
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", v[0]);
	snprintf(body, BIG, "{\"title\":\"保守\",\"contract_type\":\"ukeoi\",\"category\":\"maintenance\","
		 "\"subcontracting\":\"prior_approval\",\"subcontract_max_depth\":1}");
	post_id(path, body, eng2);
	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts", eng2);
	snprintf(body, BIG, "{\"vendor_id\":\"%s\",\"scope\":\"保守\",\"reason\":\"人員\",\"confidentiality\":1,"
		 "\"flow_down\":{\"equal_obligations\":true,\"equal_obligations_ref\":\"覚書\","
		 "\"direct_incident_notice\":true,\"recurrence_prevention\":true,"
		 "\"status_reports_visible\":true,\"return_or_erasure\":true}}", v[11]);
	post_id(path, body, req);
	note = rep(KANJI, 2000, "");
	conditions = rep(KANJI, 3999, "終");
	snprintf(path, sizeof(path), "/v1/subcontracts/%s/approve", req);
	snprintf(body, BIG, "{\"note\":\"%s\",\"conditions\":\"%s\"}", note, conditions);
	h = http_do(&t, "POST", path, t.admin_key, body, NULL);
	ck_status(h, 200);
	http_free(h);
	j = delivered("subcontract.decided", "/v1/subcontracts/", req);
	data = json_object_get(j, "data");
	ck_assert_str_eq(json_string_value(json_object_get(data, "status")), "approved");
	ck_assert_int_eq(json_array_size(json_object_get(j, "truncated")), 2);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "truncated"), 0)), "/data/conditions");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "truncated"), 1)), "/data/decision_note");
	ck_assert_int_eq(chars(json_string_value(json_object_get(data, "conditions"))), 1000);
	ck_assert(strstr(json_string_value(json_object_get(data, "conditions")), "…") != NULL);
	ck_assert(strncmp(json_string_value(json_object_get(data, "decision_note")), note, 999 * 3) == 0);
	/* Names are whole: 200 characters stay under the cut. */
	{
		char *name = rep(WIDE, 198, "11");

		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(data, "vendor"), "name")), name);
		free(name);
	}
	json_decref(j);
	/* The whole text is at href. */
	snprintf(path, sizeof(path), "/v1/subcontracts/%s", req);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "conditions"), conditions);
	http_free(h);

	/* Incidents: filed ten links down with a long title, then a status
	 * change with the longest note, in four-byte characters. */
	snprintf(body, BIG, "{\"vendor_id\":\"%s\",\"engagement_id\":\"%s\",\"subcontract_id\":\"%s\","
		 "\"title\":\"%s\",\"category\":\"leak\",\"severity\":\"high\","
		 "\"detected_at\":\"2026-11-02T09:00:00+09:00\",\"appi\":{\"personal_data\":\"yes\","
		 "\"over_1000_people\":\"yes\"}}", v[10], eng, link[10], title);
	post_id("/v1/incidents", body, inc);
	snote = rep(WIDE, 2000, "");
	snprintf(path, sizeof(path), "/v1/incidents/%s/status", inc);
	snprintf(body, BIG, "{\"status\":\"investigating\",\"note\":\"%s\"}", snote);
	h = http_do(&t, "POST", path, t.admin_key, body, NULL);
	ck_status(h, 200);
	http_free(h);
	j = delivered("incident.reported", "/v1/incidents/", inc);
	data = json_object_get(j, "data");
	ck_assert_int_eq(json_array_size(json_object_get(j, "truncated")), 0);
	ck_assert_int_eq(json_array_size(json_object_get(data, "path")), 11);
	ck_assert_str_eq(json_string_value(json_object_get(data, "title")), title);
	json_decref(j);
	j = delivered("incident.status_changed", "/v1/incidents/", inc);
	data = json_object_get(j, "data");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "truncated"), 0)), "/data/note");
	ck_assert_int_eq(chars(json_string_value(json_object_get(data, "note"))), 1000);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(data, "incident"), "id")), inc);
	json_decref(j);

	/* Vendors: the tier change the ten-deep engagement caused carries the
	 * long names and reasons whole, well inside the bound. */
	j = delivered("vendor.tier_changed", "/v1/vendors/", v[0]);
	data = json_object_get(j, "data");
	ck_assert_int_eq(json_array_size(json_object_get(j, "truncated")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(data, "vendor"), "id")), v[0]);
	ck_assert_int_eq(chars(json_string_value(json_object_get(json_object_get(data, "vendor"), "name"))), 200);
	json_decref(j);

	free(title);
	free(note);
	free(conditions);
	free(snote);
	free(body);
	itk_teardown(&t);
	receiver_stop(&rv);
}
END_TEST

/* The last resorts, on data no event carries today: texts cut to 200,
 * then 50 characters, then the data replaced by the resource's id. */
START_TEST(the_bound_holds_for_any_data)
{
	static const char *const env[] = { "ITAKU_WEBHOOK_WORKERS=0", NULL };
	static const char *const probe[] = {
		/* 11 strings of 1,800 bytes after the first cut: over, so cut to 200 */
		"select jsonb_build_object('xs', (select jsonb_agg(repeat('\xf0\xa0\x80\x8b', 1500))"
		"  from generate_series(1, 11)))",
		/* 200 strings: even at 50 characters too long, so only the id is left */
		"select jsonb_build_object('xs', (select jsonb_agg(repeat('\xf0\xa0\x80\x8b', 1500))"
		"  from generate_series(1, 200)))",
	};
	char sql[512], *v;

	itk_setup(&t, "webhook_bound", env);
	snprintf(sql, sizeof(sql), "select octet_length(b)::text || ' ' || (b::jsonb -> 'truncated' ->> 0)"
		 " || ' ' || char_length(b::jsonb #>> '{data,xs,10}') || ' ' || jsonb_array_length(b::jsonb -> 'truncated')"
		 " from webhook_payload('vendor.tier_changed', gen_random_uuid(), (%s)) b", probe[0]);
	v = itk_sql_value(&t, sql, 0, NULL);
	ck_assert_msg(strstr(v, " /data/xs/0 200 11") != NULL && atoi(v) <= 20480, "%s", v);
	free(v);
	snprintf(sql, sizeof(sql), "select octet_length(b)::text || ' ' || (b::jsonb -> 'truncated')::text"
		 " || ' ' || (b::jsonb -> 'data' ->> 'id' = (b::jsonb ->> 'href'))::text"
		 " from webhook_payload('vendor.tier_changed', '00000000-0000-4000-8000-000000000001', (%s)) b",
		 probe[1]);
	v = itk_sql_value(&t, sql, 0, NULL);
	ck_assert_msg(strstr(v, " [\"/data\"] false") != NULL && atoi(v) < 400, "%s", v);
	free(v);
	v = itk_sql_value(&t, "select webhook_payload('vendor.tier_changed', '00000000-0000-4000-8000-000000000001',"
			  " jsonb_build_object('n', 1))::jsonb ->> 'href'", 0, NULL);
	ck_assert_str_eq(v, "/v1/vendors/00000000-0000-4000-8000-000000000001");
	free(v);
	itk_teardown(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("webhook_payloads");
	TCase *tc = tcase_create("webhook_payloads");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, long_texts_never_fail_a_write);
	tcase_add_test(tc, the_bound_holds_for_any_data);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

/* HTTP: engagements (required measures, missing clauses, validation),
 * certifications (scope verification, expiry lists), the handover ledger,
 * the risk tier with its reasons and override, monitoring records and the
 * cadence setting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;
static char vendor[40], vpath[96];

static void setup(void)
{
	struct http *h;

	itk_setup(&t, "register", NULL);
	h = http_do(&t, "POST", "/v1/vendors", t.admin_key, "{\"name\":\"委託先A\",\"status\":\"active\"}", NULL);
	ck_status(h, 201);
	snprintf(vendor, sizeof(vendor), "%s", jstr(h, "id"));
	snprintf(vpath, sizeof(vpath), "/v1/vendors/%s", vendor);
	http_free(h);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static struct http *sub(const char *method, const char *suffix, const char *body)
{
	char path[192];

	snprintf(path, sizeof(path), "%s%s", vpath, suffix);
	return http_do(&t, method, path, t.admin_key, body, NULL);
}

static json_t *risk(void)
{
	struct http *h = http_do(&t, "GET", vpath, t.admin_key, NULL, NULL);
	json_t *r = json_incref(json_object_get(h->json, "risk"));

	http_free(h);
	return r;
}

static int has_reason(json_t *r, const char *code)
{
	json_t *x;
	size_t i;

	json_array_foreach(json_object_get(r, "reasons"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "code")), code))
			return 1;
	return 0;
}

/* How many engagements GET /v1/engagements?clauses_missing=true lists. */
static int missing_listed(void)
{
	struct http *h = http_do(&t, "GET", "/v1/engagements?clauses_missing=true", t.admin_key, NULL, NULL);
	int n;

	ck_status(h, 200);
	n = (int)json_array_size(json_object_get(h->json, "items"));
	http_free(h);
	return n;
}

START_TEST(engagement_measures_and_missing_clauses)
{
	struct http *h = sub("POST", "/engagements",
		"{\"title\":\"給与計算\",\"contract_type\":\"inin\",\"category\":\"data_processing\","
		"\"handles_personal_data\":true,\"personal_data_categories\":[\"employment\"],"
		"\"personal_data_subjects\":1200,\"data_locations\":[\"JP\",\"US\"],"
		"\"clauses\":{\"confidentiality\":\"present\",\"purpose_limitation\":\"present\","
		"\"return_erasure\":\"present\",\"incident_reporting\":\"present\",\"status_reporting\":\"present\","
		"\"audit_rights\":\"present\"}}");
	json_t *m, *missing;
	char path[96];

	ck_status(h, 201);
	ck_assert(json_is_true(json_object_get(h->json, "foreign_data_location")));
	m = json_object_get(h->json, "required_measures");
	ck_assert_uint_eq(json_array_size(m), 13);
	/* 9.3.1: data processing needs security functions? no; subcontracting: yes */
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(m, 2), "level")), "not_applicable");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(m, 12), "level")), "required");
	missing = json_object_get(h->json, "missing_clauses");
	ck_assert_uint_eq(json_array_size(missing), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(missing, 0), "clause")), "subcontracting");
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "problems")), 1);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(h->json, "problems"), 0)),
			 "required_clauses_missing");
	ck_assert_int_eq(missing_listed(), 1);
	/* PATCH merges clauses one by one */
	snprintf(path, sizeof(path), "/v1/engagements/%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"clauses\":{\"subcontracting\":\"present\"}}", NULL);
	ck_status(h, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "missing_clauses")), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "problems")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "clauses"), "confidentiality")), "present");
	http_free(h);
	ck_assert_int_eq(missing_listed(), 0);
	/* The catalogue changes (with a migration): a measure that needs a clause this engagement
	 * lacks becomes required for its category, and the list follows the engagement's view. */
	PQclear(itk_sql(&t, "update outsourcing_measures set clauses = clauses || '{survival}'"
			" where no = 1 and levels ->> 'data_processing' = 'required'"
			"   and not 'survival' = any(clauses)", 0, NULL));
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "missing_clauses"), 0),
							   "clause")), "survival");
	http_free(h);
	ck_assert_int_eq(missing_listed(), 1);
	PQclear(itk_sql(&t, "update outsourcing_measures set clauses = array_remove(clauses, 'survival') where no = 1",
			0, NULL));
	ck_assert_int_eq(missing_listed(), 0);
	/* storage/transport: incident response is part of the service (※) */
	h = sub("POST", "/engagements", "{\"title\":\"書類保管\",\"contract_type\":\"ukeoi\",\"category\":\"storage_transport\"}");
	m = json_object_get(h->json, "required_measures");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(m, 7), "level")), "included_in_service");
	http_free(h);
}
END_TEST

/* The problem codes of an engagement, joined by commas. */
static const char *problems(const struct http *h, char *buf, size_t len)
{
	json_t *p = json_object_get(h->json, "problems"), *x;
	size_t i, n = 0;

	buf[0] = '\0';
	json_array_foreach(p, i, x)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "", json_string_value(x));
	return buf;
}

/* NISC handbook 9.3.1 (14): terms of service (約款) that do not state the
 * security level are a problem of the engagement, and so is not knowing. */
START_TEST(terms_of_service_security_level)
{
	char path[96], buf[256];
	struct http *h = sub("POST", "/engagements", "{\"title\":\"クラウド会計\",\"contract_type\":\"terms_of_service\","
			     "\"category\":\"asp_saas\",\"clauses\":{\"confidentiality\":\"present\"}}");

	ck_status(h, 201);
	ck_assert(json_is_null(json_object_get(h->json, "terms_security_level_stated")));
	ck_assert_str_eq(problems(h, buf, sizeof(buf)), "required_clauses_missing,terms_security_level_unchecked");
	snprintf(path, sizeof(path), "/v1/engagements/%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"terms_security_level_stated\":false}", NULL);
	ck_status(h, 200);
	ck_assert(json_is_false(json_object_get(h->json, "terms_security_level_stated")));
	ck_assert_str_eq(problems(h, buf, sizeof(buf)), "required_clauses_missing,terms_security_level_not_stated");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"terms_security_level_stated\":true}", NULL);
	ck_assert_str_eq(problems(h, buf, sizeof(buf)), "required_clauses_missing");
	http_free(h);
	/* another contract type drops the answer; naming it there is an error */
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"contract_type\":\"jun_inin\",\"terms_security_level_stated\":true}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "/terms_security_level_stated"));
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"contract_type\":\"jun_inin\"}", NULL);
	ck_status(h, 200);
	ck_assert(json_is_null(json_object_get(h->json, "terms_security_level_stated")));
	ck_assert_str_eq(problems(h, buf, sizeof(buf)), "required_clauses_missing");
	http_free(h);
	h = sub("POST", "/engagements", "{\"title\":\"x\",\"contract_type\":\"terms_of_service\",\"category\":\"asp_saas\","
		"\"terms_security_level_stated\":\"yes\"}");
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "/terms_security_level_stated"));
	http_free(h);
	/* and the schema holds the rule by itself */
	{
		char *n = itk_sql_value(&t, "select count(*) from engagements", 0, NULL);
		PGconn *c = itk_connect(&t);
		PGresult *r = PQexec(c, "update engagements set terms_security_level_stated = false");

		ck_assert_str_eq(n, "1");
		ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
		PQclear(r);
		PQfinish(c);
		free(n);
	}
}
END_TEST

START_TEST(engagement_bad_input)
{
	struct http *h;
	char *n;

	h = sub("POST", "/engagements", "{\"title\":\"x\",\"contract_type\":\"haken\",\"category\":\"cloud\","
		"\"starts_on\":\"2026-04-01\",\"ends_on\":\"2026-03-31\",\"confidentiality\":4,"
		"\"data_locations\":[\"XX\",\"jp\"],\"personal_data_subjects\":10,"
		"\"clauses\":{\"audit_rights\":\"maybe\",\"warranty\":\"present\"}}");
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "/contract_type"));
	ck_assert_ptr_nonnull(strstr(h->body, "/category"));
	ck_assert_ptr_nonnull(strstr(h->body, "/ends_on"));
	ck_assert_ptr_nonnull(strstr(h->body, "/confidentiality"));
	ck_assert_ptr_nonnull(strstr(h->body, "/data_locations"));
	ck_assert_ptr_nonnull(strstr(h->body, "/personal_data_subjects"));
	ck_assert_ptr_nonnull(strstr(h->body, "/clauses/audit_rights"));
	ck_assert_ptr_nonnull(strstr(h->body, "/clauses/warranty"));
	http_free(h);
	h = sub("POST", "/engagements", "{\"title\":\"x\",\"contract_type\":\"inin\",\"category\":\"asp_saas\","
		"\"subcontracting\":\"prohibited\",\"subcontract_max_depth\":2}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	n = itk_sql_value(&t, "select count(*) from engagements", 0, NULL);
	ck_assert_str_eq(n, "0");
	free(n);
	h = http_do(&t, "POST", "/v1/vendors/00000000-0000-4000-8000-000000000000/engagements", t.admin_key,
		    "{\"title\":\"x\",\"contract_type\":\"inin\",\"category\":\"asp_saas\"}", NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
}
END_TEST

START_TEST(risk_tier_follows_engagements_and_certifications)
{
	json_t *r = risk();
	struct http *h;
	char cpath[96];

	ck_assert_str_eq(json_string_value(json_object_get(r, "tier")), "low");
	json_decref(r);
	h = sub("POST", "/engagements", "{\"title\":\"顧客DB運用\",\"contract_type\":\"jun_inin\","
		"\"category\":\"operation_remote\",\"handles_personal_data\":true,"
		"\"personal_data_categories\":[\"sensitive\"],\"personal_data_subjects\":200000,"
		"\"confidentiality\":3}");
	ck_status(h, 201);
	http_free(h);
	r = risk();
	ck_assert_str_eq(json_string_value(json_object_get(r, "tier")), "high");
	ck_assert(has_reason(r, "personal_data"));
	ck_assert(has_reason(r, "sensitive_personal_data"));
	ck_assert(has_reason(r, "no_certification"));
	json_decref(r);
	/* a certification, then its scope checked */
	h = sub("POST", "/certifications", "{\"kind\":\"isms\",\"registered_scope\":\"本社 開発部\",\"expires_on\":\"2099-01-01\"}");
	ck_status(h, 201);
	ck_assert(json_is_null(json_object_get(h->json, "scope_verified_by")));
	snprintf(cpath, sizeof(cpath), "/v1/certifications/%s", jstr(h, "id"));
	http_free(h);
	r = risk();
	ck_assert(has_reason(r, "certification_scope_unverified"));
	json_decref(r);
	h = http_do(&t, "PATCH", cpath, t.admin_key, "{\"scope_verified\":true,\"scope_verified_note\":\"運用部門を含む\"}", NULL);
	ck_status(h, 200);
	ck_assert(json_is_string(json_object_get(h->json, "scope_verified_by")));
	ck_assert(json_is_string(json_object_get(h->json, "scope_verified_at")));
	http_free(h);
	r = risk();
	ck_assert(has_reason(r, "certification_verified"));
	json_decref(r);
	/* override with a reason, then back */
	h = sub("PUT", "/risk-override", "{\"tier\":\"medium\"}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = sub("PUT", "/risk-override", "{\"tier\":\"medium\",\"reason\":\"監査で是正済みを確認\"}");
	ck_status(h, 200);
	r = json_object_get(h->json, "risk");
	ck_assert_str_eq(json_string_value(json_object_get(r, "tier")), "medium");
	ck_assert_str_eq(json_string_value(json_object_get(r, "computed_tier")), "high");
	ck_assert(json_is_string(json_object_get(json_object_get(r, "override"), "set_by")));
	http_free(h);
	h = sub("DELETE", "/risk-override", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "risk"), "tier")), "high");
	http_free(h);
	h = http_do(&t, "GET", "/v1/vendors?risk_tier=high&handles_personal_data=true", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
}
END_TEST

START_TEST(certification_lists_and_rules)
{
	struct http *h;

	h = sub("POST", "/certifications", "{\"kind\":\"privacy_mark\",\"issued_on\":\"2025-01-01\",\"expires_on\":\"2024-12-31\"}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = sub("POST", "/certifications", "{\"kind\":\"other\"}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = sub("POST", "/certifications", "{\"kind\":\"iso9001\"}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = sub("POST", "/certifications", "{\"kind\":\"isms\",\"expires_on\":\"2020-03-31\"}");
	ck_status(h, 201);
	ck_assert_str_eq(jstr(h, "status"), "expired");
	http_free(h);
	h = sub("POST", "/certifications", "{\"kind\":\"ismap\",\"expires_on\":\"2099-03-31\"}");
	http_free(h);
	PQclear(itk_sql(&t, "insert into certifications (tenant_id, vendor_id, kind, expires_on)"
		    " select tenant_id, id, 'soc2_type2', (now() at time zone 'Asia/Tokyo')::date + 20 from vendors", 0, NULL));
	h = http_do(&t, "GET", "/v1/certifications?status=expired", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = http_do(&t, "GET", "/v1/certifications?expiring_within_days=30", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "items"), 0), "kind")), "soc2_type2");
	http_free(h);
	h = http_do(&t, "GET", "/v1/vendors?certificate_expiring_within_days=30", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = sub("GET", "/certifications", NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 3);
	http_free(h);
	h = http_do(&t, "GET", "/v1/certifications?expiring_within_days=x", t.admin_key, NULL, NULL);
	ck_problem(h, 400, "invalid-parameter");
	http_free(h);
}
END_TEST

START_TEST(handover_ledger)
{
	struct http *h = sub("POST", "/engagements", "{\"title\":\"DM発送\",\"contract_type\":\"ukeoi\",\"category\":\"data_processing\"}");
	char hpath[192], epath[96];

	snprintf(epath, sizeof(epath), "/v1/engagements/%s/handovers", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "POST", epath, t.admin_key, "{\"item\":\"顧客住所一覧\",\"classification\":\"confidential\","
		    "\"handed_over_on\":\"2026-01-10\",\"method\":\"encrypted_transfer\",\"return_due_on\":\"2026-02-28\"}", NULL);
	ck_status(h, 201);
	ck_assert(json_is_true(json_object_get(h->json, "overdue")));
	snprintf(hpath, sizeof(hpath), "/v1/handovers/%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "POST", epath, t.admin_key, "{\"item\":\"x\",\"classification\":\"secret\","
		    "\"handed_over_on\":\"2026-01-10\",\"method\":\"pigeon\",\"return_due_on\":\"2025-12-31\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "/method"));
	ck_assert_ptr_nonnull(strstr(h->body, "/return_due_on"));
	http_free(h);
	h = http_do(&t, "GET", "/v1/handovers?overdue=true", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	/* erasure needs its certificate */
	h = http_do(&t, "PATCH", hpath, t.admin_key, "{\"status\":\"erased\",\"closed_on\":\"2026-03-05\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "/erasure_certificate_ref"));
	http_free(h);
	h = http_do(&t, "PATCH", hpath, t.admin_key, "{\"status\":\"erased\",\"closed_on\":\"2026-03-05\","
		    "\"erasure_certificate_ref\":\"DOC-2026-031\"}", NULL);
	ck_status(h, 200);
	ck_assert(json_is_false(json_object_get(h->json, "overdue")));
	http_free(h);
	h = http_do(&t, "GET", "/v1/handovers?overdue=true", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 0);
	http_free(h);
	/* an engagement with ledger entries is not deleted */
	*strstr(epath, "/handovers") = '\0';
	h = http_do(&t, "DELETE", epath, t.admin_key, NULL, NULL);
	ck_problem(h, 409, "in-use");
	http_free(h);
}
END_TEST

START_TEST(monitoring_and_cadence)
{
	struct http *h;
	json_t *mon;

	h = sub("POST", "/monitoring-records", "{\"monitored_on\":\"2026-04-01\",\"verdict\":\"watch\",\"note\":\"再確認は半年後\"}");
	ck_status(h, 201);
	http_free(h);
	h = sub("POST", "/monitoring-records", "{\"monitored_on\":\"2025-04-01\",\"verdict\":\"no_issues\"}");
	ck_status(h, 201);
	http_free(h);
	h = http_do(&t, "GET", vpath, t.admin_key, NULL, NULL);
	mon = json_object_get(h->json, "monitoring");
	ck_assert_str_eq(json_string_value(json_object_get(mon, "last_date")), "2026-04-01");
	ck_assert_str_eq(json_string_value(json_object_get(mon, "last_verdict")), "watch");
	ck_assert_str_eq(json_string_value(json_object_get(mon, "next_due")), "2029-04-01");
	http_free(h);
	h = http_do(&t, "PATCH", "/v1/settings", t.admin_key, "{\"monitoring_cadence_months\":{\"low\":6}}", NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "monitoring_cadence_months"), "low")), 6);
	http_free(h);
	h = http_do(&t, "GET", vpath, t.admin_key, NULL, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "monitoring"), "next_due")), "2026-10-01");
	http_free(h);
	h = http_do(&t, "GET", "/v1/vendors?monitoring_overdue=true", t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = sub("GET", "/monitoring-records", NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 2);
	http_free(h);
	h = sub("POST", "/monitoring-records", "{\"monitored_on\":\"2026-02-30\",\"verdict\":\"ok\"}");
	ck_problem(h, 422, "validation-failed");
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "errors")), 2);
	http_free(h);
	h = http_do(&t, "PATCH", "/v1/settings", t.admin_key, "{\"monitoring_cadence_months\":{\"high\":0,\"x\":1}}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
}
END_TEST

/* Reading and deleting one by one: a deleted certification or engagement
 * is gone (a later GET answers 404), and the lists and settings read back
 * what was written. */
START_TEST(read_one_and_delete)
{
	struct http *h = sub("POST", "/certifications", "{\"kind\":\"isms\",\"expires_on\":\"2099-03-31\"}");
	char cpath[96], epath[96], hpath[192], lpath[192];

	ck_status(h, 201);
	snprintf(cpath, sizeof(cpath), "/v1/certifications/%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "GET", cpath, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "kind"), "isms");
	ck_assert_str_eq(http_header(h, "ETag"), "\"1\"");
	http_free(h);
	h = http_do(&t, "DELETE", cpath, t.admin_key, NULL, NULL);
	ck_status(h, 204);
	http_free(h);
	h = http_do(&t, "GET", cpath, t.admin_key, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);

	h = sub("POST", "/engagements", "{\"title\":\"保守\",\"contract_type\":\"jun_inin\",\"category\":\"maintenance\"}");
	ck_status(h, 201);
	snprintf(epath, sizeof(epath), "/v1/engagements/%s", jstr(h, "id"));
	http_free(h);
	h = sub("GET", "/engagements", NULL);
	ck_status(h, 200);
	ck_assert_uint_ge(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	snprintf(lpath, sizeof(lpath), "%s/handovers", epath);
	h = http_do(&t, "POST", lpath, t.admin_key, "{\"item\":\"設計書\",\"classification\":\"internal\","
		    "\"handed_over_on\":\"2026-01-10\",\"method\":\"paper\"}", NULL);
	ck_status(h, 201);
	ck_assert(json_is_false(json_object_get(h->json, "overdue")));   /* no return date: never overdue */
	snprintf(hpath, sizeof(hpath), "/v1/handovers/%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "GET", hpath, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "item"), "設計書");
	http_free(h);
	h = http_do(&t, "GET", lpath, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);

	h = sub("POST", "/engagements", "{\"title\":\"一時的\",\"contract_type\":\"inin\",\"category\":\"maintenance\"}");
	snprintf(epath, sizeof(epath), "/v1/engagements/%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "DELETE", epath, t.admin_key, NULL, NULL);
	ck_status(h, 204);
	http_free(h);
	h = http_do(&t, "GET", epath, t.admin_key, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);

	h = http_do(&t, "GET", "/v1/settings", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert(json_is_object(json_object_get(h->json, "monitoring_cadence_months")));
	ck_assert_ptr_nonnull(http_header(h, "ETag"));
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("register");
	TCase *tc = tcase_create("register");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, engagement_measures_and_missing_clauses);
	tcase_add_test(tc, terms_of_service_security_level);
	tcase_add_test(tc, engagement_bad_input);
	tcase_add_test(tc, risk_tier_follows_engagements_and_certifications);
	tcase_add_test(tc, certification_lists_and_rules);
	tcase_add_test(tc, handover_ledger);
	tcase_add_test(tc, monitoring_and_cadence);
	tcase_add_test(tc, read_one_and_delete);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

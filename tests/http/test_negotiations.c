/* HTTP: cost pass-through negotiation records (issue 20, part A):
 * security requests with their sources, cost estimates and revisions,
 * negotiations with sessions and outcomes (append-only, corrections as
 * new entries), what is derived (pass-through rate, days), the bad input
 * the issue lists (each 4xx with nothing written), retention (409 and
 * the database's own refusal), the vendor's link (confirm, contest, 410,
 * 429), the exports, and the rule checks 1-6 with their boundaries and
 * the negotiation.risk_detected / negotiation.outcome_recorded events. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "receiver.h"

static struct itk t;
static char vendor[40], other_vendor[40], engagement[40], engagement2[40], other_engagement[40];

static struct http *call(const char *method, const char *body, const char *const *headers, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static struct http *call(const char *method, const char *body, const char *const *headers, const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return http_do(&t, method, path, t.admin_key, body, headers);
}

static char *sql1(const char *sql, const char *p1)
{
	const char *params[1] = { p1 };

	return itk_sql_value(&t, sql, p1 ? 1 : 0, params);
}

static long sqln(const char *sql, const char *p1)
{
	char *v = sql1(sql, p1);
	long n = atol(v);

	free(v);
	return n;
}

static void sql_do(const char *sql, const char *p1)
{
	free(sql1(sql, p1));
}

static void post_id(const char *path, const char *body, char out[40])
{
	struct http *h = http_do(&t, "POST", path, t.admin_key, body, NULL);

	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

/* Today in Tokyo plus days, YYYY-MM-DD (static buffer per call slot). */
static const char *day(int days)
{
	static char buf[8][16];
	static int slot;
	char sql[96], *v;

	slot = (slot + 1) % 8;
	snprintf(sql, sizeof(sql), "select (tokyo_today() + %d)::text", days);
	v = sql1(sql, NULL);
	snprintf(buf[slot], sizeof(buf[slot]), "%s", v);
	free(v);
	return buf[slot];
}

static void register_vendors(void)
{
	char path[128];

	post_id("/v1/vendors", "{\"name\":\"みなとセキュリティ株式会社\"}", vendor);
	post_id("/v1/vendors", "{\"name\":\"東西印刷\"}", other_vendor);
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", vendor);
	post_id(path, "{\"title\":\"給与計算\",\"contract_type\":\"inin\",\"category\":\"data_processing\"}", engagement);
	post_id(path, "{\"title\":\"保守\",\"contract_type\":\"ukeoi\",\"category\":\"maintenance\"}", engagement2);
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", other_vendor);
	post_id(path, "{\"title\":\"印刷\",\"contract_type\":\"ukeoi\",\"category\":\"storage_transport\"}",
		other_engagement);
}

/* A request of kind for vendor v (engagement e or none), requested days ago; extra JSON members appended. */
static void request(char out[40], const char *v, const char *e, const char *kind, int days_ago, const char *extra)
{
	char body[2048];

	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",%s%s%s\"kind\":\"%s\",\"text\":\"EDR の導入をお願いします\","
		 "\"requested_on\":\"%s\"%s%s}", v, e ? "\"engagement_id\":\"" : "", e ? e : "", e ? "\"," : "", kind,
		 day(-days_ago), extra ? "," : "", extra ? extra : "");
	post_id("/v1/security-requests", body, out);
}

static void estimate(const char *req, long one_off, long yearly, int days_ago)
{
	char body[512], path[128];

	snprintf(body, sizeof(body), "{\"one_off_jpy\":%ld,\"recurring_yearly_jpy\":%ld,\"basis\":\"見積書による\","
		 "\"estimated_by\":\"委託先 営業部\",\"estimated_on\":\"%s\"}", one_off, yearly, day(-days_ago));
	snprintf(path, sizeof(path), "/v1/security-requests/%s/cost-estimates", req);
	post_id(path, body, (char[40]){ 0 });
}

static void negotiation(char out[40], const char *req, const char *extra)
{
	char body[1600];

	snprintf(body, sizeof(body), "{\"request_ids\":[\"%s\"],\"initiated_by\":\"vendor\"%s%s}", req,
		 extra ? "," : "", extra ? extra : "");
	post_id("/v1/negotiations", body, out);
}

static void session(const char *neg, int days_ago, char out[40])
{
	char body[512], path[128];

	snprintf(body, sizeof(body), "{\"held_on\":\"%s\",\"channel\":\"meeting\",\"participants_outsourcer\":[\"購買部 佐藤\"],"
		 "\"participants_vendor\":[\"営業部 鈴木\"],\"minutes\":\"費用の負担について協議した\"}", day(-days_ago));
	snprintf(path, sizeof(path), "/v1/negotiations/%s/sessions", neg);
	post_id(path, body, out ? out : (char[40]){ 0 });
}

static void outcome(const char *neg, const char *json, char out[40])
{
	char path[128];

	snprintf(path, sizeof(path), "/v1/negotiations/%s/outcomes", neg);
	post_id(path, json, out ? out : (char[40]){ 0 });
}

static long count(const char *table)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "select count(*) from %s", table);
	return sqln(sql, NULL);
}

/* ---- records ----------------------------------------------------------------------- */

START_TEST(records_estimates_negotiations)
{
	char req[40], req2[40], req3[40], neg[40], neg2[40], s1[40], s2[40], o1[40], finding[40], body[1024], ifm[48];
	const char *hdr[2] = { ifm, NULL };
	struct http *h;
	json_t *d;

	itk_setup(&t, "negotiations", NULL);
	register_vendors();

	/* A request with its source: a contract clause of its engagement. */
	request(req, vendor, engagement, "paid_service", 40,
		"\"reason\":\"EDR の義務化\",\"requested_by\":\"情報セキュリティ部\",\"source_kind\":\"contract_clause\","
		"\"clause\":\"device_security\",\"deadline_on\":\"2099-03-31\"");
	h = call("GET", NULL, NULL, "/v1/security-requests/%s", req);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "clause"), "device_security");
	ck_assert_str_eq(jstr(h, "status"), "open");
	ck_assert_str_eq(http_header(h, "ETag"), "\"1\"");
	ck_assert(json_is_null(json_object_get(h->json, "latest_estimate")));
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "risks")), 0);
	http_free(h);
	ck_assert_int_eq(sqln("select count(*) from audit_events where action = 'security_request.created' and resource_id = $1", req), 1);
	/* Idempotency-Key: the same request answers the same, nothing written twice. */
	{
		const char *idem[2] = { "Idempotency-Key: req-once", NULL };
		char first[40];

		snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"kind\":\"incident_flow\",\"text\":\"事故報告フローの遵守\","
			 "\"requested_on\":\"%s\"}", vendor, day(-3));
		h = call("POST", body, idem, "/v1/security-requests");
		ck_status(h, 201);
		snprintf(first, sizeof(first), "%s", jstr(h, "id"));
		http_free(h);
		h = call("POST", body, idem, "/v1/security-requests");
		ck_status(h, 201);
		ck_assert_str_eq(jstr(h, "id"), first);
		ck_assert_str_eq(http_header(h, "Idempotent-Replayed"), "true");
		http_free(h);
		ck_assert_int_eq(count("security_requests"), 2);
		/* without an engagement, 取適法 coverage is unknown */
		h = call("GET", NULL, NULL, "/v1/security-requests/%s", first);
		ck_status(h, 200);
		http_free(h);
		sql_do("update security_requests set created_at = now() - interval '3 years',"
		       " updated_at = now() - interval '3 years' where id = $1::uuid", first);
		h = call("DELETE", NULL, NULL, "/v1/security-requests/%s", first);
		ck_status(h, 204);
		http_free(h);
	}
	/* Texts people read come in Japanese when asked. */
	{
		const char *ja[2] = { "Accept-Language: ja", NULL };

		h = call("POST", "{\"reason\":\"\"}", ja, "/v1/security-requests/%s/withdraw", req);
		ck_problem(h, 422, "validation-failed");
		http_free(h);
	}

	/* Sources must be the vendor's and consistent. */
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"engagement_id\":\"%s\",\"kind\":\"other\",\"text\":\"x\","
		 "\"requested_on\":\"2026-01-01\"}", vendor, other_engagement);
	h = call("POST", body, NULL, "/v1/security-requests");
	ck_problem(h, 422, "rule-violated");
	http_free(h);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"kind\":\"other\",\"text\":\"x\",\"requested_on\":\"2026-01-01\","
		 "\"source_kind\":\"finding\",\"finding_id\":\"%s\"}", vendor, "00000000-0000-4000-8000-000000000000");
	h = call("POST", body, NULL, "/v1/security-requests");
	ck_problem(h, 422, "reference-not-found");
	http_free(h);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"kind\":\"other\",\"text\":\"x\",\"requested_on\":\"2026-01-01\","
		 "\"source_kind\":\"question\",\"assessment_id\":\"%s\"}", vendor, engagement);
	h = call("POST", body, NULL, "/v1/security-requests");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"kind\":\"other\",\"text\":\"x\",\"requested_on\":\"2026-01-01\","
		 "\"designated_item\":\"A社 EDR\"}", vendor);
	h = call("POST", body, NULL, "/v1/security-requests");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	/* Negative and non-integer yen: 422, nothing written. */
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"kind\":\"other\",\"text\":\"x\",\"requested_on\":\"2026-01-01\","
		 "\"charged_jpy\":-1,\"charged_on\":\"2026-01-02\"}", vendor);
	h = call("POST", body, NULL, "/v1/security-requests");
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/charged_jpy"));
	http_free(h);
	ck_assert_int_eq(count("security_requests"), 1);
	(void)finding;

	/* PATCH with If-Match; another tenant's id is not found. */
	snprintf(ifm, sizeof(ifm), "If-Match: \"1\"");
	h = call("PATCH", "{\"equivalent_claimed\":true,\"equivalent_measure\":\"自社 SOC で監視済み\"}", hdr,
		 "/v1/security-requests/%s", req);
	ck_status(h, 200);
	ck_assert(json_is_true(json_object_get(h->json, "equivalent_claimed")));
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "version")), 2);
	http_free(h);
	h = call("PATCH", "{\"text\":\"古い版\"}", hdr, "/v1/security-requests/%s", req);
	ck_problem(h, 412, "precondition-failed");
	http_free(h);

	/* Estimates: revisions keep their history; elements add up. */
	snprintf(body, sizeof(body), "{\"one_off_jpy\":300000,\"recurring_yearly_jpy\":120000,\"basis\":\"見積書 Q-1 による\","
		 "\"elements\":[{\"element\":\"equipment\",\"one_off_jpy\":200000,\"recurring_yearly_jpy\":0},"
		 "{\"element\":\"labour\",\"one_off_jpy\":100000,\"recurring_yearly_jpy\":120000,\"note\":\"2 人日\"}],"
		 "\"evidence_refs\":[\"Q-1\",\"厚労省 賃金構造基本統計\"],\"estimated_by\":\"鈴木\",\"estimated_on\":\"%s\"}", day(-35));
	h = call("POST", body, NULL, "/v1/security-requests/%s/cost-estimates", req);
	ck_status(h, 201);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "revision")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "first_year_jpy")), 420000);
	http_free(h);
	/* elements that do not add up, negative and fractional yen, a repeated element */
	h = call("POST", "{\"one_off_jpy\":300000,\"recurring_yearly_jpy\":0,\"basis\":\"b\",\"estimated_by\":\"s\","
		 "\"estimated_on\":\"2026-01-01\",\"elements\":[{\"element\":\"equipment\",\"one_off_jpy\":1,\"recurring_yearly_jpy\":0}]}",
		 NULL, "/v1/security-requests/%s/cost-estimates", req);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/elements"));
	http_free(h);
	h = call("POST", "{\"one_off_jpy\":-5,\"recurring_yearly_jpy\":0,\"basis\":\"b\",\"estimated_by\":\"s\",\"estimated_on\":\"2026-01-01\"}",
		 NULL, "/v1/security-requests/%s/cost-estimates", req);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = call("POST", "{\"one_off_jpy\":1000.5,\"recurring_yearly_jpy\":0,\"basis\":\"b\",\"estimated_by\":\"s\",\"estimated_on\":\"2026-01-01\"}",
		 NULL, "/v1/security-requests/%s/cost-estimates", req);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/one_off_jpy"));
	http_free(h);
	h = call("POST", "{\"one_off_jpy\":2,\"recurring_yearly_jpy\":0,\"basis\":\"b\",\"estimated_by\":\"s\",\"estimated_on\":\"2026-01-01\","
		 "\"elements\":[{\"element\":\"other\",\"one_off_jpy\":1,\"recurring_yearly_jpy\":0},"
		 "{\"element\":\"other\",\"one_off_jpy\":1,\"recurring_yearly_jpy\":0}]}",
		 NULL, "/v1/security-requests/%s/cost-estimates", req);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	ck_assert_int_eq(count("cost_estimates"), 1);
	estimate(req, 250000, 100000, 30);   /* revision 2: 350,000 the first year */
	h = call("GET", NULL, NULL, "/v1/security-requests/%s/cost-estimates", req);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/security-requests/%s", req);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "latest_estimate"), "revision")), 2);
	http_free(h);
	/* the database refuses to change or delete a revision */
	{
		PGconn *c = itk_connect(&t);
		PGresult *res = PQexec(c, "update cost_estimates set one_off_jpy = 1");

		ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
		ck_assert(strstr(PQresultErrorMessage(res), "append-only"));
		PQclear(res);
		res = PQexec(c, "delete from cost_estimates");
		ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
		PQclear(res);
		PQfinish(c);
	}

	/* Negotiation: one request; grouped requests only for one engagement. */
	request(req2, vendor, engagement, "certification", 20, NULL);
	request(req3, vendor, NULL, "organisation_training", 20, NULL);
	snprintf(body, sizeof(body), "{\"request_ids\":[\"%s\",\"%s\"],\"initiated_by\":\"outsourcer\"}", req2, req3);
	h = call("POST", body, NULL, "/v1/negotiations");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	ck_assert_int_eq(count("negotiations"), 0);
	snprintf(body, sizeof(body), "{\"request_ids\":[\"%s\",\"%s\"],\"initiated_by\":\"vendor\","
		 "\"consultation_requested_on\":\"%s\",\"title\":\"EDR と ISMS の費用\"}", req, req2, day(-28));
	h = call("POST", body, NULL, "/v1/negotiations");
	ck_status(h, 201);
	snprintf(neg, sizeof(neg), "%s", jstr(h, "id"));
	ck_assert_str_eq(jstr(h, "engagement_id"), engagement);
	ck_assert_str_eq(jstr(h, "status"), "open");
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "estimated_first_year_jpy")), 350000);
	ck_assert(json_is_null(json_object_get(h->json, "pass_through_rate")));
	ck_assert(strncmp(http_header(h, "Location"), "/v1/negotiations/", 17) == 0);
	http_free(h);

	/* Sessions: not in the future; corrections are new entries. */
	snprintf(body, sizeof(body), "{\"held_on\":\"%s\",\"channel\":\"online\",\"participants_outsourcer\":[\"佐藤\"],"
		 "\"participants_vendor\":[\"鈴木\"],\"minutes\":\"来週の会議\"}", day(1));
	h = call("POST", body, NULL, "/v1/negotiations/%s/sessions", neg);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/held_on"));
	http_free(h);
	h = call("POST", "{\"held_on\":\"2026-01-01\",\"channel\":\"fax\",\"participants_outsourcer\":[],"
		 "\"participants_vendor\":[\"鈴木\"],\"minutes\":\"m\"}", NULL, "/v1/negotiations/%s/sessions", neg);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	ck_assert_int_eq(count("negotiation_sessions"), 0);
	session(neg, 20, s1);
	snprintf(body, sizeof(body), "{\"held_on\":\"%s\",\"channel\":\"meeting\",\"participants_outsourcer\":[\"佐藤\",\"田中\"],"
		 "\"participants_vendor\":[\"鈴木\"],\"proposals\":[{\"by\":\"vendor\",\"one_off_jpy\":250000,\"recurring_yearly_jpy\":100000},"
		 "{\"by\":\"outsourcer\",\"one_off_jpy\":150000,\"note\":\"初年度のみ\"}],\"minutes\":\"訂正: 実際は 19 日前に開催\","
		 "\"corrects\":\"%s\"}", day(-19), s1);
	h = call("POST", body, NULL, "/v1/negotiations/%s/sessions", neg);
	ck_status(h, 201);
	snprintf(s2, sizeof(s2), "%s", jstr(h, "id"));
	ck_assert_str_eq(jstr(h, "corrects"), s1);
	http_free(h);
	/* the database refuses to edit a session */
	{
		PGconn *c = itk_connect(&t);
		PGresult *res = PQexec(c, "update negotiation_sessions set minutes = 'edited'");

		ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
		PQclear(res);
		res = PQexec(c, "insert into negotiation_sessions (tenant_id, negotiation_id, held_on, channel,"
			     " participants_outsourcer, participants_vendor, minutes, recorded_by)"
			     " select tenant_id, id, tokyo_today() + 1, 'phone', '{a}', '{b}', 'm', 'test' from negotiations");
		ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
		ck_assert(strstr(PQresultErrorMessage(res), "taken place"));
		PQclear(res);
		PQfinish(c);
	}

	/* Outcomes: bad input first, nothing written. */
	h = call("POST", "{\"kind\":\"declined\",\"decided_on\":\"2026-01-01\"}", NULL, "/v1/negotiations/%s/outcomes", neg);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/reason"));
	http_free(h);
	snprintf(body, sizeof(body), "{\"kind\":\"price_revised\",\"decided_on\":\"%s\",\"agreed_one_off_jpy\":200000,"
		 "\"effective_on\":\"%s\"}", day(-1), day(-41));
	h = call("POST", body, NULL, "/v1/negotiations/%s/outcomes", neg);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/effective_on"));
	http_free(h);
	snprintf(body, sizeof(body), "{\"kind\":\"price_revised\",\"decided_on\":\"%s\",\"effective_on\":\"%s\"}", day(-1), day(1));
	h = call("POST", body, NULL, "/v1/negotiations/%s/outcomes", neg);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	snprintf(body, sizeof(body), "{\"kind\":\"pending\",\"decided_on\":\"%s\"}", day(2));
	h = call("POST", body, NULL, "/v1/negotiations/%s/outcomes", neg);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	ck_assert_int_eq(count("negotiation_outcomes"), 0);
	/* the database refuses an effective date before the request too */
	{
		PGconn *c = itk_connect(&t);
		PGresult *res = PQexec(c, "insert into negotiation_outcomes (tenant_id, negotiation_id, kind, decided_on,"
				       " agreed_one_off_jpy, effective_on, recorded_by)"
				       " select tenant_id, id, 'price_revised', tokyo_today(), 1, tokyo_today() - 400, 'test'"
				       "   from negotiations");

		ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
		ck_assert(strstr(PQresultErrorMessage(res), "before the security request"));
		PQclear(res);
		PQfinish(c);
	}
	outcome(neg, "{\"kind\":\"pending\",\"decided_on\":\"2026-01-01\",\"note\":\"社内で検討中\"}", NULL);
	snprintf(body, sizeof(body), "{\"kind\":\"partially\",\"decided_on\":\"%s\",\"decision\":\"agreed\","
		 "\"agreed_one_off_jpy\":175000,\"remaining\":\"年額費用は次年度に再協議\",\"effective_on\":\"%s\","
		 "\"contract_ref\":\"PO-2026-001\"}", day(-10), day(0));
	outcome(neg, body, o1);

	/* Derived: 175,000 of 350,000; 28 days before, the first (corrected) session 19 days ago. */
	h = call("GET", NULL, NULL, "/v1/negotiations/%s", neg);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "partially");
	ck_assert(json_real_value(json_object_get(h->json, "pass_through_rate")) == 0.5);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "agreed_first_year_jpy")), 175000);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "days_to_first_session")), 9);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "days_to_outcome")), 18);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "sessions")), 2);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "outcomes")), 2);
	d = json_object_get(h->json, "current_outcome");
	ck_assert_str_eq(json_string_value(json_object_get(d, "id")), o1);
	http_free(h);
	/* A correction of the outcome: the latest counts. */
	snprintf(body, sizeof(body), "{\"kind\":\"cost_borne_by_outsourcer\",\"decided_on\":\"%s\",\"corrects\":\"%s\","
		 "\"note\":\"機器は当社が貸与する\"}", day(-9), o1);
	outcome(neg, body, NULL);
	h = call("GET", NULL, NULL, "/v1/negotiations/%s", neg);
	ck_assert_str_eq(jstr(h, "status"), "cost_borne_by_outsourcer");
	ck_assert(json_real_value(json_object_get(h->json, "pass_through_rate")) == 1.0);
	http_free(h);
	snprintf(body, sizeof(body), "{\"kind\":\"pending\",\"decided_on\":\"2026-01-01\",\"corrects\":\"%s\"}", s1);
	h = call("POST", body, NULL, "/v1/negotiations/%s/outcomes", neg);
	ck_problem(h, 422, "reference-not-found");
	http_free(h);
	ck_assert_int_eq(sqln("select count(*) from audit_events where action = 'negotiation_outcome.recorded'", NULL), 3);

	/* Nothing estimated: the rate is null. */
	negotiation(neg2, req3, NULL);
	outcome(neg2, "{\"kind\":\"declined\",\"decided_on\":\"2026-01-01\",\"reason\":\"予算がない\","
		      "\"reason_sent_via\":\"email\",\"reason_sent_on\":\"2026-01-02\"}", NULL);
	h = call("GET", NULL, NULL, "/v1/negotiations/%s", neg2);
	ck_assert(json_is_null(json_object_get(h->json, "pass_through_rate")));
	ck_assert(json_is_null(json_object_get(h->json, "days_to_outcome")));
	http_free(h);

	/* Lists: per vendor, per engagement, tenant-wide with filters. */
	h = call("GET", NULL, NULL, "/v1/vendors/%s/security-requests", vendor);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 3);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/engagements/%s/security-requests?kind=certification", engagement);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/security-requests?vendor_id=%s&limit=2", vendor);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
	ck_assert(http_header(h, "Link") != NULL);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/negotiations?status=declined");
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/vendors/%s/security-requests", engagement);
	ck_problem(h, 404, "not-found");
	http_free(h);

	/* Withdrawal */
	h = call("POST", "{\"reason\":\"方針変更\"}", NULL, "/v1/security-requests/%s/withdraw", req3);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "withdrawn");
	http_free(h);
	h = call("POST", "{\"reason\":\"方針変更\"}", NULL, "/v1/security-requests/%s/withdraw", req3);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);

	/* Exports */
	h = call("GET", NULL, NULL, "/v1/vendors/%s/negotiation-records/export.csv", vendor);
	ck_status(h, 200);
	ck_assert(h->len > 3 && !memcmp(h->body, "\xEF\xBB\xBF" "record_type,id,", 18));
	ck_assert(strstr(h->body, "\r\nsecurity_request,"));
	ck_assert(strstr(h->body, "\r\ncost_estimate,"));
	ck_assert(strstr(h->body, "\r\nsession,"));
	ck_assert(strstr(h->body, "\r\noutcome,"));
	ck_assert(strstr(h->body, "機器は当社が貸与する"));
	ck_assert(strstr(http_header(h, "Content-Disposition"), ".csv\""));
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/vendors/%s/negotiation-records/export.json", vendor);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "requests")), 3);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "negotiations")), 2);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/vendors/%s/negotiation-records/export.json", other_vendor);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "requests")), 0);
	http_free(h);

	/* Retention: inside the period, 409 and the database refuses too. */
	h = call("PATCH", "{\"negotiation_retention_years\":1}", NULL, "/v1/settings");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/settings");
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "negotiation_retention_years")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "negotiation_consultation_days")), 30);
	http_free(h);
	{
		const char *ja[2] = { "Accept-Language: ja", NULL };

		h = call("DELETE", NULL, ja, "/v1/negotiations/%s", neg2);
		ck_problem(h, 409, "retention-period");
		ck_assert(strstr(jstr(h, "detail"), "まで保存します"));
		http_free(h);
	}
	h = call("DELETE", NULL, NULL, "/v1/security-requests/%s", req3);
	ck_problem(h, 409, "retention-period");
	http_free(h);
	ck_assert_int_eq(count("negotiations"), 2);
	{
		PGconn *c = itk_connect(&t);
		PGresult *res = PQexec(c, "delete from negotiations");

		ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
		ck_assert(strstr(PQresultErrorMessage(res), "kept until"));
		PQclear(res);
		res = PQexec(c, "delete from security_requests");
		ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
		PQclear(res);
		PQfinish(c);
	}
	/* Outside it: a request with nothing else, three years old, may go. */
	request(req3, other_vendor, NULL, "other", 1200, NULL);
	sql_do("update security_requests set created_at = now() - interval '3 years',"
	       " updated_at = now() - interval '3 years' where id = $1::uuid", req3);
	h = call("DELETE", NULL, NULL, "/v1/security-requests/%s", req3);
	ck_status(h, 204);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/security-requests/%s", req3);
	ck_problem(h, 404, "not-found");
	http_free(h);
	ck_assert_int_eq(sqln("select count(*) from audit_events where action = 'security_request.deleted'", NULL), 2);
	/* A longer period keeps it longer: a 2-year-old record is inside 3 years. */
	h = call("PATCH", "{\"negotiation_retention_years\":3}", NULL, "/v1/settings");
	ck_status(h, 200);
	http_free(h);
	request(req3, other_vendor, NULL, "other", 1200, NULL);
	sql_do("update security_requests set created_at = now() - interval '2 years 6 months',"
	       " updated_at = now() - interval '2 years 6 months' where id = $1::uuid", req3);
	h = call("DELETE", NULL, NULL, "/v1/security-requests/%s", req3);
	ck_problem(h, 409, "retention-period");
	http_free(h);
	itk_teardown(&t);
}
END_TEST

/* ---- the vendor's link ---------------------------------------------------------------- */

START_TEST(vendor_link)
{
	static const char *const env[] = { "ITAKU_RESPOND_LINK_RATE=25", NULL };
	char req[40], neg[40], neg2[40], s1[40], o1[40], other_s[40], link[40], token[64], prefix[16], body[256];
	const char *idem[2] = { "Idempotency-Key: link-1", NULL };
	struct http *h;
	json_t *d;
	int i, status = 0;

	itk_setup(&t, "negotiations_link", env);
	register_vendors();
	request(req, vendor, engagement, "certification", 20, NULL);
	estimate(req, 500000, 0, 19);
	negotiation(neg, req, "\"consultation_requested_on\":\"2026-11-01\"");
	session(neg, 5, s1);
	outcome(neg, "{\"kind\":\"price_revised\",\"decided_on\":\"2026-11-30\",\"decision\":\"agreed\","
		     "\"agreed_one_off_jpy\":400000,\"effective_on\":\"2026-12-01\"}", o1);
	negotiation(neg2, req, NULL);
	session(neg2, 3, other_s);

	h = call("POST", "{\"expires_in_days\":400}", NULL, "/v1/negotiations/%s/vendor-links", neg);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = call("POST", "{\"expires_in_days\":10}", idem, "/v1/negotiations/%s/vendor-links", neg);
	ck_status(h, 201);
	snprintf(link, sizeof(link), "%s", jstr(h, "id"));
	snprintf(token, sizeof(token), "%s", jstr(h, "token"));
	snprintf(prefix, sizeof(prefix), "%s", jstr(h, "prefix"));
	ck_assert_int_eq(strlen(token), 47);
	ck_assert(!strncmp(token, "itn_", 4));
	ck_assert(strstr(jstr(h, "negotiate_path"), token));
	ck_assert_str_eq(jstr(h, "status"), "active");
	http_free(h);
	/* the replay and the list never show the token; the database keeps its hash */
	h = call("POST", "{\"expires_in_days\":10}", idem, "/v1/negotiations/%s/vendor-links", neg);
	ck_status(h, 201);
	ck_assert(!strstr(h->body, token));
	ck_assert(json_object_get(h->json, "token") == NULL);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/negotiations/%s/vendor-links", neg);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert(!strstr(h->body, token));
	http_free(h);
	ck_assert_int_eq(sqln("select count(*) from negotiation_links where token_hash = encode(sha256($1::bytea), 'hex')", token), 1);
	ck_assert_int_eq(sqln("select count(*) from audit_events where after::text like '%' || $1 || '%'", token), 0);

	/* The vendor reads: no API key, nothing internal. */
	h = http_do(&t, "GET", "/v1/negotiate/itn_short", NULL, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	snprintf(body, sizeof(body), "/v1/negotiate/%s", token);
	h = http_do(&t, "GET", body, NULL, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "vendor"), "みなとセキュリティ株式会社");
	d = json_object_get(h->json, "negotiation");
	ck_assert_str_eq(json_string_value(json_object_get(d, "status")), "price_revised");
	ck_assert(json_real_value(json_object_get(d, "pass_through_rate")) == 0.8);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "sessions")), 1);
	ck_assert(!strstr(h->body, "recorded_by"));
	ck_assert(!strstr(h->body, "risks"));
	ck_assert(!strstr(h->body, "api_key:"));
	http_free(h);

	/* Confirm the minutes; contest the outcome (a comment is required). */
	snprintf(body, sizeof(body), "/v1/negotiate/%s/sessions/%s/confirmation", token, s1);
	h = http_do(&t, "POST", body, NULL, "{\"stance\":\"confirmed\"}", NULL);
	ck_status(h, 201);
	ck_assert_str_eq(jstr(h, "recorded_by"), (snprintf(body, sizeof(body), "negotiation_link:%s", prefix), body));
	http_free(h);
	snprintf(body, sizeof(body), "/v1/negotiate/%s/outcomes/%s/confirmation", token, o1);
	h = http_do(&t, "POST", body, NULL, "{\"stance\":\"contested\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/comment"));
	http_free(h);
	ck_assert_int_eq(count("negotiation_confirmations"), 1);
	h = http_do(&t, "POST", body, NULL, "{\"stance\":\"contested\",\"comment\":\"合意額は 450,000 円でした\"}", NULL);
	ck_status(h, 201);
	http_free(h);
	/* an entry of another negotiation is not found */
	snprintf(body, sizeof(body), "/v1/negotiate/%s/sessions/%s/confirmation", token, other_s);
	h = http_do(&t, "POST", body, NULL, "{\"stance\":\"confirmed\"}", NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	/* Both versions side by side for staff; the audit trail names the link. */
	h = call("GET", NULL, NULL, "/v1/negotiations/%s", neg);
	d = json_object_get(json_array_get(json_object_get(h->json, "outcomes"), 0), "vendor_confirmation");
	ck_assert_str_eq(json_string_value(json_object_get(d, "stance")), "contested");
	ck_assert_str_eq(json_string_value(json_object_get(d, "comment")), "合意額は 450,000 円でした");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(h->json, "outcomes"), 0),
							       "agreed_one_off_jpy")), 400000);
	d = json_object_get(json_array_get(json_object_get(h->json, "sessions"), 0), "vendor_confirmation");
	ck_assert_str_eq(json_string_value(json_object_get(d, "stance")), "confirmed");
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "confirmations")), 2);
	http_free(h);
	/* The vendor sees both confirmations, and still no one who recorded anything. */
	snprintf(body, sizeof(body), "/v1/negotiate/%s", token);
	h = http_do(&t, "GET", body, NULL, NULL, NULL);
	ck_status(h, 200);
	d = json_object_get(json_array_get(json_object_get(h->json, "sessions"), 0), "vendor_confirmation");
	ck_assert_str_eq(json_string_value(json_object_get(d, "stance")), "confirmed");
	ck_assert(!strstr(h->body, "recorded_by"));
	ck_assert(!strstr(h->body, "negotiation_link:"));
	http_free(h);
	/* A dead link hears so before anything about its body. */
	h = http_do(&t, "POST", "/v1/negotiate/itn_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/sessions/"
		    "00000000-0000-4000-8000-000000000000/confirmation", NULL, "{\"stance\":\"maybe\"}", NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	ck_assert_int_eq(sqln("select count(*) from audit_events where action = 'negotiation_confirmation.recorded'"
			      " and actor = 'negotiation_link:' || $1", prefix), 2);
	ck_assert_int_eq(sqln("select count(*) from negotiation_confirmations where link_id = $1::uuid", link), 2);

	/* The budget: 25 a minute, then 429 with Retry-After. */
	snprintf(body, sizeof(body), "/v1/negotiate/%s", token);
	for (i = 0; i < 30 && status != 429; i++) {
		h = http_do(&t, "GET", body, NULL, NULL, NULL);
		status = (int)h->status;
		if (status == 429)
			ck_assert(http_header(h, "Retry-After") != NULL);
		http_free(h);
	}
	ck_assert_int_eq(status, 429);
	sql_do("update negotiation_links set window_count = 0 where id = $1::uuid", link);

	/* Revoked: 410 at once; an expired link too. */
	h = call("POST", NULL, NULL, "/v1/negotiation-links/%s/revoke", link);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "revoked");
	http_free(h);
	h = http_do(&t, "GET", body, NULL, NULL, NULL);
	ck_problem(h, 410, "link-gone");
	http_free(h);
	h = call("POST", NULL, NULL, "/v1/negotiations/%s/vendor-links", neg);
	ck_status(h, 201);
	snprintf(token, sizeof(token), "%s", jstr(h, "token"));
	snprintf(link, sizeof(link), "%s", jstr(h, "id"));
	http_free(h);
	sql_do("update negotiation_links set created_at = now() - interval '1 day',"
	       " expires_at = now() - interval '1 hour' where id = $1::uuid", link);
	snprintf(body, sizeof(body), "/v1/negotiate/%s", token);
	h = http_do(&t, "GET", body, NULL, NULL, NULL);
	ck_problem(h, 410, "link-gone");
	http_free(h);
	itk_teardown(&t);
}
END_TEST

/* ---- rule checks and events --------------------------------------------------------------- */

static const char *const rule_names[] = { "R1_no_timely_consultation", "R2_decline_without_written_reason",
	"R3_unchanged_at_renewal", "R4_low_price_unilateral", "R5_designation_with_equivalent",
	"R6_charge_without_agreement", "R7_payment_terms", NULL };

static void ck_text(json_t *text)
{
	ck_assert(json_is_object(text));
	ck_assert_int_eq(json_object_size(text), 2);
	ck_assert(json_string_length(json_object_get(text, "code")) > 0);
	ck_assert(json_string_length(json_object_get(text, "message")) > 0);
}

static void ck_uuid_or_null(json_t *x, const char *key)
{
	json_t *v = json_object_get(x, key);

	ck_assert_msg(v != NULL, "%s is missing", key);
	ck_assert(json_is_null(v) || json_string_length(v) == 36);
}

/* The one shape of a rule result (openapi RuleResult), whatever the rule
 * and whichever list shows it: request document, per vendor, tenant-wide. */
static void ck_rule_result(json_t *x)
{
	const char *rule = json_string_value(json_object_get(x, "rule"));
	json_t *pre = json_object_get(x, "preconditions"), *rec;
	int known = 0;
	size_t i;

	ck_assert_ptr_nonnull(rule);
	for (i = 0; rule_names[i]; i++)
		known |= !strcmp(rule, rule_names[i]);
	ck_assert_msg(known, "unknown rule %s", rule);
	ck_assert_int_eq(json_object_size(x), 13);
	ck_assert_str_eq(json_string_value(json_object_get(x, "status")), "needs_review");
	ck_assert(json_object_get(x, "result") == NULL && json_object_get(x, "title_ja") == NULL);
	ck_text(json_object_get(x, "title"));
	ck_text(json_object_get(x, "explanation"));
	ck_assert(json_string_length(json_object_get(x, "source")) > 0);
	ck_assert(strstr(json_string_value(json_object_get(x, "source")), "取適法") ||
		  strstr(json_string_value(json_object_get(x, "source")), "guidance"));
	ck_assert_int_eq(json_object_size(pre), 4);
	ck_assert(json_is_string(json_object_get(pre, "torihiki")));
	ck_assert(json_object_get(pre, "torihiki_test") != NULL);
	ck_assert(json_is_array(json_object_get(pre, "torihiki_missing")));
	ck_assert(json_object_get(pre, "superior_bargaining_position") != NULL);
	ck_assert(json_array_size(json_object_get(x, "records")) >= 1);
	json_array_foreach(json_object_get(x, "records"), i, rec) {
		ck_assert_int_eq(json_object_size(rec), 3);
		ck_assert(json_is_string(json_object_get(rec, "resource")));
		ck_assert_int_eq(json_string_length(json_object_get(rec, "id")), 36);
		ck_assert(json_is_array(json_object_get(rec, "fields")));
	}
	ck_assert_int_eq(json_string_length(json_object_get(x, "vendor_id")), 36);
	ck_uuid_or_null(x, "engagement_id");
	ck_uuid_or_null(x, "request_id");
	ck_uuid_or_null(x, "negotiation_id");
	ck_assert(json_is_object(json_object_get(x, "facts")));
	ck_assert(json_object_get(x, "detected_at") != NULL);
	/* rules 1-6 belong to a request, rule 7 to an engagement */
	if (!strcmp(rule, "R7_payment_terms")) {
		ck_assert(json_is_null(json_object_get(x, "request_id")));
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(x, "records"), 0),
								   "resource")), "engagement");
		ck_assert_str_eq(json_string_value(json_object_get(pre, "torihiki")), "covered");
	} else {
		ck_assert(json_is_string(json_object_get(x, "request_id")));
	}
}

/* Every item of a list page has the shape; returns how many are of rule (NULL: all). */
static int ck_rule_page(struct http *h, const char *rule)
{
	json_t *x;
	size_t i;
	int n = 0;

	ck_status(h, 200);
	json_array_foreach(json_object_get(h->json, "items"), i, x) {
		ck_rule_result(x);
		n += !rule || !strcmp(json_string_value(json_object_get(x, "rule")), rule);
	}
	return n;
}

static json_t *risks(const char *req)
{
	struct http *h = call("GET", NULL, NULL, "/v1/security-requests/%s", req);
	json_t *r;

	ck_status(h, 200);
	r = json_incref(json_object_get(h->json, "risks"));
	http_free(h);
	return r;
}

/* The kept results (sql/functions/91_rule_results.sql) of every request
 * and every engagement within a 取適法 type are today's and equal to the
 * rules evaluated afresh: every write the test makes reached them. */
static void ck_kept(void)
{
	ck_assert_int_eq(sqln("select count(*) from security_requests s"
			      " where (select k.results from request_rule_results k where k.tenant_id = s.tenant_id"
			      "           and k.request_id = s.id and k.held_on = tokyo_today())"
			      "       is distinct from security_request_risks(s.tenant_id, s.id)"
			      "   and $1::text is not null", "x"), 0);
	ck_assert_int_eq(sqln("select count(*) from engagements e"
			      " where e.torihiki_type is not null and e.torihiki_type <> 'not_applicable'"
			      "   and (select k.results from engagement_rule_results k where k.tenant_id = e.tenant_id"
			      "           and k.engagement_id = e.id)"
			      "       is distinct from torihiki_payment_risks_of(e, torihiki_coverage_of(e))"
			      "   and $1::text is not null", "x"), 0);
	/* and so do the overview's counts of them (sql/functions/94_overview_counts.sql) */
	ck_assert_int_eq(sqln("select count(*) from tenants x, overview_counts_diff(x.id) where $1::text is not null",
			      "x"), 0);
}

/* How many results of rule the request has now (NULL rule: all); the
 * kept results agree. */
static int holds(const char *req, const char *rule)
{
	json_t *r = risks(req), *x;
	size_t i;
	int n = 0;

	ck_kept();

	json_array_foreach(r, i, x) {
		if (rule && strcmp(json_string_value(json_object_get(x, "rule")), rule))
			continue;
		ck_rule_result(x);
		ck_assert_str_eq(json_string_value(json_object_get(x, "request_id")), req);
		n++;
	}
	json_decref(r);
	return n;
}

static long events(const char *type, const char *resource)
{
	const char *params[2] = { type, resource };
	char *v = itk_sql_value(&t, "select count(*) from webhook_events where type = $1 and resource_id = $2::uuid", 2, params);
	long n = atol(v);

	free(v);
	return n;
}

/* A negotiation that a rule result names: changed through PATCH (If-Match;
 * bad input and a stale version change nothing), then deleted once its
 * retention period has passed, which takes its results off its requests. */
static void negotiation_changed_and_deleted(void)
{
	char *neg = sql1("select x ->> 'negotiation_id' from request_rule_results k, jsonb_array_elements(k.results) x"
			 " where x ->> 'negotiation_id' is not null and $1::text is not null"
			 " order by x ->> 'negotiation_id' limit 1", "x");
	char hdr_text[64], body[1200];
	const char *hdr[2] = { hdr_text, NULL };
	struct http *h;
	long version;

	ck_assert_int_eq((int)strlen(neg), 36);
	h = call("GET", NULL, NULL, "/v1/negotiations/%s", neg);
	ck_status(h, 200);
	version = (long)json_integer_value(json_object_get(h->json, "version"));
	http_free(h);
	snprintf(hdr_text, sizeof(hdr_text), "If-Match: \"%ld\"", version);
	h = call("PATCH", "{\"title\":\"\"}", hdr, "/v1/negotiations/%s", neg);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = call("PATCH", "{\"vendor_id\":\"00000000-0000-0000-0000-000000000000\"}", hdr, "/v1/negotiations/%s", neg);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = call("PATCH", "{\"title\":\"EDR 費用の協議（第2回）\"}", hdr, "/v1/negotiations/%s", neg);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "title"), "EDR 費用の協議（第2回）");
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "version")), version + 1);
	http_free(h);
	h = call("PATCH", "{\"title\":\"古い版\"}", hdr, "/v1/negotiations/%s", neg);
	ck_problem(h, 412, "precondition-failed");
	http_free(h);
	ck_assert_int_eq(sqln("select count(*) from negotiations where title = 'EDR 費用の協議（第2回）'", NULL), 1);
	ck_kept();

	/* Three years on (every record of it backdated behind the append-only triggers' back) */
	snprintf(body, sizeof(body), "do $x$ begin set local session_replication_role = replica;"
		 " update negotiations set created_at = now() - interval '3 years', updated_at = now() - interval '3 years'"
		 "  where id = '%s';"
		 " update negotiation_sessions set recorded_at = now() - interval '3 years' where negotiation_id = '%s';"
		 " update negotiation_outcomes set recorded_at = now() - interval '3 years' where negotiation_id = '%s';"
		 " update negotiation_confirmations set recorded_at = now() - interval '3 years'"
		 "  where negotiation_id = '%s'; end $x$", neg, neg, neg, neg);
	sql_do(body, NULL);
	h = call("DELETE", NULL, NULL, "/v1/negotiations/%s", neg);
	ck_status(h, 204);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/negotiations/%s", neg);
	ck_problem(h, 404, "not-found");
	http_free(h);
	ck_assert_int_eq(sqln("select count(*) from request_rule_results k, jsonb_array_elements(k.results) x"
			      " where x ->> 'negotiation_id' = $1", neg), 0);
	ck_assert_int_eq(sqln("select count(*) from negotiation_outcomes where negotiation_id = $1::uuid", neg), 0);
	ck_kept();
	free(neg);
}

START_TEST(rules_and_events)
{
	static const char *const env[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", ITK_SECRET_KEY_ENV,
					   "ITAKU_SCHEDULER_INTERVAL_S=3600", NULL };
	char r[16][40], n[16][40], r4[40], n4[40], cert[40], cert2[40], body[1024], path[128];
	struct http *h;
	json_t *x;

	itk_setup(&t, "negotiations_rules", env);
	register_vendors();
	post_id("/v1/webhook-subscriptions", "{\"url\":\"http://127.0.0.1:9/hooks\","
		"\"event_types\":[\"negotiation.risk_detected\",\"negotiation.outcome_recorded\"]}", (char[40]){ 0 });
	/* 取適法: a covered engagement (program creation, 5億円 and 1,000 people against 1千万円) and one that is not */
	sql_do("update tenants set settings = settings || '{\"torihiki\":{\"capital_jpy\":500000000,"
	       "\"employee_count\":1000,\"superior_bargaining_position\":true}}'::jsonb where id = (select tenant_id"
	       " from vendors where id = $1::uuid)", vendor);
	sql_do("update vendors set capital_jpy = 10000000, employee_count = 20 where id = $1::uuid", vendor);
	sql_do("update engagements set torihiki_type = 'program_creation', ordered_on = '2026-01-01' where id = $1::uuid", engagement);
	sql_do("update engagements set torihiki_type = 'not_applicable' where id = $1::uuid", engagement2);

	/* Rule 1: an estimate 31 days old and no session fires; exactly 30 does not. */
	request(r[0], vendor, engagement, "paid_service", 40, NULL);
	estimate(r[0], 100000, 0, 31);
	request(r[1], vendor, engagement, "paid_service", 40, NULL);
	estimate(r[1], 100000, 0, 30);
	ck_assert_int_eq(holds(r[0], "R1_no_timely_consultation"), 1);
	ck_assert_int_eq(holds(r[1], "R1_no_timely_consultation"), 0);
	x = risks(r[0]);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(x, 0), "preconditions"),
		"torihiki")), "covered");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(x, 0), "preconditions"),
		"torihiki_test")), "capital");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(x, 0), "title"), "code")),
			 "negotiation_rule.r1_title");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(x, 0), "title"), "message")),
			 "No consultation within the period after the vendor asked");
	ck_assert(json_is_true(json_object_get(json_object_get(json_array_get(x, 0), "preconditions"), "superior_bargaining_position")));
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_array_get(x, 0), "facts"), "days")), 31);
	ck_assert(json_string_value(json_object_get(json_array_get(x, 0), "detected_at")) != NULL);
	json_decref(x);
	ck_assert_int_eq(events("negotiation.risk_detected", r[0]), 1);
	ck_assert_int_eq(events("negotiation.risk_detected", r[1]), 0);
	/* a session 30 days after the request for consultation is in time; 33 days is late */
	request(r[2], vendor, engagement, "paid_service", 40, NULL);
	snprintf(body, sizeof(body), "\"consultation_requested_on\":\"%s\"", day(-31));
	negotiation(n[2], r[2], body);
	session(n[2], 1, NULL);
	ck_assert_int_eq(holds(r[2], "R1_no_timely_consultation"), 0);
	request(r[3], vendor, engagement, "paid_service", 40, NULL);
	snprintf(body, sizeof(body), "\"consultation_requested_on\":\"%s\"", day(-35));
	negotiation(n[3], r[3], body);
	session(n[3], 2, NULL);
	ck_assert_int_eq(holds(r[3], "R1_no_timely_consultation"), 1);
	/* covered: a price decided unilaterally after the request, with no session, fires at once; not covered it does not */
	request(r[4], vendor, engagement, "paid_service", 20, NULL);
	snprintf(body, sizeof(body), "\"consultation_requested_on\":\"%s\"", day(-10));
	negotiation(n[4], r[4], body);
	snprintf(body, sizeof(body), "{\"kind\":\"price_revised\",\"decided_on\":\"%s\",\"decision\":\"unilateral\","
		 "\"agreed_one_off_jpy\":10000,\"effective_on\":\"%s\"}", day(-1), day(0));
	outcome(n[4], body, NULL);
	ck_assert_int_eq(holds(r[4], "R1_no_timely_consultation"), 1);
	ck_assert_int_eq(events("negotiation.outcome_recorded", n[4]), 1);
	request(r[5], vendor, engagement2, "paid_service", 20, NULL);
	snprintf(body, sizeof(body), "\"consultation_requested_on\":\"%s\"", day(-10));
	negotiation(n[5], r[5], body);
	snprintf(body, sizeof(body), "{\"kind\":\"price_revised\",\"decided_on\":\"%s\",\"decision\":\"unilateral\","
		 "\"agreed_one_off_jpy\":10000,\"effective_on\":\"%s\"}", day(-1), day(0));
	outcome(n[5], body, NULL);
	ck_assert_int_eq(holds(r[5], "R1_no_timely_consultation"), 0);
	x = risks(r[5]);
	ck_assert_int_eq(json_array_size(x), 0);
	json_decref(x);

	/* Rule 2: declined with the reason told orally fires; by e-mail it does not. */
	request(r[6], vendor, engagement, "organisation_training", 10, NULL);
	negotiation(n[6], r[6], NULL);
	outcome(n[6], "{\"kind\":\"declined\",\"decided_on\":\"2026-11-30\",\"reason\":\"予算がない\",\"reason_sent_via\":\"oral\"}", NULL);
	ck_assert_int_eq(holds(r[6], "R2_decline_without_written_reason"), 1);
	request(r[7], vendor, engagement, "organisation_training", 10, NULL);
	negotiation(n[7], r[7], NULL);
	outcome(n[7], "{\"kind\":\"declined\",\"decided_on\":\"2026-11-30\",\"reason\":\"予算がない\",\"reason_sent_via\":\"email\","
		      "\"reason_sent_on\":\"2026-11-30\"}", NULL);
	ck_assert_int_eq(holds(r[7], "R2_decline_without_written_reason"), 0);

	/* Rule 3: a certification, price unchanged at a past renewal, no session by then; with one, no; renewal ahead, no. */
	snprintf(body, sizeof(body), "\"renewal_on\":\"%s\",\"price_unchanged_at_renewal\":true", day(-5));
	request(r[8], vendor, engagement, "certification", 60, body);
	ck_assert_int_eq(holds(r[8], "R3_unchanged_at_renewal"), 1);
	request(r[9], vendor, engagement, "certification", 60, body);
	negotiation(n[9], r[9], NULL);
	session(n[9], 5, NULL);   /* on the renewal day: discussed by then */
	ck_assert_int_eq(holds(r[9], "R3_unchanged_at_renewal"), 0);
	snprintf(body, sizeof(body), "\"renewal_on\":\"%s\",\"price_unchanged_at_renewal\":true", day(5));
	request(r[10], vendor, engagement, "paid_service", 60, body);
	ck_assert_int_eq(holds(r[10], "R3_unchanged_at_renewal"), 0);

	/* Rule 4: unilateral at exactly the old price fires; one yen above does not; agreed does not. */
	request(r[11], vendor, engagement2, "paid_service", 10, NULL);
	negotiation(n[11], r[11], NULL);
	outcome(n[11], "{\"kind\":\"declined\",\"decided_on\":\"2026-11-30\",\"decision\":\"unilateral\",\"reason\":\"据え置き\","
		       "\"reason_sent_via\":\"letter\",\"reason_sent_on\":\"2026-11-30\",\"price_before_jpy\":1000000,\"price_after_jpy\":1000000}", NULL);
	ck_assert_int_eq(holds(r[11], "R4_low_price_unilateral"), 1);
	ck_assert_int_eq(holds(r[11], NULL), 1);
	outcome(n[11], "{\"kind\":\"price_revised\",\"decided_on\":\"2026-11-30\",\"decision\":\"unilateral\",\"agreed_one_off_jpy\":1,"
		       "\"effective_on\":\"2026-12-01\",\"price_before_jpy\":1000000,\"price_after_jpy\":1000001}", NULL);
	ck_assert_int_eq(holds(r[11], "R4_low_price_unilateral"), 0);
	ck_assert_int_eq(events("negotiation.risk_detected", r[11]), 1);   /* announced once, when it started */
	outcome(n[11], "{\"kind\":\"declined\",\"decided_on\":\"2026-11-30\",\"decision\":\"agreed\",\"reason\":\"合意\","
		       "\"reason_sent_via\":\"letter\",\"reason_sent_on\":\"2026-11-30\",\"price_before_jpy\":1000000,\"price_after_jpy\":900000}", NULL);
	ck_assert_int_eq(holds(r[11], "R4_low_price_unilateral"), 0);

	/* Rule 5: designated without necessity fires; with necessity not; with an equivalent claimed, or a
	 * verified certificate named as one, it fires; an unverified certificate does not count. */
	request(r[12], vendor, NULL, "designated_product", 10, "\"designated\":true,\"designated_item\":\"A社 EDR\"");
	ck_assert_int_eq(holds(r[12], "R5_designation_with_equivalent"), 1);
	request(r[13], vendor, NULL, "designated_product", 10,
		"\"designated\":true,\"designated_item\":\"A社 EDR\",\"designation_necessity\":\"当社 SOC との連携に必要\"");
	ck_assert_int_eq(holds(r[13], "R5_designation_with_equivalent"), 0);
	snprintf(path, sizeof(path), "/v1/vendors/%s/certifications", vendor);
	post_id(path, "{\"kind\":\"isms\",\"registered_scope\":\"本社\",\"expires_on\":\"2099-01-01\",\"scope_verified\":true}", cert);
	post_id(path, "{\"kind\":\"privacy_mark\",\"expires_on\":\"2099-01-01\"}", cert2);
	snprintf(body, sizeof(body), "{\"equivalent_certification_id\":\"%s\"}", cert2);
	h = call("PATCH", body, NULL, "/v1/security-requests/%s", r[13]);
	ck_status(h, 200);
	http_free(h);
	ck_assert_int_eq(holds(r[13], "R5_designation_with_equivalent"), 0);
	snprintf(body, sizeof(body), "{\"equivalent_certification_id\":\"%s\"}", cert);
	h = call("PATCH", body, NULL, "/v1/security-requests/%s", r[13]);
	ck_status(h, 200);
	http_free(h);
	ck_assert_int_eq(holds(r[13], "R5_designation_with_equivalent"), 1);
	/* another vendor's certificate is refused */
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"kind\":\"other\",\"text\":\"x\",\"requested_on\":\"2026-01-01\","
		 "\"equivalent_certification_id\":\"%s\"}", other_vendor, cert);
	h = call("POST", body, NULL, "/v1/security-requests");
	ck_problem(h, 422, "rule-violated");
	http_free(h);

	/* Rule 6: charged with nothing agreed fires; agreed beforehand with a basis does not; agreed after, or
	 * charged above what was agreed, fires. */
	request(r[14], vendor, NULL, "paid_service", 10, "\"charged_jpy\":50000,\"charged_on\":\"2026-11-25\"");
	ck_assert_int_eq(holds(r[14], "R6_charge_without_agreement"), 1);
	request(r[15], vendor, NULL, "paid_service", 10, "\"charged_jpy\":50000,\"charged_on\":\"2026-11-25\","
		"\"charge_agreed_jpy\":50000,\"charge_basis\":\"監視サービス月額の按分\",\"charge_agreed_on\":\"2026-11-25\"");
	ck_assert_int_eq(holds(r[15], "R6_charge_without_agreement"), 0);
	h = call("PATCH", "{\"charged_jpy\":50001}", NULL, "/v1/security-requests/%s", r[15]);
	ck_status(h, 200);
	http_free(h);
	ck_assert_int_eq(holds(r[15], "R6_charge_without_agreement"), 1);
	h = call("PATCH", "{\"charged_jpy\":50000,\"charge_agreed_on\":\"2026-11-26\"}", NULL, "/v1/security-requests/%s", r[15]);
	ck_status(h, 200);
	http_free(h);
	ck_assert_int_eq(holds(r[15], "R6_charge_without_agreement"), 1);
	ck_assert_int_eq(events("negotiation.risk_detected", r[15]), 1);   /* once, however often it holds again */

	/* No engagement named: coverage unknown, for want of the engagement. */
	x = risks(r[12]);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(x, 0), "preconditions"),
		"torihiki")), "unknown");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(json_array_get(x, 0),
		"preconditions"), "torihiki_missing"), 0)), "engagement");
	json_decref(x);

	/* Rule 4 again, so that every rule holds somewhere when the lists are read. */
	request(r4, vendor, engagement2, "paid_service", 10, NULL);
	negotiation(n4, r4, NULL);
	outcome(n4, "{\"kind\":\"declined\",\"decided_on\":\"2026-11-30\",\"decision\":\"unilateral\",\"reason\":\"据え置き\","
		    "\"reason_sent_via\":\"letter\",\"reason_sent_on\":\"2026-11-30\",\"price_before_jpy\":1000000,"
		    "\"price_after_jpy\":1000000}", NULL);
	ck_assert_int_eq(holds(r4, "R4_low_price_unilateral"), 1);

	/* Rule 7: the covered engagement's terms (60 days after receipt, the transfer fee on the vendor) give two
	 * results, listed per vendor and tenant-wide next to rules 1-6, in the same shape; not in a request's document. */
	sql_do("update engagements set payment_due_basis = 'days_after_receipt', payment_due_days = 60,"
	       " transfer_fee_borne_by = 'vendor' where id = $1::uuid", engagement);
	ck_assert_int_eq(holds(r[0], "R7_payment_terms"), 0);
	{
		const char *lists[2];
		char vpath[128];
		int total[2];

		snprintf(vpath, sizeof(vpath), "/v1/vendors/%s/negotiation-risks", vendor);
		lists[0] = "/v1/negotiation-risks";
		lists[1] = vpath;
		for (int l = 0; l < 2; l++) {
			char cursor_path[512];
			int paged = 0, pages = 0;

			h = call("GET", NULL, NULL, "%s?limit=200", lists[l]);
			total[l] = ck_rule_page(h, NULL);
			for (int k = 0; rule_names[k]; k++)
				ck_assert_msg(ck_rule_page(h, rule_names[k]) >= 1, "%s lists no %s", lists[l], rule_names[k]);
			ck_assert_int_eq(ck_rule_page(h, "R7_payment_terms"), 2);
			http_free(h);
			/* one keyset over requests and engagements: pages of 3 add up to the whole */
			snprintf(cursor_path, sizeof(cursor_path), "%s?limit=3", lists[l]);
			for (;;) {
				json_t *next;

				h = call("GET", NULL, NULL, "%s", cursor_path);
				paged += ck_rule_page(h, NULL);
				pages++;
				next = json_object_get(h->json, "next_cursor");
				if (!json_is_string(next)) {
					http_free(h);
					break;
				}
				snprintf(cursor_path, sizeof(cursor_path), "%s?limit=3&cursor=%s", lists[l], json_string_value(next));
				http_free(h);
				ck_assert_int_lt(pages, 50);
			}
			ck_assert_int_eq(paged, total[l]);
			/* the rule filter and the engagement filter take rule 7 too */
			h = call("GET", NULL, NULL, "%s?rule=R7_payment_terms", lists[l]);
			ck_assert_int_eq(ck_rule_page(h, "R7_payment_terms"), 2);
			ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
			x = json_array_get(json_object_get(h->json, "items"), 0);
			ck_assert_str_eq(json_string_value(json_object_get(x, "engagement_id")), engagement);
			ck_assert_str_eq(json_string_value(json_object_get(x, "vendor_id")), vendor);
			http_free(h);
			h = call("GET", NULL, NULL, "%s?rule=R7_payment_terms&engagement_id=%s", lists[l], engagement2);
			ck_assert_int_eq(ck_rule_page(h, NULL), 0);
			http_free(h);
			h = call("GET", NULL, NULL, "%s?engagement_id=%s", lists[l], engagement);
			ck_assert_int_eq(ck_rule_page(h, "R7_payment_terms"), 2);
			ck_assert_int_gt(ck_rule_page(h, "R1_no_timely_consultation"), 0);
			http_free(h);
		}
		ck_assert_int_ge(total[0], total[1]);
	}
	/* In Japanese: the titles and explanations render from the catalogue. */
	{
		const char *ja[2] = { "Accept-Language: ja", NULL };

		h = call("GET", NULL, ja, "/v1/negotiation-risks?rule=R6_charge_without_agreement");
		ck_assert_int_eq(ck_rule_page(h, NULL), 2);
		ck_assert_str_eq(http_header(h, "Content-Language"), "ja");
		x = json_array_get(json_object_get(h->json, "items"), 0);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(x, "title"), "message")),
				 "負担額と算出根拠の事前合意なくセキュリティ対策費を負担させた");
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(x, "title"), "code")),
				 "negotiation_rule.r6_title");
		ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_object_get(x, "explanation"), "message")),
					     "負担額・算出根拠"));
		ck_assert_str_eq(json_string_value(json_object_get(x, "source")),
				 "METI/JFTC 2022 guidance, セキュリティ対策費の負担の要請; 取適法 第5条第2項第2号 (不当な経済上の利益の提供要請)");
		ck_assert_str_eq(json_string_value(json_array_get(json_object_get(json_array_get(json_object_get(x, "records"), 0),
										  "fields"), 0)), "charged_jpy");
		http_free(h);
		h = call("GET", NULL, ja, "/v1/vendors/%s/negotiation-risks?rule=R7_payment_terms", vendor);
		ck_assert_int_eq(ck_rule_page(h, NULL), 2);
		x = json_array_get(json_object_get(h->json, "items"), 0);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(x, "title"), "message")),
				 "取適法の対象取引の支払条件");
		ck_assert_ptr_nonnull(strstr(h->body, "振込手数料"));
		ck_assert_ptr_nonnull(strstr(h->body, "受領日から 60 日後"));
		http_free(h);
		h = call("GET", NULL, ja, "/v1/security-requests/%s", r4);
		ck_status(h, 200);
		x = json_array_get(json_object_get(h->json, "risks"), 0);
		ck_rule_result(x);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(x, "title"), "message")),
				 "要請後に一方的に従来以下の価格を決定（買いたたき）");
		http_free(h);
	}
	/* the event carries the result as the lists show it */
	{
		char *v = sql1("select body::text from webhook_events where type = 'negotiation.risk_detected'"
			       " and resource_id = $1::uuid", r4);
		json_t *ev = json_loads(v, 0, NULL), *d;

		ck_assert_ptr_nonnull(ev);
		d = json_object_get(ev, "data") ? json_object_get(ev, "data") : ev;
		ck_rule_result(d);
		ck_assert_str_eq(json_string_value(json_object_get(d, "rule")), "R4_low_price_unilateral");
		json_decref(ev);
		free(v);
	}

	/* Lists: per vendor and tenant-wide, with filters and pages. */
	h = call("GET", NULL, NULL, "/v1/negotiation-risks?rule=R6_charge_without_agreement");
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/vendors/%s/negotiation-risks?limit=3", vendor);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 3);
	ck_assert(http_header(h, "Link") != NULL);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/vendors/%s/negotiation-risks", other_vendor);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 0);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/negotiation-risks?rule=R9");
	ck_problem(h, 400, "invalid-parameter");
	http_free(h);

	/* The daily scan: a longer period ends rule 1 for r[0] (its signal stays); a shorter one makes r[1]
	 * hold, and the scan announces it once per day. */
	h = call("PATCH", "{\"negotiation_consultation_days\":31}", NULL, "/v1/settings");
	ck_status(h, 200);
	http_free(h);
	ck_assert_int_eq(holds(r[0], "R1_no_timely_consultation"), 0);
	ck_assert_int_eq(holds(r[1], "R1_no_timely_consultation"), 0);
	/* As if a day had passed (the period is shortened behind the triggers' back, and the kept
	 * results are yesterday's): the lists evaluate afresh until the day's scan keeps them. */
	snprintf(body, sizeof body, "do $x$ begin set local session_replication_role = replica;"
		 " update tenants set settings = settings || '{\"negotiation_consultation_days\":29}'"
		 " where id = (select tenant_id from vendors where id = '%s');"
		 " update request_rule_results set held_on = held_on - 1;"
		 " perform overview_counts_rebuild(id) from tenants; end $x$", vendor);
	sql_do(body, NULL);
	ck_assert_int_eq(events("negotiation.risk_detected", r[1]), 0);
	h = call("GET", NULL, NULL, "/v1/negotiation-risks?rule=R1_no_timely_consultation&limit=100");
	ck_assert_int_eq(ck_rule_page(h, NULL), (int)sqln("select count(*) from security_requests s,"
		" jsonb_array_elements(security_request_risks(s.tenant_id, s.id)) x"
		" where x ->> 'rule' = 'R1_no_timely_consultation' and $1::text is not null", "x"));
	http_free(h);
	/* the server's scheduler ran today's scan when it started (every hour after): start the day afresh */
	sql_do("delete from scheduler_runs where job = 'negotiation_risks' and $1::text is not null", "x");
	/* in steps: 5 requests at a time, the run row keeping the position;
	 * the scheduler's step says whether the day's run has more */
	{
		long total = 0;
		int steps = 0, more;

		do {
			char *v = sql1("select more::text || ' ' || announced from negotiation_risks_step(5)", NULL);

			more = !strncmp(v, "true ", 5);
			total += atol(strchr(v, ' ') + 1);
			free(v);
			steps++;
			ck_assert_int_eq(more, (int)sqln("select count(*) from scheduler_runs where job = 'negotiation_risks'"
							 " and finished_at is null", NULL));
		} while (more && steps < 20);
		ck_assert_int_eq(more, 0);
		ck_assert_int_gt(total, 0);
		ck_assert_int_ge(steps, 3);
		ck_assert_int_eq(sqln("select checked from scheduler_runs where job = 'negotiation_risks'", NULL),
				 sqln("select count(*) from security_requests", NULL));
	}
	ck_kept();
	ck_assert_int_eq(events("negotiation.risk_detected", r[1]), 1);
	ck_assert_int_eq(sqln("select negotiation_risks_scan()", NULL), 0);   /* once a day */
	ck_assert_int_eq(sqln("select count(*) from negotiation_risk_signals where request_id = $1::uuid", r[0]), 1);
	negotiation_changed_and_deleted();
	itk_teardown(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("negotiations");
	TCase *tc = tcase_create("negotiations");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, records_estimates_negotiations);
	tcase_add_test(tc, vendor_link);
	tcase_add_test(tc, rules_and_events);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

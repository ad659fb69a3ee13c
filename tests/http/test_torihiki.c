/* HTTP: 取適法 (中小受託取引適正化法) coverage of engagements (issue 20, part
 * B): the tenant's own figures in /v1/settings, the transaction type and
 * payment terms recorded on engagements, torihiki_coverage() at every
 * boundary of 第2条第8項・第9項 (capital exactly 3億円 / 5千万円 / 1千万円,
 * headcount 300 against 301 and 100 against 101, an individual vendor, an
 * order before 2026-01-01), unknown with what is missing, the type asked
 * and never guessed from the category, the coverage view with its duties,
 * rule 7 (payment terms: receipt + 59 days passes, + 60 does not), the
 * Japanese texts, bad input (nothing written) and the schema's own refusal
 * of bad rows. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "receiver.h"

static struct itk t;
static char tenant[40], vendor[40], eng[40];

static struct http *call(const char *method, const char *body, const char *const *headers, const char *fmt, ...)
{
	char path[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return http_do(&t, method, path, t.admin_key, body, headers);
}

static char *sqlv(const char *sql, int n, ...)
{
	const char *params[4];
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		params[i] = va_arg(ap, const char *);
	va_end(ap);
	return itk_sql_value(&t, sql, n, params);
}

static void post_id(const char *path, const char *body, char out[40])
{
	struct http *h = http_do(&t, "POST", path, t.admin_key, body, NULL);

	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

static void setup(void)
{
	char *v;

	/* The secret key and private addresses: rule 7's events need a subscription. */
	static const char *const env[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", ITK_SECRET_KEY_ENV, NULL };

	itk_setup(&t, "torihiki", env);
	v = itk_sql_value(&t, "select id from tenants where name = 't1'", 0, NULL);
	snprintf(tenant, sizeof(tenant), "%s", v);
	free(v);
	post_id("/v1/vendors", "{\"name\":\"株式会社受託\",\"status\":\"active\"}", vendor);
	snprintf(eng, sizeof(eng), "%s", "");
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* Figures set straight in the database (NULL: not recorded). */
static void outsourcer(const char *capital, const char *employees)
{
	char json[128];

	snprintf(json, sizeof(json), "{\"capital_jpy\":%s,\"employee_count\":%s}", capital ? capital : "null",
		 employees ? employees : "null");
	free(sqlv("update tenants set settings = jsonb_set(settings, '{torihiki}', $2::jsonb) where id = $1",
		  2, tenant, json));
}

static void vendor_figures(const char *capital, const char *employees, const char *entity)
{
	free(sqlv("update vendors set capital_jpy = $2::bigint, employee_count = $3::int, entity_type = $4"
		  " where id = $1", 4, vendor, capital, employees, entity ? entity : "corporation"));
}

static void engagement_type(const char *type, const char *ordered_on)
{
	free(sqlv("update engagements set torihiki_type = $2, ordered_on = $3::date where id = $1", 3, eng, type,
		  ordered_on));
}

static json_t *coverage(void)
{
	char *v = sqlv("select torihiki_coverage($1, $2)::text", 2, tenant, eng);
	json_t *j = json_loads(v, 0, NULL);

	free(v);
	ck_assert_ptr_nonnull(j);
	return j;
}

/* Asserts status, test (NULL: null) and the missing names joined by ",". */
static void expect(const char *status, const char *test, const char *missing, int line)
{
	json_t *c = coverage(), *x;
	char got[256] = "";
	size_t i;

	json_array_foreach(json_object_get(c, "missing"), i, x) {
		if (i)
			strcat(got, ",");
		strcat(got, json_string_value(x));
	}
	ck_assert_msg(!strcmp(json_string_value(json_object_get(c, "status")), status),
		      "line %d: status %s, expected %s", line, json_string_value(json_object_get(c, "status")), status);
	if (test)
		ck_assert_msg(json_is_string(json_object_get(c, "test")) &&
			      !strcmp(json_string_value(json_object_get(c, "test")), test), "line %d: test", line);
	else
		ck_assert_msg(json_is_null(json_object_get(c, "test")), "line %d: test not null", line);
	ck_assert_msg(!strcmp(got, missing), "line %d: missing [%s], expected [%s]", line, got, missing);
	ck_assert_msg(json_is_string(json_object_get(json_object_get(c, "explanation"), "message")), "line %d", line);
	json_decref(c);
}
#define EXPECT(s, tst, m) expect(s, tst, m, __LINE__)

static void new_engagement(const char *extra)
{
	char body[1024], path[96];

	snprintf(body, sizeof(body), "{\"title\":\"保守\",\"contract_type\":\"ukeoi\",\"category\":\"data_processing\"%s}",
		 extra ? extra : "");
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", vendor);
	post_id(path, body, eng);
}

START_TEST(capital_and_headcount_boundaries)
{
	new_engagement(NULL);
	/* The type is asked, never derived from the category: every figure
	 * known, still unknown. */
	outsourcer("1000000000", "5000");
	vendor_figures("10000000", "10", NULL);
	EXPECT("unknown", NULL, "transaction_type");

	/* Group 1: program creation. */
	engagement_type("program_creation", NULL);
	outsourcer("300000001", "5000");             /* over 3億円 */
	vendor_figures("300000000", "1000", NULL);   /* exactly 3億円: at most */
	EXPECT("covered", "capital", "");
	vendor_figures("300000001", "300", NULL);    /* capital fails; 300 or fewer */
	EXPECT("covered", "headcount", "");
	vendor_figures("300000001", "301", NULL);
	EXPECT("not_covered", NULL, "");
	outsourcer("300000001", "300");              /* 300 is not more than 300 */
	vendor_figures("300000001", "10", NULL);
	EXPECT("not_covered", NULL, "");
	outsourcer("300000001", "301");
	EXPECT("covered", "headcount", "");
	outsourcer("300000000", "10");               /* exactly 3億円: the 1千万円 band */
	vendor_figures("10000000", "10", NULL);      /* exactly 1千万円: at most */
	EXPECT("covered", "capital", "");
	vendor_figures("10000001", "10", NULL);
	EXPECT("not_covered", NULL, "");
	outsourcer("10000001", "10");
	vendor_figures("10000000", "10", NULL);
	EXPECT("covered", "capital", "");
	outsourcer("10000000", "301");               /* exactly 1千万円: not over */
	vendor_figures(NULL, NULL, "sole_proprietor");
	EXPECT("unknown", NULL, "vendor.employee_count");
	vendor_figures(NULL, "3", "sole_proprietor");
	EXPECT("covered", "headcount", "");
	outsourcer("10000000", "10");
	EXPECT("not_covered", NULL, "");
	outsourcer("20000000", "10");                /* an individual vendor, capital test */
	EXPECT("covered", "capital", "");

	/* Group 2: other services, 5千万円 and 100 people. */
	engagement_type("other_services", NULL);
	outsourcer("50000001", "10");
	vendor_figures("50000000", "10", NULL);
	EXPECT("covered", "capital", "");
	outsourcer("50000000", "101");               /* exactly 5千万円: the 1千万円 band */
	vendor_figures("20000000", "100", NULL);
	EXPECT("covered", "headcount", "");
	vendor_figures("20000000", "101", NULL);
	EXPECT("not_covered", NULL, "");
	outsourcer("50000000", "100");
	vendor_figures("20000000", "5", NULL);
	EXPECT("not_covered", NULL, "");
	vendor_figures("10000000", "5", NULL);
	EXPECT("covered", "capital", "");
	/* The same figures in group 1: 5千万円 is within the 1千万円 band of 3億円. */
	engagement_type("manufacturing_repair_transport", NULL);
	outsourcer("50000001", "10");
	vendor_figures("50000000", "10", NULL);
	EXPECT("not_covered", NULL, "");

	/* Missing figures: unknown with their names, never a guess. */
	outsourcer(NULL, NULL);
	EXPECT("unknown", NULL, "outsourcer.capital_jpy,outsourcer.employee_count");
	outsourcer("500000000", "1000");
	vendor_figures(NULL, NULL, NULL);
	EXPECT("unknown", NULL, "vendor.capital_jpy,vendor.employee_count");
	vendor_figures(NULL, "400", NULL);           /* headcount fails, capital unknown */
	EXPECT("unknown", NULL, "vendor.capital_jpy");
	vendor_figures(NULL, "200", NULL);           /* headcount covers without the capital */
	EXPECT("covered", "headcount", "");
	/* An order before 取適法 came into force: no headcount test. */
	outsourcer("100000000", "1000");
	vendor_figures("20000000", "200", NULL);
	engagement_type("manufacturing_repair_transport", "2025-12-31");
	EXPECT("not_covered", NULL, "");
	engagement_type("manufacturing_repair_transport", "2026-01-01");
	EXPECT("covered", "headcount", "");
	engagement_type("not_applicable", NULL);
	EXPECT("not_covered", NULL, "");
}
END_TEST

/* Rule 7's kept results (sql/functions/91_rule_results.sql) of every
 * engagement within a 取適法 type equal the rule evaluated afresh, and
 * the others keep none: every write reached them. */
static void ck_kept(void)
{
	char *v = sqlv("select count(*) from engagements e left join engagement_rule_results k"
		       "    on k.tenant_id = e.tenant_id and k.engagement_id = e.id"
		       " where case when e.torihiki_type is null or e.torihiki_type = 'not_applicable'"
		       "            then k.results is not null"
		       "            else k.results is distinct from torihiki_payment_risks_of(e, torihiki_coverage_of(e)) end", 0);

	ck_assert_str_eq(v, "0");
	free(v);
	/* and so do the overview's counts of them (sql/functions/94_overview_counts.sql) */
	v = sqlv("select count(*) from tenants x, overview_counts_diff(x.id)", 0);
	ck_assert_str_eq(v, "0");
	free(v);
}

/* How many rule-7 results the engagement's view shows; the kept ones agree. */
static int risks(struct http *h)
{
	ck_kept();
	return (int)json_array_size(json_object_get(h->json, "risks"));
}

static const char *risk_code(struct http *h, size_t i)
{
	json_t *r = json_array_get(json_object_get(h->json, "risks"), i);

	return json_string_value(json_object_get(json_object_get(r, "explanation"), "code"));
}

static struct http *patch_terms(const char *terms, long status)
{
	char body[512];
	struct http *h;

	snprintf(body, sizeof(body), "{\"payment_terms\":%s}", terms);
	h = call("PATCH", body, NULL, "/v1/engagements/%s", eng);
	ck_status(h, status);
	return h;
}

START_TEST(settings_engagement_fields_and_payment_rule)
{
	struct http *h;
	json_t *c, *r;
	char *v;

	/* The tenant's own figures through the API. */
	h = call("PATCH", "{\"torihiki\":{\"capital_jpy\":500000000,\"employee_count\":1200,"
		 "\"superior_bargaining_position\":true,\"superior_bargaining_position_note\":\"主要取引先\"}}",
		 NULL, "/v1/settings");
	ck_status(h, 200);
	c = json_object_get(h->json, "torihiki");
	ck_assert_int_eq(json_integer_value(json_object_get(c, "capital_jpy")), 500000000);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "employee_count")), 1200);
	ck_assert(json_is_true(json_object_get(c, "superior_bargaining_position")));
	http_free(h);
	h = call("PATCH", "{\"torihiki\":{\"employee_count\":1300}}", NULL, "/v1/settings");   /* merged */
	ck_status(h, 200);
	c = json_object_get(h->json, "torihiki");
	ck_assert_int_eq(json_integer_value(json_object_get(c, "capital_jpy")), 500000000);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "employee_count")), 1300);
	http_free(h);
	v = sqlv("select settings #>> '{torihiki,employee_count}' from tenants where id = $1", 1, tenant);
	ck_assert_str_eq(v, "1300");
	free(v);

	/* The vendor: 2億円, 400 people. A covered engagement (group 1,
	 * capital) with 60 days after receipt, through the API. */
	h = call("PATCH", "{\"capital_jpy\":200000000,\"employee_count\":400}", NULL, "/v1/vendors/%s", vendor);
	ck_status(h, 200);
	http_free(h);
	new_engagement(",\"torihiki_type\":\"program_creation\",\"ordered_on\":\"2026-04-01\","
		       "\"payment_terms\":{\"due_basis\":\"days_after_receipt\",\"due_days\":60,"
		       "\"method\":\"bank_transfer\",\"transfer_fee_borne_by\":\"outsourcer\",\"terms_in_writing\":true}");
	h = call("GET", NULL, NULL, "/v1/engagements/%s", eng);
	ck_status(h, 200);
	c = json_object_get(h->json, "torihiki");
	ck_assert_str_eq(json_string_value(json_object_get(c, "status")), "covered");
	ck_assert_str_eq(json_string_value(json_object_get(c, "test")), "capital");
	ck_assert_int_eq(json_integer_value(json_object_get(c, "group")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "payment_terms"), "due_basis")),
			 "days_after_receipt");
	ck_assert_str_eq(jstr(h, "ordered_on"), "2026-04-01");
	http_free(h);
	v = sqlv("select payment_due_days::text || payment_method from engagements where id = $1", 1, eng);
	ck_assert_str_eq(v, "60bank_transfer");
	free(v);

	/* The view: duties, and rule 7 at receipt + 60. */
	h = call("GET", NULL, NULL, "/v1/engagements/%s/torihiki", eng);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "duties")), 7);
	ck_assert(json_is_true(json_object_get(h->json, "superior_bargaining_position")));
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "payment_terms"),
							    "max_days_after_receipt")), 60);
	ck_assert_int_eq(risks(h), 1);
	r = json_array_get(json_object_get(h->json, "risks"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(r, "rule")), "R7_payment_terms");
	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "needs_review");
	ck_assert_str_eq(risk_code(h, 0), "torihiki.risk_due_date");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(r, "source")), "第3条"));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "preconditions"), "torihiki")), "covered");
	ck_assert(json_is_true(json_object_get(json_object_get(r, "preconditions"), "superior_bargaining_position")));
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r, "records"), 0), "id")), eng);
	/* the shape every rule shares (RuleResult) */
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "title"), "code")), "torihiki.rule_payment_terms");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "preconditions"), "torihiki_test")), "capital");
	ck_assert(json_is_null(json_object_get(r, "request_id")));
	ck_assert_str_eq(json_string_value(json_object_get(r, "engagement_id")), eng);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(r, "facts"), "max_days_after_receipt")), 60);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(json_array_get(json_object_get(r, "records"), 0),
									  "fields"), 0)), "payment_terms.due_days");
	http_free(h);
	v = sqlv("select jsonb_array_length(torihiki_payment_risks($1, $2))::text", 2, tenant, eng);
	ck_assert_str_eq(v, "1");
	free(v);

	/* receipt + 59: no risk. Other members stay (merged). */
	http_free(patch_terms("{\"due_days\":59}", 200));
	h = call("GET", NULL, NULL, "/v1/engagements/%s/torihiki", eng);
	ck_assert_int_eq(risks(h), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "payment_terms"), "method")),
			 "bank_transfer");
	http_free(h);

	/* 月末締め翌月末払い: up to 61 days after receipt; 20日締め翌月10日払い: 51. The
	 * change of basis clears due_days. */
	http_free(patch_terms("{\"due_basis\":\"monthly_cutoff\",\"cutoff_day\":31,\"month_offset\":1,\"payment_day\":31}", 200));
	v = sqlv("select coalesce(payment_due_days::text, 'null') from engagements where id = $1", 1, eng);
	ck_assert_str_eq(v, "null");
	free(v);
	h = call("GET", NULL, NULL, "/v1/engagements/%s/torihiki", eng);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "payment_terms"),
							    "max_days_after_receipt")), 61);
	ck_assert_int_eq(risks(h), 1);
	http_free(h);
	http_free(patch_terms("{\"cutoff_day\":20,\"payment_day\":10}", 200));
	h = call("GET", NULL, NULL, "/v1/engagements/%s/torihiki", eng);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "payment_terms"),
							    "max_days_after_receipt")), 51);
	ck_assert_int_eq(risks(h), 0);
	http_free(h);

	/* Promissory note; electronic receivables not convertible, then
	 * convertible; a fee deducted from the vendor. */
	http_free(patch_terms("{\"method\":\"promissory_note\"}", 200));
	h = call("GET", NULL, NULL, "/v1/engagements/%s/torihiki", eng);
	ck_assert_int_eq(risks(h), 1);
	ck_assert_str_eq(risk_code(h, 0), "torihiki.risk_promissory_note");
	http_free(h);
	http_free(patch_terms("{\"method\":\"electronic_receivables\",\"full_amount_by_due\":false}", 200));
	h = call("GET", NULL, NULL, "/v1/engagements/%s/torihiki", eng);
	ck_assert_int_eq(risks(h), 1);
	ck_assert_str_eq(risk_code(h, 0), "torihiki.risk_not_convertible");
	http_free(h);
	http_free(patch_terms("{\"full_amount_by_due\":null}", 200));
	h = call("GET", NULL, NULL, "/v1/engagements/%s/torihiki", eng);
	ck_assert_str_eq(risk_code(h, 0), "torihiki.risk_convertible_unknown");
	http_free(h);
	http_free(patch_terms("{\"full_amount_by_due\":true,\"transfer_fee_borne_by\":\"vendor\"}", 200));
	h = call("GET", NULL, NULL, "/v1/engagements/%s/torihiki", eng);
	ck_assert_int_eq(risks(h), 1);
	ck_assert_str_eq(risk_code(h, 0), "torihiki.risk_transfer_fee");
	http_free(h);

	/* In Japanese. */
	{
		const char *ja[] = { "Accept-Language: ja", NULL };

		h = call("GET", NULL, ja, "/v1/engagements/%s/torihiki", eng);
		ck_status(h, 200);
		ck_assert_ptr_nonnull(strstr(h->body, "資本金基準により対象です。委託事業者の資本金 500,000,000 円は 300,000,000 円を超え"));
		ck_assert_ptr_nonnull(strstr(h->body, "振込手数料"));
		ck_assert_ptr_nonnull(strstr(h->body, "年 14.6%"));
		http_free(h);
	}

	/* Not covered (the vendor grows past 3億円 and 300 people): no
	 * duties, no rule 7 result for the same terms. */
	h = call("PATCH", "{\"capital_jpy\":400000000}", NULL, "/v1/vendors/%s", vendor);
	ck_status(h, 200);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/engagements/%s/torihiki", eng);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "coverage"), "status")),
			 "not_covered");
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "duties")), 0);
	ck_assert_int_eq(risks(h), 0);
	ck_assert_ptr_nonnull(strstr(h->body, "not covered: neither the capital test nor the headcount test"));
	http_free(h);
	/* null clears the terms; the columns follow. */
	h = patch_terms("null", 200);
	ck_assert(json_is_null(json_object_get(json_object_get(h->json, "payment_terms"), "method")));
	http_free(h);
	v = sqlv("select num_nonnulls(payment_due_basis, payment_cutoff_day, payment_method, transfer_fee_borne_by,"
		 " payment_full_amount_by_due, terms_in_writing)::text from engagements where id = $1", 1, eng);
	ck_assert_str_eq(v, "0");
	free(v);

	/* Another tenant's engagement is not found; nor is an unknown id. */
	{
		char *key2 = itk_bootstrap(&t, "t2");
		char path[128];

		snprintf(path, sizeof(path), "/v1/engagements/%s/torihiki", eng);
		h = http_do(&t, "GET", path, key2, NULL, NULL);
		ck_problem(h, 404, "not-found");
		http_free(h);
		free(key2);
	}
	h = call("GET", NULL, NULL, "/v1/engagements/00000000-0000-4000-8000-000000000000/torihiki");
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/engagements/nope/torihiki");
	ck_problem(h, 404, "not-found");
	http_free(h);
}
END_TEST

START_TEST(bad_input_writes_nothing)
{
	struct http *h;
	char *before, *after, path[96];
	PGconn *c;
	PGresult *res;

	before = sqlv("select settings::text || version from tenants where id = $1", 1, tenant);
	h = call("PATCH", "{\"torihiki\":{\"capital_jpy\":-1,\"employee_count\":-5}}", NULL, "/v1/settings");
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "/torihiki/capital_jpy"));
	ck_assert_ptr_nonnull(strstr(h->body, "/torihiki/employee_count"));
	http_free(h);
	h = call("PATCH", "{\"torihiki\":{\"capital_jpy\":1.5,\"superior_bargaining_position\":\"yes\",\"size\":3}}",
		 NULL, "/v1/settings");
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "/torihiki/capital_jpy"));
	ck_assert_ptr_nonnull(strstr(h->body, "/torihiki/superior_bargaining_position"));
	ck_assert_ptr_nonnull(strstr(h->body, "/torihiki/size"));
	http_free(h);
	h = call("PATCH", "{\"torihiki\":[1]}", NULL, "/v1/settings");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	after = sqlv("select settings::text || version from tenants where id = $1", 1, tenant);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);

	/* Vendors' figures. */
	before = sqlv("select coalesce(capital_jpy::text, 'null') || version from vendors where id = $1", 1, vendor);
	h = call("PATCH", "{\"capital_jpy\":-100}", NULL, "/v1/vendors/%s", vendor);
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "/capital_jpy"));
	http_free(h);
	h = call("PATCH", "{\"employee_count\":-1}", NULL, "/v1/vendors/%s", vendor);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	after = sqlv("select coalesce(capital_jpy::text, 'null') || version from vendors where id = $1", 1, vendor);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);

	/* Engagements: a bad type, bad payment terms. */
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", vendor);
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"title\":\"x\",\"contract_type\":\"ukeoi\",\"category\":\"asp_saas\",\"torihiki_type\":\"services\","
		    "\"ordered_on\":\"2026-02-30\",\"payment_terms\":{\"due_basis\":\"weekly\",\"due_days\":-1,"
		    "\"method\":\"cheque\",\"transfer_fee_borne_by\":\"bank\",\"extra\":1}}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "/torihiki_type"));
	ck_assert_ptr_nonnull(strstr(h->body, "/ordered_on"));
	ck_assert_ptr_nonnull(strstr(h->body, "/payment_terms/due_basis"));
	ck_assert_ptr_nonnull(strstr(h->body, "/payment_terms/due_days"));
	ck_assert_ptr_nonnull(strstr(h->body, "/payment_terms/method"));
	ck_assert_ptr_nonnull(strstr(h->body, "/payment_terms/transfer_fee_borne_by"));
	ck_assert_ptr_nonnull(strstr(h->body, "/payment_terms/extra"));
	http_free(h);
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"title\":\"x\",\"contract_type\":\"ukeoi\",\"category\":\"asp_saas\","
		    "\"payment_terms\":{\"due_basis\":\"days_after_receipt\",\"cutoff_day\":20}}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "/payment_terms/due_days"));
	ck_assert_ptr_nonnull(strstr(h->body, "/payment_terms/cutoff_day"));
	http_free(h);
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"title\":\"x\",\"contract_type\":\"ukeoi\",\"category\":\"asp_saas\","
		    "\"payment_terms\":{\"due_basis\":\"monthly_cutoff\",\"cutoff_day\":25,\"month_offset\":0,\"payment_day\":20}}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "/payment_terms/payment_day"));
	http_free(h);
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"title\":\"x\",\"contract_type\":\"ukeoi\",\"category\":\"asp_saas\",\"payment_terms\":7}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	before = sqlv("select count(*) from engagements", 0);
	ck_assert_str_eq(before, "0");
	free(before);

	/* The schema refuses what the API would: negative figures, terms
	 * without their days, a same-month payment on the cut-off day. */
	new_engagement(NULL);
	c = itk_connect(&t);
	{
		const char *bad[] = {
			"update tenants set settings = jsonb_set(settings, '{torihiki}', '{\"capital_jpy\":-1}')",
			"update tenants set settings = jsonb_set(settings, '{torihiki}', '{\"employee_count\":-3}')",
			"update engagements set payment_due_basis = 'days_after_receipt'",
			"update engagements set payment_due_days = 30",
			"update engagements set payment_due_basis = 'monthly_cutoff', payment_cutoff_day = 20,"
			" payment_month_offset = 0, payment_day = 20",
			"update engagements set torihiki_type = 'services'",
			"update vendors set capital_jpy = -1",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			res = PQexec(c, bad[i]);
			ck_assert_msg(PQresultStatus(res) == PGRES_FATAL_ERROR, "accepted: %s", bad[i]);
			PQclear(res);
		}
	}
	PQfinish(c);
}
END_TEST


static long signals(const char *sql)
{
	char *v = sqlv(sql, 2, tenant, eng);
	long n = atol(v);

	free(v);
	return n;
}

#define R7_EVENTS "select count(*) from webhook_events where tenant_id = $1 and resource_id = $2::uuid" \
	" and type = 'negotiation.risk_detected' and body::jsonb #>> '{data,rule}' = 'R7_payment_terms'"
#define R7_SIGNALS "select count(*) from engagement_risk_signals where tenant_id = $1 and engagement_id = $2::uuid"

/* Rule 7 is announced once per engagement and term, when it starts to hold,
 * whichever write makes it hold: the engagement's terms, the vendor's
 * figures or the tenant's own. */
START_TEST(rule_7_is_announced_once_per_term)
{
	struct http *h;
	char *v;

	post_id("/v1/webhook-subscriptions", "{\"url\":\"http://127.0.0.1:9/hooks\","
		"\"event_types\":[\"negotiation.risk_detected\"]}", (char[40]){ 0 });
	outsourcer("500000000", "1200");
	vendor_figures("100000000", "50", NULL);
	new_engagement(",\"torihiki_type\":\"program_creation\",\"ordered_on\":\"2026-02-01\","
		       "\"payment_terms\":{\"due_basis\":\"days_after_receipt\",\"due_days\":90}");
	/* Covered (5億円 against 1億円) with a 90-day term: announced at once. */
	ck_assert_int_eq(signals(R7_EVENTS), 1);
	ck_assert_int_eq(signals(R7_SIGNALS), 1);
	v = sqlv("select body::jsonb #>> '{data,explanation,code}' from webhook_events where tenant_id = $1"
		 " and resource_id = $2::uuid and type = 'negotiation.risk_detected'", 2, tenant, eng);
	ck_assert_str_eq(v, "torihiki.risk_due_date");
	free(v);
	/* The engagement's view shows when it was announced. */
	h = call("GET", NULL, NULL, "/v1/engagements/%s/torihiki", eng);
	ck_status(h, 200);
	ck_assert(json_is_string(json_object_get(json_array_get(json_object_get(h->json, "risks"), 0), "detected_at")));
	http_free(h);
	/* Other writes that leave it holding announce nothing again. */
	h = call("PATCH", "{\"title\":\"保守（改題）\"}", NULL, "/v1/engagements/%s", eng);
	ck_status(h, 200);
	http_free(h);
	ck_assert_int_eq(signals(R7_EVENTS), 1);
	/* A second term at risk is its own announcement. */
	http_free(patch_terms("{\"transfer_fee_borne_by\":\"vendor\"}", 200));
	ck_assert_int_eq(signals(R7_EVENTS), 2);
	ck_assert_int_eq(signals(R7_SIGNALS), 2);
	/* Out of coverage (the vendor grows past 3億円 and 300 people) and back:
	 * still announced once, when it first held. */
	vendor_figures("400000000", "400", NULL);
	vendor_figures("100000000", "50", NULL);
	ck_assert_int_eq(signals(R7_EVENTS), 2);
	/* Coverage that starts with the tenant's own figures: a new engagement
	 * while the outsourcer's capital is unknown holds nothing ... */
	outsourcer(NULL, NULL);
	new_engagement(",\"torihiki_type\":\"program_creation\",\"ordered_on\":\"2026-02-01\","
		       "\"payment_terms\":{\"method\":\"promissory_note\"}");
	ck_assert_int_eq(signals(R7_SIGNALS), 0);
	/* ... until the tenant records them. */
	h = call("PATCH", "{\"torihiki\":{\"capital_jpy\":500000000,\"employee_count\":1200}}", NULL, "/v1/settings");
	ck_status(h, 200);
	http_free(h);
	ck_assert_int_eq(signals(R7_SIGNALS), 1);
	ck_assert_int_eq(signals(R7_EVENTS), 1);
	ck_kept();
	/* Answered as outside 取適法 after all: nothing is kept for it. */
	h = call("PATCH", "{\"torihiki_type\":\"not_applicable\"}", NULL, "/v1/engagements/%s", eng);
	ck_status(h, 200);
	http_free(h);
	ck_kept();
	v = sqlv("select count(*) from engagement_rule_results where engagement_id = $1::uuid", 1, eng);
	ck_assert_str_eq(v, "0");
	free(v);
}
END_TEST

/* The tenant's figures change while an engagement is being taken out of
 * 取適法 in another transaction: the refresh of its rule-7 results waits
 * for that change and then keeps nothing for it (before, it evaluated the
 * engagement as it was and kept results again once the other committed). */
START_TEST(an_engagement_taken_out_meanwhile_keeps_nothing)
{
	struct itk_call patch = { .t = &t, .method = "PATCH", .path = "/v1/settings",
				  .body = "{\"torihiki\":{\"capital_jpy\":600000000}}" };
	PGconn *c = itk_connect(&t);
	const char *params[1] = { eng };
	struct http *h;
	PGresult *r;
	char *v;

	outsourcer("500000000", "1200");
	vendor_figures("100000000", "50", NULL);
	new_engagement(",\"torihiki_type\":\"program_creation\",\"ordered_on\":\"2026-02-01\","
		       "\"payment_terms\":{\"due_basis\":\"days_after_receipt\",\"due_days\":90}");
	v = sqlv("select count(*) from engagement_rule_results where engagement_id = $1::uuid", 1, eng);
	ck_assert_str_eq(v, "1");
	free(v);

	PQclear(PQexec(c, "begin"));
	r = PQexecParams(c, "update engagements set torihiki_type = 'not_applicable' where id = $1::uuid",
			 1, NULL, params, NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	itk_call_start(&patch);
	ck_assert(itk_wait_parked(&t));   /* the settings' refresh waits for the engagement */
	PQclear(PQexec(c, "commit"));
	PQfinish(c);
	h = itk_call_join(&patch);
	ck_status(h, 200);
	http_free(h);
	v = sqlv("select count(*) from engagement_rule_results where engagement_id = $1::uuid", 1, eng);
	ck_assert_str_eq(v, "0");
	free(v);
	ck_kept();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("torihiki");
	TCase *tc = tcase_create("torihiki");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, capital_and_headcount_boundaries);
	tcase_add_test(tc, settings_engagement_fields_and_payment_rule);
	tcase_add_test(tc, bad_input_writes_nothing);
	tcase_add_test(tc, rule_7_is_announced_once_per_term);
	tcase_add_test(tc, an_engagement_taken_out_meanwhile_keeps_nothing);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

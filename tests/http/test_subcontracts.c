/* HTTP: subcontract links (再委託): each policy rule, each action and state
 * transition (legal and not), flow-down confirmations, cascade closing,
 * loop prevention under concurrency, the chain and exposure queries on a
 * deep chain, the approval queue and the chain's effect on the risk tier. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness.h"

static struct itk t;

#define FLOW_OK \
	"{\"equal_obligations\":true,\"equal_obligations_ref\":\"再委託契約書 第8条\"," \
	"\"direct_incident_notice\":true,\"recurrence_prevention\":true," \
	"\"status_reports_visible\":true,\"return_or_erasure\":true}"

static void setup(void)
{
	itk_setup(&t, "subcontracts", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static void vendor(const char *name, char out[40])
{
	char body[128];
	struct http *h;

	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"status\":\"active\"}", name);
	h = http_do(&t, "POST", "/v1/vendors", t.admin_key, body, NULL);
	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

/* An engagement of vendor v handling personal data at confidentiality 3. */
static void engagement(const char *v, const char *policy, int depth, char out[40])
{
	char path[96], body[512];
	struct http *h;

	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", v);
	snprintf(body, sizeof(body),
		 "{\"title\":\"給与計算業務\",\"contract_type\":\"inin\",\"category\":\"data_processing\","
		 "\"handles_personal_data\":true,\"confidentiality\":3,\"subcontracting\":\"%s\","
		 "\"subcontract_max_depth\":%d}", policy, depth);
	h = http_do(&t, "POST", path, t.admin_key, body, NULL);
	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

/* Requests a link; parent may be NULL. extra is more JSON members (or ""),
 * which replace the defaults they name. */
static struct http *request(const char *eng, const char *parent, const char *child, const char *extra)
{
	char path[96], body[1024], par[64] = "null";
	int n;

	if (parent)
		snprintf(par, sizeof(par), "\"%s\"", parent);
	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts", eng);
	n = snprintf(body, sizeof(body),
		     "{\"parent_id\":%s,\"vendor_id\":\"%s\",\"scope\":\"給与データの入力\","
		     "\"reason\":\"繁忙期の入力作業を専門業者に任せるため\"", par, child);
	if (!strstr(extra, "\"personal_data\""))
		n += snprintf(body + n, sizeof(body) - (size_t)n, ",\"personal_data\":true");
	if (!strstr(extra, "\"confidentiality\""))
		n += snprintf(body + n, sizeof(body) - (size_t)n, ",\"confidentiality\":2");
	if (!strstr(extra, "\"data_categories\""))
		n += snprintf(body + n, sizeof(body) - (size_t)n, ",\"data_categories\":[\"employee_records\"]");
	snprintf(body + n, sizeof(body) - (size_t)n, "%s%s}", *extra ? "," : "", extra);
	return http_do(&t, "POST", path, t.admin_key, body, NULL);
}

static struct http *act(const char *link, const char *action, const char *body)
{
	char path[128];

	snprintf(path, sizeof(path), "/v1/subcontracts/%s/%s", link, action);
	return http_do(&t, "POST", path, t.admin_key, body, NULL);
}

/* Requests, confirms and approves a link; its id into out. */
static void approved(const char *eng, const char *parent, const char *child, char out[40])
{
	struct http *h = request(eng, parent, child, "\"flow_down\":" FLOW_OK);

	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
	h = act(out, "approve", NULL);
	ck_status(h, 200);
	http_free(h);
}

static char *sql1(const char *sql, const char *p1)
{
	const char *params[1] = { p1 };

	return itk_sql_value(&t, sql, p1 ? 1 : 0, params);
}

static int links(void)
{
	char *n = sql1("select count(*) from subcontracts", NULL);
	int v = atoi(n);

	free(n);
	return v;
}

static void ck_rule(struct http *h, const char *words)
{
	ck_problem(h, 422, "rule-violated");
	ck_assert_msg(strstr(jstr(h, "detail"), words), "detail \"%s\" lacks \"%s\"", jstr(h, "detail"), words);
}

START_TEST(policy_prohibited_prior_approval_allowed)
{
	char a[40], b[40], e1[40], e2[40], e3[40];
	struct http *h;

	vendor("委託先A", a);
	vendor("再委託先B", b);
	engagement(a, "prohibited", 0, e1);
	engagement(a, "prior_approval", 2, e2);
	engagement(a, "allowed", 2, e3);

	h = request(e1, NULL, b, "");
	ck_rule(h, "prohibits subcontracting");
	http_free(h);
	ck_assert_int_eq(links(), 0);

	/* prior approval: starts requested, cannot be created approved */
	h = request(e2, NULL, b, "\"status\":\"approved\",\"flow_down\":" FLOW_OK);
	ck_rule(h, "requires prior approval");
	http_free(h);
	h = request(e2, NULL, b, "");
	ck_status(h, 201);
	ck_assert_str_eq(jstr(h, "status"), "requested");
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "depth")), 1);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(h->json, "path"), 0)), a);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(h->json, "path"), 1)), b);
	ck_assert_str_eq(jstr(h, "parent_vendor_id"), a);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "flow_down_missing")), 5);
	ck_assert_ptr_nonnull(http_header(h, "Location"));
	http_free(h);

	/* allowed: may be created approved, but only with every confirmation */
	h = request(e3, NULL, b, "\"status\":\"approved\"");
	ck_problem(h, 422, "validation-failed");
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "errors")), 5);
	ck_assert_ptr_nonnull(strstr(h->body, "/flow_down/return_or_erasure"));
	http_free(h);
	h = request(e3, NULL, b, "\"status\":\"approved\",\"flow_down\":" FLOW_OK);
	ck_status(h, 201);
	ck_assert_str_eq(jstr(h, "status"), "approved");
	ck_assert_str_ne(jstr(h, "decided_at"), "");
	http_free(h);
	ck_assert_int_eq(links(), 2);

	/* the engagement cannot be tightened below its open chain */
	{
		char path[96];

		snprintf(path, sizeof(path), "/v1/engagements/%s", e3);
		h = http_do(&t, "PATCH", path, t.admin_key, "{\"subcontracting\":\"prohibited\"}", NULL);
		ck_rule(h, "open subcontract links");
		http_free(h);
		h = http_do(&t, "PATCH", path, t.admin_key, "{\"handles_personal_data\":false}", NULL);
		ck_rule(h, "share more data");
		http_free(h);
	}
}
END_TEST

START_TEST(actions_and_transitions)
{
	char a[40], b[40], c[40], d[40], e[40], l1[40], l2[40], l3[40], path[128];
	const char *hdr[2] = { "If-Match: \"1\"", NULL };
	struct http *h;
	char *n;

	vendor("委託先A", a);
	vendor("再委託先B", b);
	vendor("再委託先C", c);
	vendor("再委託先D", d);
	engagement(a, "prior_approval", 3, e);

	h = request(e, NULL, b, "");
	snprintf(l1, sizeof(l1), "%s", jstr(h, "id"));
	http_free(h);

	/* approval is refused while confirmations are missing, naming them */
	h = act(l1, "approve", NULL);
	ck_problem(h, 422, "flow-down-incomplete");
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "errors")), 5);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/subcontracts/%s", l1);
	h = http_do(&t, "PATCH", path, t.admin_key,
		    "{\"flow_down\":{\"equal_obligations\":true,\"direct_incident_notice\":true}}", NULL);
	ck_problem(h, 422, "validation-failed");   /* confirmed obligations need their document */
	ck_assert_ptr_nonnull(strstr(h->body, "/flow_down/equal_obligations_ref"));
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key,
		    "{\"flow_down\":{\"equal_obligations\":true,\"equal_obligations_ref\":\"覚書\","
		    "\"direct_incident_notice\":true}}", NULL);
	ck_status(h, 200);
	http_free(h);
	h = act(l1, "approve", NULL);
	ck_problem(h, 422, "flow-down-incomplete");
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "errors")), 3);
	ck_assert_ptr_nonnull(strstr(h->body, "/flow_down/recurrence_prevention"));
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"flow_down\":" FLOW_OK "}", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "ETag"), "\"3\"");
	http_free(h);

	/* a stale If-Match is refused; then approve with conditions */
	h = http_do(&t, "POST", "/v1/subcontracts/00000000-0000-4000-8000-000000000000/approve",
		    t.admin_key, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/subcontracts/%s/approve", l1);
	h = http_do(&t, "POST", path, t.admin_key, "{\"note\":\"ok\"}", hdr);
	ck_problem(h, 412, "precondition-failed");
	http_free(h);
	h = act(l1, "approve", "{\"note\":\"面談済み\",\"conditions\":\"月次で作業報告を提出すること\"}");
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "approved");
	ck_assert_str_eq(jstr(h, "conditions"), "月次で作業報告を提出すること");
	ck_assert_str_eq(jstr(h, "decision_note"), "面談済み");
	ck_assert_str_ne(jstr(h, "decided_by"), "");
	http_free(h);
	h = act(l1, "approve", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	h = act(l1, "withdraw", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);

	/* an approved link keeps its scope and its confirmations */
	snprintf(path, sizeof(path), "/v1/subcontracts/%s", l1);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"scope\":\"全業務\"}", NULL);
	ck_rule(h, "fixed");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"flow_down\":{\"return_or_erasure\":false}}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"status\":\"ended\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"ends_on\":\"2027-03-31\"}", NULL);
	ck_status(h, 200);
	http_free(h);

	/* reject needs a reason; a rejected link cannot be approved */
	h = request(e, l1, c, "\"flow_down\":" FLOW_OK);
	snprintf(l2, sizeof(l2), "%s", jstr(h, "id"));
	http_free(h);
	h = act(l2, "reject", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = act(l2, "reject", "{\"reason\":\"同等の安全管理措置が確認できない\"}");
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "rejected");
	ck_assert_str_eq(jstr(h, "decision_note"), "同等の安全管理措置が確認できない");
	http_free(h);
	h = act(l2, "approve", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/subcontracts/%s", l2);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"scope\":\"x\"}", NULL);
	ck_rule(h, "closed");
	http_free(h);

	/* withdraw, then end; ended is final */
	h = request(e, l1, d, "");
	snprintf(l3, sizeof(l3), "%s", jstr(h, "id"));
	http_free(h);
	h = act(l3, "withdraw", "{\"note\":\"委託先が取り下げ\"}");
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "withdrawn");
	http_free(h);
	h = act(l3, "end", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	h = act(l1, "end", "{\"note\":\"契約満了\"}");
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "ended");
	ck_assert_str_eq(jstr(h, "end_note"), "契約満了");
	http_free(h);
	h = act(l1, "end", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	h = act(l1, "approve", "{\"bogus\":1}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);

	/* each action is audited */
	n = sql1("select count(*) from audit_events where resource_id = $1", l1);
	ck_assert_str_eq(n, "6");   /* created, 3 updates, approved, ended */
	free(n);
	n = sql1("select string_agg(action, ',' order by seq) from audit_events where resource_id = $1", l2);
	ck_assert_str_eq(n, "subcontract.created,subcontract.rejected");
	free(n);
}
END_TEST

START_TEST(depth_parent_and_data_share)
{
	char a[40], b[40], c[40], d[40], x[40], e[40], other[40], l1[40], l2[40], path[96];
	struct http *h;
	char *n;

	vendor("委託先A", a);
	vendor("再委託先B", b);
	vendor("再々委託先C", c);
	vendor("D", d);
	vendor("X", x);
	engagement(a, "prior_approval", 2, e);
	engagement(a, "prior_approval", 2, other);

	h = request(e, NULL, b, "\"flow_down\":" FLOW_OK);
	snprintf(l1, sizeof(l1), "%s", jstr(h, "id"));
	http_free(h);
	/* the parent must be approved first */
	h = request(e, l1, c, "");
	ck_rule(h, "only an approved link can have subcontractors");
	http_free(h);
	h = act(l1, "approve", NULL);
	ck_status(h, 200);
	http_free(h);
	/* the child's share stays within the parent's */
	h = request(e, l1, c, "\"confidentiality\":3");
	ck_rule(h, "exceeds the parent link's level 2");
	http_free(h);
	h = request(e, l1, c, "\"data_categories\":[\"bank_accounts\"]");
	ck_rule(h, "data categories must be among");
	http_free(h);
	h = request(other, l1, c, "");
	ck_rule(h, "another engagement");
	http_free(h);
	h = request(e, l1, "00000000-0000-4000-8000-000000000000", "");
	ck_problem(h, 422, "reference-not-found");
	ck_assert_ptr_nonnull(strstr(h->body, "/vendor_id"));
	http_free(h);
	h = request(e, "00000000-0000-4000-8000-000000000000", c, "");
	ck_problem(h, 422, "reference-not-found");
	ck_assert_ptr_nonnull(strstr(h->body, "/parent_id"));
	http_free(h);
	approved(e, l1, c, l2);
	/* depth 3 under a maximum of 2 */
	h = request(e, l2, d, "");
	ck_rule(h, "depth 3 exceeds the maximum of 2");
	http_free(h);

	/* personal data only where the engagement handles it */
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", a);
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"title\":\"保守\",\"contract_type\":\"ukeoi\",\"category\":\"maintenance\","
		    "\"confidentiality\":1,\"subcontracting\":\"prior_approval\",\"subcontract_max_depth\":1}", NULL);
	ck_status(h, 201);
	snprintf(other, sizeof(other), "%s", jstr(h, "id"));
	http_free(h);
	h = request(other, NULL, x, "\"confidentiality\":1");
	ck_rule(h, "personal data cannot be shared");
	http_free(h);
	h = request(other, NULL, x, "\"personal_data\":false");
	ck_rule(h, "exceeds the engagement's level 1");
	http_free(h);

	/* malformed input: clear errors, nothing written */
	n = sql1("select count(*) from subcontracts", NULL);
	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts", e);
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"vendor_id\":\"nope\",\"scope\":\"\",\"personal_data\":\"yes\",\"confidentiality\":4,"
		    "\"starts_on\":\"2027-04-01\",\"ends_on\":\"2027-03-01\",\"depth\":1,\"flow_down\":[]}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert_uint_ge(json_array_size(json_object_get(h->json, "errors")), 8);
	ck_assert_ptr_nonnull(strstr(h->body, "/depth"));
	http_free(h);
	h = http_do(&t, "POST", path, t.admin_key, "[1]", NULL);
	ck_problem(h, 400, "malformed-json");
	http_free(h);
	h = http_do(&t, "POST", "/v1/engagements/00000000-0000-4000-8000-000000000000/subcontracts",
		    t.admin_key, "{\"vendor_id\":\"00000000-0000-4000-8000-000000000000\",\"scope\":\"s\","
		    "\"reason\":\"r\",\"personal_data\":false,\"confidentiality\":1}", NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = http_do(&t, "GET", "/v1/subcontracts?status=open&engagement_id=1", t.admin_key, NULL, NULL);
	ck_problem(h, 400, "invalid-parameter");
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "errors")), 2);
	http_free(h);
	{
		char *m = sql1("select count(*) from subcontracts", NULL);

		ck_assert_str_eq(m, n);
		free(m);
	}
	free(n);
}
END_TEST

START_TEST(no_loops)
{
	char a[40], b[40], c[40], e[40], lb[40], lc[40], lbc[40];
	struct http *h;

	vendor("委託先A", a);
	vendor("B", b);
	vendor("C", c);
	engagement(a, "prior_approval", 5, e);
	/* the engagement's own vendor is on every path */
	h = request(e, NULL, a, "");
	ck_rule(h, "already appears on this path");
	http_free(h);
	approved(e, NULL, b, lb);
	approved(e, lb, c, lbc);
	/* A -> B -> C -> B */
	h = request(e, lbc, b, "");
	ck_rule(h, "already appears on this path");
	http_free(h);
	/* across branches: A -> C -> B would close B -> C -> B */
	approved(e, NULL, c, lc);
	h = request(e, lc, b, "");
	ck_rule(h, "already subcontracts to its parent");
	http_free(h);
	/* the same child twice under one parent */
	h = request(e, NULL, b, "");
	ck_problem(h, 409, "conflict");
	http_free(h);
}
END_TEST

/* Two clients each add half of a loop at the same moment: with B and C
 * both below A, one asks for C below B, the other for B below C. The
 * audit lock holds both requests in flight after their inserts; only the
 * engagement lock taken by the schema makes the second see the first. */
START_TEST(concurrent_half_loops)
{
	char a[40], b[40], c[40], e[40], lb[40], lc[40], path[96], body1[512], body2[512];
	struct itk_call c1 = { 0 }, c2 = { 0 };
	struct http *r1, *r2;
	PGconn *lock;
	int ok = 0, refused = 0;

	vendor("委託先A", a);
	vendor("B", b);
	vendor("C", c);
	engagement(a, "prior_approval", 3, e);
	approved(e, NULL, b, lb);
	approved(e, NULL, c, lc);

	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts", e);
	snprintf(body1, sizeof(body1), "{\"parent_id\":\"%s\",\"vendor_id\":\"%s\",\"scope\":\"s\","
		 "\"reason\":\"r\",\"personal_data\":false,\"confidentiality\":1}", lb, c);
	snprintf(body2, sizeof(body2), "{\"parent_id\":\"%s\",\"vendor_id\":\"%s\",\"scope\":\"s\","
		 "\"reason\":\"r\",\"personal_data\":false,\"confidentiality\":1}", lc, b);
	c1 = (struct itk_call){ &t, "POST", path, body1, NULL, NULL, 0 };
	c2 = (struct itk_call){ &t, "POST", path, body2, NULL, NULL, 0 };
	lock = itk_park_writers(&t);
	itk_call_start(&c1);
	itk_call_start(&c2);
	for (int i = 0; i < 200; i++) {   /* until both wait on a lock */
		char *n = itk_sql_value(&t, "select count(*) from pg_stat_activity where wait_event_type = 'Lock'",
					0, NULL);
		int waiting = atoi(n);
		struct timespec ts = { 0, 10 * 1000000L };

		free(n);
		if (waiting >= 2)
			break;
		nanosleep(&ts, NULL);
	}
	itk_unpark(lock);
	r1 = itk_call_join(&c1);
	r2 = itk_call_join(&c2);
	ok = (r1->status == 201) + (r2->status == 201);
	refused = (r1->status == 422) + (r2->status == 422);
	ck_assert_msg(ok == 1 && refused == 1, "got %ld and %ld", r1->status, r2->status);
	ck_assert_ptr_nonnull(strstr(r1->status == 422 ? r1->body : r2->body, "cannot loop"));
	http_free(r1);
	http_free(r2);
	{
		char *n = sql1("select count(*) from subcontracts where engagement_id = $1 and depth = 2", e);

		ck_assert_str_eq(n, "1");
		free(n);
	}
}
END_TEST

START_TEST(ending_closes_the_subtree)
{
	char a[40], b[40], c[40], d[40], x[40], e[40], l1[40], l2[40], l3[40], l4[40], path[128];
	struct http *h;
	char *n;

	vendor("委託先A", a);
	vendor("再委託先B", b);
	vendor("再々委託先C", c);
	vendor("D", d);
	vendor("X", x);
	engagement(a, "prior_approval", 4, e);
	approved(e, NULL, b, l1);
	approved(e, l1, c, l2);
	approved(e, l2, d, l3);
	h = request(e, l3, x, "\"confidentiality\":1");   /* pending at depth 4 */
	snprintf(l4, sizeof(l4), "%s", jstr(h, "id"));
	http_free(h);

	h = act(l1, "end", "{\"note\":\"契約解除\"}");
	ck_status(h, 200);
	http_free(h);
	n = sql1("select string_agg(status || ':' || depth, ',' order by depth) from subcontracts"
		 " where engagement_id = $1", e);
	ck_assert_str_eq(n, "ended:1,ended:2,ended:3,rejected:4");
	free(n);
	n = sql1("select count(*) from subcontracts where closed_with = $1", l1);
	ck_assert_str_eq(n, "3");
	free(n);
	snprintf(path, sizeof(path), "/v1/subcontracts/%s", l4);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_str_eq(jstr(h, "status"), "rejected");
	ck_assert_str_eq(jstr(h, "closed_with"), l1);
	ck_assert_ptr_nonnull(strstr(jstr(h, "decision_note"), l1));
	http_free(h);
	/* one audit event per closed link */
	n = sql1("select count(*) from audit_events where action in ('subcontract.ended', 'subcontract.rejected')"
		 "   and resource_id in (select id::text from subcontracts where engagement_id = $1)", e);
	ck_assert_str_eq(n, "4");
	free(n);
	/* and nothing open is left under a closed link */
	snprintf(path, sizeof(path), "/v1/engagements/%s/chain", e);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(json_object_get(h->json, "root"), "children")), 0);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/engagements/%s/chain?include_closed=true", e);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(json_object_get(h->json, "root"), "children")), 1);
	http_free(h);
}
END_TEST

static json_t *reasons_of(const char *v)
{
	char path[96];
	struct http *h;
	json_t *r;

	snprintf(path, sizeof(path), "/v1/vendors/%s", v);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	r = json_incref(json_object_get(json_object_get(h->json, "risk"), "reasons"));
	http_free(h);
	return r;
}

static int has_code(json_t *reasons, const char *code)
{
	json_t *x;
	size_t i;
	int found = 0;

	json_array_foreach(reasons, i, x)
		found |= !strcmp(json_string_value(json_object_get(x, "code")), code);
	json_decref(reasons);
	return found;
}

START_TEST(chain_raises_the_vendor_tier_and_queue_lists_requests)
{
	char a[40], b[40], c[40], e[40], l1[40], path[128];
	struct http *h;

	vendor("委託先A", a);
	vendor("再委託先B", b);
	vendor("C", c);
	engagement(a, "prior_approval", 2, e);
	approved(e, NULL, b, l1);
	/* B was never assessed */
	ck_assert(has_code(reasons_of(a), "chain_unverified"));
	ck_assert(!has_code(reasons_of(a), "chain_high_tier"));
	/* B rated high: A's tier reasons follow at once */
	snprintf(path, sizeof(path), "/v1/vendors/%s/risk-override", b);
	h = http_do(&t, "PUT", path, t.admin_key, "{\"tier\":\"high\",\"reason\":\"監査で重大指摘\"}", NULL);
	ck_status(h, 200);
	http_free(h);
	ck_assert(has_code(reasons_of(a), "chain_high_tier"));
	snprintf(path, sizeof(path), "/v1/vendors/%s/monitoring-records", b);
	h = http_do(&t, "POST", path, t.admin_key, "{\"monitored_on\":\"2026-11-01\",\"verdict\":\"no_issues\"}", NULL);
	ck_status(h, 201);
	http_free(h);
	ck_assert(!has_code(reasons_of(a), "chain_unverified"));

	/* engagement health and the approval queue */
	h = request(e, l1, c, "\"confidentiality\":1");
	ck_status(h, 201);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/engagements/%s", e);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	{
		json_t *health = json_object_get(h->json, "chain_health");

		ck_assert_int_eq(json_integer_value(json_object_get(health, "deepest_depth")), 1);
		ck_assert_int_eq(json_integer_value(json_object_get(health, "approved_links")), 1);
		ck_assert_int_eq(json_integer_value(json_object_get(health, "pending_approvals")), 1);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(health, "weakest_link"),
								   "vendor_id")), b);
	}
	http_free(h);
	h = http_do(&t, "GET", "/v1/subcontracts?status=requested", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "items"), 0),
							   "vendor_id")), c);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts?status=approved,requested", e);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 2);
	http_free(h);
}
END_TEST

/* A chain of depth 10 with 1,000 links, built in SQL (the schema's
 * triggers still check every row): 100 first-level subcontractors, each
 * with a line of nine more below it. */
START_TEST(chain_and_exposure_on_a_deep_chain)
{
	char a[40], e[40], path[512];
	json_t *node;
	struct http *h;
	char *n;
	int depth = 0, total = 0;

	vendor("委託先A", a);
	engagement(a, "allowed", 10, e);
	n = sql1("with t as (select tenant_id from engagements where id = $1)"
		 " insert into vendors (tenant_id, name, status)"
		 " select t.tenant_id, 'deep-' || g, 'active' from t, generate_series(1, 109) g"
		 " returning 1", e);
	free(n);
	for (int d = 1; d <= 10; d++) {
		char dd[8];
		const char *params[2] = { e, dd };

		snprintf(dd, sizeof(dd), "%d", d);
		free(itk_sql_value(&t,
			"insert into subcontracts (tenant_id, engagement_id, parent_id, vendor_id,"
			"  parent_vendor_id, depth, path, scope, personal_data, confidentiality, reason,"
			"  equal_obligations, equal_obligations_ref, direct_incident_notice,"
			"  recurrence_prevention, status_reports_visible, return_or_erasure, status, decided_at)"
			" select e.tenant_id, e.id, p.id, v.id, e.vendor_id, 1, '{}', 's', false, 1, 'r',"
			"        true, 'doc', true, true, true, true, 'approved', now()"
			"   from engagements e join vendors v on v.tenant_id = e.tenant_id"
			"   left join subcontracts p on p.engagement_id = e.id and p.depth = $2::int - 1"
			"  where e.id = $1"
			"    and case when $2::int = 1 then p.id is null and v.name ~ '^deep-([1-9][0-9]?|100)$'"
			"             else p.id is not null and v.name = 'deep-' || ($2::int + 99) end",
			2, params));
	}
	n = sql1("select count(*) || '/' || max(depth) from subcontracts where engagement_id = $1", e);
	ck_assert_str_eq(n, "1000/10");
	free(n);

	snprintf(path, sizeof(path), "/v1/engagements/%s/chain", e);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(json_object_get(h->json, "root"), "children")), 100);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "health"), "deepest_depth")), 10);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "health"), "approved_links")), 1000);
	/* walk one line down: each node has exactly one child until depth 10 */
	node = json_array_get(json_object_get(json_object_get(h->json, "root"), "children"), 42);
	while (node) {
		json_t *kids = json_object_get(node, "children");

		depth++;
		ck_assert_int_eq(json_integer_value(json_object_get(node, "depth")), depth);
		ck_assert(json_is_true(json_object_get(node, "flow_down_complete")));
		ck_assert_uint_eq(json_array_size(kids), depth < 10 ? 1 : 0);
		node = json_array_get(kids, 0);
	}
	ck_assert_int_eq(depth, 10);
	http_free(h);

	/* the deepest vendor appears in 100 places, each with an 11-vendor path */
	n = sql1("select id from vendors where name = 'deep-109'", NULL);
	snprintf(path, sizeof(path), "/v1/vendors/%s/exposure?limit=60", n);
	free(n);
	while (path[0]) {
		json_t *it;
		size_t i;

		h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
		ck_status(h, 200);
		json_array_foreach(json_object_get(h->json, "items"), i, it) {
			ck_assert_int_eq(json_integer_value(json_object_get(it, "depth")), 10);
			ck_assert_uint_eq(json_array_size(json_object_get(it, "path")), 11);
			ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(it, "path"), 0),
									   "vendor_id")), a);
			total++;
		}
		path[0] = '\0';
		if (json_is_string(json_object_get(h->json, "next_cursor")))
			snprintf(path, sizeof(path), "%s", http_header(h, "Link") + 1);
		if (path[0])
			*strchr(path, '>') = '\0';
		http_free(h);
	}
	ck_assert_int_eq(total, 100);
	/* the engagement's own vendor sees its engagement at depth 0 */
	snprintf(path, sizeof(path), "/v1/vendors/%s/exposure", a);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "items"), 0),
							   "role")), "vendor");
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("subcontracts");
	TCase *tc = tcase_create("subcontracts");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, policy_prohibited_prior_approval_allowed);
	tcase_add_test(tc, actions_and_transitions);
	tcase_add_test(tc, depth_parent_and_data_share);
	tcase_add_test(tc, no_loops);
	tcase_add_test(tc, concurrent_half_loops);
	tcase_add_test(tc, ending_closes_the_subtree);
	tcase_add_test(tc, chain_raises_the_vendor_tier_and_queue_lists_requests);
	tcase_add_test(tc, chain_and_exposure_on_a_deep_chain);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

/* HTTP: questionnaires down the subcontractor chain (issue 18): forwarding
 * an assessment to the subcontractor of an approved link (all sections or
 * some, the contact taken from the subcontractor), every refusal (a
 * rejected link, another engagement's link, an unknown section, a draft,
 * no engagement, no contact), and the chain's roll-up: each node's latest
 * assessment, coverage within cadence, never-assessed nodes, the weakest
 * verdict, and a subcontractor's 要是正 raising the tier above it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;
static char top[40], sub[40], other[40], engagement[40], other_engagement[40], link_ok[40], link_rejected[40],
	link_elsewhere[40], sheet[40];

#define FLOW "{\"equal_obligations\":true,\"equal_obligations_ref\":\"覚書\",\"direct_incident_notice\":true," \
	     "\"recurrence_prevention\":true,\"status_reports_visible\":true,\"return_or_erasure\":true}"
#define SHEET \
	"{\"content\":{\"sections\":[" \
	"{\"code\":\"S1\",\"title_ja\":\"組織\",\"questions\":[{\"code\":\"A1\",\"text_ja\":\"方針\",\"answer_type\":\"scale\"}]}," \
	"{\"code\":\"S2\",\"title_ja\":\"技術\",\"questions\":[{\"code\":\"B1\",\"text_ja\":\"暗号化\",\"answer_type\":\"scale\"}," \
	"  {\"code\":\"B2\",\"text_ja\":\"アクセス制御\",\"answer_type\":\"scale\"}]}]}}"

static struct http *call(const char *method, const char *path, const char *body)
{
	return http_do(&t, method, path, t.admin_key, body, NULL);
}

static void post_id(const char *path, const char *body, char out[40])
{
	struct http *h = call("POST", path, body);

	ck_status(h, 201);
	if (out)
		snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

static void link_to(const char *eng, const char *vendor, const char *status, char out[40])
{
	char path[96], body[1024];

	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts", eng);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"scope\":\"印刷\",\"reason\":\"設備がないため\","
		 "\"confidentiality\":2,\"flow_down\":" FLOW "}", vendor);
	post_id(path, body, out);
	if (!strcmp(status, "approved")) {
		struct http *h;

		snprintf(path, sizeof(path), "/v1/subcontracts/%s/approve", out);
		h = call("POST", path, "{\"note\":\"確認済み\"}");
		ck_status(h, 200);
		http_free(h);
	}
}

static void setup(void)
{
	char path[128];
	struct http *h;

	itk_setup(&t, "forward", NULL);
	post_id("/v1/vendors", "{\"name\":\"みなと情報処理\",\"status\":\"active\"}", top);
	post_id("/v1/vendors", "{\"name\":\"東西印刷\",\"status\":\"active\",\"contacts\":["
		"{\"name\":\"総務 鈴木\",\"role\":\"contract_signer\",\"email\":\"suzuki@example.jp\"},"
		"{\"name\":\"情報セキュリティ 高橋\",\"role\":\"security_officer\",\"email\":\"takahashi@example.jp\"}]}", sub);
	post_id("/v1/vendors", "{\"name\":\"北港運輸\",\"status\":\"active\"}", other);
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", top);
	post_id(path, "{\"title\":\"給与明細の発送\",\"contract_type\":\"ukeoi\",\"category\":\"data_processing\","
		      "\"confidentiality\":2,\"subcontracting\":\"prior_approval\",\"subcontract_max_depth\":2}", engagement);
	post_id(path, "{\"title\":\"別の業務\",\"contract_type\":\"ukeoi\",\"category\":\"maintenance\","
		      "\"subcontracting\":\"prior_approval\",\"subcontract_max_depth\":1}", other_engagement);
	link_to(engagement, sub, "approved", link_ok);
	link_to(engagement, other, "requested", link_rejected);
	snprintf(path, sizeof(path), "/v1/subcontracts/%s/reject", link_rejected);
	h = call("POST", path, "{\"reason\":\"入退室管理が不十分\"}");
	ck_status(h, 200);
	http_free(h);
	link_to(other_engagement, sub, "approved", link_elsewhere);
	post_id("/v1/questionnaire-templates", "{\"name\":\"連鎖点検\"}", sheet);
	snprintf(path, sizeof(path), "/v1/questionnaire-templates/%s/versions", sheet);
	post_id(path, SHEET, NULL);
	snprintf(path, sizeof(path), "/v1/questionnaire-templates/%s/versions/1/publish", sheet);
	h = call("POST", path, NULL);
	ck_status(h, 200);
	http_free(h);
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* An assessment of the top vendor for the engagement (or none), sent unless draft. */
static void parent(int with_engagement, int send, char id[40])
{
	char body[512], path[96];
	struct http *h;

	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"template_id\":\"%s\",%s%s%s\"due_on\":\"2099-03-31\","
		 "\"respondent\":{\"name\":\"山田\",\"email\":\"yamada@example.jp\"}}", top, sheet,
		 with_engagement ? "\"engagement_id\":\"" : "", with_engagement ? engagement : "",
		 with_engagement ? "\"," : "");
	post_id("/v1/assessments", body, id);
	if (!send)
		return;
	snprintf(path, sizeof(path), "/v1/assessments/%s/send", id);
	h = call("POST", path, NULL);
	ck_status(h, 200);
	http_free(h);
}

static struct http *forward(const char *id, const char *body)
{
	char path[96];

	snprintf(path, sizeof(path), "/v1/assessments/%s/forward", id);
	return call("POST", path, body);
}

static int has_pointer(const struct http *h, const char *pointer)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(h->json, "errors"), i, e)
		if (json_string_value(json_object_get(e, "pointer")) &&
		    !strcmp(json_string_value(json_object_get(e, "pointer")), pointer))
			return 1;
	return 0;
}

START_TEST(forwarded_to_a_subcontractor)
{
	char id[40], child[40], body[256], path[96];
	struct http *h;
	json_t *excluded;

	parent(1, 1, id);
	snprintf(body, sizeof(body), "{\"subcontract_id\":\"%s\",\"due_on\":\"2099-04-30\",\"sections\":[\"S2\"]}", link_ok);
	h = forward(id, body);
	ck_status(h, 201);
	ck_assert_str_eq(jstr(h, "status"), "draft");
	ck_assert_str_eq(jstr(h, "parent_assessment_id"), id);
	ck_assert_str_eq(jstr(h, "subcontract_id"), link_ok);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "vendor"), "id")), sub);
	/* the contact is the subcontractor's security officer */
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "respondent"), "email")),
			 "takahashi@example.jp");
	snprintf(child, sizeof(child), "%s", jstr(h, "id"));
	http_free(h);
	snprintf(path, sizeof(path), "/v1/assessments/%s/send", child);
	h = call("POST", path, NULL);
	ck_status(h, 200);
	excluded = json_object_get(h->json, "excluded");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(excluded, "A1"), "reason")), "not_forwarded");
	ck_assert_ptr_null(json_object_get(excluded, "B1"));
	http_free(h);
}
END_TEST

START_TEST(refusals)
{
	char id[40], draft[40], loose[40], body[256];
	struct http *h;

	parent(1, 1, id);
	/* a rejected link, another engagement's link, an unknown section */
	snprintf(body, sizeof(body), "{\"subcontract_id\":\"%s\",\"due_on\":\"2099-04-30\"}", link_rejected);
	h = forward(id, body);
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/subcontract_id"));
	http_free(h);
	snprintf(body, sizeof(body), "{\"subcontract_id\":\"%s\",\"due_on\":\"2099-04-30\"}", link_elsewhere);
	h = forward(id, body);
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/subcontract_id"));
	http_free(h);
	snprintf(body, sizeof(body), "{\"subcontract_id\":\"%s\",\"due_on\":\"2099-04-30\",\"sections\":[\"S9\"]}", link_ok);
	h = forward(id, body);
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_pointer(h, "/sections/0"));
	http_free(h);
	/* the subcontractor of the rejected link has no contact: the
	 * respondent is then required (checked after the link) */
	/* a draft and an assessment without engagement cannot be forwarded */
	parent(1, 0, draft);
	snprintf(body, sizeof(body), "{\"subcontract_id\":\"%s\",\"due_on\":\"2099-04-30\"}", link_ok);
	h = forward(draft, body);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	parent(0, 1, loose);
	h = forward(loose, body);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	/* nothing was created */
	{
		char *n = itk_sql_value(&t, "select count(*) from assessments where parent_assessment_id is not null", 0, NULL);

		ck_assert_str_eq(n, "0");
		free(n);
	}
}
END_TEST

/* The vendor's answers and submission stand in SQL (the respondent's
 * endpoints are tested in test_respond.c). */
static void complete_with(const char *id, const char *answers)
{
	const char *params[2] = { id, answers };
	char path[96];
	struct http *h;

	free(itk_sql_value(&t, "update assessments set answers = $2::jsonb, status = 'in_progress' where id = $1", 2, params));
	free(itk_sql_value(&t, "update assessments set status = 'submitted' where id = $1", 1, params));
	snprintf(path, sizeof(path), "/v1/assessments/%s/complete", id);
	h = call("POST", path, NULL);
	ck_status(h, 200);
	http_free(h);
}

START_TEST(the_chain_rolls_up)
{
	char id[40], child[40], body[256], path[96];
	struct http *h;
	json_t *health, *node;

	parent(1, 1, id);
	snprintf(body, sizeof(body), "{\"subcontract_id\":\"%s\",\"due_on\":\"2099-04-30\"}", link_ok);
	h = forward(id, body);
	ck_status(h, 201);
	snprintf(child, sizeof(child), "%s", jstr(h, "id"));
	http_free(h);
	snprintf(path, sizeof(path), "/v1/assessments/%s/send", child);
	h = call("POST", path, NULL);
	ck_status(h, 200);
	http_free(h);
	/* the subcontractor fails (all no → 要是正) */
	complete_with(child, "{\"A1\":\"no\",\"B1\":\"no\",\"B2\":\"no\"}");

	snprintf(path, sizeof(path), "/v1/engagements/%s/chain", engagement);
	h = call("GET", path, NULL);
	ck_status(h, 200);
	health = json_object_get(json_object_get(h->json, "health"), "assessments");
	/* nodes: the engagement's vendor and one open (approved) link */
	ck_assert_int_eq(json_integer_value(json_object_get(health, "nodes")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(health, "assessed_within_cadence")), 1);
	ck_assert(json_number_value(json_object_get(health, "coverage_percent")) == 50.0);
	ck_assert_int_eq(json_array_size(json_object_get(health, "never_assessed")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(health, "never_assessed"), 0),
							   "vendor_id")), top);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(health, "weakest"), "verdict")), "action_required");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(health, "weakest"), "vendor_id")), sub);
	/* the root node has no assessment; its child carries the verdict */
	node = json_object_get(json_object_get(h->json, "root"), "assessment");
	ck_assert(json_is_null(node));
	node = json_array_get(json_object_get(json_object_get(h->json, "root"), "children"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(node, "assessment"), "verdict")),
			 "action_required");
	ck_assert(json_is_true(json_object_get(json_object_get(node, "assessment"), "within_cadence")));
	http_free(h);
	/* the subcontractor's 要是正 counts in the tier above it */
	{
		const char *params[1] = { top };
		char *reasons = itk_sql_value(&t, "select risk_reasons::text from vendors where id = $1", 1, params);

		ck_assert_ptr_nonnull(strstr(reasons, "chain_unverified"));
		ck_assert_ptr_nonnull(strstr(reasons, "requiring action"));
		free(reasons);
	}
	/* the top vendor completes too: full coverage */
	complete_with(id, "{\"A1\":\"yes\",\"B1\":\"yes\",\"B2\":\"yes\"}");
	snprintf(path, sizeof(path), "/v1/engagements/%s/chain", engagement);
	h = call("GET", path, NULL);
	health = json_object_get(json_object_get(h->json, "health"), "assessments");
	ck_assert(json_number_value(json_object_get(health, "coverage_percent")) == 100.0);
	ck_assert_int_eq(json_array_size(json_object_get(health, "never_assessed")), 0);
	http_free(h);
}
END_TEST

START_TEST(the_vendor_asks_staff_decide)
{
	char id[40], token[64], path[160], body[256], request[40], child[40];
	struct http *h;

	parent(1, 1, id);
	snprintf(path, sizeof(path), "/v1/assessments/%s/respondent-links", id);
	h = call("POST", path, "{}");
	ck_status(h, 201);
	snprintf(token, sizeof(token), "%s", jstr(h, "token"));
	http_free(h);
	/* the vendor sees the subcontractors below it */
	snprintf(path, sizeof(path), "/v1/respond/%s/forwarding", token);
	h = http_do(&t, "GET", path, NULL, NULL, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "links")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "links"), 0),
							   "subcontract_id")), link_ok);
	http_free(h);
	/* a link of another engagement is not the vendor's to ask for */
	snprintf(body, sizeof(body), "{\"subcontract_id\":\"%s\"}", link_elsewhere);
	h = http_do(&t, "POST", path, NULL, body, NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	snprintf(body, sizeof(body), "{\"subcontract_id\":\"%s\",\"sections\":[\"S2\"],\"note\":\"印刷工程の技術面を確認してください\"}",
		 link_ok);
	h = http_do(&t, "POST", path, NULL, body, NULL);
	ck_status(h, 201);
	ck_assert_str_eq(jstr(h, "status"), "requested");
	snprintf(request, sizeof(request), "%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "POST", path, NULL, body, NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	/* staff see it and approve: the child asks only S2 */
	snprintf(path, sizeof(path), "/v1/assessments/%s/forward-requests", id);
	h = call("GET", path, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "items"), 0),
								       "requested_by")), "respondent_link:"));
	http_free(h);
	snprintf(path, sizeof(path), "/v1/forward-requests/%s/approve", request);
	h = call("POST", path, "{\"due_on\":\"2099-05-31\"}");
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "approved");
	snprintf(child, sizeof(child), "%s", jstr(h, "child_assessment_id"));
	http_free(h);
	h = call("POST", path, "{\"due_on\":\"2099-05-31\"}");
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/assessments/%s/send", child);
	h = call("POST", path, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(h->json, "excluded"), "A1"),
							   "reason")), "not_forwarded");
	ck_assert_str_eq(jstr(h, "parent_assessment_id"), id);
	http_free(h);
	/* the vendor sees the decision */
	snprintf(path, sizeof(path), "/v1/respond/%s/forwarding", token);
	h = http_do(&t, "GET", path, NULL, NULL, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "requests"), 0),
							   "status")), "approved");
	http_free(h);
	/* a rejection carries its note to the vendor */
	snprintf(body, sizeof(body), "{\"subcontract_id\":\"%s\"}", link_ok);
	h = http_do(&t, "POST", path, NULL, body, NULL);
	ck_status(h, 201);
	snprintf(request, sizeof(request), "%s", jstr(h, "id"));
	http_free(h);
	snprintf(path, sizeof(path), "/v1/forward-requests/%s/reject", request);
	h = call("POST", path, "{}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = call("POST", path, "{\"note\":\"既に転送済みです\"}");
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "rejected");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/respond/%s/forwarding", token);
	h = http_do(&t, "GET", path, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(h->body, "既に転送済みです"));
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("forward");
	TCase *tc = tcase_create("forward");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, forwarded_to_a_subcontractor);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, the_chain_rolls_up);
	tcase_add_test(tc, the_vendor_asks_staff_decide);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

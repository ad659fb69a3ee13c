/* HTTP: audit events are written with each change, immutable, chained,
 * filterable and paginated; tampering is detected. */
#include <stdio.h>
#include <string.h>
#include "harness.h"

static struct itk t;

static void setup(void)
{
	itk_setup(&t, "audit", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

START_TEST(changes_write_events_with_before_and_after)
{
	static const char *const rid[] = { "X-Request-Id: audit-trace-1", NULL };
	struct http *c = http_do(&t, "POST", "/v1/api-keys", t.admin_key,
				 "{\"name\":\"audited\",\"role\":\"viewer\"}", rid), *h;
	char path[256], qs[256];
	json_t *items, *ev;

	ck_status(c, 201);
	snprintf(path, sizeof(path), "/v1/api-keys/%s", jstr(c, "id"));
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"name\":\"audited-2\"}", NULL);
	http_free(h);
	strcat(path, "/revoke");
	h = http_do(&t, "POST", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	http_free(h);

	snprintf(qs, sizeof(qs), "/v1/audit-events?resource_type=api_key&resource_id=%s&order=asc", jstr(c, "id"));
	h = http_do(&t, "GET", qs, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	items = json_object_get(h->json, "items");
	ck_assert_int_eq(json_array_size(items), 3);
	ev = json_array_get(items, 0);
	ck_assert_str_eq(json_string_value(json_object_get(ev, "action")), "api_key.created");
	ck_assert(json_is_null(json_object_get(ev, "before")));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(ev, "after"), "name")), "audited");
	ck_assert_ptr_null(json_object_get(json_object_get(ev, "after"), "key"));
	ck_assert_str_eq(json_string_value(json_object_get(ev, "request_id")), "audit-trace-1");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(ev, "actor")), "api_key:itk_"));
	ev = json_array_get(items, 1);
	ck_assert_str_eq(json_string_value(json_object_get(ev, "action")), "api_key.updated");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(ev, "before"), "name")), "audited");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(ev, "after"), "name")), "audited-2");
	ev = json_array_get(items, 2);
	ck_assert_str_eq(json_string_value(json_object_get(ev, "action")), "api_key.revoked");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(ev, "after"), "status")), "revoked");
	http_free(h);
	http_free(c);
}
END_TEST

START_TEST(failed_change_writes_no_event)
{
	char *before = itk_sql_value(&t, "select count(*) from audit_events", 0, NULL), *after;
	struct http *h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"name\":\"x\",\"role\":\"god\"}", NULL);

	ck_problem(h, 422, "validation-failed");
	after = itk_sql_value(&t, "select count(*) from audit_events", 0, NULL);
	ck_assert_str_eq(before, after);
	http_free(h);
	free(before);
	free(after);
}
END_TEST

START_TEST(events_cannot_be_changed)
{
	const char *stmts[] = { "update audit_events set action = 'x'", "delete from audit_events",
				"truncate audit_events" };
	PGconn *c = itk_connect(&t);

	for (int i = 0; i < 3; i++) {
		PGresult *r = PQexec(c, stmts[i]);

		ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
		ck_assert_ptr_nonnull(strstr(PQresultErrorMessage(r), "append-only"));
		PQclear(r);
	}
	PQfinish(c);
}
END_TEST

START_TEST(chain_verifies_and_detects_tampering)
{
	struct http *h = http_do(&t, "GET", "/v1/audit-events/verification", t.admin_key, NULL, NULL);
	PGresult *r;
	char *seq;

	ck_status(h, 200);
	ck_assert(json_is_true(json_object_get(h->json, "valid")));
	ck_assert_int_ge(json_integer_value(json_object_get(h->json, "events_checked")), 3);
	http_free(h);

	/* A superuser edits history behind the triggers' back. */
	seq = itk_sql_value(&t, "select min(seq) + 1 from audit_events a join tenants t on t.id = a.tenant_id"
			   " where t.name = 't1'", 0, NULL);
	r = itk_sql(&t, "alter table audit_events disable trigger audit_events_append_only", 0, NULL);
	PQclear(r);
	{
		const char *params[1] = { seq };

		r = itk_sql(&t, "update audit_events set after = jsonb_set(coalesce(after, '{}'), '{name}', '\"forged\"')"
			    " where seq = $1::bigint and tenant_id = (select id from tenants where name = 't1')", 1, params);
		PQclear(r);
	}
	r = itk_sql(&t, "alter table audit_events enable trigger audit_events_append_only", 0, NULL);
	PQclear(r);
	h = http_do(&t, "GET", "/v1/audit-events/verification", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert(json_is_false(json_object_get(h->json, "valid")));
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "first_invalid_seq")), atol(seq));
	ck_assert_ptr_nonnull(strstr(jstr(h, "reason"), "hash"));
	http_free(h);
	free(seq);
}
END_TEST

START_TEST(list_filters_and_paginates)
{
	struct http *h;
	char path[1024];
	long prev = -1;
	int total = 0;

	for (int i = 0; i < 5; i++) {
		h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"name\":\"page\",\"role\":\"viewer\"}", NULL);
		http_free(h);
	}
	snprintf(path, sizeof(path), "/v1/audit-events?action=api_key.created&limit=2");
	for (;;) {
		json_t *it;
		size_t i;
		const char *next;

		h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
		ck_status(h, 200);
		json_array_foreach(json_object_get(h->json, "items"), i, it) {
			long seq = (long)json_integer_value(json_object_get(it, "seq"));

			ck_assert_str_eq(json_string_value(json_object_get(it, "action")), "api_key.created");
			ck_assert(prev < 0 || seq < prev);   /* newest first, no repeats */
			prev = seq;
			total++;
		}
		next = json_string_value(json_object_get(h->json, "next_cursor"));
		if (!next) {
			http_free(h);
			break;
		}
		snprintf(path, sizeof(path), "/v1/audit-events?action=api_key.created&limit=2&cursor=%s", next);
		http_free(h);
	}
	ck_assert_int_ge(total, 5);

	h = http_do(&t, "GET", "/v1/audit-events?since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00Z",
		    t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 0);
	http_free(h);
	h = http_do(&t, "GET", "/v1/audit-events?since=yesterday&order=sideways&actor_key_id=me",
		    t.admin_key, NULL, NULL);
	ck_problem(h, 400, "invalid-parameter");
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "errors")), 3);
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("audit");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, changes_write_events_with_before_and_after);
	tcase_add_test(tc, failed_change_writes_no_event);
	tcase_add_test(tc, events_cannot_be_changed);
	tcase_add_test(tc, list_filters_and_paginates);
	tcase_add_test(tc, chain_verifies_and_detects_tampering);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

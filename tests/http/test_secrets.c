/* HTTP: secrets (API keys, report-link tokens, webhook signing secrets) are
 * shown once, and are stored nowhere but as hashes: not in idempotency
 * records, audit events, logs or any other row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "receiver.h"

static struct itk t;

static void setup(void)
{
	static const char *const env[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", "ITAKU_WEBHOOK_WORKERS=0",
					   "ITAKU_LOG_LEVEL=debug", ITK_SECRET_KEY_ENV, NULL };

	itk_setup(&t, "secrets", env);
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* Number of rows, in every table of the schema except those listed in
 * `except` (comma-separated), whose text contains needle. */
static long rows_containing(const char *needle, const char *except)
{
	const char *params[2] = { needle, except };
	char *v = itk_sql_value(&t,
		"select coalesce(sum(n), 0) from ("
		" select (xpath('/row/n/text()', query_to_xml(format("
		"   'select count(*) as n from %I.%I x where x::text like ''%%'' || %L || ''%%''',"
		"   table_schema, table_name, $1::text), false, true, '')))[1]::text::bigint as n"
		"   from information_schema.tables"
		"  where table_schema = 'public' and table_type = 'BASE TABLE'"
		"    and table_name <> all (string_to_array($2::text, ','))) s", 2, params);
	long n = atol(v);

	free(v);
	return n;
}

static int log_contains(const char *needle)
{
	FILE *f = fopen(t.log_path, "r");
	char line[8192];
	int found = 0;

	ck_assert_ptr_nonnull(f);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

/* Sends the same request twice with one Idempotency-Key; checks that the
 * first answer shows the secret members, the replay the same answer
 * without them, and returns the first answer's value of members[0]. */
static char *issue_twice(const char *path, const char *body, const char *key, int status,
			 const char *const members[])
{
	char header[96];
	const char *idem[] = { header, NULL };
	struct http *a, *b;
	char *secret;

	snprintf(header, sizeof(header), "Idempotency-Key: %s", key);
	a = http_do(&t, "POST", path, t.admin_key, body, idem);
	ck_status(a, status);
	b = http_do(&t, "POST", path, t.admin_key, body, idem);
	ck_status(b, status);
	ck_assert_str_eq(http_header(b, "Idempotent-Replayed"), "true");
	secret = strdup(jstr(a, members[0]));
	for (int i = 0; members[i]; i++) {
		ck_assert_msg(json_is_string(json_object_get(a->json, members[i])), "%s missing", members[i]);
		ck_assert_msg(!json_object_get(b->json, members[i]), "%s replayed", members[i]);
		json_object_del(a->json, members[i]);
	}
	ck_assert_msg(json_equal(a->json, b->json), "replay differs: %s vs %s", a->body, b->body);
	http_free(a);
	http_free(b);
	return secret;
}

START_TEST(secrets_are_shown_once_and_stored_as_hashes)
{
	static const char *const key_members[] = { "key", NULL };
	static const char *const link_members[] = { "token", "intake_path", NULL };
	static const char *const hook_members[] = { "secret", NULL };
	char path[128], vid[40], hid[40];
	char *key, *token, *secret, *rotated;
	struct http *h;

	key = issue_twice("/v1/api-keys", "{\"name\":\"連携用\",\"role\":\"integration\"}", "k-1", 201,
			  key_members);
	ck_assert_int_eq(strncmp(key, "itk_", 4), 0);

	h = http_do(&t, "POST", "/v1/vendors", t.admin_key, "{\"name\":\"秘密株式会社\"}", NULL);
	ck_status(h, 201);
	snprintf(vid, sizeof(vid), "%s", jstr(h, "id"));
	http_free(h);
	snprintf(path, sizeof(path), "/v1/vendors/%s/report-links", vid);
	token = issue_twice(path, "{\"expires_in_days\":7}", "l-1", 201, link_members);
	ck_assert_int_eq(strncmp(token, "itr_", 4), 0);

	secret = issue_twice("/v1/webhook-subscriptions",
			     "{\"url\":\"http://127.0.0.1:9/hook\",\"event_types\":[\"*\"]}", "w-1", 201,
			     hook_members);
	ck_assert_int_eq(strncmp(secret, "whsec_", 6), 0);
	h = http_do(&t, "GET", "/v1/webhook-subscriptions", t.admin_key, NULL, NULL);
	snprintf(hid, sizeof(hid), "%s", json_string_value(json_object_get(
		json_array_get(json_object_get(h->json, "items"), 0), "id")));
	http_free(h);
	snprintf(path, sizeof(path), "/v1/webhook-subscriptions/%s/rotate-secret", hid);
	rotated = issue_twice(path, "{\"overlap_hours\":0}", "r-1", 200, hook_members);
	ck_assert_str_ne(rotated, secret);

	/* The credentials work, so what was checked is the real thing. */
	h = http_do(&t, "GET", "/v1/me", key, NULL, NULL);
	ck_status(h, 200);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/report/%s/incidents/00000000-0000-4000-8000-000000000000",
		 token);
	h = http_do(&t, "GET", path, NULL, NULL, NULL);
	ck_problem(h, 404, "not-found");   /* the link is valid; the incident is not there */
	http_free(h);

	/* Stored nowhere readable: API keys and tokens as hashes only, the
	 * signing secrets only sealed (they must sign, so they cannot be
	 * hashed). */
	ck_assert_int_eq(rows_containing(key + 4, ""), 0);
	ck_assert_int_eq(rows_containing(token + 4, ""), 0);
	ck_assert_int_eq(rows_containing(secret + 6, ""), 0);
	ck_assert_int_eq(rows_containing(rotated + 6, ""), 0);
	ck_assert_int_gt(rows_containing("k-1", ""), 0);   /* the scan does see idempotency rows */
	ck_assert(!log_contains(key + 4));
	ck_assert(!log_contains(token + 4));
	ck_assert(!log_contains(secret + 6));
	free(key);
	free(token);
	free(secret);
	free(rotated);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("secrets");
	TCase *tc = tcase_create("secrets");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, secrets_are_shown_once_and_stored_as_hashes);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

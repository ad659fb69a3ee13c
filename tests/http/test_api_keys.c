/* HTTP: API keys (create once, list, paginate, revoke, expire), roles,
 * tenant isolation and If-Match. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"
#include "util/crypto.h"

static struct itk t;

static void setup(void)
{
	itk_setup(&t, "keys", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* Creates a key; returns the response (caller frees). */
static struct http *create(const char *key, const char *name, const char *role)
{
	char body[256];

	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"role\":\"%s\"}", name, role);
	return http_do(&t, "POST", "/v1/api-keys", key, body, NULL);
}

static char *create_key(const char *name, const char *role)
{
	struct http *h = create(t.admin_key, name, role);
	char *k;

	ck_status(h, 201);
	k = strdup(jstr(h, "key"));
	http_free(h);
	return k;
}

START_TEST(create_shows_key_once_and_stores_hash)
{
	struct http *h = create(t.admin_key, "ERP 連携", "integration");
	char path[128], hash[CRYPTO_SHA256_HEX_LEN], *stored, *count;
	const char *key, *params[1];

	ck_status(h, 201);
	key = jstr(h, "key");
	ck_assert_uint_eq(strlen(key), 47);
	ck_assert_str_eq(jstr(h, "name"), "ERP 連携");
	ck_assert_str_eq(jstr(h, "role"), "integration");
	ck_assert_str_eq(jstr(h, "status"), "active");
	ck_assert(strncmp(jstr(h, "prefix"), key, 12) == 0);
	ck_assert_str_eq(http_header(h, "ETag"), "\"1\"");
	snprintf(path, sizeof(path), "/v1/api-keys/%s", jstr(h, "id"));
	ck_assert_str_eq(http_header(h, "Location"), path);

	crypto_sha256_hex(key, strlen(key), hash);
	params[0] = jstr(h, "id");
	stored = itk_sql_value(&t, "select key_hash from api_keys where id = $1", 1, params);
	ck_assert_str_eq(stored, hash);
	params[0] = key;
	count = itk_sql_value(&t, "select count(*) from api_keys k where to_jsonb(k)::text like '%' || $1 || '%'",
			      1, params);
	ck_assert_str_eq(count, "0");
	free(stored);
	free(count);

	/* The new key works, and reading it back never shows the secret. */
	{
		char *k = strdup(key);
		struct http *me = http_do(&t, "GET", "/v1/me", k, NULL, NULL);
		struct http *get = http_do(&t, "GET", path, t.admin_key, NULL, NULL);

		ck_status(me, 200);
		ck_assert_str_eq(jstr(me, "role"), "integration");
		ck_status(get, 200);
		ck_assert_ptr_null(json_object_get(get->json, "key"));
		ck_assert_ptr_null(strstr(get->body, k));
		http_free(me);
		http_free(get);
		free(k);
	}
	http_free(h);
}
END_TEST

START_TEST(list_paginates_with_cursor_and_link)
{
	struct http *h;
	char path[1024], *seen = calloc(1, 8192);
	int pages = 0, total = 0;

	for (int i = 0; i < 7; i++) {
		char name[32];

		snprintf(name, sizeof(name), "page-%d", i);
		h = create(t.admin_key, name, "viewer");
		ck_status(h, 201);
		http_free(h);
	}
	snprintf(path, sizeof(path), "/v1/api-keys?role=viewer&limit=3");
	for (;;) {
		json_t *items, *it;
		size_t i;
		const char *link, *next;

		h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
		ck_status(h, 200);
		items = json_object_get(h->json, "items");
		ck_assert_int_le(json_array_size(items), 3);
		json_array_foreach(items, i, it) {
			const char *id = json_string_value(json_object_get(it, "id"));

			ck_assert_msg(!strstr(seen, id), "id %s returned twice", id);
			strcat(seen, id);
			ck_assert_str_eq(json_string_value(json_object_get(it, "role")), "viewer");
			total++;
		}
		pages++;
		next = json_string_value(json_object_get(h->json, "next_cursor"));
		link = http_header(h, "Link");
		if (!next) {
			ck_assert_ptr_null(link);
			http_free(h);
			break;
		}
		ck_assert_ptr_nonnull(link);
		ck_assert_ptr_nonnull(strstr(link, "rel=\"next\""));
		ck_assert_ptr_nonnull(strstr(link, "role=viewer"));
		ck_assert_ptr_nonnull(strstr(link, next));
		/* Follow the Link header, as a generic client would. */
		snprintf(path, sizeof(path), "%.*s", (int)(strchr(link, '>') - link - 1), link + 1);
		http_free(h);
	}
	ck_assert_int_ge(total, 7);
	ck_assert_int_ge(pages, 3);
	free(seen);
}
END_TEST

START_TEST(bad_list_parameters_400)
{
	const char *paths[] = { "/v1/api-keys?limit=0", "/v1/api-keys?limit=201", "/v1/api-keys?limit=abc",
				"/v1/api-keys?role=root", "/v1/api-keys?status=sleeping",
				"/v1/api-keys?cursor=abc.def" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct http *h = http_do(&t, "GET", paths[i], t.admin_key, NULL, NULL);

		ck_assert_msg(h->status == 400, "%s: %ld", paths[i], h->status);
		ck_problem(h, 400, NULL);
		ck_assert_int_ge(json_array_size(json_object_get(h->json, "errors")), 1);
		http_free(h);
	}
}
END_TEST

START_TEST(tampered_cursor_400)
{
	struct http *h;
	char path[1024], cursor[600];

	for (int i = 0; i < 3; i++) {
		h = create(t.admin_key, "tamper", "editor");
		http_free(h);
	}
	h = http_do(&t, "GET", "/v1/api-keys?limit=1", t.admin_key, NULL, NULL);
	snprintf(cursor, sizeof(cursor), "%s", json_string_value(json_object_get(h->json, "next_cursor")));
	http_free(h);
	cursor[3] = cursor[3] == 'A' ? 'B' : 'A';
	snprintf(path, sizeof(path), "/v1/api-keys?limit=1&cursor=%s", cursor);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_problem(h, 400, "invalid-cursor");
	http_free(h);
	/* A valid cursor of another listing is refused too. */
	h = http_do(&t, "GET", "/v1/audit-events?limit=1", t.admin_key, NULL, NULL);
	snprintf(path, sizeof(path), "/v1/api-keys?cursor=%s",
		 json_string_value(json_object_get(h->json, "next_cursor")));
	http_free(h);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_problem(h, 400, "invalid-cursor");
	http_free(h);
}
END_TEST

START_TEST(revoked_key_stops_working_at_once)
{
	struct http *h = create(t.admin_key, "to revoke", "editor");
	char *key = strdup(jstr(h, "key")), path[128], action[160];

	snprintf(path, sizeof(path), "/v1/api-keys/%s", jstr(h, "id"));
	snprintf(action, sizeof(action), "%s/revoke", path);
	http_free(h);
	h = http_do(&t, "GET", "/v1/me", key, NULL, NULL);   /* now cached */
	ck_status(h, 200);
	http_free(h);
	h = http_do(&t, "POST", action, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "revoked");
	ck_assert_str_eq(http_header(h, "ETag"), "\"2\"");
	http_free(h);
	h = http_do(&t, "GET", "/v1/me", key, NULL, NULL);
	ck_problem(h, 401, "unauthorized");
	ck_assert_ptr_nonnull(strstr(jstr(h, "detail"), "revoked"));
	http_free(h);
	/* Revoking keeps the record: still readable and listed, as revoked. */
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "revoked");
	ck_assert_str_eq(http_header(h, "ETag"), "\"2\"");
	http_free(h);
	h = http_do(&t, "GET", "/v1/api-keys?status=revoked", t.admin_key, NULL, NULL);
	ck_assert_int_ge(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = http_do(&t, "POST", action, t.admin_key, NULL, NULL);   /* again: no change */
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "ETag"), "\"2\"");
	http_free(h);
	/* DELETE would promise the key is gone; it is not offered. */
	h = http_do(&t, "DELETE", path, t.admin_key, NULL, NULL);
	ck_problem(h, 405, "method-not-allowed");
	http_free(h);
	free(key);
}
END_TEST

START_TEST(last_admin_key_cannot_be_revoked)
{
	char *key = itk_bootstrap(&t, "solo"), path[128], body[128], exp[64];
	time_t soon = time(NULL) + 2;
	struct http *h = http_do(&t, "GET", "/v1/me", key, NULL, NULL);

	snprintf(path, sizeof(path), "/v1/api-keys/%s/revoke", jstr(h, "key_id"));
	http_free(h);
	h = http_do(&t, "POST", path, key, NULL, NULL);
	ck_problem(h, 409, "last-admin-key");
	http_free(h);
	/* An expiry date would lock the tenant out just as surely, later. */
	strftime(exp, sizeof(exp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&soon));
	snprintf(body, sizeof(body), "{\"expires_at\":\"%s\"}", exp);
	path[strlen(path) - strlen("/revoke")] = '\0';
	h = http_do(&t, "PATCH", path, key, body, NULL);
	ck_problem(h, 409, "last-admin-key");
	http_free(h);
	h = http_do(&t, "GET", path, key, NULL, NULL);
	ck_assert(json_is_null(json_object_get(h->json, "expires_at")));
	ck_assert_str_eq(http_header(h, "ETag"), "\"1\"");
	http_free(h);
	h = http_do(&t, "GET", "/v1/me", key, NULL, NULL);
	ck_status(h, 200);
	http_free(h);
	free(key);
}
END_TEST

struct revoke_call {
	const char *key, *target;
	struct http *res;
	pthread_t th;
};

static void *revoke_thread(void *arg)
{
	struct revoke_call *c = arg;
	char path[128];

	snprintf(path, sizeof(path), "/v1/api-keys/%s/revoke", c->target);
	c->res = http_do(&t, "POST", path, c->key, NULL, NULL);
	return NULL;
}

/* Two admins revoke each other at the same moment: one wins, the other
 * hears 409, and the tenant keeps one admin key. Both requests are held
 * inside their transactions (after their UPDATE, before their audit event)
 * until both are in flight, so the race happens every round. */
START_TEST(admins_revoking_each_other_keep_one)
{
	for (int round = 0; round < 4; round++) {
		char tenant[32], *a = NULL, *tid, ida[40], idb[40], q[256];
		struct revoke_call ca, cb;
		struct http *h;
		PGconn *park;
		int ok = 0, conflict = 0;

		snprintf(tenant, sizeof(tenant), "race%d", round);
		a = itk_bootstrap(&t, tenant);
		h = http_do(&t, "GET", "/v1/me", a, NULL, NULL);
		snprintf(ida, sizeof(ida), "%s", jstr(h, "key_id"));
		http_free(h);
		h = create(a, "second admin", "admin");
		snprintf(idb, sizeof(idb), "%s", jstr(h, "id"));
		ca = (struct revoke_call){ .key = a, .target = idb };
		cb = (struct revoke_call){ .key = jstr(h, "key"), .target = ida };
		/* Both keys are used once first, so that neither request waits on
		 * a database stamp of last_used_at before its transaction. */
		http_free(http_do(&t, "GET", "/v1/me", cb.key, NULL, NULL));
		park = itk_park_writers(&t);
		pthread_create(&ca.th, NULL, revoke_thread, &ca);
		pthread_create(&cb.th, NULL, revoke_thread, &cb);
		for (int i = 0; i < 200 && itk_backends_waiting(&t) < 2; i++)
			usleep(10000);
		itk_unpark(park);
		pthread_join(ca.th, NULL);
		pthread_join(cb.th, NULL);
		ok = (ca.res->status == 200) + (cb.res->status == 200);
		conflict = (ca.res->status == 409) + (cb.res->status == 409);
		ck_assert_msg(ok == 1 && conflict == 1, "round %d: %ld %s and %ld %s", round, ca.res->status,
			      ca.res->body, cb.res->status, cb.res->body);
		ck_problem(ca.res->status == 409 ? ca.res : cb.res, 409, "last-admin-key");
		tid = itk_sql_value(&t, "select id from tenants where name = $1", 1,
				    (const char *const[]){ tenant });
		snprintf(q, sizeof(q), "select count(*) from api_keys where tenant_id = '%s' and role = 'admin'"
			 " and revoked_at is null and expires_at is null", tid);
		free(tid);
		tid = itk_sql_value(&t, q, 0, NULL);
		ck_assert_str_eq(tid, "1");
		free(tid);
		http_free(ca.res);
		http_free(cb.res);
		http_free(h);
		free(a);
	}
}
END_TEST

START_TEST(expired_key_401)
{
	char body[160], exp[64];
	time_t soon = time(NULL) + 2;
	struct http *h;
	char *key;

	strftime(exp, sizeof(exp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&soon));
	snprintf(body, sizeof(body), "{\"name\":\"short\",\"role\":\"viewer\",\"expires_at\":\"%s\"}", exp);
	h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, body, NULL);
	ck_status(h, 201);
	key = strdup(jstr(h, "key"));
	http_free(h);
	h = http_do(&t, "GET", "/v1/me", key, NULL, NULL);
	ck_status(h, 200);
	http_free(h);
	sleep(3);
	h = http_do(&t, "GET", "/v1/me", key, NULL, NULL);
	ck_problem(h, 401, "unauthorized");
	ck_assert_ptr_nonnull(strstr(jstr(h, "detail"), "expired"));
	http_free(h);
	free(key);
}
END_TEST

START_TEST(last_used_at_is_recorded)
{
	struct http *h = create(t.admin_key, "used", "viewer");
	char *key = strdup(jstr(h, "key")), path[128];

	snprintf(path, sizeof(path), "/v1/api-keys/%s", jstr(h, "id"));
	ck_assert(json_is_null(json_object_get(h->json, "last_used_at")));
	http_free(h);
	h = http_do(&t, "GET", "/v1/me", key, NULL, NULL);
	http_free(h);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert(json_is_string(json_object_get(h->json, "last_used_at")));
	http_free(h);
	free(key);
}
END_TEST

/* Each role against one endpoint of each permission class. */
START_TEST(role_table_over_http)
{
	static const char *roles[] = { "admin", "editor", "viewer", "integration" };
	struct {
		const char *method, *path, *body;
		int allowed[4];
	} cases[] = {
		{ "GET", "/v1/me", NULL, { 1, 1, 1, 1 } },
		{ "GET", "/v1/api-keys", NULL, { 1, 0, 0, 0 } },
		{ "POST", "/v1/api-keys", "{\"name\":\"r\",\"role\":\"viewer\"}", { 1, 0, 0, 0 } },
		{ "GET", "/v1/audit-events", NULL, { 1, 1, 1, 0 } },
		{ "GET", "/v1/audit-events/verification", NULL, { 1, 0, 0, 0 } },
	};

	for (int r = 0; r < 4; r++) {
		char *key = create_key("role test", roles[r]);

		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			struct http *h = http_do(&t, cases[c].method, cases[c].path, key, cases[c].body, NULL);

			if (cases[c].allowed[r])
				ck_assert_msg(h->status >= 200 && h->status < 300, "%s %s as %s: %ld",
					      cases[c].method, cases[c].path, roles[r], h->status);
			else
				ck_problem(h, 403, "forbidden");
			http_free(h);
		}
		free(key);
	}
}
END_TEST

START_TEST(other_tenant_sees_nothing)
{
	char *key_b = itk_bootstrap(&t, "t2"), path[128], body[160];
	struct http *a = create(t.admin_key, "tenant A key", "viewer"), *h;
	json_t *it;
	size_t i;

	snprintf(path, sizeof(path), "/v1/api-keys/%s", jstr(a, "id"));
	h = http_do(&t, "GET", path, key_b, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	snprintf(body, sizeof(body), "{\"name\":\"hijacked\"}");
	h = http_do(&t, "PATCH", path, key_b, body, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	snprintf(body, sizeof(body), "%s/revoke", path);
	h = http_do(&t, "POST", body, key_b, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_str_eq(jstr(h, "name"), "tenant A key");
	ck_assert_str_eq(jstr(h, "status"), "active");
	http_free(h);

	h = http_do(&t, "GET", "/v1/api-keys?limit=200", key_b, NULL, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	http_free(h);
	h = http_do(&t, "GET", "/v1/audit-events?limit=200", key_b, NULL, NULL);
	json_array_foreach(json_object_get(h->json, "items"), i, it)
		ck_assert_str_ne(json_string_value(json_object_get(it, "resource_id")), jstr(a, "id"));
	http_free(h);
	h = http_do(&t, "GET", "/v1/api-keys/not-a-uuid", key_b, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	http_free(a);
	free(key_b);
}
END_TEST

START_TEST(if_match_guards_updates)
{
	struct http *a = create(t.admin_key, "versioned", "viewer"), *h;
	static const char *const stale[] = { "If-Match: \"1\"", NULL };
	static const char *const any[] = { "If-Match: *", NULL };
	static const char *const weak[] = { "If-Match: W/\"2\"", NULL };
	static const char *const list[] = { "If-Match: \"7\", \"2\"", NULL };
	char path[128], *name;
	const char *params[1];

	snprintf(path, sizeof(path), "/v1/api-keys/%s", jstr(a, "id"));
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"name\":\"v2\"}", stale);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "ETag"), "\"2\"");
	ck_assert_str_eq(jstr(h, "name"), "v2");
	http_free(h);
	/* The same precondition is now stale: 412 and nothing written. */
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"name\":\"lost update\"}", stale);
	ck_problem(h, 412, "precondition-failed");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"name\":\"weak\"}", weak);
	ck_problem(h, 412, "precondition-failed");
	http_free(h);
	/* A version no row can have is just another mismatch, not a 422. */
	for (int i = 0; i < 2; i++) {
		static const char *const huge[][2] = { { "If-Match: \"99999999999\"", NULL },
						       { "If-Match: \"2147483648\", \"1\"", NULL } };

		h = http_do(&t, "PATCH", path, t.admin_key, "{\"name\":\"huge\"}", huge[i]);
		ck_problem(h, 412, "precondition-failed");
		http_free(h);
	}
	params[0] = jstr(a, "id");
	name = itk_sql_value(&t, "select name || ':' || version from api_keys where id = $1", 1, params);
	ck_assert_str_eq(name, "v2:2");
	free(name);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"name\":\"v3\"}", list);
	ck_status(h, 200);
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"name\":\"v4\"}", any);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "ETag"), "\"4\"");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"name\":\"v5\"}", NULL);
	ck_status(h, 200);
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"name\":\"\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	http_free(a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api_keys");
	TCase *tc = tcase_create("api_keys");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, create_shows_key_once_and_stores_hash);
	tcase_add_test(tc, list_paginates_with_cursor_and_link);
	tcase_add_test(tc, bad_list_parameters_400);
	tcase_add_test(tc, tampered_cursor_400);
	tcase_add_test(tc, revoked_key_stops_working_at_once);
	tcase_add_test(tc, last_admin_key_cannot_be_revoked);
	tcase_add_test(tc, admins_revoking_each_other_keep_one);
	tcase_add_test(tc, expired_key_401);
	tcase_add_test(tc, last_used_at_is_recorded);
	tcase_add_test(tc, role_table_over_http);
	tcase_add_test(tc, other_tenant_sees_nothing);
	tcase_add_test(tc, if_match_guards_updates);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

/* HTTP: every error class answers problem+json; request ids; CORS; access log. */
#include <stdio.h>
#include <string.h>
#include "harness.h"

static struct itk t;

static void setup(void)
{
	static const char *const env[] = { "ITAKU_MAX_BODY_BYTES=4096", "ITAKU_MAX_JSON_DEPTH=8",
					   "ITAKU_CORS_ORIGINS=https://app.example", NULL };

	itk_setup(&t, "errors", env);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static long key_count(void)
{
	char *v = itk_sql_value(&t, "select count(*) from api_keys", 0, NULL);
	long n = atol(v);

	free(v);
	return n;
}

START_TEST(unknown_route_404)
{
	struct http *h = http_do(&t, "GET", "/v1/nothing-here", t.admin_key, NULL, NULL);

	ck_problem(h, 404, "not-found");
	http_free(h);
	h = http_do(&t, "GET", "/", NULL, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
}
END_TEST

START_TEST(wrong_method_405_with_allow)
{
	struct http *h = http_do(&t, "PUT", "/v1/api-keys", t.admin_key, "{}", NULL);

	ck_problem(h, 405, "method-not-allowed");
	ck_assert_str_eq(http_header(h, "Allow"), "GET, POST, HEAD, OPTIONS");
	http_free(h);
}
END_TEST

START_TEST(body_over_cap_413)
{
	char *big = malloc(6000);
	long before = key_count();
	struct http *h;
	static const char *const chunked[] = { "Transfer-Encoding: chunked", NULL };

	memset(big, ' ', 5999);
	big[0] = '{';
	big[5998] = '}';
	big[5999] = '\0';
	h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, big, NULL);
	ck_problem(h, 413, "body-too-large");
	http_free(h);
	/* Without Content-Length the server counts what arrives. */
	h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, big, chunked);
	ck_problem(h, 413, "body-too-large");
	http_free(h);
	ck_assert_int_eq(key_count(), before);
	free(big);
}
END_TEST

START_TEST(non_json_content_type_415)
{
	static const char *const text[] = { "Content-Type: text/plain", NULL };
	static const char *const form[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	struct http *h = http_do(&t, "POST", "/v1/api-keys", t.admin_key,
				 "{\"name\":\"a\",\"role\":\"viewer\"}", text);

	ck_problem(h, 415, "unsupported-media-type");
	http_free(h);
	h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "name=a", form);
	ck_problem(h, 415, "unsupported-media-type");
	http_free(h);
}
END_TEST

START_TEST(malformed_json_400)
{
	const char *bodies[] = { "{", "[1,2]", "\"text\"", "42", "{\"a\":1,\"a\":2}",
				 "{\"name\":\"\xff\xfe\"}", "{\"a\":[[[[[[[[[[1]]]]]]]]]]}" };
	long before = key_count();

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct http *h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, bodies[i], NULL);

		ck_problem(h, 400, "malformed-json");
		http_free(h);
	}
	ck_assert_int_eq(key_count(), before);
}
END_TEST

START_TEST(empty_body_400)
{
	static const char *const ct[] = { "Content-Type: application/json", NULL };
	struct http *h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "", ct);

	ck_problem(h, 400, "malformed-json");
	http_free(h);
}
END_TEST

START_TEST(validation_422_lists_every_field)
{
	long before = key_count();
	struct http *h = http_do(&t, "POST", "/v1/api-keys", t.admin_key,
				 "{\"role\":\"root\",\"expires_at\":\"tomorrow\",\"extra\":true}", NULL);
	json_t *errors;
	char *all;

	ck_problem(h, 422, "validation-failed");
	errors = json_object_get(h->json, "errors");
	ck_assert_int_eq(json_array_size(errors), 4);
	all = json_dumps(errors, 0);
	ck_assert_ptr_nonnull(strstr(all, "\"/name\""));
	ck_assert_ptr_nonnull(strstr(all, "\"/role\""));
	ck_assert_ptr_nonnull(strstr(all, "\"/expires_at\""));
	ck_assert_ptr_nonnull(strstr(all, "\"/extra\""));
	free(all);
	http_free(h);
	h = http_do(&t, "POST", "/v1/api-keys", t.admin_key,
		    "{\"name\":\"past\",\"role\":\"viewer\",\"expires_at\":\"2001-01-01T00:00:00Z\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	ck_assert_int_eq(key_count(), before);
}
END_TEST

/* Long Japanese text reaches fixed buffers (a database message, a field
 * pointer); cut by bytes it broke a character and the body came out as {}. */
START_TEST(long_text_keeps_problem_bodies_valid)
{
	char title[700], body[2000], path[96], vid[40], eid[40], name[200];
	long before = key_count();
	struct http *h;
	size_t n = 0;

	h = http_do(&t, "POST", "/v1/vendors", t.admin_key, "{\"name\":\"長文株式会社\"}", NULL);
	ck_status(h, 201);
	snprintf(vid, sizeof(vid), "%s", jstr(h, "id"));
	http_free(h);
	title[n++] = 'a';
	for (int i = 0; i < 199; i++, n += 3)
		memcpy(title + n, "委", 3);
	title[n] = '\0';
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", vid);
	snprintf(body, sizeof(body), "{\"title\":\"%s\",\"contract_type\":\"inin\",\"category\":"
		 "\"data_processing\",\"subcontracting\":\"prohibited\",\"subcontract_max_depth\":0}", title);
	h = http_do(&t, "POST", path, t.admin_key, body, NULL);
	ck_status(h, 201);
	snprintf(eid, sizeof(eid), "%s", jstr(h, "id"));
	http_free(h);
	/* The rule's message names the engagement's 200-character title. */
	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts", eid);
	snprintf(body, sizeof(body), "{\"parent_id\":null,\"vendor_id\":\"%s\",\"scope\":\"入力\","
		 "\"reason\":\"繁忙期\",\"personal_data\":false,\"confidentiality\":1}", vid);
	h = http_do(&t, "POST", path, t.admin_key, body, NULL);
	ck_problem(h, 422, "rule-violated");
	ck_assert_ptr_nonnull(h->json);
	ck_assert_ptr_nonnull(strstr(jstr(h, "detail"), "engagement \"a委委委"));
	http_free(h);

	/* An unknown member is refused whatever its name's length. */
	n = 0;
	for (int i = 0; i < 125; i++)
		name[n++] = 'a';
	memcpy(name + n, "委", 4);
	snprintf(body, sizeof(body), "{\"name\":\"x\",\"role\":\"viewer\",\"%s\":1}", name);
	h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, body, NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(h->json, "errors"), 0), "pointer")) + 1, name);
	http_free(h);
	snprintf(body, sizeof(body), "{\"name\":\"x\",\"role\":\"viewer\",\"%s%s\":1,\"a/b~c\":2}", title, title);
	h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, body, NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "errors")), 2);
	ck_assert_ptr_nonnull(strstr(h->body, "\"/a~1b~0c\""));
	ck_assert_ptr_nonnull(strstr(h->body, "shown shortened"));
	http_free(h);
	ck_assert_int_eq(key_count(), before);
}
END_TEST

/* Every operation takes only the query parameters the document lists: a
 * typo answers 400 naming it, instead of an unfiltered answer. */
START_TEST(unknown_query_parameters_400)
{
	static const char *const paths[][2] = {
		{ "GET", "/v1/incidents?stauts=open" },
		{ "GET", "/v1/vendors?limit=5&nmae=x" },
		{ "GET", "/v1/api-keys/00000000-0000-4000-8000-000000000000?expand=all" },
		{ "GET", "/healthz?verbose=1" },
		{ "POST", "/v1/api-keys?dry_run=true" },
	};
	long before = key_count();

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct http *h = http_do(&t, paths[i][0], paths[i][1], t.admin_key,
					 !strcmp(paths[i][0], "POST") ? "{\"name\":\"x\",\"role\":\"viewer\"}" : NULL,
					 NULL);
		const char *q = strchr(paths[i][1], '?') + 1, *amp = strrchr(q, '&');
		char name[32];

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(amp ? amp + 1 : q, "="), amp ? amp + 1 : q);
		ck_problem(h, 400, "invalid-parameter");
		ck_assert_uint_eq(json_array_size(json_object_get(h->json, "errors")), 1);
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
			json_object_get(h->json, "errors"), 0), "parameter")), name);
		http_free(h);
	}
	ck_assert_int_eq(key_count(), before);
	/* documented ones still work */
	{
		struct http *h = http_do(&t, "GET", "/v1/api-keys?role=viewer&limit=2", t.admin_key, NULL, NULL);

		ck_status(h, 200);
		http_free(h);
	}
}
END_TEST

START_TEST(missing_or_bad_key_401)
{
	const char *keys[] = { NULL, "nonsense", "itk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };

	for (size_t i = 0; i < 3; i++) {
		struct http *h = http_do(&t, "GET", "/v1/api-keys", keys[i], NULL, NULL);

		ck_problem(h, 401, "unauthorized");
		ck_assert_str_eq(http_header(h, "WWW-Authenticate"), "Bearer realm=\"itaku\"");
		http_free(h);
	}
}
END_TEST

START_TEST(insufficient_role_403)
{
	struct http *h = http_do(&t, "POST", "/v1/api-keys", t.admin_key,
				 "{\"name\":\"v\",\"role\":\"viewer\"}", NULL);
	char *viewer = strdup(jstr(h, "key"));

	http_free(h);
	h = http_do(&t, "GET", "/v1/api-keys", viewer, NULL, NULL);
	ck_problem(h, 403, "forbidden");
	http_free(h);
	free(viewer);
}
END_TEST

START_TEST(request_id_echoed_or_generated)
{
	static const char *const mine[] = { "X-Request-Id: erp-batch-42.7", NULL };
	static const char *const bad[] = { "X-Request-Id: has spaces and <tags>", NULL };
	struct http *h = http_do(&t, "GET", "/healthz", NULL, NULL, mine);
	FILE *log;
	char line[1024];
	int seen = 0;

	ck_assert_str_eq(http_header(h, "X-Request-Id"), "erp-batch-42.7");
	ck_assert_str_eq(http_header(h, "Cache-Control"), "no-store");
	http_free(h);
	h = http_do(&t, "GET", "/healthz", NULL, NULL, bad);
	ck_assert_uint_eq(strlen(http_header(h, "X-Request-Id")), 36);
	http_free(h);
	h = http_do(&t, "GET", "/v1/api-keys", t.admin_key, NULL, mine);
	http_free(h);

	/* The access log names the route template and the request id, never the key. */
	log = fopen(t.log_path, "r");
	ck_assert_ptr_nonnull(log);
	while (fgets(line, sizeof(line), log)) {
		ck_assert_msg(!strstr(line, t.admin_key), "key in log: %s", line);
		ck_assert_msg(!strstr(line, "Bearer"), "authorization in log: %s", line);
		if (strstr(line, "route=/v1/api-keys ") && strstr(line, "request_id=erp-batch-42.7") &&
		    strstr(line, "status=200") && strstr(line, "method=GET") && strstr(line, "duration_ms="))
			seen = 1;
	}
	fclose(log);
	ck_assert_msg(seen, "no access log line for the request");
}
END_TEST

START_TEST(cors_for_configured_origins)
{
	static const char *const good[] = { "Origin: https://app.example",
					    "Access-Control-Request-Method: POST", NULL };
	static const char *const evil[] = { "Origin: https://evil.example", NULL };
	struct http *h = http_do(&t, "OPTIONS", "/v1/api-keys", NULL, NULL, good);

	ck_status(h, 204);
	ck_assert_str_eq(http_header(h, "Access-Control-Allow-Origin"), "https://app.example");
	ck_assert_ptr_nonnull(strstr(http_header(h, "Access-Control-Allow-Methods"), "POST"));
	ck_assert_ptr_nonnull(strstr(http_header(h, "Access-Control-Allow-Headers"), "Idempotency-Key"));
	http_free(h);
	h = http_do(&t, "GET", "/v1/me", t.admin_key, NULL, good);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "Access-Control-Allow-Origin"), "https://app.example");
	ck_assert_ptr_nonnull(strstr(http_header(h, "Access-Control-Expose-Headers"), "ETag"));
	http_free(h);
	h = http_do(&t, "GET", "/v1/me", t.admin_key, NULL, evil);
	ck_assert_ptr_null(http_header(h, "Access-Control-Allow-Origin"));
	http_free(h);
}
END_TEST

START_TEST(head_is_get_without_body)
{
	struct http *h = http_do(&t, "HEAD", "/healthz", NULL, NULL, NULL);

	ck_status(h, 200);
	ck_assert_uint_eq(h->len, 0);
	http_free(h);
}
END_TEST

/* Runs last: breaks the schema under the running server to reach the 500 path. */
START_TEST(unexpected_error_500_without_internals)
{
	struct http *h;
	PGresult *r;

	r = itk_sql(&t, "alter table api_keys rename column name to label", 0, NULL);
	PQclear(r);
	h = http_do(&t, "GET", "/v1/api-keys", t.admin_key, NULL, NULL);
	ck_problem(h, 500, "internal");
	ck_assert_ptr_null(strstr(h->body, "column"));
	ck_assert_ptr_null(strstr(h->body, "api_keys"));
	ck_assert_ptr_null(strstr(h->body, "label"));
	http_free(h);
	r = itk_sql(&t, "alter table api_keys rename column label to name", 0, NULL);
	PQclear(r);
	h = http_do(&t, "GET", "/metrics", NULL, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(h->body, "itaku_db_errors_total 1"));
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("errors");
	TCase *tc = tcase_create("errors");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, unknown_route_404);
	tcase_add_test(tc, wrong_method_405_with_allow);
	tcase_add_test(tc, body_over_cap_413);
	tcase_add_test(tc, non_json_content_type_415);
	tcase_add_test(tc, malformed_json_400);
	tcase_add_test(tc, empty_body_400);
	tcase_add_test(tc, validation_422_lists_every_field);
	tcase_add_test(tc, long_text_keeps_problem_bodies_valid);
	tcase_add_test(tc, unknown_query_parameters_400);
	tcase_add_test(tc, missing_or_bad_key_401);
	tcase_add_test(tc, insufficient_role_403);
	tcase_add_test(tc, request_id_echoed_or_generated);
	tcase_add_test(tc, cors_for_configured_origins);
	tcase_add_test(tc, head_is_get_without_body);
	tcase_add_test(tc, unexpected_error_500_without_internals);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

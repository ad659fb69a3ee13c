/* HTTP: questionnaire templates (issue 16): the starter sheets of a new
 * tenant, templates (create, list, patch, archive, tenancy, roles),
 * versions (drafts, defaults written out, copy, delete, publish, immutable
 * in the API and in the database, audit), the rules publish holds a
 * version to (each bad input its own test, the same errors from validate),
 * the score preview on hand-computed cases, the control catalogue and the
 * questionnaire_template.published webhook event. CSV/JSON import and
 * export are in test_questionnaire_import.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "receiver.h"

static struct itk t;

/* Two questions, every optional member left out: the answer writes out
 * the defaults. */
#define MINI \
	"{\"sections\":[{\"code\":\"S1\",\"title_ja\":\"基本\",\"questions\":[" \
	"{\"code\":\"Q1\",\"text_ja\":\"方針を定めていますか\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"Q2\",\"text_ja\":\"備考\",\"answer_type\":\"text\"}]}]}"
#define MINI3 \
	"{\"sections\":[{\"code\":\"S1\",\"title_ja\":\"基本\",\"questions\":[" \
	"{\"code\":\"Q1\",\"text_ja\":\"方針を定めていますか\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"Q2\",\"text_ja\":\"備考\",\"answer_type\":\"text\"}," \
	"{\"code\":\"Q3\",\"text_ja\":\"教育をしていますか\",\"answer_type\":\"scale\",\"evidence\":\"when_yes\"," \
	"\"controls\":[\"iso27001:6.3\",\"nisc8:2\"]}]}]}"
/* One section S1 whose questions are the argument (a JSON list body). */
#define SHEET(questions) "{\"sections\":[{\"code\":\"S1\",\"title_ja\":\"基本\",\"questions\":[" questions "]}]}"
#define SCALE(code) "{\"code\":\"" code "\",\"text_ja\":\"設問\",\"answer_type\":\"scale\"}"

static void setup(void)
{
	itk_setup(&t, "questionnaires", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static struct http *call(const char *method, const char *body, const char *const *headers, const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return http_do(&t, method, path, t.admin_key, body, headers);
}

/* A string value, "" when absent. */
static const char *sv(json_t *v)
{
	const char *s = json_string_value(v);

	return s ? s : "";
}

static char *sql1(const char *sql, const char *p1)
{
	const char *params[1] = { p1 };

	return itk_sql_value(&t, sql, p1 ? 1 : 0, params);
}

static int count1(const char *sql, const char *p1)
{
	char *v = sql1(sql, p1);
	int n = atoi(v);

	free(v);
	return n;
}

static int versions_of(const char *id)
{
	return count1("select count(*) from questionnaire_versions where template_id::text = $1", id);
}

static void new_template(const char *name, char id[40])
{
	char body[256];
	struct http *h;

	snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
	h = call("POST", body, NULL, "/v1/questionnaire-templates");
	ck_status(h, 201);
	snprintf(id, 40, "%s", jstr(h, "id"));
	http_free(h);
}

/* A template with content as its draft 1 (saved through the API). */
static void with_draft(const char *name, const char *content, char id[40])
{
	char body[8192];
	struct http *h;

	new_template(name, id);
	snprintf(body, sizeof(body), "{\"content\":%s}", content);
	h = call("POST", body, NULL, "/v1/questionnaire-templates/%s/versions", id);
	ck_status(h, 201);
	http_free(h);
}

/* Stores content as draft 1 straight into the table, past the API's form
 * checks: what validate and publish must still refuse. */
static void stored_draft(const char *id, const char *content)
{
	const char *params[2] = { id, content };

	PQclear(itk_sql(&t, "insert into questionnaire_versions (tenant_id, template_id, number, content,"
			    " question_count, created_by, updated_by)"
			    " select tenant_id, id, 1, $2::jsonb, 2, 'test', 'test'"
			    "   from questionnaire_templates where id::text = $1", 2, params));
}

/* The error of h (a problem, or a validate report) at pointer; with code
 * when code is not NULL. */
static json_t *error_at(const struct http *h, const char *pointer, const char *code)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(h->json, "errors"), i, e) {
		if (!strcmp(sv(json_object_get(e, "pointer")), pointer) &&
		    (!code || !strcmp(sv(json_object_get(e, "code")), code)))
			return e;
	}
	return NULL;
}

#define ck_error(h, pointer, code) \
	ck_assert_msg(error_at((h), (pointer), (code)) != NULL, "no error %s (%s) in %s", (pointer), \
		      (code) ? (code) : "any code", (h)->body)

/* validate answers valid:false with the error, publish 422 version-invalid
 * with the same error, and the version stays an unaudited draft. */
static void refused_at_publish(const char *id, const char *pointer, const char *code)
{
	struct http *h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/versions/1/validate", id);

	ck_status(h, 200);
	ck_assert(json_is_false(json_object_get(h->json, "valid")));
	ck_error(h, pointer, code);
	http_free(h);
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/versions/1/publish", id);
	ck_problem(h, 422, "version-invalid");
	ck_error(h, pointer, code);
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from questionnaire_versions where template_id::text = $1"
				" and status = 'draft' and published_at is null", id), 1);
	ck_assert_int_eq(count1("select count(*) from audit_events where resource_id::text = $1"
				" and action = 'questionnaire_template.published'", id), 0);
}

/* Saving content is refused (422 validation-failed at save_pointer, nothing
 * written); stored past the API, validate and publish refuse it too. */
static void refused_at_save(const char *content, const char *save_pointer, const char *pointer, const char *code)
{
	char id[40], body[8192];
	struct http *h;

	new_template("保存で拒否", id);
	snprintf(body, sizeof(body), "{\"content\":%s}", content);
	h = call("POST", body, NULL, "/v1/questionnaire-templates/%s/versions", id);
	ck_problem(h, 422, "validation-failed");
	ck_error(h, save_pointer, code);
	http_free(h);
	ck_assert_int_eq(versions_of(id), 0);
	ck_assert_int_eq(count1("select count(*) from audit_events where resource_id::text = $1"
				" and action like 'questionnaire_template.draft%'", id), 0);
	stored_draft(id, content);
	refused_at_publish(id, pointer, code);
}

/* ---- starters ------------------------------------------------------------ */

START_TEST(starters_are_published_and_valid)
{
	static const struct { const char *key; int questions; } starters[] = {
		{ "basic_check", 37 }, { "nisc_eight", 19 }, { "appi_safety", 24 }, { "confidential_handling", 18 },
	};
	char *key2;
	struct http *h;

	ck_assert_int_eq(count1("select count(*) from questionnaire_templates", NULL), 4);
	for (size_t i = 0; i < sizeof(starters) / sizeof(starters[0]); i++) {
		char *id = sql1("select id::text from questionnaire_templates where starter = $1", starters[i].key);
		json_t *versions, *v;

		ck_assert_msg(*id, "no starter %s", starters[i].key);
		h = call("GET", NULL, NULL, "/v1/questionnaire-templates/%s", id);
		ck_status(h, 200);
		ck_assert_str_eq(jstr(h, "starter"), starters[i].key);
		ck_assert_str_eq(jstr(h, "status"), "active");
		ck_assert_str_eq(jstr(h, "created_by"), "itaku");
		ck_assert_int_eq(json_integer_value(json_object_get(h->json, "latest_published")), 1);
		ck_assert(json_is_null(json_object_get(h->json, "draft")));
		versions = json_object_get(h->json, "versions");
		ck_assert_int_eq(json_array_size(versions), 1);
		v = json_array_get(versions, 0);
		ck_assert_int_eq(json_integer_value(json_object_get(v, "number")), 1);
		ck_assert_str_eq(json_string_value(json_object_get(v, "status")), "published");
		ck_assert_str_eq(json_string_value(json_object_get(v, "published_by")), "itaku");
		ck_assert(json_is_string(json_object_get(v, "published_at")));
		ck_assert_int_eq(json_integer_value(json_object_get(v, "question_count")), starters[i].questions);
		ck_assert_ptr_null(json_object_get(v, "content"));
		http_free(h);
		h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/versions/1/validate", id);
		ck_status(h, 200);
		ck_assert_msg(json_is_true(json_object_get(h->json, "valid")), "%s: %s", starters[i].key, h->body);
		ck_assert_int_eq(json_integer_value(json_object_get(h->json, "question_count")), starters[i].questions);
		ck_assert_int_eq(json_array_size(json_object_get(h->json, "errors")), 0);
		http_free(h);
		free(id);
	}
	/* A second tenant gets its own four. */
	key2 = itk_bootstrap(&t, "t2");
	ck_assert_int_eq(count1("select count(*) from questionnaire_templates", NULL), 8);
	h = http_do(&t, "GET", "/v1/questionnaire-templates", key2, NULL, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 4);
	http_free(h);
	free(key2);
}
END_TEST

/* ---- templates ----------------------------------------------------------- */

START_TEST(templates_are_created_listed_patched_and_archived)
{
	static const char *const stale[] = { "If-Match: \"1\"", NULL };
	char id[40], other[40], location[128], cursor[512] = "", *key2, *viewer;
	struct http *h;
	int seen = 0, pages = 0;

	h = call("POST", "{\"name\":\"年次点検\",\"name_en\":\"Annual check\",\"description\":\"毎年送る\"}", NULL,
		 "/v1/questionnaire-templates");
	ck_status(h, 201);
	snprintf(id, sizeof(id), "%s", jstr(h, "id"));
	snprintf(location, sizeof(location), "/v1/questionnaire-templates/%s", id);
	ck_assert_str_eq(http_header(h, "Location"), location);
	ck_assert_str_eq(http_header(h, "ETag"), "\"1\"");
	ck_assert_str_eq(jstr(h, "name"), "年次点検");
	ck_assert_str_eq(jstr(h, "name_en"), "Annual check");
	ck_assert_str_eq(jstr(h, "status"), "active");
	ck_assert(json_is_null(json_object_get(h->json, "starter")));
	ck_assert(json_is_null(json_object_get(h->json, "latest_published")));
	ck_assert(json_is_null(json_object_get(h->json, "draft")));
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "versions")), 0);
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from questionnaire_templates where id::text = $1"
				" and name = '年次点検' and archived_at is null", id), 1);

	/* the same name again; a missing name */
	h = call("POST", "{\"name\":\"年次点検\"}", NULL, "/v1/questionnaire-templates");
	ck_problem(h, 409, "conflict");
	http_free(h);
	h = call("POST", "{\"name\":\"\",\"colour\":\"red\"}", NULL, "/v1/questionnaire-templates");
	ck_problem(h, 422, "validation-failed");
	ck_error(h, "/name", NULL);
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from questionnaire_templates", NULL), 5);

	/* list: oldest first (the four starters), pages of two */
	new_template("臨時点検", other);
	for (;;) {
		h = *cursor ? call("GET", NULL, NULL, "/v1/questionnaire-templates?limit=2&cursor=%s", cursor)
			    : call("GET", NULL, NULL, "/v1/questionnaire-templates?limit=2");
		ck_status(h, 200);
		ck_assert_int_le(json_array_size(json_object_get(h->json, "items")), 2);
		if (pages == 0) {
			ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "items"), 0),
									   "starter")), "basic_check");
			ck_assert_ptr_nonnull(http_header(h, "Link"));
		}
		seen += (int)json_array_size(json_object_get(h->json, "items"));
		pages++;
		if (json_is_null(json_object_get(h->json, "next_cursor"))) {
			ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "items"), 1),
									   "id")), other);
			http_free(h);
			break;
		}
		snprintf(cursor, sizeof(cursor), "%s", jstr(h, "next_cursor"));
		http_free(h);
		ck_assert_int_lt(pages, 10);
	}
	ck_assert_int_eq(seen, 6);
	ck_assert_int_eq(pages, 3);

	/* get, patch with If-Match, a stale If-Match */
	h = call("GET", NULL, NULL, "/v1/questionnaire-templates/%s", id);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "ETag"), "\"1\"");
	ck_assert_str_eq(jstr(h, "description"), "毎年送る");
	http_free(h);
	h = call("PATCH", "{\"description\":\"年に一度、全委託先へ\"}", stale, "/v1/questionnaire-templates/%s", id);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "ETag"), "\"2\"");
	ck_assert_str_eq(jstr(h, "description"), "年に一度、全委託先へ");
	ck_assert_str_eq(jstr(h, "name"), "年次点検");
	http_free(h);
	h = call("PATCH", "{\"name\":\"改名\"}", stale, "/v1/questionnaire-templates/%s", id);
	ck_problem(h, 412, "precondition-failed");
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from questionnaire_templates where name = '改名'", NULL), 0);

	/* archive, twice, a draft on it, the status filter, restore */
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/archive", id);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "archived");
	ck_assert(json_is_string(json_object_get(h->json, "archived_at")));
	ck_assert_str_eq(http_header(h, "ETag"), "\"3\"");
	http_free(h);
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/archive", id);
	ck_problem(h, 409, "conflict");
	http_free(h);
	h = call("POST", "{\"content\":" MINI "}", NULL, "/v1/questionnaire-templates/%s/versions", id);
	ck_problem(h, 409, "template-archived");
	http_free(h);
	ck_assert_int_eq(versions_of(id), 0);
	h = call("GET", NULL, NULL, "/v1/questionnaire-templates?status=archived");
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "items"), 0), "id")), id);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/questionnaire-templates?status=active");
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 5);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/questionnaire-templates?status=gone");
	ck_problem(h, 400, "invalid-parameter");
	http_free(h);
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/restore", id);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "active");
	ck_assert(json_is_null(json_object_get(h->json, "archived_at")));
	http_free(h);
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/restore", id);
	ck_problem(h, 409, "conflict");
	http_free(h);
	h = call("POST", "{\"content\":" MINI "}", NULL, "/v1/questionnaire-templates/%s/versions", id);
	ck_status(h, 201);
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from audit_events where resource_id::text = $1"
				" and action = 'questionnaire_template.archived'", id), 1);
	ck_assert_int_eq(count1("select count(*) from audit_events where resource_id::text = $1"
				" and action = 'questionnaire_template.restored'", id), 1);

	/* another tenant sees none of it */
	key2 = itk_bootstrap(&t, "t2");
	h = http_do(&t, "GET", location, key2, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	snprintf(cursor, sizeof(cursor), "%s/versions/1", location);
	h = http_do(&t, "GET", cursor, key2, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = http_do(&t, "PATCH", location, key2, "{\"name\":\"乗っ取り\"}", NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	free(key2);

	/* a viewer reads but does not write */
	h = call("POST", "{\"name\":\"見る人\",\"role\":\"viewer\"}", NULL, "/v1/api-keys");
	ck_status(h, 201);
	viewer = strdup(jstr(h, "key"));
	http_free(h);
	h = http_do(&t, "POST", "/v1/questionnaire-templates", viewer, "{\"name\":\"閲覧者の\"}", NULL);
	ck_problem(h, 403, NULL);
	http_free(h);
	h = http_do(&t, "GET", location, viewer, NULL, NULL);
	ck_status(h, 200);
	http_free(h);
	free(viewer);
	ck_assert_int_eq(count1("select count(*) from questionnaire_templates where name = '閲覧者の'", NULL), 0);
}
END_TEST

/* ---- versions ------------------------------------------------------------ */

START_TEST(versions_are_drafted_published_and_immutable)
{
	static const char *const if1[] = { "If-Match: \"1\"", NULL };
	char id[40], location[160], *content1, *key_id;
	const char *params[1] = { id };
	json_t *c, *q, *content;
	struct http *h;
	PGconn *db;
	PGresult *res;

	new_template("版の点検", id);
	h = call("POST", "{\"content\":" MINI ",\"changelog\":\"初版\"}", NULL,
		 "/v1/questionnaire-templates/%s/versions", id);
	ck_status(h, 201);
	snprintf(location, sizeof(location), "/v1/questionnaire-templates/%s/versions/1", id);
	ck_assert_str_eq(http_header(h, "Location"), location);
	ck_assert_str_eq(http_header(h, "ETag"), "\"1\"");
	ck_assert_str_eq(jstr(h, "status"), "draft");
	ck_assert_str_eq(jstr(h, "template_id"), id);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "number")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "question_count")), 2);
	ck_assert(json_is_null(json_object_get(h->json, "published_at")));
	/* the defaults are written out */
	c = json_object_get(h->json, "content");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(c, "thresholds"), "no_issues")), 80);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(c, "thresholds"), "watch")), 60);
	ck_assert(json_number_value(json_object_get(json_object_get(c, "scale_scores"), "yes")) == 1);
	ck_assert(json_number_value(json_object_get(json_object_get(c, "scale_scores"), "partially")) == 0.5);
	ck_assert(json_number_value(json_object_get(json_object_get(c, "scale_scores"), "no")) == 0);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(c, "sections"), 0), "weight")), 1);
	q = json_array_get(json_object_get(json_array_get(json_object_get(c, "sections"), 0), "questions"), 0);
	ck_assert(json_number_value(json_object_get(q, "weight")) == 1);
	ck_assert(json_is_true(json_object_get(q, "required")));
	ck_assert_str_eq(json_string_value(json_object_get(q, "evidence")), "never");
	ck_assert(json_is_false(json_object_get(q, "knockout")));
	ck_assert(json_is_true(json_object_get(q, "not_applicable_allowed")));
	q = json_array_get(json_object_get(json_array_get(json_object_get(c, "sections"), 0), "questions"), 1);
	ck_assert(json_number_value(json_object_get(q, "weight")) == 0);   /* text: 0 unless given */
	ck_assert_ptr_null(json_object_get(q, "not_applicable_allowed"));
	ck_assert(json_is_false(json_object_get(q, "knockout")));
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from questionnaire_versions where template_id::text = $1"
				" and status = 'draft' and question_count = 2 and content -> 'thresholds' ->> 'no_issues' = '80'",
				id), 1);

	/* one draft at a time */
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/versions", id);
	ck_problem(h, 409, "draft-exists");
	http_free(h);
	ck_assert_int_eq(versions_of(id), 1);

	/* edit the draft with If-Match; again with the stale one */
	h = call("PATCH", "{\"content\":" MINI3 "}", if1, "%s", location);
	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "ETag"), "\"2\"");
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "question_count")), 3);
	ck_assert_str_eq(jstr(h, "changelog"), "初版");   /* kept when not given */
	http_free(h);
	h = call("PATCH", "{\"changelog\":\"古い版から\"}", if1, "%s", location);
	ck_problem(h, 412, "precondition-failed");
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from questionnaire_versions where template_id::text = $1"
				" and question_count = 3 and changelog = '初版' and version = 2", id), 1);

	/* validate, publish */
	h = call("POST", NULL, NULL, "%s/validate", location);
	ck_status(h, 200);
	ck_assert(json_is_true(json_object_get(h->json, "valid")));
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "errors")), 0);
	http_free(h);
	h = call("POST", NULL, NULL, "%s/publish", location);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "published");
	ck_assert_str_eq(http_header(h, "ETag"), "\"3\"");
	ck_assert(*jstr(h, "published_at"));
	key_id = strdup(jstr(h, "published_by"));
	ck_assert(*key_id && strcmp(key_id, "itaku"));
	ck_assert_str_eq(key_id, jstr(h, "created_by"));
	content = json_incref(json_object_get(h->json, "content"));
	ck_assert_int_eq(json_array_size(json_object_get(json_array_get(json_object_get(content, "sections"), 0),
							 "questions")), 3);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/questionnaire-templates/%s", id);
	ck_status(h, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "latest_published")), 1);
	ck_assert(json_is_null(json_object_get(h->json, "draft")));
	q = json_array_get(json_object_get(h->json, "versions"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(q, "status")), "published");
	ck_assert_str_eq(json_string_value(json_object_get(q, "published_by")), key_id);
	ck_assert(json_is_string(json_object_get(q, "published_at")));
	http_free(h);
	h = call("POST", NULL, NULL, "%s/publish", location);
	ck_problem(h, 409, "version-published");
	http_free(h);

	/* a published version never changes: the API */
	h = call("PATCH", "{\"changelog\":\"書き換え\"}", NULL, "%s", location);
	ck_problem(h, 409, "version-published");
	http_free(h);
	h = call("DELETE", NULL, NULL, "%s", location);
	ck_problem(h, 409, "version-published");
	http_free(h);
	/* ... and the database */
	content1 = sql1("select content::text from questionnaire_versions where template_id::text = $1", id);
	db = itk_connect(&t);
	res = PQexecParams(db, "update questionnaire_versions set changelog = 'x', content = '{\"sections\":[]}'"
			       " where template_id::text = $1 and number = 1", 1, NULL, params, NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
	ck_assert_msg(strstr(PQresultErrorMessage(res), "never changes"), "%s", PQresultErrorMessage(res));
	PQclear(res);
	res = PQexecParams(db, "delete from questionnaire_versions where template_id::text = $1", 1, NULL, params,
			   NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
	ck_assert_msg(strstr(PQresultErrorMessage(res), "never changes"), "%s", PQresultErrorMessage(res));
	PQclear(res);
	PQfinish(db);
	ck_assert_int_eq(count1("select count(*) from questionnaire_versions where template_id::text = $1"
				" and changelog = '初版' and status = 'published' and version = 3", id), 1);
	{
		char *now = sql1("select content::text from questionnaire_versions where template_id::text = $1", id);

		ck_assert_str_eq(now, content1);
		free(now);
	}
	free(content1);

	/* copy_from a published version: the same content; then discard it */
	h = call("POST", "{\"copy_from\":1,\"changelog\":\"第2版\"}", NULL, "/v1/questionnaire-templates/%s/versions", id);
	ck_status(h, 201);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "number")), 2);
	ck_assert_str_eq(jstr(h, "status"), "draft");
	ck_assert(json_equal(json_object_get(h->json, "content"), content));
	http_free(h);
	h = call("POST", "{\"copy_from\":7}", NULL, "/v1/questionnaire-templates/%s/versions", id);
	ck_problem(h, 409, "draft-exists");
	http_free(h);
	h = call("DELETE", NULL, NULL, "/v1/questionnaire-templates/%s/versions/2", id);
	ck_status(h, 204);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/questionnaire-templates/%s/versions/2", id);
	ck_problem(h, 404, "not-found");
	http_free(h);
	ck_assert_int_eq(versions_of(id), 1);
	h = call("POST", "{\"copy_from\":7}", NULL, "/v1/questionnaire-templates/%s/versions", id);
	ck_problem(h, 422, "validation-failed");
	ck_error(h, "/copy_from", NULL);
	http_free(h);
	/* without a body: a copy of the latest */
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/versions", id);
	ck_status(h, 201);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "number")), 2);
	ck_assert(json_equal(json_object_get(h->json, "content"), content));
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/questionnaire-templates/%s/versions", id);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
	ck_assert_ptr_null(json_object_get(json_array_get(json_object_get(h->json, "items"), 0), "content"));
	http_free(h);
	json_decref(content);

	/* audited; the published event names the version */
	h = call("GET", NULL, NULL, "/v1/audit-events?resource_type=questionnaire_template&resource_id=%s", id);
	ck_status(h, 200);
	{
		static const char *const want[] = { "questionnaire_template.draft_created",
			"questionnaire_template.draft_updated", "questionnaire_template.published",
			"questionnaire_template.draft_deleted", NULL };
		json_t *e;
		size_t i;

		for (int k = 0; want[k]; k++) {
			int n = 0;

			json_array_foreach(json_object_get(h->json, "items"), i, e)
				n += !strcmp(sv(json_object_get(e, "action")), want[k]);
			ck_assert_msg(n >= 1, "no audit event %s in %s", want[k], h->body);
		}
	}
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from audit_events where resource_id::text = $1"
				" and action = 'questionnaire_template.draft_created'", id), 3);   /* 1, copy 2, copy 2 again */
	ck_assert_int_eq(count1("select count(*) from audit_events where resource_id::text = $1"
				" and action = 'questionnaire_template.published'"
				" and after ->> 'status' = 'published' and before ->> 'status' = 'draft'", id), 1);
	free(key_id);
}
END_TEST

/* ---- the rules of a version (bad input) ----------------------------------- */

START_TEST(duplicate_question_code)
{
	static const char *const ja[] = { "Accept-Language: ja", NULL };
	char id[40];
	struct http *h;
	json_t *e;

	/* saved (the rule is over the whole sheet), refused at publish */
	with_draft("重複コード", SHEET(SCALE("Q1") "," SCALE("Q1")), id);
	refused_at_publish(id, "/sections/0/questions/1/code", "questionnaire.question_repeated");
	/* a preview of such a version is refused too */
	h = call("POST", "{\"answers\":{}}", NULL, "/v1/questionnaire-templates/%s/versions/1/score", id);
	ck_problem(h, 409, "version-invalid");
	http_free(h);
	/* in Japanese */
	h = call("POST", NULL, ja, "/v1/questionnaire-templates/%s/versions/1/publish", id);
	ck_problem(h, 422, "version-invalid");
	ck_assert_msg(strstr(jstr(h, "detail"), "公開できません"), "%s", h->body);
	e = error_at(h, "/sections/0/questions/1/code", "questionnaire.question_repeated");
	ck_assert_msg(e != NULL, "%s", h->body);
	ck_assert_str_eq(json_string_value(json_object_get(e, "message")), "前の設問と同じコードです");
	http_free(h);
}
END_TEST

START_TEST(weight_below_zero)
{
	refused_at_save(SHEET(SCALE("Q1") ",{\"code\":\"Q2\",\"text_ja\":\"設問\",\"answer_type\":\"scale\",\"weight\":-1}"),
			"/content/sections/0/questions/1/weight", "/sections/0/questions/1/weight", "field.number_range");
}
END_TEST

START_TEST(scale_score_outside_0_1)
{
	refused_at_save("{\"scale_scores\":{\"yes\":1.5},\"sections\":[{\"code\":\"S1\",\"title_ja\":\"基本\","
			"\"questions\":[" SCALE("Q1") "]}]}",
			"/content/scale_scores/yes", "/scale_scores/yes", "field.number_range");
}
END_TEST

START_TEST(depends_on_unknown_code)
{
	char id[40];

	with_draft("不明な依存", SHEET(SCALE("Q1") ",{\"code\":\"Q2\",\"text_ja\":\"設問\",\"answer_type\":\"scale\","
				 "\"depends_on\":{\"question\":\"Q9\",\"any_of\":[\"no\"]}}"), id);
	refused_at_publish(id, "/sections/0/questions/1/depends_on/question", "questionnaire.no_such_question");
}
END_TEST

START_TEST(depends_on_cycle)
{
	char id[40];
	struct http *h;
	json_t *a, *b;

	with_draft("循環", SHEET("{\"code\":\"A\",\"text_ja\":\"設問A\",\"answer_type\":\"scale\","
				 "\"depends_on\":{\"question\":\"B\",\"any_of\":[\"yes\"]}},"
				 "{\"code\":\"B\",\"text_ja\":\"設問B\",\"answer_type\":\"scale\","
				 "\"depends_on\":{\"question\":\"A\",\"any_of\":[\"yes\"]}}"), id);
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/versions/1/validate", id);
	ck_status(h, 200);
	ck_assert(json_is_false(json_object_get(h->json, "valid")));
	a = error_at(h, "/sections/0/questions/0/depends_on/question", "questionnaire.cycle");
	b = error_at(h, "/sections/0/questions/1/depends_on/question", "questionnaire.cycle");
	ck_assert_msg(a || b, "no cycle error: %s", h->body);
	http_free(h);
	refused_at_publish(id, a ? "/sections/0/questions/0/depends_on/question" :
			   "/sections/0/questions/1/depends_on/question", "questionnaire.cycle");
}
END_TEST

START_TEST(applicability_on_unknown_fact)
{
	refused_at_save(SHEET("{\"code\":\"Q1\",\"text_ja\":\"設問\",\"answer_type\":\"scale\",\"applicability\":"
			      "{\"all\":[{\"fact\":\"uses_cloud\",\"equals\":true}],\"explanation_ja\":\"クラウド利用時\"}}"),
			"/content/sections/0/questions/0/applicability/all/0/fact",
			"/sections/0/questions/0/applicability/all/0/fact", NULL);
}
END_TEST

START_TEST(unknown_control_reference)
{
	refused_at_save(SHEET("{\"code\":\"Q1\",\"text_ja\":\"設問\",\"answer_type\":\"scale\","
			      "\"controls\":[\"iso27001:5.19\",\"iso27001:9.99\"]}"),
			"/content/sections/0/questions/0/controls/1", "/sections/0/questions/0/controls/1",
			"questionnaire.control_unknown");
}
END_TEST

START_TEST(knockout_on_text_question)
{
	refused_at_save(SHEET(SCALE("Q1") ",{\"code\":\"Q2\",\"text_ja\":\"責任者名\",\"answer_type\":\"text\","
			      "\"knockout\":true}"),
			"/content/sections/0/questions/1/knockout", "/sections/0/questions/1/knockout",
			"questionnaire.knockout_scored");
}
END_TEST

/* ---- the score preview ---------------------------------------------------- */

/* Section A (weight 1) and B (weight 2). Weights: A1 1 (knockout), A2 1,
 * A3 1, A4 1 (a weighted text), A5 0 (text, the default); B1 1, B2 3
 * (shown only when B1 is no), B3 1, B4 1 (optional), B5 1 (N/A not allowed). */
#define SCORE_SHEET \
	"{\"sections\":[{\"code\":\"A\",\"title_ja\":\"組織\",\"weight\":1,\"questions\":[" \
	"{\"code\":\"A1\",\"text_ja\":\"方針\",\"answer_type\":\"scale\",\"knockout\":true}," \
	"{\"code\":\"A2\",\"text_ja\":\"教育\",\"answer_type\":\"single_choice\",\"choices\":[" \
	"{\"code\":\"X\",\"label_ja\":\"毎年\",\"score\":1},{\"code\":\"Y\",\"label_ja\":\"不定期\",\"score\":0.25}," \
	"{\"code\":\"Z\",\"label_ja\":\"対象者なし\",\"score\":null}]}," \
	"{\"code\":\"A3\",\"text_ja\":\"認証\",\"answer_type\":\"multiple_choice\",\"choices\":[" \
	"{\"code\":\"M1\",\"label_ja\":\"ISMS\",\"score\":0.5},{\"code\":\"M2\",\"label_ja\":\"Pマーク\",\"score\":0.75}," \
	"{\"code\":\"M3\",\"label_ja\":\"なし\",\"score\":null}]}," \
	"{\"code\":\"A4\",\"text_ja\":\"責任者\",\"answer_type\":\"text\",\"weight\":1}," \
	"{\"code\":\"A5\",\"text_ja\":\"補足\",\"answer_type\":\"text\"}]}," \
	"{\"code\":\"B\",\"title_ja\":\"技術\",\"weight\":2,\"questions\":[" \
	"{\"code\":\"B1\",\"text_ja\":\"暗号化\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"B2\",\"text_ja\":\"代替策\",\"answer_type\":\"scale\",\"weight\":3," \
	"\"depends_on\":{\"question\":\"B1\",\"any_of\":[\"no\"]}}," \
	"{\"code\":\"B3\",\"text_ja\":\"ログ\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"B4\",\"text_ja\":\"任意\",\"answer_type\":\"scale\",\"required\":false}," \
	"{\"code\":\"B5\",\"text_ja\":\"バックアップ\",\"answer_type\":\"scale\",\"not_applicable_allowed\":false}]}]}"

static json_t *section_of(const struct http *h, size_t i)
{
	return json_array_get(json_object_get(h->json, "sections"), i);
}

/* A JSON array of strings as one comma-joined string, for comparing. */
static const char *joined(json_t *list, char out[256])
{
	json_t *v;
	size_t i, n = 0;

	out[0] = '\0';
	json_array_foreach(list, i, v)
		n += (size_t)snprintf(out + n, 256 - n, "%s%s", i ? "," : "", sv(v));
	return out;
}

static void ck_score(const struct http *h, double overall, const char *verdict, double a, double b)
{
	json_t *o = json_object_get(h->json, "overall"), *v = json_object_get(h->json, "verdict");

	ck_status(h, 200);
	if (overall < 0)
		ck_assert_msg(json_is_null(o), "overall %s", h->body);
	else
		ck_assert_msg(json_is_number(o) && json_number_value(o) == overall, "overall, want %.1f: %s",
			      overall, h->body);
	if (!verdict)
		ck_assert_msg(json_is_null(v), "verdict %s", h->body);
	else
		ck_assert_msg(!strcmp(sv(v), verdict), "verdict, want %s: %s", verdict, h->body);
	o = json_object_get(section_of(h, 0), "score");
	ck_assert_msg(a < 0 ? json_is_null(o) : json_number_value(o) == a, "A, want %.1f: %s", a, h->body);
	o = json_object_get(section_of(h, 1), "score");
	ck_assert_msg(b < 0 ? json_is_null(o) : json_number_value(o) == b, "B, want %.1f: %s", b, h->body);
}

START_TEST(score_preview_hand_computed)
{
	char id[40], path[160], list[256];
	struct http *h, *bad;

	with_draft("採点", SCORE_SHEET, id);
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/versions/1/publish", id);
	ck_status(h, 200);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/questionnaire-templates/%s/versions/1/score", id);

	/* 1. A: A1 yes 1·1, A2 Y 1·0.25, A3 M1+M2 = 1.25 capped 1, A4 answered
	 *    1·1, A5 weight 0: 3.25 / 4 = 81.25 -> 81.3 (half up).
	 *    B: B1 yes 1, B2 hidden (B1 is not no), B3 required unanswered 0,
	 *    B4 optional unanswered leaves, B5 partially 0.5: 1.5 / 3 = 50.0.
	 *    Overall (1·81.3 + 2·50) / 3 = 181.3 / 3 = 60.43 -> 60.4: watch. */
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"answers\":{\"A1\":\"yes\",\"A2\":\"Y\",\"A3\":[\"M1\",\"M2\"],\"A4\":\"情報システム部長\","
		    "\"B1\":\"yes\",\"B5\":\"partially\"}}", NULL);
	ck_score(h, 60.4, "watch", 81.3, 50.0);
	ck_assert_str_eq(joined(json_object_get(h->json, "hidden"), list), "B2");
	ck_assert_str_eq(joined(json_object_get(h->json, "required_missing"), list), "A5,B3");
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "knockouts_failed")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "answered")), 6);
	ck_assert_int_eq(json_integer_value(json_object_get(section_of(h, 0), "asked")), 5);
	ck_assert_int_eq(json_integer_value(json_object_get(section_of(h, 0), "counted")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(section_of(h, 1), "asked")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(section_of(h, 1), "answered")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(section_of(h, 1), "counted")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(section_of(h, 1), "weight")), 2);
	http_free(h);

	/* 2. The same with B3 excluded (not applicable when sent): B = 1.5 / 2
	 *    = 75.0; overall (81.3 + 150) / 3 = 77.1: watch. */
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"answers\":{\"A1\":\"yes\",\"A2\":\"Y\",\"A3\":[\"M1\",\"M2\"],\"A4\":\"情報システム部長\","
		    "\"B1\":\"yes\",\"B5\":\"partially\"},\"excluded\":[\"B3\"]}", NULL);
	ck_score(h, 77.1, "watch", 81.3, 75.0);
	ck_assert_str_eq(joined(json_object_get(h->json, "excluded"), list), "B3");
	http_free(h);

	/* 3. N/A and null-score choices leave the sums: A: A1 yes 1, A2 Z
	 *    leaves, A3 [M3] leaves, A4 "" unanswered required 0: 1 / 2 = 50.0.
	 *    B: B1 N/A leaves (B2 hidden), B3 yes 1, B4 no 0, B5 yes 1:
	 *    2 / 3 = 66.67 -> 66.7. Overall (50 + 133.4) / 3 = 61.13 -> 61.1. */
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"answers\":{\"A1\":\"yes\",\"A2\":\"Z\",\"A3\":[\"M3\"],\"A4\":\"\",\"A5\":\"特になし\","
		    "\"B1\":\"not_applicable\",\"B3\":\"yes\",\"B4\":\"no\",\"B5\":\"yes\"}}", NULL);
	ck_score(h, 61.1, "watch", 50.0, 66.7);
	ck_assert_str_eq(joined(json_object_get(h->json, "hidden"), list), "B2");
	ck_assert_str_eq(joined(json_object_get(h->json, "required_missing"), list), "A4");
	http_free(h);

	/* 4. A knockout answered no: A: 0 + 1 + 1 + 1 = 3 / 4 = 75.0. B: B1
	 *    no 0, B2 shown and yes 3·1, B3 1, B4 1, B5 1: 6 / 7 = 85.71 ->
	 *    85.7. Overall (75 + 171.4) / 3 = 82.13 -> 82.1, above 80, but
	 *    the failed knockout makes it action_required. */
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"answers\":{\"A1\":\"no\",\"A2\":\"X\",\"A3\":[\"M2\",\"M1\"],\"A4\":\"部長\",\"A5\":\"なし\","
		    "\"B1\":\"no\",\"B2\":\"yes\",\"B3\":\"yes\",\"B4\":\"yes\",\"B5\":\"yes\"}}", NULL);
	ck_score(h, 82.1, "action_required", 75.0, 85.7);
	ck_assert_str_eq(joined(json_object_get(h->json, "knockouts_failed"), list), "A1");
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "hidden")), 0);
	http_free(h);
	/* the same answers with the knockout passed: no_issues
	 *    A 4 / 4 = 100, overall (100 + 171.4) / 3 = 90.47 -> 90.5 */
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"answers\":{\"A1\":\"yes\",\"A2\":\"X\",\"A3\":[\"M2\",\"M1\"],\"A4\":\"部長\",\"A5\":\"なし\","
		    "\"B1\":\"no\",\"B2\":\"yes\",\"B3\":\"yes\",\"B4\":\"yes\",\"B5\":\"yes\"}}", NULL);
	ck_score(h, 90.5, "no_issues", 100.0, 85.7);
	http_free(h);

	/* 5. Nothing to score: overall and verdict null, never 0. */
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"answers\":{\"B1\":\"not_applicable\"},"
		    "\"excluded\":[\"A1\",\"A2\",\"A3\",\"A4\",\"A5\",\"B3\",\"B5\"]}", NULL);
	ck_score(h, -1, NULL, -1, -1);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "knockouts_failed")), 0);
	http_free(h);

	/* 6. Bad answers: each at its pointer */
	h = http_do(&t, "POST", path, t.admin_key,
		    "{\"answers\":{\"ZZ\":\"yes\",\"A1\":\"maybe\",\"B5\":\"not_applicable\",\"A2\":\"Q\","
		    "\"A3\":[\"M1\",\"M1\"]},\"excluded\":[\"QQ\"]}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_error(h, "/answers/ZZ", "questionnaire.no_such_question");
	ck_error(h, "/answers/A1", NULL);
	ck_error(h, "/answers/B5", "answer.not_applicable");
	ck_error(h, "/answers/A2", NULL);
	ck_error(h, "/answers/A3", NULL);
	ck_error(h, "/excluded/QQ", "questionnaire.no_such_question");
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "errors")), 6);
	bad = h;
	h = http_do(&t, "POST", path, t.admin_key, "{}", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_error(h, "/answers", NULL);
	http_free(h);
	/* a preview stores nothing */
	ck_assert_int_eq(count1("select count(*) from audit_events where resource_id::text = $1"
				" and action not in ('questionnaire_template.draft_created', 'questionnaire_template.published',"
				" 'questionnaire_template.created')", id), 0);
	/* in Japanese, and each wrong answer with its own code (checked last) */
	{
		static const char *const ja[] = { "Accept-Language: ja", NULL };
		json_t *e;

		h = http_do(&t, "POST", path, t.admin_key, "{\"answers\":{\"A1\":\"maybe\"}}", ja);
		ck_problem(h, 422, "validation-failed");
		e = error_at(h, "/answers/A1", NULL);
		ck_assert_ptr_nonnull(e);
		ck_assert_str_eq(sv(json_object_get(e, "message")), "yes、partially、no、not_applicable のいずれかにしてください");
		http_free(h);
	}
	ck_error(bad, "/answers/A1", "answer.scale");
	ck_error(bad, "/answers/A2", "answer.single");
	ck_error(bad, "/answers/A3", "answer.multiple");
	http_free(bad);
}
END_TEST

/* ---- control references --------------------------------------------------- */

START_TEST(control_references_are_listed)
{
	static const char *const supplier[] = { "iso27001:5.19", "iso27001:5.20", "iso27001:5.21",
		"iso27001:5.22", "iso27001:5.23", "appi:technical", "scs:star3.governance", NULL };
	struct http *h = call("GET", NULL, NULL, "/v1/control-references");
	json_t *e;
	size_t i;

	ck_status(h, 200);
	for (int k = 0; supplier[k]; k++) {
		int found = 0;

		json_array_foreach(json_object_get(h->json, "items"), i, e) {
			if (strcmp(json_string_value(json_object_get(e, "ref")), supplier[k]))
				continue;
			found = 1;
			ck_assert(*json_string_value(json_object_get(e, "title_ja")));
			ck_assert(*json_string_value(json_object_get(e, "title_en")));
		}
		ck_assert_msg(found, "%s is not in the catalogue", supplier[k]);
	}
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/control-references?framework=nisc8");
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 8);
	json_array_foreach(json_object_get(h->json, "items"), i, e) {
		char want[32];

		snprintf(want, sizeof(want), "nisc8:%zu", i + 1);
		ck_assert_str_eq(json_string_value(json_object_get(e, "ref")), want);
		ck_assert_str_eq(json_string_value(json_object_get(e, "framework")), "nisc8");
	}
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/control-references?framework=appi");
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 5);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/control-references?framework=cobit");
	ck_problem(h, 400, "invalid-parameter");
	ck_assert(strstr(h->body, "framework"));
	http_free(h);
	h = http_do(&t, "GET", "/v1/control-references", NULL, NULL, NULL);
	ck_problem(h, 401, NULL);
	http_free(h);
}
END_TEST

/* ---- the published event --------------------------------------------------- */

START_TEST(published_event_is_delivered)
{
	static const char *const env[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", ITK_SECRET_KEY_ENV, NULL };
	struct receiver rv;
	char id[40], body[256], *tenant, *key2;
	const char *params[1];
	struct http *h;
	json_t *j, *data;

	memset(&rv, 0, sizeof(rv));
	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	itk_setup(&t, "questionnaire_hooks", env);
	snprintf(body, sizeof(body), "{\"url\":\"http://127.0.0.1:%d/hooks\",\"event_types\":[\"*\"]}", rv.port);
	h = call("POST", body, NULL, "/v1/webhook-subscriptions");
	ck_status(h, 201);
	http_free(h);

	/* A starter added later is loaded into the subscribed tenant: no event. */
	PQclear(itk_sql(&t, "insert into questionnaire_starters (key, name, content, sort) values"
			    " ('extra_sheet', '追加シート', '" SHEET(SCALE("Q1")) "', 99)", 0, NULL));
	tenant = sql1("select id::text from tenants where name = 't1'", NULL);
	params[0] = tenant;
	{
		char *n = itk_sql_value(&t, "select questionnaire_starters_load($1::uuid)", 1, params);

		ck_assert_str_eq(n, "1");
		free(n);
	}
	/* nor in a new tenant */
	key2 = itk_bootstrap(&t, "t2");
	ck_assert_int_eq(count1("select count(*) from questionnaire_templates where starter is not null", NULL), 10);
	ck_assert_int_eq(count1("select count(*) from webhook_events", NULL), 0);

	/* Publishing a draft is one event. */
	with_draft("通知される", MINI, id);
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/versions/1/publish", id);
	ck_status(h, 200);
	http_free(h);
	ck_assert_int_eq(receiver_wait(&rv, 1, 10000), 1);
	j = json_loads(rv.got[0].body, 0, NULL);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(j, "type")), "questionnaire_template.published");
	data = json_object_get(j, "data");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(data, "template"), "id")), id);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(data, "template"), "name")), "通知される");
	ck_assert_int_eq(json_integer_value(json_object_get(data, "number")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(data, "question_count")), 2);
	json_decref(j);
	ck_assert_int_eq(receiver_wait(&rv, 2, 1500), 1);
	ck_assert_int_eq(count1("select count(*) from webhook_events", NULL), 1);
	free(tenant);
	free(key2);
	itk_teardown(&t);
	receiver_stop(&rv);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("questionnaires");
	TCase *tc = tcase_create("questionnaires"), *hooks = tcase_create("webhook");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, starters_are_published_and_valid);
	tcase_add_test(tc, templates_are_created_listed_patched_and_archived);
	tcase_add_test(tc, versions_are_drafted_published_and_immutable);
	tcase_add_test(tc, duplicate_question_code);
	tcase_add_test(tc, weight_below_zero);
	tcase_add_test(tc, scale_score_outside_0_1);
	tcase_add_test(tc, depends_on_unknown_code);
	tcase_add_test(tc, depends_on_cycle);
	tcase_add_test(tc, applicability_on_unknown_fact);
	tcase_add_test(tc, unknown_control_reference);
	tcase_add_test(tc, knockout_on_text_question);
	tcase_add_test(tc, score_preview_hand_computed);
	tcase_add_test(tc, control_references_are_listed);
	suite_add_tcase(s, tc);
	tcase_set_timeout(hooks, 120);
	tcase_add_test(hooks, published_event_is_delivered);
	suite_add_tcase(s, hooks);
	return itk_run_suite(s);
}

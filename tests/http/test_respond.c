/* HTTP: the vendor's side of assessments: respondent links (issued once,
 * stored hashed, superseded, revoked, expired: 410), the questionnaire as
 * the respondent sees it (no scores), partial saves with optimistic
 * concurrency, every wrong answer, hidden and inapplicable questions,
 * evidence files (types checked against their bytes, executables and
 * oversized files refused, staff download), submission (422 listing every
 * missing item, then read-only), a return answered item by item, another
 * tenant, the rate limit, and the token kept out of logs and the audit
 * trail. */
#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;
static char vendor[40], tpl[40];

#define SHEET \
	"{\"sections\":[{\"code\":\"A\",\"title_ja\":\"基本\",\"title_en\":\"Basics\",\"questions\":[" \
	"{\"code\":\"A-1\",\"text_ja\":\"基本方針はありますか\",\"text_en\":\"Is there a policy?\",\"answer_type\":\"scale\"," \
	" \"evidence\":\"when_yes\",\"knockout\":true,\"weight\":3,\"remediation_ja\":\"方針を定めること\",\"help_ja\":\"規程の名前を書いてください\"}," \
	"{\"code\":\"A-2\",\"text_ja\":\"従業員数\",\"answer_type\":\"number\",\"min\":1,\"max\":1000,\"unit\":\"人\"}," \
	"{\"code\":\"A-3\",\"text_ja\":\"最終監査日\",\"answer_type\":\"date\",\"required\":false}," \
	"{\"code\":\"A-4\",\"text_ja\":\"認証\",\"answer_type\":\"single_choice\",\"choices\":[" \
	"  {\"code\":\"ISMS\",\"label_ja\":\"ISMS\",\"score\":1},{\"code\":\"NONE\",\"label_ja\":\"なし\",\"score\":0.25}]}," \
	"{\"code\":\"A-5\",\"text_ja\":\"認証範囲の確認\",\"answer_type\":\"scale\",\"depends_on\":{\"question\":\"A-4\",\"any_of\":[\"ISMS\"]}}," \
	"{\"code\":\"A-6\",\"text_ja\":\"規程の写し\",\"answer_type\":\"file\"}," \
	"{\"code\":\"A-7\",\"text_ja\":\"備考\",\"answer_type\":\"text\",\"required\":false}]}," \
	"{\"code\":\"P\",\"title_ja\":\"個人データ\",\"applicability\":{\"all\":[{\"fact\":\"handles_personal_data\",\"equals\":true}]," \
	" \"explanation_ja\":\"個人データを扱う委託のみ\",\"explanation_en\":\"Only with personal data\"}," \
	" \"questions\":[{\"code\":\"P-1\",\"text_ja\":\"安全管理措置\",\"answer_type\":\"scale\"}]}]}"

static struct http *call(const char *method, const char *body, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct http *call(const char *method, const char *body, const char *key, const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return http_do(&t, method, path, key ? key : t.admin_key, body, NULL);
}

/* The vendor's side: no API key. */
static struct http *vendor_call(const char *method, const char *token, const char *suffix, const char *body)
{
	char path[256];

	snprintf(path, sizeof(path), "/v1/respond/%s%s", token, suffix);
	return http_do(&t, method, path, NULL, body, NULL);
}

/* A file upload with any bytes (http_do sends text only); not recorded
 * for the contract check. Returns the status; body (may be NULL) gets the
 * answer (caller frees). */
static long upload_raw(const char *token, const char *query, const char *type, const void *data, size_t len,
		       char **body)
{
	CURL *c = curl_easy_init();
	struct curl_slist *list = NULL;
	char url[512], ct[160];
	FILE *out;
	char *buf = NULL;
	size_t n = 0;
	long status = 0;

	snprintf(url, sizeof(url), "%s/v1/respond/%s/files?%s", t.base, token, query);
	snprintf(ct, sizeof(ct), "Content-Type: %s", type);
	list = curl_slist_append(list, ct);
	list = curl_slist_append(list, "Expect:");
	out = open_memstream(&buf, &n);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, data);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	fclose(out);
	curl_slist_free_all(list);
	curl_easy_cleanup(c);
	if (body)
		*body = buf;
	else
		free(buf);
	return status;
}

/* A text file through http_do (recorded, so the contract check sees it). */
static struct http *upload_text(const char *token, const char *code, const char *name, const char *type,
				const char *text)
{
	char path[512], ct[128];
	const char *headers[2] = { ct, NULL };

	snprintf(path, sizeof(path), "/v1/respond/%s/files?question=%s&filename=%s", token, code, name);
	snprintf(ct, sizeof(ct), "Content-Type: %s", type);
	return http_do(&t, "POST", path, NULL, text, headers);
}

static char *sql1(const char *sql, const char *a)
{
	const char *params[1] = { a };

	return itk_sql_value(&t, sql, a ? 1 : 0, params);
}

static int count1(const char *sql, const char *a)
{
	char *v = sql1(sql, a);
	int n = atoi(v);

	free(v);
	return n;
}

static void setup(void)
{
	struct http *h;

	itk_setup(&t, "respond", NULL);
	h = call("POST", "{\"name\":\"みなと情報処理\"}", NULL, "/v1/vendors");
	ck_status(h, 201);
	snprintf(vendor, sizeof(vendor), "%s", jstr(h, "id"));
	http_free(h);
	h = call("POST", "{\"name\":\"委託先チェック（試験）\"}", NULL, "/v1/questionnaire-templates");
	ck_status(h, 201);
	snprintf(tpl, sizeof(tpl), "%s", jstr(h, "id"));
	http_free(h);
	h = call("POST", "{\"content\":" SHEET "}", NULL, "/v1/questionnaire-templates/%s/versions", tpl);
	ck_status(h, 201);
	http_free(h);
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/versions/1/publish", tpl);
	ck_status(h, 200);
	http_free(h);
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* A sent assessment of template (of the tenant of key) for vendor v; fills id. */
static void sent_assessment(const char *key, const char *v, const char *template, char id[40])
{
	char body[512];
	struct http *h;

	snprintf(body, sizeof(body), "{\"template_id\":\"%s\",\"due_on\":\"2030-03-31\",\"title\":\"2026年度 年次点検\","
		 "\"owner\":\"情報システム部 佐藤\",\"message\":\"期限までにご回答ください\","
		 "\"respondent\":{\"name\":\"山田 花子\",\"email\":\"yamada@example.jp\"}}", template);
	h = call("POST", body, key, "/v1/vendors/%s/assessments", v);
	ck_status(h, 201);
	snprintf(id, 40, "%s", jstr(h, "id"));
	http_free(h);
	h = call("POST", NULL, key, "/v1/assessments/%s/send", id);
	ck_status(h, 200);
	http_free(h);
}

/* Issues a link; fills token (and link id when wanted). */
static void issue(const char *key, const char *assessment, char token[64], char link[40])
{
	struct http *h = call("POST", NULL, key, "/v1/assessments/%s/respondent-links", assessment);

	ck_status(h, 201);
	snprintf(token, 64, "%s", jstr(h, "token"));
	ck_assert(strncmp(token, "ita_", 4) == 0 && strlen(token) == 47);
	ck_assert(strncmp(jstr(h, "prefix"), token, 12) == 0);
	ck_assert_str_eq(jstr(h, "status"), "active");
	ck_assert(strstr(jstr(h, "respond_path"), token) != NULL);
	if (link)
		snprintf(link, 40, "%s", jstr(h, "id"));
	http_free(h);
}

static const char *question_state(json_t *view, const char *code)
{
	json_t *s, *q;
	size_t i, j;

	json_array_foreach(json_object_get(view, "sections"), i, s)
		json_array_foreach(json_object_get(s, "questions"), j, q)
			if (!strcmp(json_string_value(json_object_get(q, "code")), code))
				return json_string_value(json_object_get(q, "state"));
	return NULL;
}

static int has_error(const struct http *h, const char *pointer)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(h->json, "errors"), i, e) {
		const char *p = json_string_value(json_object_get(e, "pointer"));
		const char *q = json_string_value(json_object_get(e, "parameter"));

		if ((p && !strcmp(p, pointer)) || (q && !strcmp(q, pointer)))
			return 1;
	}
	return 0;
}

static long long version_of(const struct http *h)
{
	return json_integer_value(json_object_get(h->json, "answers_version"));
}

START_TEST(links_issue_supersede_revoke_expire)
{
	char a[40], draft[40], tok1[64], tok2[64], tok3[64], link2[40], body[512];
	const char *idem[] = { "Idempotency-Key: respond-link-1", NULL };
	struct http *h;

	/* a draft has no link yet */
	snprintf(body, sizeof(body), "{\"template_id\":\"%s\",\"due_on\":\"2030-03-31\","
		 "\"respondent\":{\"name\":\"山田\",\"email\":\"y@example.jp\"}}", tpl);
	h = call("POST", body, NULL, "/v1/vendors/%s/assessments", vendor);
	snprintf(draft, sizeof(draft), "%s", jstr(h, "id"));
	http_free(h);
	h = call("POST", NULL, NULL, "/v1/assessments/%s/respondent-links", draft);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	h = call("POST", "{\"expires_in_days\":0,\"label\":1}", NULL, "/v1/assessments/%s/respondent-links", draft);
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_error(h, "/expires_in_days") && has_error(h, "/label"));
	http_free(h);

	sent_assessment(NULL, vendor, tpl, a);
	issue(NULL, a, tok1, NULL);
	/* only the hash is kept; the default reaches past the due date, at most a year */
	ck_assert_int_eq(count1("select count(*) from assessment_links where token_hash = encode(sha256($1::bytea), 'hex')", tok1), 1);
	ck_assert_int_eq(count1("select count(*) from assessment_links where expires_at > now() + interval '364 days'", NULL), 1);
	h = vendor_call("GET", tok1, "", NULL);
	ck_status(h, 200);
	http_free(h);

	/* the idempotent replay omits the token */
	h = http_do(&t, "POST", (snprintf(body, sizeof(body), "/v1/assessments/%s/respondent-links", a), body),
		    t.admin_key, "{\"expires_in_days\":7}", idem);
	ck_status(h, 201);
	snprintf(tok2, sizeof(tok2), "%s", jstr(h, "token"));
	snprintf(link2, sizeof(link2), "%s", jstr(h, "id"));
	http_free(h);
	h = http_do(&t, "POST", body, t.admin_key, "{\"expires_in_days\":7}", idem);
	ck_status(h, 201);
	ck_assert_str_eq(http_header(h, "Idempotent-Replayed"), "true");
	ck_assert(!strstr(h->body, "\"token\"") && !strstr(h->body, tok2));
	http_free(h);

	/* superseded: 410, the new one works */
	h = vendor_call("GET", tok1, "", NULL);
	ck_problem(h, 410, "link-gone");
	ck_assert(!strstr(h->body, tok1));
	/* whom to ask for a new one: the outsourcer, as the link showed it */
	{
		char *name = sql1("select name from tenants where id = (select tenant_id from assessments where id = $1)", a);

		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "outsourcer"), "name")), name);
		free(name);
	}
	http_free(h);
	/* a link that never existed names nobody */
	h = vendor_call("GET", "ita_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", NULL);
	ck_problem(h, 404, "not-found");
	ck_assert_ptr_null(json_object_get(h->json, "outsourcer"));
	http_free(h);
	h = vendor_call("GET", tok2, "", NULL);
	ck_status(h, 200);
	http_free(h);

	/* the list never shows a token */
	h = call("GET", NULL, NULL, "/v1/assessments/%s/respondent-links", a);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "items"), 0), "status")),
			 "superseded");
	ck_assert(!strstr(h->body, tok1) && !strstr(h->body, tok2) && !strstr(h->body, "\"token\""));
	http_free(h);

	/* revoked: 410; revoking again changes nothing */
	h = call("POST", NULL, NULL, "/v1/assessment-links/%s/revoke", link2);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "status"), "revoked");
	http_free(h);
	h = call("POST", NULL, NULL, "/v1/assessment-links/%s/revoke", link2);
	ck_status(h, 200);
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from audit_events where action = 'assessment_link.revoked'", NULL), 1);
	h = vendor_call("PUT", tok2, "/answers", "{\"answers\":{},\"answers_version\":0}");
	ck_problem(h, 410, "link-gone");
	http_free(h);
	h = call("POST", NULL, NULL, "/v1/assessment-links/00000000-0000-4000-8000-000000000000/revoke");
	ck_problem(h, 404, "not-found");
	http_free(h);

	/* expired: 410 */
	issue(NULL, a, tok3, NULL);
	PQclear(itk_sql(&t, "update assessment_links set created_at = now() - interval '2 days',"
			    " expires_at = now() - interval '1 second' where token_hash = encode(sha256($1::bytea), 'hex')",
			1, (const char *[]){ tok3 }));
	h = vendor_call("GET", tok3, "", NULL);
	ck_problem(h, 410, "link-gone");
	http_free(h);

	/* unknown and malformed tokens: 404, the same answer */
	h = vendor_call("GET", "ita_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = vendor_call("GET", "nope", "", NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from audit_events where action in ('assessment_link.created', 'assessment_link.superseded')", NULL), 4);
}
END_TEST

START_TEST(answers_checked_saved_and_submitted)
{
	char a[40], token[64], *v, *out;
	struct http *h, *h2;
	long long ver;
	PGconn *c;
	PGresult *res;

	sent_assessment(NULL, vendor, tpl, a);
	issue(NULL, a, token, NULL);

	/* the sheet as the vendor sees it: no scoring, hidden and not asked questions with reasons */
	h = vendor_call("GET", token, "", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "vendor"), "name")), "みなと情報処理");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "outsourcer"), "name")), "t1");
	ck_assert_str_eq(question_state(h->json, "A-5"), "hidden");
	ck_assert_str_eq(question_state(h->json, "P-1"), "not_asked");
	ck_assert(strstr(h->body, "個人データを扱う委託のみ") && strstr(h->body, "not_applicable"));
	ck_assert(strstr(h->body, "規程の名前を書いてください") && strstr(h->body, "\"unit\":\"人\""));
	ck_assert(!strstr(h->body, "score") && !strstr(h->body, "weight") && !strstr(h->body, "knockout") &&
		  !strstr(h->body, "remediation") && !strstr(h->body, "方針を定めること") &&
		  !strstr(h->body, "佐藤") && !strstr(h->body, "threshold"));
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "progress"), "required")), 4);
	ck_assert_int_eq(version_of(h), 0);
	http_free(h);

	/* answers of the wrong type: every one named */
	h = vendor_call("PUT", token, "/answers",
			"{\"answers_version\":0,\"answers\":{\"A-1\":\"たぶん\",\"A-4\":\"OTHER\",\"A-2\":5000,"
			"\"A-3\":\"2026-02-30\",\"ZZ-9\":\"yes\",\"A-6\":[\"x\"]}}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_error(h, "/answers/A-1") && has_error(h, "/answers/A-4") && has_error(h, "/answers/A-2") &&
		  has_error(h, "/answers/A-3") && has_error(h, "/answers/ZZ-9") && has_error(h, "/answers/A-6"));
	http_free(h);
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":0,\"answers\":{\"A-2\":\"十人\"}}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = vendor_call("PUT", token, "/answers", "{\"answers\":[],\"extra\":1}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_error(h, "/answers") && has_error(h, "/answers_version") && has_error(h, "/extra"));
	http_free(h);
	/* inapplicable and hidden questions */
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":0,\"answers\":{\"P-1\":\"yes\"}}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_error(h, "/answers/P-1"));
	http_free(h);
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":0,\"answers\":{\"A-4\":\"NONE\",\"A-5\":\"yes\"}}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_error(h, "/answers/A-5") && !has_error(h, "/answers/A-4"));
	http_free(h);
	ck_assert_int_eq(count1("select answers_version from assessments where id = $1", a), 0);
	ck_assert_int_eq(count1("select count(*) from assessments where id = $1 and status = 'sent'", a), 1);

	/* a partial save: sent -> in_progress, by the respondent */
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":0,\"answers\":{\"A-1\":\"yes\",\"A-4\":\"ISMS\",\"A-5\":\"yes\"}}");
	ck_status(h, 200);
	ck_assert_int_eq(version_of(h), 1);
	ck_assert_str_eq(question_state(h->json, "A-5"), "shown");
	http_free(h);
	v = sql1("select status || ' ' || updated_by from assessments where id = $1", a);
	ck_assert(strncmp(v, "in_progress respondent_link:ita_", 32) == 0);
	free(v);
	ck_assert_int_eq(count1("select count(*) from audit_events where action = 'assessment.answers_saved'"
				" and actor like 'respondent_link:ita_%'", NULL), 1);

	/* two people read version 1; the second save is refused, nothing written */
	h = vendor_call("GET", token, "", NULL);
	ver = version_of(h);
	http_free(h);
	ck_assert_int_eq(ver, 1);
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":1,\"answers\":{\"A-2\":12}}");
	ck_status(h, 200);
	http_free(h);
	h2 = vendor_call("PUT", token, "/answers", "{\"answers_version\":1,\"answers\":{\"A-2\":99}}");
	ck_problem(h2, 409, "answers-changed");
	ck_assert(strstr(jstr(h2, "detail"), "2") != NULL);
	http_free(h2);
	ck_assert_int_eq(count1("select (answers ->> 'A-2')::int from assessments where id = $1", a), 12);

	/* changing A-4 hides A-5: its answer goes */
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":2,\"answers\":{\"A-4\":\"NONE\",\"A-7\":null}}");
	ck_status(h, 200);
	ck_assert(!json_object_get(json_object_get(h->json, "answers"), "A-5"));
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from assessments where id = $1 and answers ? 'A-5'", a), 0);

	/* submit with what is missing: every item listed */
	h = vendor_call("POST", token, "/submit", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_error(h, "/files/A-1") && has_error(h, "/answers/A-6"));
	ck_assert(!has_error(h, "/answers/A-3") && !has_error(h, "/answers/A-5") && !has_error(h, "/answers/P-1"));
	http_free(h);
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":3,\"answers\":{\"A-2\":null}}");
	ck_status(h, 200);
	http_free(h);
	h = vendor_call("POST", token, "/submit", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_error(h, "/files/A-1") && has_error(h, "/answers/A-6") && has_error(h, "/answers/A-2"));
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "errors")), 3);
	http_free(h);

	/* evidence: a text file for A-1, a PNG for the file question A-6 */
	h = upload_text(token, "A-1", "policy.txt", "text/plain; charset=utf-8", "情報セキュリティ基本方針 2026\n");
	ck_status(h, 201);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "file"), "question")), "A-1");
	http_free(h);
	{
		static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };

		ck_assert_int_eq(upload_raw(token, "question=A-6&filename=%E8%A6%8F%E7%A8%8B.png", "image/png", png, sizeof(png),
					    &out), 201);
		free(out);
	}
	ck_assert_int_eq(count1("select jsonb_array_length(answers -> 'A-6') from assessments where id = $1", a), 1);
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":5,\"answers\":{\"A-2\":30}}");
	ck_status(h, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "progress"), "answered")), 4);
	http_free(h);

	/* submitted: the score stored for staff, the vendor never sees it */
	h = vendor_call("POST", token, "/submit", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "assessment"), "status")), "submitted");
	ck_assert(json_is_false(json_object_get(h->json, "editable")));
	ck_assert(!strstr(h->body, "score") && !strstr(h->body, "verdict"));
	http_free(h);
	v = sql1("select score ->> 'at' || ' ' || (score ->> 'scoring') || ' ' || coalesce(computed_verdict, '-')"
		 " || ' ' || (submitted_at is not null) from assessments where id = $1", a);
	ck_assert_str_eq(v, "submission 1 no_issues true");
	free(v);
	ck_assert_int_eq(count1("select count(*) from audit_events where action = 'assessment.submitted'"
				" and actor like 'respondent_link:%'", NULL), 1);

	/* read-only afterwards, through the link and in the database */
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":6,\"answers\":{\"A-7\":\"追記\"}}");
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	h = upload_text(token, "A-7", "a.txt", "text/plain", "x");
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	v = sql1("select id from assessment_files where assessment_id = $1 limit 1", a);
	{
		char suffix[96];

		snprintf(suffix, sizeof(suffix), "/files/%s", v);
		h = vendor_call("DELETE", token, suffix, NULL);
		ck_problem(h, 409, "invalid-transition");
		http_free(h);
	}
	free(v);
	h = vendor_call("POST", token, "/submit", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	c = itk_connect(&t);
	res = PQexecParams(c, "update assessments set answers = '{}' where id = $1", 1, NULL,
			   (const char *[]){ a }, NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
	PQclear(res);
	PQfinish(c);
}
END_TEST

START_TEST(evidence_types_caps_and_download)
{
	char a[40], token[64], path[160], *out, *id;
	struct http *h;
	static const unsigned char elf[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0 };
	static const unsigned char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n";
	static const unsigned char zip[] = "PK\x03\x04" "\x14\0\0\0" "[Content_Types].xml" "word/document.xml";

	sent_assessment(NULL, vendor, tpl, a);
	issue(NULL, a, token, NULL);
	/* a type we do not take; bytes that are not what they claim; executables whatever they claim */
	h = upload_text(token, "A-1", "a.zip", "application/zip", "PK");
	ck_problem(h, 415, "unsupported-media-type");
	http_free(h);
	h = upload_text(token, "A-1", "report.pdf", "application/pdf", "just text, not a PDF");
	ck_problem(h, 422, "file-type-mismatch");
	http_free(h);
	h = upload_text(token, "A-1", "photo.jpg", "image/jpeg", "GIF89a....");
	ck_problem(h, 422, "file-type-mismatch");
	http_free(h);
	h = upload_text(token, "A-1", "run.txt", "text/plain", "#!/bin/sh\nrm -rf /\n");
	ck_problem(h, 422, "file-refused");
	http_free(h);
	h = upload_text(token, "A-1", "setup.pdf", "application/pdf", "MZ\x90 this program cannot be run in DOS mode");
	ck_problem(h, 422, "file-refused");
	http_free(h);
	ck_assert_int_eq(upload_raw(token, "question=A-1&filename=x.png", "image/png", elf, sizeof(elf), &out), 422);
	ck_assert(strstr(out, "file-refused") != NULL);
	free(out);
	ck_assert_int_eq(upload_raw(token, "question=A-1&filename=x.txt", "text/plain", "a\0b", 3, &out), 422);
	ck_assert(strstr(out, "file-type-mismatch") != NULL);
	free(out);
	ck_assert_int_eq(upload_raw(token, "question=A-1&filename=x.txt", "text/csv", "\xff\xfe", 2, &out), 422);
	free(out);
	/* over the cap: the server's body cap (1 MiB here) is below 10 MiB */
	{
		size_t n = 1048576 + 10;
		char *big = malloc(n);

		memset(big, 'a', n);
		ck_assert_int_eq(upload_raw(token, "question=A-1&filename=big.txt", "text/plain", big, n, &out), 413);
		ck_assert(strstr(out, "body-too-large") != NULL);
		free(out);
		free(big);
	}
	/* where files may go: a shown question, named, with a file name */
	h = upload_text(token, "P-1", "a.txt", "text/plain", "x");
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_error(h, "question"));
	http_free(h);
	h = upload_text(token, "A-5", "a.txt", "text/plain", "x");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = upload_text(token, "NOPE", "a.txt", "text/plain", "x");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/respond/%s/files?filename=a.txt", token);
	h = http_do(&t, "POST", path, NULL, "x", (const char *[]){ "Content-Type: text/plain", NULL });
	ck_problem(h, 400, "invalid-parameter");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/respond/%s/files?question=A-1", token);
	h = http_do(&t, "POST", path, NULL, "x", (const char *[]){ "Content-Type: text/plain", NULL });
	ck_problem(h, 400, "invalid-parameter");
	ck_assert(has_error(h, "filename"));
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from assessment_files where assessment_id = $1", a), 0);

	/* accepted: PDF, docx, and a CSV named by Content-Disposition */
	ck_assert_int_eq(upload_raw(token, "question=A-1&filename=..%2F..%2Fpolicy.pdf", "application/pdf", pdf, sizeof(pdf) - 1,
				    &out), 201);
	ck_assert(strstr(out, "\"filename\":\"policy.pdf\"") != NULL);
	free(out);
	ck_assert_int_eq(upload_raw(token, "question=A-1&filename=rules.docx",
				    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", zip,
				    sizeof(zip) - 1, &out), 201);
	free(out);
	ck_assert_int_eq(upload_raw(token, "question=A-1&filename=rules.xlsx",
				    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", zip,
				    sizeof(zip) - 1, &out), 422);
	free(out);
	snprintf(path, sizeof(path), "/v1/respond/%s/files?question=A-1", token);
	h = http_do(&t, "POST", path, NULL, "氏名,部署\n山田,総務\n",
		    (const char *[]){ "Content-Type: text/csv", "Content-Disposition: attachment; filename=\"名簿.csv\"", NULL });
	ck_status(h, 201);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "file"), "filename")), "名簿.csv");
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from assessment_files where sha256 = encode(sha256(data), 'hex')"
				" and size = octet_length(data) and assessment_id = $1", a), 3);

	/* staff download: the bytes, never sniffed */
	id = sql1("select id from assessment_files where filename = '名簿.csv'", NULL);
	h = call("GET", NULL, NULL, "/v1/assessments/%s/files/%s", a, id);
	ck_status(h, 200);
	ck_assert_str_eq(h->body, "氏名,部署\n山田,総務\n");
	ck_assert(strncmp(http_header(h, "Content-Type"), "text/csv", 8) == 0);
	ck_assert_str_eq(http_header(h, "X-Content-Type-Options"), "nosniff");
	ck_assert(strncmp(http_header(h, "Content-Disposition"), "attachment; filename=\"", 22) == 0);
	ck_assert(strstr(http_header(h, "Content-Disposition"), "filename*=UTF-8''%E5%90%8D%E7%B0%BF.csv") != NULL);
	http_free(h);
	h = call("GET", NULL, NULL, "/v1/assessments/%s/files/00000000-0000-4000-8000-000000000000", a);
	ck_problem(h, 404, "not-found");
	http_free(h);

	/* deleted before submission */
	snprintf(path, sizeof(path), "/files/%s", id);
	h = vendor_call("DELETE", token, path, NULL);
	ck_status(h, 204);
	http_free(h);
	h = vendor_call("DELETE", token, path, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from assessment_files where id = $1", id), 0);
	ck_assert_int_eq(count1("select count(*) from audit_events where action = 'assessment.file_deleted'", NULL), 1);
	free(id);
}
END_TEST

START_TEST(returned_items_other_tenant_and_rate)
{
	char a[40], token[64], v2[40], tpl2[40], a2[40], token2[64], *key2, *v, *log;
	struct http *h;
	FILE *f;
	size_t n = 0;

	sent_assessment(NULL, vendor, tpl, a);
	issue(NULL, a, token, NULL);
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":0,\"answers\":{\"A-1\":\"partially\",\"A-2\":5,\"A-4\":\"NONE\"}}");
	ck_status(h, 200);
	http_free(h);
	h = upload_text(token, "A-6", "copy.txt", "text/plain", "規程の写し");
	ck_status(h, 201);
	http_free(h);
	h = vendor_call("POST", token, "/submit", NULL);
	ck_status(h, 200);
	http_free(h);
	/* staff return A-2 (as review does), with an internal note on an accepted item */
	PQclear(itk_sql(&t, "update assessments set status = 'returned', returned_items = '{A-2}',"
			    " reviews = '{\"A-2\":{\"decision\":\"returned\",\"comment\":\"人数を再確認してください\"},"
			    "             \"A-1\":{\"decision\":\"accepted\",\"comment\":\"社内メモ: 要注意\"}}'"
			    " where id = $1", 1, (const char *[]){ a }));
	h = vendor_call("GET", token, "", NULL);
	ck_status(h, 200);
	ck_assert(strstr(h->body, "人数を再確認してください") != NULL);
	ck_assert(!strstr(h->body, "社内メモ"));
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(h->json, "returned_items"), 0),
							   "question")), "A-2");
	http_free(h);
	/* only the returned item may change; submitting unchanged is refused */
	h = vendor_call("POST", token, "/submit", NULL);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":2,\"answers\":{\"A-7\":\"追記\",\"A-1\":\"yes\"}}");
	ck_problem(h, 422, "validation-failed");
	ck_assert(has_error(h, "/answers/A-7") && has_error(h, "/answers/A-1"));
	http_free(h);
	h = upload_text(token, "A-1", "more.txt", "text/plain", "追加");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":2,\"answers\":{\"A-2\":8}}");
	ck_status(h, 200);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "assessment"), "status")), "in_progress");
	http_free(h);
	h = vendor_call("PUT", token, "/answers", "{\"answers_version\":3,\"answers\":{\"A-4\":\"ISMS\"}}");
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = vendor_call("POST", token, "/submit", NULL);
	ck_status(h, 200);
	http_free(h);
	ck_assert_int_eq(count1("select (answers ->> 'A-2')::int from assessments where id = $1 and status = 'submitted'", a), 8);

	/* another tenant: its key cannot see ours, its token cannot reach ours */
	key2 = itk_bootstrap(&t, "t2");
	h = call("GET", NULL, key2, "/v1/assessments/%s/respondent-links", a);
	ck_problem(h, 404, "not-found");
	http_free(h);
	v = sql1("select id from assessment_files where assessment_id = $1 limit 1", a);
	h = call("GET", NULL, key2, "/v1/assessments/%s/files/%s", a, v);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = call("POST", "{\"name\":\"他社の委託先\"}", key2, "/v1/vendors");
	snprintf(v2, sizeof(v2), "%s", jstr(h, "id"));
	http_free(h);
	h = call("POST", "{\"name\":\"他社シート\"}", key2, "/v1/questionnaire-templates");
	snprintf(tpl2, sizeof(tpl2), "%s", jstr(h, "id"));
	http_free(h);
	h = call("POST", "{\"content\":" SHEET "}", key2, "/v1/questionnaire-templates/%s/versions", tpl2);
	http_free(h);
	h = call("POST", NULL, key2, "/v1/questionnaire-templates/%s/versions/1/publish", tpl2);
	http_free(h);
	sent_assessment(key2, v2, tpl2, a2);
	issue(key2, a2, token2, NULL);
	{
		char suffix[96];

		snprintf(suffix, sizeof(suffix), "/files/%s", v);
		h = vendor_call("DELETE", token2, suffix, NULL);
		ck_problem(h, 404, "not-found");
		http_free(h);
	}
	h = vendor_call("GET", token2, "", NULL);
	ck_status(h, 200);
	ck_assert(strstr(h->body, "他社の委託先") && !strstr(h->body, "みなと情報処理"));
	http_free(h);
	{
		char *link = sql1("select id from assessment_links where assessment_id = $1", a);

		h = call("POST", NULL, key2, "/v1/assessment-links/%s/revoke", link);
		ck_problem(h, 404, "not-found");
		http_free(h);
		free(link);
	}
	free(v);
	free(key2);

	/* the rate limit: ITAKU_RESPOND_LINK_RATE (60) a minute per link, then 429 */
	for (int i = 0; i < 70; i++) {
		h = vendor_call("GET", token2, "", NULL);
		if (h->status == 429) {
			ck_assert(atoi(http_header(h, "Retry-After")) >= 1);
			ck_problem(h, 429, "rate-limited");
			http_free(h);
			break;
		}
		ck_status(h, 200);
		http_free(h);
		ck_assert_int_lt(i, 62);
	}

	/* the tokens never reach the log or the audit trail */
	ck_assert_int_eq(count1("select count(*) from audit_events where position($1 in coalesce(before::text, '') ||"
				" coalesce(after::text, '') || actor) > 0", token), 0);
	ck_assert_int_eq(count1("select count(*) from audit_events where position('ita_' in coalesce(after::text, '')) > 0"
				" and position('\"token\"' in after::text) > 0", NULL), 0);
	f = fopen(t.log_path, "r");
	ck_assert(f != NULL);
	log = NULL;
	ck_assert(getdelim(&log, &n, '\0', f) > 0);
	fclose(f);
	ck_assert(strstr(log, "/v1/respond/{token}") != NULL);
	ck_assert(!strstr(log, token) && !strstr(log, token2));
	free(log);
}
END_TEST

/* The whole vendor side with a starter sheet: every shown question
 * answered (the answers reveal more), evidence where required, submitted. */
START_TEST(starter_sheet_flow)
{
	char a[40], token[64], *starter, body[65536];
	struct http *h;
	int rounds = 0;

	starter = sql1("select id from questionnaire_templates where starter = 'basic_check' and tenant_id ="
		       " (select tenant_id from vendors where id = $1)", vendor);
	sent_assessment(NULL, vendor, starter, a);
	issue(NULL, a, token, NULL);
	for (;;) {
		json_t *view, *answers = json_object(), *s, *q, *ans;
		size_t i, j;
		char *text;

		h = vendor_call("GET", token, "", NULL);
		ck_status(h, 200);
		ck_assert(!strstr(h->body, "remediation") && !strstr(h->body, "weight"));
		view = json_incref(h->json);
		ans = json_object_get(view, "answers");
		http_free(h);
		json_array_foreach(json_object_get(view, "sections"), i, s)
			json_array_foreach(json_object_get(s, "questions"), j, q) {
				const char *code = json_string_value(json_object_get(q, "code"));
				const char *type = json_string_value(json_object_get(q, "answer_type"));

				if (strcmp(json_string_value(json_object_get(q, "state")), "shown") || json_object_get(ans, code))
					continue;
				if (!strcmp(type, "scale"))
					json_object_set_new(answers, code, json_string("partially"));
				else if (!strcmp(type, "single_choice"))
					json_object_set(answers, code, json_object_get(json_array_get(json_object_get(q, "choices"), 0), "code"));
				else if (!strcmp(type, "multiple_choice"))
					json_object_set_new(answers, code, json_pack("[O]", json_object_get(json_array_get(json_object_get(q, "choices"), 0), "code")));
				else if (!strcmp(type, "text"))
					json_object_set_new(answers, code, json_string("社内規程に定めています"));
				else if (!strcmp(type, "number"))
					json_object_set(answers, code, json_object_get(q, "min") ? json_object_get(q, "min") : json_integer(1));
				else if (!strcmp(type, "date"))
					json_object_set_new(answers, code, json_string("2026-01-15"));
				if ((!strcmp(type, "file") || !strcmp(json_string_value(json_object_get(q, "evidence")), "always")) &&
				    json_integer_value(json_object_get(q, "files")) == 0) {
					h = upload_text(token, code, "evidence.txt", "text/plain", "証跡");
					ck_status(h, 201);
					http_free(h);
				}
			}
		if (json_object_size(answers) == 0) {
			json_decref(answers);
			json_decref(view);
			break;
		}
		ck_assert_int_lt(++rounds, 6);
		text = json_dumps(answers, JSON_COMPACT);
		h = vendor_call("GET", token, "", NULL);
		snprintf(body, sizeof(body), "{\"answers_version\":%lld,\"answers\":%s}", version_of(h), text);
		http_free(h);
		free(text);
		json_decref(answers);
		json_decref(view);
		h = vendor_call("PUT", token, "/answers", body);
		ck_status(h, 200);
		http_free(h);
	}
	h = vendor_call("POST", token, "/submit", NULL);
	ck_status(h, 200);
	http_free(h);
	ck_assert_int_eq(count1("select count(*) from assessments where id = $1 and status = 'submitted'"
				" and score ->> 'at' = 'submission' and computed_verdict is not null", a), 1);
	free(starter);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("respond");
	TCase *tc = tcase_create("respond");

	tcase_set_timeout(tc, 180);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, links_issue_supersede_revoke_expire);
	tcase_add_test(tc, answers_checked_saved_and_submitted);
	tcase_add_test(tc, evidence_types_caps_and_download);
	tcase_add_test(tc, returned_items_other_tenant_and_rate);
	tcase_add_test(tc, starter_sheet_flow);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

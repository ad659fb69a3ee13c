/* HTTP: the yearly cycle looking back (issue 18). A vendor answers
 * version 1 of a sheet one year and version 2 (Q4 removed, Q5 added) the
 * next: the respondent of the second sees last year's answers as
 * suggestions, stored only once saved, with last year's evidence flagged
 * expired and a new file required; staff then compare the two answer by
 * answer (JSON and CSV), with the findings opened and closed in between.
 * Different templates give an empty diff with a note; another tenant's
 * ids answer 404. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;
static char vendor[40], sheet[40];

#define CHOICES \
	"\"choices\":[{\"code\":\"A\",\"label_ja\":\"全社\",\"score\":1},{\"code\":\"B\",\"label_ja\":\"なし\",\"score\":0}]"
/* S: Q1-Q3 and Q4 (v1) or Q5 (v2), all scored scales; Q2 needs evidence.
 * T: one choice question. */
#define CONTENT(last) \
	"{\"content\":{\"sections\":[{\"code\":\"S\",\"title_ja\":\"基本\",\"questions\":[" \
	"{\"code\":\"Q1\",\"text_ja\":\"情報セキュリティ方針がありますか\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"Q2\",\"text_ja\":\"保管データを暗号化していますか\",\"answer_type\":\"scale\",\"evidence\":\"always\"}," \
	"{\"code\":\"Q3\",\"text_ja\":\"アクセス権を定期的に見直していますか\",\"answer_type\":\"scale\"}," last "]}," \
	"{\"code\":\"T\",\"title_ja\":\"教育\",\"questions\":[" \
	"{\"code\":\"T1\",\"text_ja\":\"教育の範囲\",\"answer_type\":\"single_choice\"," CHOICES "}]}]}}"
#define V1 CONTENT("{\"code\":\"Q4\",\"text_ja\":\"紙媒体を施錠保管していますか\",\"answer_type\":\"scale\"}")
#define V2 CONTENT("{\"code\":\"Q5\",\"text_ja\":\"多要素認証を使っていますか\",\"text_en\":\"Do you use MFA?\",\"answer_type\":\"scale\"}")

static const char *const pdf_headers[] = { "Content-Type: application/pdf", NULL };

static struct http *call(const char *key, const char *method, const char *body, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static struct http *call(const char *key, const char *method, const char *body, const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return http_do(&t, method, path, key ? key : t.admin_key, body, NULL);
}

static void take(struct http *h, long status, const char *member, char *out, size_t cap)
{
	ck_status(h, status);
	if (member)
		snprintf(out, cap, "%s", jstr(h, member));
	http_free(h);
}

static void publish(const char *template, const char *content)
{
	take(call(NULL, "POST", content, "/v1/questionnaire-templates/%s/versions", template), 201, NULL, NULL, 0);
	take(call(NULL, "POST", NULL, "/v1/questionnaire-templates/%s/versions/%d/publish", template,
		  strstr(content, "Q5") ? 2 : 1), 200, NULL, NULL, 0);
}

static void setup(void)
{
	itk_setup(&t, "comparison", NULL);
	take(http_do(&t, "POST", "/v1/vendors", t.admin_key, "{\"name\":\"みなと情報処理\",\"status\":\"active\"}", NULL),
	     201, "id", vendor, sizeof(vendor));
	take(http_do(&t, "POST", "/v1/questionnaire-templates", t.admin_key, "{\"name\":\"年次点検\"}", NULL),
	     201, "id", sheet, sizeof(sheet));
	publish(sheet, V1);
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* A draft of template (version number) for v. */
static void draft(const char *v, const char *template, int number, char id[40])
{
	char body[512];

	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"template_id\":\"%s\",\"template_number\":%d,"
		 "\"due_on\":\"2099-03-31\",\"respondent\":{\"name\":\"山田 花子\",\"email\":\"yamada@example.jp\"}}",
		 v, template, number);
	take(http_do(&t, "POST", "/v1/assessments", t.admin_key, body, NULL), 201, "id", id, 40);
}

/* Sends a draft and issues its respondent link. */
static void send(const char *id, char token[64])
{
	take(call(NULL, "POST", NULL, "/v1/assessments/%s/send", id), 200, NULL, NULL, 0);
	take(call(NULL, "POST", "{}", "/v1/assessments/%s/respondent-links", id), 201, "token", token, 64);
}

static struct http *respond(const char *method, const char *token, const char *suffix, const char *body)
{
	char path[512];

	snprintf(path, sizeof(path), "/v1/respond/%s%s", token, suffix);
	return http_do(&t, method, path, NULL, body, NULL);
}

static long long answers_version(const char *token)
{
	struct http *h = respond("GET", token, "", NULL);
	long long v = json_integer_value(json_object_get(h->json, "answers_version"));

	http_free(h);
	return v;
}

static void save(const char *token, const char *answers)
{
	char body[512];

	snprintf(body, sizeof(body), "{\"answers\":%s,\"answers_version\":%lld}", answers, answers_version(token));
	take(respond("PUT", token, "/answers", body), 200, NULL, NULL, 0);
}

static void upload(const char *token, const char *question, const char *filename, const char *bytes)
{
	char path[512];

	snprintf(path, sizeof(path), "/v1/respond/%s/files?question=%s&filename=%s", token, question, filename);
	take(http_do(&t, "POST", path, NULL, bytes, pdf_headers), 201, NULL, NULL, 0);
}

static void finding(const char *assessment, const char *code, char id[40])
{
	char body[256];

	snprintf(body, sizeof(body), "{\"question_code\":\"%s\",\"title\":\"指摘 %s\",\"severity\":\"medium\","
		 "\"due_on\":\"2099-06-30\"}", code, code);
	take(call(NULL, "POST", body, "/v1/assessments/%s/findings", assessment), 201, "id", id, 40);
}

/* The question of code in a respondent view, or in a comparison's list. */
static json_t *view_question(json_t *view, const char *code)
{
	json_t *s, *q;
	size_t i, j;

	json_array_foreach(json_object_get(view, "sections"), i, s)
		json_array_foreach(json_object_get(s, "questions"), j, q)
			if (!strcmp(json_string_value(json_object_get(q, "code")), code))
				return q;
	return NULL;
}

static json_t *item(json_t *list, const char *code)
{
	json_t *x;
	size_t i;

	json_array_foreach(list, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "code")), code))
			return x;
	return NULL;
}

static double num(json_t *o, const char *member)
{
	json_t *v = json_object_get(o, member);

	ck_assert_msg(json_is_number(v), "%s is not a number", member);
	return json_number_value(v);
}

static const char *str(json_t *o, const char *member)
{
	const char *s = json_string_value(json_object_get(o, member));

	return s ? s : "";
}

static const char *file_name(json_t *evidence, const char *list, size_t i)
{
	return str(json_array_get(json_object_get(evidence, list), i), "filename");
}

START_TEST(last_year_suggested_then_compared)
{
	char a1[40], a2[40], tok1[64], tok2[64], f0[40], f1[40], f_other[40], *s;
	const char *params[1];
	struct http *h;
	json_t *q, *sug, *ev, *x;

	/* ---- last year: version 1, answered, evidence, completed ---- */
	draft(vendor, sheet, 1, a1);
	send(a1, tok1);
	save(tok1, "{\"Q1\":\"yes\",\"Q2\":\"yes\",\"Q3\":\"no\",\"Q4\":\"yes\",\"T1\":\"A\"}");
	upload(tok1, "Q2", "encryption-2025.pdf", "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
	take(respond("POST", tok1, "/submit", NULL), 200, NULL, NULL, 0);
	/* opened before completion: not "between" the two assessments */
	finding(a1, "Q3", f0);
	h = call(NULL, "POST", NULL, "/v1/assessments/%s/complete", a1);
	ck_status(h, 200);
	ck_assert(num(json_object_get(h->json, "score"), "overall") == 87.5);
	http_free(h);
	/* after completion: opened, and F0 closed, in between */
	finding(a1, "Q3", f1);
	finding(a1, "Q2", f_other);
	take(call(NULL, "POST", "{\"status\":\"resolved\"}", "/v1/findings/%s/status", f0), 200, NULL, NULL, 0);
	/* Evidence ages by the clock, which the API cannot move: the file is
	 * made 13 months old in SQL (the tenant's limit is 12). */
	params[0] = a1;
	PQclear(itk_sql(&t, "update assessment_files set created_at = now() - interval '13 months'"
			" where assessment_id = $1", 1, params));

	/* ---- this year: version 2 (Q4 removed, Q5 added) ---- */
	publish(sheet, V2);
	draft(vendor, sheet, 2, a2);
	send(a2, tok2);

	/* suggestions: last year's answers, nothing stored */
	h = respond("GET", tok2, "", NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_object_size(json_object_get(h->json, "answers")), 0);
	sug = json_object_get(view_question(h->json, "Q1"), "suggestion");
	ck_assert_str_eq(str(sug, "value"), "yes");
	ck_assert_str_eq(str(sug, "from_assessment"), a1);
	ck_assert_int_eq(strlen(str(sug, "answered_on")), 10);
	ck_assert_ptr_null(json_object_get(sug, "files"));           /* Q1 needs no evidence */
	ck_assert_str_eq(str(json_object_get(view_question(h->json, "Q3"), "suggestion"), "value"), "no");
	ck_assert_str_eq(str(json_object_get(view_question(h->json, "T1"), "suggestion"), "value"), "A");
	ck_assert_ptr_null(json_object_get(view_question(h->json, "Q5"), "suggestion"));   /* new question */
	ck_assert_ptr_null(view_question(h->json, "Q4"));
	/* Q2's evidence: last year's file, expired, not copied */
	sug = json_object_get(view_question(h->json, "Q2"), "suggestion");
	ck_assert_str_eq(str(sug, "value"), "yes");
	x = json_array_get(json_object_get(sug, "files"), 0);
	ck_assert_str_eq(str(x, "filename"), "encryption-2025.pdf");
	ck_assert(json_is_true(json_object_get(x, "expired")));
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "files")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(h->json, "progress"), "answered")), 0);
	http_free(h);
	params[0] = a2;
	s = itk_sql_value(&t, "select answers::text from assessments where id = $1", 1, params);
	ck_assert_str_eq(s, "{}");
	free(s);

	/* confirming Q1 stores it; its suggestion goes, the others stay */
	save(tok2, "{\"Q1\":\"yes\"}");
	h = respond("GET", tok2, "", NULL);
	ck_assert_str_eq(str(json_object_get(h->json, "answers"), "Q1"), "yes");
	ck_assert_ptr_null(json_object_get(view_question(h->json, "Q1"), "suggestion"));
	ck_assert_ptr_nonnull(json_object_get(view_question(h->json, "Q3"), "suggestion"));
	http_free(h);
	s = itk_sql_value(&t, "select answers::text from assessments where id = $1", 1, params);
	ck_assert_str_eq(s, "{\"Q1\": \"yes\"}");
	free(s);

	/* the rest changed; the expired evidence is required again */
	save(tok2, "{\"Q2\":\"partially\",\"Q3\":\"yes\",\"Q5\":\"no\",\"T1\":\"B\"}");
	h = respond("POST", tok2, "/submit", NULL);
	ck_problem(h, 422, "validation-failed");
	ck_assert_ptr_nonnull(strstr(h->body, "/files/Q2"));
	http_free(h);
	upload(tok2, "Q2", "encryption-2026.pdf", "%PDF-1.4\n2 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
	take(respond("POST", tok2, "/submit", NULL), 200, NULL, NULL, 0);
	/* submitted: nothing to suggest any more */
	h = respond("GET", tok2, "", NULL);
	ck_assert_ptr_null(strstr(h->body, "\"suggestion\""));
	http_free(h);
	take(call(NULL, "POST", NULL, "/v1/assessments/%s/complete", a2), 200, NULL, NULL, 0);

	/* ---- the comparison: against last year by default ---- */
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/comparison", a2);
	ck_status(h, 200);
	ck_assert_str_eq(str(json_object_get(h->json, "assessment"), "id"), a2);
	ck_assert_str_eq(str(json_object_get(h->json, "against"), "id"), a1);
	ck_assert_str_eq(str(json_object_get(h->json, "against"), "score_source"), "stored");
	ck_assert_str_eq(str(json_object_get(h->json, "against"), "verdict"), "no_issues");
	ck_assert_str_eq(str(json_object_get(h->json, "assessment"), "verdict"), "action_required");
	ck_assert(json_is_true(json_object_get(h->json, "same_template")));
	ck_assert_ptr_null(json_object_get(h->json, "note"));
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "evidence_max_age_months")), 12);
	/* in the new version's order, then the removed question */
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "questions")), 6);
	ck_assert_str_eq(str(json_array_get(json_object_get(h->json, "questions"), 3), "code"), "Q5");
	ck_assert_str_eq(str(json_array_get(json_object_get(h->json, "questions"), 5), "code"), "Q4");

	q = item(json_object_get(h->json, "questions"), "Q1");      /* unchanged */
	ck_assert_str_eq(str(q, "presence"), "both");
	ck_assert_str_eq(str(q, "section"), "S");
	ck_assert_str_eq(str(q, "old_answer"), "yes");
	ck_assert_str_eq(str(q, "new_answer"), "yes");
	ck_assert(json_is_false(json_object_get(q, "answer_changed")));
	ck_assert(num(q, "old_score") == 1 && num(q, "new_score") == 1 && num(q, "score_change") == 0);

	q = item(json_object_get(h->json, "questions"), "Q2");      /* worse, new evidence */
	ck_assert_str_eq(str(q, "old_answer"), "yes");
	ck_assert_str_eq(str(q, "new_answer"), "partially");
	ck_assert(json_is_true(json_object_get(q, "answer_changed")));
	ck_assert(num(q, "old_score") == 1 && num(q, "new_score") == 0.5 && num(q, "score_change") == -0.5);
	ev = json_object_get(q, "evidence");
	ck_assert_int_eq(json_array_size(json_object_get(ev, "added")), 1);
	ck_assert_str_eq(file_name(ev, "added", 0), "encryption-2026.pdf");
	ck_assert_str_eq(file_name(ev, "removed", 0), "encryption-2025.pdf");
	ck_assert_str_eq(file_name(ev, "expired", 0), "encryption-2025.pdf");
	ck_assert_int_eq(json_array_size(json_object_get(ev, "expired")), 1);

	q = item(json_object_get(h->json, "questions"), "Q3");      /* fixed */
	ck_assert(num(q, "old_score") == 0 && num(q, "new_score") == 1 && num(q, "score_change") == 1);
	ev = json_object_get(q, "evidence");
	ck_assert_int_eq(json_array_size(json_object_get(ev, "added")) + json_array_size(json_object_get(ev, "removed")) +
			 json_array_size(json_object_get(ev, "expired")), 0);

	q = item(json_object_get(h->json, "questions"), "Q5");      /* added in version 2 */
	ck_assert_str_eq(str(q, "presence"), "added");
	ck_assert_str_eq(str(q, "old_state"), "absent");
	ck_assert_str_eq(str(q, "new_state"), "asked");
	ck_assert_str_eq(str(q, "text_en"), "Do you use MFA?");
	ck_assert(json_is_null(json_object_get(q, "old_answer")) && json_is_null(json_object_get(q, "old_score")));
	ck_assert(num(q, "new_score") == 0 && json_is_null(json_object_get(q, "score_change")));

	q = item(json_object_get(h->json, "questions"), "Q4");      /* removed in version 2 */
	ck_assert_str_eq(str(q, "presence"), "removed");
	ck_assert_str_eq(str(q, "old_state"), "asked");
	ck_assert_str_eq(str(q, "new_state"), "absent");
	ck_assert_str_eq(str(q, "old_answer"), "yes");
	ck_assert(json_is_null(json_object_get(q, "new_answer")) && json_is_null(json_object_get(q, "score_change")));

	q = item(json_object_get(h->json, "questions"), "T1");
	ck_assert_str_eq(str(q, "old_answer"), "A");
	ck_assert_str_eq(str(q, "new_answer"), "B");
	ck_assert(num(q, "score_change") == -1);

	/* sections: S (1+1+0+1)/4 = 75 → (1+0.5+1+0)/4 = 62.5; T 100 → 0;
	 * overall 87.5 → 31.3 (31.25 rounded half up) */
	x = item(json_object_get(h->json, "sections"), "S");
	ck_assert(num(x, "old_score") == 75 && num(x, "new_score") == 62.5 && num(x, "score_change") == -12.5);
	x = item(json_object_get(h->json, "sections"), "T");
	ck_assert(num(x, "old_score") == 100 && num(x, "new_score") == 0 && num(x, "score_change") == -100);
	x = json_object_get(h->json, "overall");
	ck_assert(num(x, "old_score") == 87.5 && num(x, "new_score") == 31.3);
	ck_assert(fabs(num(x, "score_change") + 56.2) < 1e-9);

	/* findings between: F1 and the Q2 one opened, F0 closed; F0 was
	 * opened before last year's completion */
	x = json_object_get(h->json, "findings");
	ck_assert_int_eq(json_array_size(json_object_get(x, "opened")), 2);
	ck_assert_str_eq(str(json_array_get(json_object_get(x, "opened"), 0), "id"), f1);
	ck_assert_str_eq(str(json_array_get(json_object_get(x, "opened"), 1), "id"), f_other);
	ck_assert_int_eq(json_array_size(json_object_get(x, "closed")), 1);
	ck_assert_str_eq(str(json_array_get(json_object_get(x, "closed"), 0), "id"), f0);
	ck_assert_str_eq(str(json_array_get(json_object_get(x, "closed"), 0), "status"), "resolved");
	ck_assert_int_eq(strlen(str(json_array_get(json_object_get(x, "closed"), 0), "closed_at")) > 0, 1);
	http_free(h);

	/* the same with against named; the other way round too */
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/comparison?against=%s", a2, a1);
	ck_status(h, 200);
	ck_assert_str_eq(str(json_object_get(h->json, "against"), "id"), a1);
	http_free(h);
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/comparison?against=%s", a1, a2);
	ck_status(h, 200);
	ck_assert_str_eq(str(item(json_object_get(h->json, "questions"), "Q4"), "presence"), "added");
	http_free(h);
	/* last year's has nothing before it */
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/comparison", a1);
	ck_problem(h, 404, "not-found");
	http_free(h);

	/* ---- the CSV: BOM, CRLF, a header in both languages, a row per question ---- */
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/comparison.csv", a2);
	ck_status(h, 200);
	ck_assert_ptr_nonnull(strstr(http_header(h, "Content-Type"), "text/csv"));
	ck_assert_ptr_nonnull(strstr(http_header(h, "Content-Disposition"), a2));
	ck_assert(!memcmp(h->body, "\xEF\xBB\xBF" "区分 / section,設問コード / code,設問 / question,版の差 / presence,",
			  strlen("\xEF\xBB\xBF" "区分 / section,設問コード / code,設問 / question,版の差 / presence,")));
	{
		size_t rows = 0;

		for (const char *p = h->body; (p = strstr(p, "\r\n")); p += 2)
			rows++;
		ck_assert_int_eq(rows, 7);
	}
	ck_assert_ptr_nonnull(strstr(h->body, "\r\nS,Q2,保管データを暗号化していますか,both,asked,asked,yes,partially,true,1,0.5,-0.5,"
				      "encryption-2026.pdf,encryption-2025.pdf,encryption-2025.pdf\r\n"));
	ck_assert_ptr_nonnull(strstr(h->body, "\r\nS,Q4,紙媒体を施錠保管していますか,removed,asked,absent,yes,,true,1,,,,,\r\n"));
	http_free(h);
}
END_TEST

START_TEST(other_templates_tenants_and_bad_input)
{
	char other[40], a1[40], a2[40], mine[40], stranger[40], vendor2[40], *key2;
	struct http *h;

	take(http_do(&t, "POST", "/v1/questionnaire-templates", t.admin_key, "{\"name\":\"別のシート\"}", NULL),
	     201, "id", other, sizeof(other));
	take(call(NULL, "POST", "{\"content\":{\"sections\":[{\"code\":\"X\",\"title_ja\":\"別\",\"questions\":["
		  "{\"code\":\"X1\",\"text_ja\":\"別の設問\",\"answer_type\":\"scale\"}]}]}}",
		  "/v1/questionnaire-templates/%s/versions", other), 201, NULL, NULL, 0);
	take(call(NULL, "POST", NULL, "/v1/questionnaire-templates/%s/versions/1/publish", other), 200, NULL, NULL, 0);
	draft(vendor, sheet, 1, a1);
	draft(vendor, other, 1, a2);

	/* different templates, no code in common: an empty diff with a note */
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/comparison?against=%s", a2, a1);
	ck_status(h, 200);
	ck_assert(json_is_false(json_object_get(h->json, "same_template")));
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "questions")), 0);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "sections")), 0);
	ck_assert(json_is_null(json_object_get(json_object_get(h->json, "overall"), "score_change")));
	ck_assert_str_eq(str(json_object_get(h->json, "note"), "code"), "no_shared_codes");
	ck_assert_str_eq(str(json_object_get(h->json, "against"), "score_source"), "computed");
	http_free(h);
	/* in Japanese too */
	{
		const char *ja[] = { "Accept-Language: ja", NULL };
		char path[200];

		snprintf(path, sizeof(path), "/v1/assessments/%s/comparison?against=%s", a2, a1);
		h = http_do(&t, "GET", path, t.admin_key, NULL, ja);
		ck_assert_ptr_nonnull(strstr(str(json_object_get(h->json, "note"), "message"), "共通の設問コードがありません"));
		http_free(h);
	}
	/* the CSV of an empty diff is its header */
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/comparison.csv?against=%s", a2, a1);
	ck_status(h, 200);
	ck_assert_ptr_null(strstr(strstr(h->body, "\r\n") + 2, "\r\n"));
	http_free(h);

	/* no earlier completed assessment and none named */
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/comparison", a2);
	ck_problem(h, 404, "not-found");
	http_free(h);
	/* bad against: itself, not a UUID, another vendor's */
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/comparison?against=%s", a2, a2);
	ck_problem(h, 400, NULL);
	http_free(h);
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/comparison.csv?against=nope", a2);
	ck_problem(h, 400, NULL);
	http_free(h);
	take(http_do(&t, "POST", "/v1/vendors", t.admin_key, "{\"name\":\"東西印刷\"}", NULL), 201, "id", vendor2,
	     sizeof(vendor2));
	draft(vendor2, sheet, 1, mine);
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/comparison?against=%s", mine, a1);
	ck_problem(h, 400, NULL);
	ck_assert_ptr_nonnull(strstr(h->body, "another vendor"));
	http_free(h);

	/* another tenant: its key sees none of ours, ours none of its */
	key2 = itk_bootstrap(&t, "t2");
	h = call(key2, "GET", NULL, "/v1/assessments/%s/comparison?against=%s", a2, a1);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = call(key2, "GET", NULL, "/v1/assessments/%s/comparison.csv?against=%s", a2, a1);
	ck_problem(h, 404, "not-found");
	http_free(h);
	{
		char v2[40], tpl2[40], body[512];

		take(http_do(&t, "POST", "/v1/vendors", key2, "{\"name\":\"他社の委託先\"}", NULL), 201, "id", v2, sizeof(v2));
		take(http_do(&t, "POST", "/v1/questionnaire-templates", key2, "{\"name\":\"年次点検\"}", NULL), 201, "id",
		     tpl2, sizeof(tpl2));
		take(call(key2, "POST", V1, "/v1/questionnaire-templates/%s/versions", tpl2), 201, NULL, NULL, 0);
		take(call(key2, "POST", NULL, "/v1/questionnaire-templates/%s/versions/1/publish", tpl2), 200, NULL, NULL, 0);
		snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"template_id\":\"%s\",\"due_on\":\"2099-03-31\","
			 "\"respondent\":{\"name\":\"佐藤\",\"email\":\"sato@example.jp\"}}", v2, tpl2);
		take(http_do(&t, "POST", "/v1/assessments", key2, body, NULL), 201, "id", stranger, sizeof(stranger));
	}
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/comparison?against=%s", a1, stranger);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = call(key2, "GET", NULL, "/v1/assessments/%s/comparison?against=%s", stranger, a1);
	ck_problem(h, 404, "not-found");
	http_free(h);
	free(key2);
}
END_TEST

START_TEST(evidence_age_is_a_tenant_setting)
{
	struct http *h;

	h = http_do(&t, "GET", "/v1/settings", t.admin_key, NULL, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "evidence_max_age_months")), 12);
	http_free(h);
	h = http_do(&t, "PATCH", "/v1/settings", t.admin_key, "{\"evidence_max_age_months\":0}", NULL);
	ck_problem(h, 422, NULL);
	http_free(h);
	h = http_do(&t, "PATCH", "/v1/settings", t.admin_key, "{\"evidence_max_age_months\":24}", NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "evidence_max_age_months")), 24);
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("comparison");
	TCase *tc = tcase_create("comparison");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, last_year_suggested_then_compared);
	tcase_add_test(tc, other_templates_tenants_and_bad_input);
	tcase_add_test(tc, evidence_age_is_a_tenant_setting);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

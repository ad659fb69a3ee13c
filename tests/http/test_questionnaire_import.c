/* HTTP: questionnaire export and import (issue 16). Every starter sheet
 * round-trips byte for byte through CSV and through JSON; the CSV is UTF-8
 * with a BOM and CRLF record ends. Bad files are refused whole (422, the
 * template's versions unchanged), each with a test: a wrong header, a bad
 * enum in row 17, a cell over the limit, a non-UTF-8 file, 10,001 rows, a
 * repeated question code, an unsupported media type, a wrong JSON format
 * marker; and a negative number survives the round trip. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;

static const char *const csv_type[] = { "Content-Type: text/csv", NULL };
static const char *const json_ct[] = { "Content-Type: application/json", NULL };

/* The spreadsheet columns this file edits (0-based; docs/questionnaires.md). */
enum { COL_THRESHOLD_NO_ISSUES = 0, COL_CODE = 15, COL_ANSWER_TYPE = 20 };

static void setup(void)
{
	itk_setup(&t, "questionnaire_import", NULL);
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

static const char *sv(json_t *v)
{
	const char *s = json_string_value(v);

	return s ? s : "";
}

static char *starter(const char *key)
{
	const char *params[1] = { key };
	char *id = itk_sql_value(&t, "select id::text from questionnaire_templates where starter = $1", 1, params);

	ck_assert_msg(*id, "no starter %s", key);
	return id;
}

static int versions_of(const char *id)
{
	const char *params[1] = { id };
	char *v = itk_sql_value(&t, "select count(*) from questionnaire_versions where template_id::text = $1", 1, params);
	int n = atoi(v);

	free(v);
	return n;
}

/* The body of a GET of an export (caller frees), its length in *len. */
static char *export_of(const char *id, int number, const char *ext, size_t *len)
{
	struct http *h = call("GET", NULL, NULL, "/v1/questionnaire-templates/%s/versions/%d/export.%s", id, number, ext);
	char want[160], *body;

	ck_status(h, 200);
	snprintf(want, sizeof(want), "attachment; filename=\"questionnaire-%s-v%d.%s\"", id, number, ext);
	ck_assert_msg(http_header(h, "Content-Disposition") && !strcmp(http_header(h, "Content-Disposition"), want),
		      "Content-Disposition: %s", http_header(h, "Content-Disposition"));
	ck_assert_str_eq(http_header(h, "Content-Type"), !strcmp(ext, "csv") ? "text/csv; charset=utf-8" : "application/json");
	body = malloc(h->len + 1);
	memcpy(body, h->body, h->len + 1);
	*len = h->len;
	http_free(h);
	return body;
}

static json_t *error_at(const struct http *h, const char *pointer, const char *code)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(h->json, "errors"), i, e)
		if (!strcmp(sv(json_object_get(e, "pointer")), pointer) &&
		    (!code || !strcmp(sv(json_object_get(e, "code")), code)))
			return e;
	return NULL;
}

#define ck_error(h, pointer, code) \
	ck_assert_msg(error_at((h), (pointer), (code)) != NULL, "no error %s (%s) in %.2000s", (pointer), \
		      (code) ? (code) : "any code", (h)->body)

/* Where field (0-based) of record (1-based, the header is 1) lies in csv:
 * [*start, *end). RFC 4180 quoting; records end with CRLF. */
static void cell_span(const char *csv, int record, int field, size_t *start, size_t *end)
{
	size_t i = strncmp(csv, "\xEF\xBB\xBF", 3) ? 0 : 3, from = i;
	int rec = 1, fld = 0, quoted = 0;

	for (;; i++) {
		char c = csv[i];

		if (quoted) {
			ck_assert_msg(c, "record %d field %d: unterminated quote", record, field);
			if (c == '"' && csv[i + 1] == '"')
				i++;
			else if (c == '"')
				quoted = 0;
			continue;
		}
		if (c == '"') {
			quoted = 1;
			continue;
		}
		if (c == ',' || c == '\r' || c == '\0') {
			if (rec == record && fld == field) {
				*start = from;
				*end = i;
				return;
			}
			ck_assert_msg(c, "no record %d field %d", record, field);
			if (c == ',') {
				fld++;
			} else {
				rec++;
				fld = 0;
				i++;   /* the \n */
			}
			from = i + 1;
		}
	}
}

/* csv with the cell at record/field replaced by text (caller frees). */
static char *with_cell(const char *csv, int record, int field, const char *text)
{
	size_t s, e, n = strlen(text), len = strlen(csv);
	char *out;

	cell_span(csv, record, field, &s, &e);
	out = malloc(len - (e - s) + n + 1);
	memcpy(out, csv, s);
	memcpy(out + s, text, n);
	memcpy(out + s + n, csv + e, len - e + 1);
	return out;
}

static char *cell(const char *csv, int record, int field)
{
	size_t s, e;

	cell_span(csv, record, field, &s, &e);
	return strndup(csv + s, e - s);
}

/* Import refused with status and slug; the template's versions unchanged. */
static struct http *refused(const char *id, const char *const *type, const char *body, long status, const char *slug)
{
	int before = versions_of(id);
	struct http *h = call("POST", body, type, "/v1/questionnaire-templates/%s/versions/import", id);

	ck_problem(h, status, slug);
	ck_assert_int_eq(versions_of(id), before);
	return h;
}

START_TEST(starters_round_trip_byte_for_byte)
{
	static const struct { const char *key; int questions; } starters[] = {
		{ "basic_check", 37 }, { "nisc_eight", 19 }, { "appi_safety", 24 }, { "confidential_handling", 18 },
	};

	for (size_t k = 0; k < sizeof(starters) / sizeof(starters[0]); k++) {
		char *id = starter(starters[k].key), *first, *again, location[160];
		size_t len, len2, records = 0;
		struct http *h, *v1;

		v1 = call("GET", NULL, NULL, "/v1/questionnaire-templates/%s/versions/1", id);
		ck_status(v1, 200);

		/* CSV: BOM, CRLF record ends (a line break inside a cell is LF) */
		first = export_of(id, 1, "csv", &len);
		ck_assert_int_eq(len, strlen(first));
		ck_assert(len > 3 && !memcmp(first, "\xEF\xBB\xBF", 3));
		ck_assert(!memcmp(first + len - 2, "\r\n", 2));
		ck_assert_ptr_nonnull(strstr(first, "設問コード / code"));
		for (const char *p = first; (p = strstr(p, "\r\n")); p += 2)
			records++;
		ck_assert_int_eq(records, (size_t)starters[k].questions + 1);
		h = call("POST", first, csv_type, "/v1/questionnaire-templates/%s/versions/import", id);
		ck_status(h, 201);
		snprintf(location, sizeof(location), "/v1/questionnaire-templates/%s/versions/2", id);
		ck_assert_str_eq(http_header(h, "Location"), location);
		ck_assert_str_eq(sv(json_object_get(h->json, "status")), "draft");
		ck_assert_int_eq(json_integer_value(json_object_get(h->json, "question_count")), starters[k].questions);
		ck_assert_msg(json_equal(json_object_get(h->json, "content"), json_object_get(v1->json, "content")),
			      "%s: the imported content differs", starters[k].key);
		http_free(h);
		again = export_of(id, 2, "csv", &len2);
		ck_assert_msg(len == len2 && !memcmp(first, again, len), "%s: CSV round trip differs", starters[k].key);
		free(again);
		/* a second import while the draft exists */
		h = refused(id, csv_type, first, 409, "draft-exists");
		http_free(h);
		free(first);
		h = call("DELETE", NULL, NULL, "%s", location);
		ck_status(h, 204);
		http_free(h);

		/* JSON */
		first = export_of(id, 1, "json", &len);
		h = call("POST", first, json_ct, "/v1/questionnaire-templates/%s/versions/import", id);
		ck_status(h, 201);
		ck_assert_int_eq(json_integer_value(json_object_get(h->json, "number")), 2);
		ck_assert(json_equal(json_object_get(h->json, "content"), json_object_get(v1->json, "content")));
		http_free(h);
		again = export_of(id, 2, "json", &len2);
		ck_assert_msg(len == len2 && !memcmp(first, again, len), "%s: JSON round trip differs", starters[k].key);
		{
			json_t *doc = json_loads(first, 0, NULL);

			ck_assert_str_eq(sv(json_object_get(doc, "format")), "itaku.questionnaire.v1");
			ck_assert(json_equal(json_object_get(doc, "content"), json_object_get(v1->json, "content")));
			json_decref(doc);
		}
		free(again);
		free(first);
		h = call("DELETE", NULL, NULL, "%s", location);
		ck_status(h, 204);
		http_free(h);
		ck_assert_int_eq(versions_of(id), 1);
		http_free(v1);
		free(id);
	}
}
END_TEST

/* Every column filled, with the characters the CSV layout escapes: commas,
 * quotes, line breaks, " | " and backslashes in choice and exemption
 * lines, formula-looking text, every condition kind, all_of, fractions. */
#define EXOTIC \
	"{\"thresholds\":{\"no_issues\":85.5,\"watch\":50},\"scale_scores\":{\"yes\":1,\"partially\":0.4,\"no\":0}," \
	"\"applicability\":{\"all\":[{\"fact\":\"handles_personal_data\",\"equals\":true}," \
	"{\"fact\":\"personal_data_categories\",\"any_of\":[\"sensitive\",\"my_number\"]}," \
	"{\"fact\":\"confidentiality\",\"at_least\":2},{\"fact\":\"category\",\"any_of\":[\"asp_saas\",\"datacenter\"]}," \
	"{\"fact\":\"data_outside_jp\",\"equals\":false}],\"explanation_ja\":\"個人データ, 機密 \\\"2\\\" 以上\"," \
	"\"explanation_en\":\"Personal data\"}," \
	"\"sections\":[{\"code\":\"S-1.A\",\"title_ja\":\"=外部, \\\"引用\\\"\",\"title_en\":\"Outside\",\"weight\":0.5," \
	"\"applicability\":{\"all\":[{\"fact\":\"subcontracting_allowed\",\"equals\":true}],\"explanation_ja\":\"再委託あり\"}," \
	"\"questions\":[" \
	"{\"code\":\"Q1\",\"text_ja\":\"+81 の電話\\n二行目\",\"text_en\":\"-dash\",\"help_ja\":\"@mention\\tタブ\"," \
	"\"help_en\":\"a | b \\\\ c\",\"answer_type\":\"multiple_choice\",\"choices\":[" \
	"{\"code\":\"A\",\"label_ja\":\"x | y\",\"label_en\":\"back\\\\slash\",\"score\":0.5}," \
	"{\"code\":\"B\",\"label_ja\":\"改行\\nあり\",\"score\":null},{\"code\":\"C\",\"label_ja\":\"普通\",\"score\":1}]," \
	"\"weight\":2.5,\"required\":false,\"knockout\":true,\"controls\":[\"iso27001:5.19\",\"nisc8:3\",\"appi:technical\"]," \
	"\"exemptions\":[{\"certification\":\"isms\",\"scope_verified\":false,\"explanation_ja\":\"ISMS | 範囲\"," \
	"\"explanation_en\":\"ISMS\"},{\"certification\":\"privacy_mark\",\"explanation_ja\":\"Pマーク\"}]," \
	"\"remediation_ja\":\"是正, する\",\"remediation_en\":\"Fix\"}," \
	"{\"code\":\"Q2\",\"text_ja\":\"依存\",\"answer_type\":\"scale\",\"not_applicable_allowed\":false," \
	"\"evidence\":\"when_yes\",\"depends_on\":{\"question\":\"Q1\",\"all_of\":[\"A\",\"C\"]}}," \
	"{\"code\":\"Q3\",\"text_ja\":\"数\",\"answer_type\":\"number\",\"unit\":\"%\",\"min\":0,\"max\":100.5}," \
	"{\"code\":\"Q4\",\"text_ja\":\"日\",\"answer_type\":\"date\",\"evidence\":\"always\"}," \
	"{\"code\":\"Q5\",\"text_ja\":\"証跡\",\"answer_type\":\"file\",\"weight\":1}]}]}"

/* A new template with content published as version 1; its id in id. */
static void published(const char *name, const char *content, char id[40])
{
	char *body = malloc(strlen(content) + 32);
	struct http *h;

	snprintf(id, 40, "%s", "");
	sprintf(body, "{\"name\":\"%s\"}", name);
	h = call("POST", body, NULL, "/v1/questionnaire-templates");
	ck_status(h, 201);
	snprintf(id, 40, "%s", sv(json_object_get(h->json, "id")));
	http_free(h);
	sprintf(body, "{\"content\":%s}", content);
	h = call("POST", body, NULL, "/v1/questionnaire-templates/%s/versions", id);
	ck_status(h, 201);
	http_free(h);
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/versions/1/publish", id);
	ck_status(h, 200);
	http_free(h);
	free(body);
}

/* Export version 1 as ext, import it, export the draft: the same content
 * and the same bytes. */
static void ck_round_trip(const char *id, const char *ext)
{
	struct http *v1 = call("GET", NULL, NULL, "/v1/questionnaire-templates/%s/versions/1", id), *h;
	char *first, *again;
	size_t len, len2;

	ck_status(v1, 200);
	first = export_of(id, 1, ext, &len);
	h = call("POST", first, !strcmp(ext, "csv") ? csv_type : json_ct,
		 "/v1/questionnaire-templates/%s/versions/import", id);
	ck_status(h, 201);
	ck_assert_msg(json_equal(json_object_get(h->json, "content"), json_object_get(v1->json, "content")),
		      "%s: imported %s\nwas %s", ext, h->body, v1->body);
	http_free(h);
	again = export_of(id, 2, ext, &len2);
	ck_assert_msg(len == len2 && !memcmp(first, again, len), "%s round trip differs:\n%s\n%s", ext, first, again);
	h = call("DELETE", NULL, NULL, "/v1/questionnaire-templates/%s/versions/2", id);
	ck_status(h, 204);
	http_free(h);
	free(first);
	free(again);
	http_free(v1);
}

START_TEST(every_column_round_trips)
{
	char id[40];

	published("全列", EXOTIC, id);
	ck_round_trip(id, "json");
	ck_round_trip(id, "csv");
}
END_TEST

/* A text that itself starts with an apostrophe before = + - @: export must
 * keep the apostrophe that import takes off. */
START_TEST(apostrophe_text_round_trips)
{
	char id[40];

	published("引用符", "{\"sections\":[{\"code\":\"S1\",\"title_ja\":\"基本\",\"questions\":["
			   "{\"code\":\"Q1\",\"text_ja\":\"'-' で区切った番号を書いてください\",\"answer_type\":\"text\"}]}]}", id);
	ck_round_trip(id, "csv");
}
END_TEST

/* A number question with negative bounds: exported "-10" is guarded as a
 * formula ('-10); import must read it back. */
START_TEST(negative_number_round_trips)
{
	char id[40], *first, *again;
	size_t len, len2;
	struct http *h;

	h = call("POST", "{\"name\":\"負の範囲\"}", NULL, "/v1/questionnaire-templates");
	ck_status(h, 201);
	snprintf(id, sizeof(id), "%s", sv(json_object_get(h->json, "id")));
	http_free(h);
	h = call("POST", "{\"content\":{\"sections\":[{\"code\":\"S1\",\"title_ja\":\"基本\",\"questions\":["
			 "{\"code\":\"Q1\",\"text_ja\":\"気温差\",\"answer_type\":\"number\",\"unit\":\"℃\","
			 "\"min\":-10,\"max\":40,\"help_ja\":\"-（負）も可\"}]}]}}", NULL,
		 "/v1/questionnaire-templates/%s/versions", id);
	ck_status(h, 201);
	http_free(h);
	h = call("POST", NULL, NULL, "/v1/questionnaire-templates/%s/versions/1/publish", id);
	ck_status(h, 200);
	http_free(h);
	first = export_of(id, 1, "csv", &len);
	h = call("POST", first, csv_type, "/v1/questionnaire-templates/%s/versions/import", id);
	ck_status(h, 201);
	http_free(h);
	again = export_of(id, 2, "csv", &len2);
	ck_assert(len == len2 && !memcmp(first, again, len));
	free(first);
	free(again);
}
END_TEST

START_TEST(csv_wrong_header)
{
	char *id = starter("nisc_eight"), *csv, *bad;
	size_t len;
	struct http *h;

	csv = export_of(id, 1, "csv", &len);
	bad = with_cell(csv, 1, COL_THRESHOLD_NO_ISSUES, "no_issues");
	h = refused(id, csv_type, bad, 422, "validation-failed");
	ck_error(h, "/rows/1/threshold_no_issues", NULL);
	http_free(h);
	free(bad);
	free(csv);
	free(id);
}
END_TEST

START_TEST(csv_bad_enum_in_row_17)
{
	char *id = starter("basic_check"), *csv, *bad, *before;
	size_t len;
	struct http *h;

	csv = export_of(id, 1, "csv", &len);
	before = cell(csv, 17, COL_ANSWER_TYPE);
	ck_assert_str_eq(before, "scale");
	bad = with_cell(csv, 17, COL_ANSWER_TYPE, "yesno");
	h = refused(id, csv_type, bad, 422, "validation-failed");
	ck_error(h, "/rows/17/answer_type", NULL);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "errors")), 1);
	http_free(h);
	free(before);
	free(bad);
	free(csv);
	free(id);
}
END_TEST

START_TEST(csv_cell_over_the_limit)
{
	char *id = starter("nisc_eight"), *csv, *bad, *big = malloc(20002);
	size_t len;
	struct http *h;
	json_t *e;

	memset(big, 'a', 20001);
	big[20001] = '\0';
	csv = export_of(id, 1, "csv", &len);
	bad = with_cell(csv, 2, COL_CODE + 3 /* help_ja */, big);
	h = refused(id, csv_type, bad, 422, "validation-failed");
	e = json_array_get(json_object_get(h->json, "errors"), 0);
	ck_assert_msg(e && !strncmp(sv(json_object_get(e, "pointer")), "/rows/2", 7), "%.500s", h->body);
	http_free(h);
	free(bad);
	free(csv);
	free(big);
	free(id);
}
END_TEST

START_TEST(csv_not_utf8)
{
	char *id = starter("nisc_eight"), *csv, *bad;
	size_t len;
	struct http *h;

	csv = export_of(id, 1, "csv", &len);
	bad = with_cell(csv, 3, COL_CODE + 1, "\xff\xfe");
	h = refused(id, csv_type, bad, 422, "file-unreadable");
	http_free(h);
	free(bad);
	free(csv);
	free(id);
}
END_TEST

START_TEST(csv_too_many_rows)
{
	char *id = starter("nisc_eight"), *csv, *header, *body, *p;
	size_t len, hl;
	struct http *h;

	csv = export_of(id, 1, "csv", &len);
	hl = (size_t)(strstr(csv, "\r\n") - csv) + 2;
	header = strndup(csv, hl);
	body = malloc(hl + 10001 * 80 + 1);
	memcpy(body, header, hl);
	p = body + hl;
	for (int i = 1; i <= 10001; i++)
		p += sprintf(p, ",,,,,,,,S1,基本,,,,,,Q%d,設問,,,,scale,,,,,,,,,,,,,,,,,,\r\n", i);
	h = refused(id, csv_type, body, 422, "validation-failed");
	ck_error(h, "/rows", NULL);
	http_free(h);
	free(body);
	free(header);
	free(csv);
	free(id);
}
END_TEST

START_TEST(csv_duplicate_question_code)
{
	char *id = starter("nisc_eight"), *csv, *bad, *code2;
	size_t len;
	struct http *h;

	csv = export_of(id, 1, "csv", &len);
	code2 = cell(csv, 2, COL_CODE);
	bad = with_cell(csv, 3, COL_CODE, code2);
	h = refused(id, csv_type, bad, 422, "validation-failed");
	ck_error(h, "/rows/3/code", "questionnaire.question_repeated");
	http_free(h);
	free(code2);
	free(bad);
	free(csv);
	free(id);
}
END_TEST

START_TEST(import_wrong_media_type_and_json_marker)
{
	static const char *const text[] = { "Content-Type: text/plain", NULL };
	char *id = starter("nisc_eight"), *doc, *bad, *at;
	size_t len;
	struct http *h;

	doc = export_of(id, 1, "csv", &len);
	h = refused(id, text, doc, 415, "unsupported-media-type");
	http_free(h);
	free(doc);
	doc = export_of(id, 1, "json", &len);
	bad = strdup(doc);
	at = strstr(bad, "itaku.questionnaire.v1");
	ck_assert_ptr_nonnull(at);
	at[strlen("itaku.questionnaire.v")] = '0';
	h = refused(id, json_ct, bad, 422, "validation-failed");
	ck_error(h, "/format", NULL);
	http_free(h);
	h = refused(id, json_ct, "{\"format\":", 422, "file-unreadable");
	http_free(h);
	free(bad);
	free(doc);
	free(id);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("questionnaire_import");
	TCase *tc = tcase_create("questionnaire_import");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, starters_round_trip_byte_for_byte);
	tcase_add_test(tc, every_column_round_trips);
	tcase_add_test(tc, negative_number_round_trips);
	tcase_add_test(tc, apostrophe_text_round_trips);
	tcase_add_test(tc, csv_wrong_header);
	tcase_add_test(tc, csv_bad_enum_in_row_17);
	tcase_add_test(tc, csv_cell_over_the_limit);
	tcase_add_test(tc, csv_not_utf8);
	tcase_add_test(tc, csv_too_many_rows);
	tcase_add_test(tc, csv_duplicate_question_code);
	tcase_add_test(tc, import_wrong_media_type_and_json_marker);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

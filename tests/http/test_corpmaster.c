/* HTTP: the corporate number register import - streamed multipart upload
 * of the NTA CSV format, per-row errors, later files winning, closure
 * flags on vendors, text/csv bodies, permissions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;

static void setup(void)
{
	itk_setup(&t, "corpmaster", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static char *slurp(const char *name)
{
	char path[512], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", ITK_FIXTURES, name);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), n);
	fclose(f);
	return buf;
}

static struct http *upload(const char *key, const char *file)
{
	const char *headers[] = { "Content-Type: multipart/form-data; boundary=itakuBOUNDARY", NULL };
	char *csv = slurp(file), *body = NULL;
	struct http *h;

	ck_assert_int_ge(asprintf(&body, "--itakuBOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; "
				  "filename=\"%s\"\r\nContent-Type: text/csv\r\n\r\n%s\r\n--itakuBOUNDARY--\r\n",
				  file, csv), 0);
	h = http_do(&t, "POST", "/v1/corporate-master/import", key, body, headers);
	free(csv);
	free(body);
	return h;
}

static long num(const struct http *h, const char *name)
{
	return (long)json_integer_value(json_object_get(h->json, name));
}

START_TEST(full_file_then_diff)
{
	struct http *h, *v;
	json_t *errors;
	char path[96], *n;

	v = http_do(&t, "POST", "/v1/vendors", t.admin_key,
		    "{\"name\":\"閉鎖済みシステム\",\"corporate_number\":\"9010401000003\",\"status\":\"active\"}", NULL);
	ck_status(v, 201);
	ck_assert(json_is_null(json_object_get(v->json, "official")));
	snprintf(path, sizeof(path), "/v1/vendors/%s", jstr(v, "id"));
	http_free(v);

	h = upload(t.admin_key, "corporate_master_full.csv");
	ck_status(h, 200);
	ck_assert_int_eq(num(h, "rows"), 8);
	ck_assert_int_eq(num(h, "inserted"), 5);
	ck_assert_int_eq(num(h, "rejected"), 3);
	errors = json_object_get(h->json, "errors");
	ck_assert_uint_eq(json_array_size(errors), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(errors, 0), "line")), 4);
	ck_assert_ptr_nonnull(strstr(h->body, "expected 30 columns"));
	ck_assert_ptr_nonnull(strstr(h->body, "check digit"));
	ck_assert_ptr_nonnull(strstr(h->body, "YYYY-MM-DD"));
	http_free(h);
	n = itk_sql_value(&t, "select count(*) from corporate_master", 0, NULL);
	ck_assert_str_eq(n, "5");
	free(n);
	n = itk_sql_value(&t, "select name from corporate_master where corporate_number = '1011001000004'", 0, NULL);
	ck_assert_str_eq(n, "合同会社\"さくら\"ラボ");
	free(n);

	/* the vendor now shows the official record and is flagged */
	v = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert(json_is_true(json_object_get(v->json, "corporation_closed")));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(v->json, "official"), "name")),
			 "株式会社閉鎖済みシステム");
	{
		json_t *reasons = json_object_get(json_object_get(v->json, "risk"), "reasons"), *x;
		size_t i;
		int found = 0;

		json_array_foreach(reasons, i, x)
			found |= !strcmp(json_string_value(json_object_get(x, "code")), "corporation_closed") &&
				 json_integer_value(json_object_get(x, "points")) == 2;
		ck_assert(found);
	}
	http_free(v);

	/* a diff file as text/csv: newer rows replace, older ones do not */
	{
		char *csv = slurp("corporate_master_diff.csv");
		const char *headers[] = { "Content-Type: text/csv; charset=utf-8", NULL };

		h = http_do(&t, "POST", "/v1/corporate-master/import", t.admin_key, csv, headers);
		free(csv);
	}
	ck_status(h, 200);
	ck_assert_int_eq(num(h, "updated"), 1);
	ck_assert_int_eq(num(h, "unchanged"), 1);
	http_free(h);
	n = itk_sql_value(&t, "select string_agg(name, ',' order by corporate_number) from corporate_master"
			      " where corporate_number in ('5010001000002', '6010001000001')", 0, NULL);
	ck_assert_str_eq(n, "みなとデータ株式会社,株式会社東京データサービス");
	free(n);
	n = itk_sql_value(&t, "select count(*) from audit_events where action = 'corporate_master.imported'", 0, NULL);
	ck_assert_str_eq(n, "2");
	free(n);
}
END_TEST

START_TEST(refusals)
{
	struct http *h = http_do(&t, "POST", "/v1/api-keys", t.admin_key, "{\"name\":\"e\",\"role\":\"editor\"}", NULL);
	char *editor = strdup(jstr(h, "key")), *n;

	http_free(h);
	h = upload(editor, "corporate_master_full.csv");
	ck_problem(h, 403, "forbidden");
	http_free(h);
	h = upload(NULL, "corporate_master_full.csv");
	ck_problem(h, 401, "unauthorized");
	http_free(h);
	n = itk_sql_value(&t, "select count(*) from corporate_master", 0, NULL);
	ck_assert_str_eq(n, "0");
	free(n);
	h = http_do(&t, "POST", "/v1/corporate-master/import", t.admin_key, "{\"rows\":[]}", NULL);
	ck_problem(h, 415, "unsupported-media-type");
	http_free(h);
	free(editor);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("corpmaster");
	TCase *tc = tcase_create("corpmaster");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, full_file_then_diff);
	tcase_add_test(tc, refusals);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

/* Unit tests: RFC 4180 writing and reading (util/csv.h): quoting, the
 * formula guard and its inverse, multi-line fields, and broken input. */
#include <string.h>
#include "harness.h"
#include "util/csv.h"

static void ck_round_trip(const char *text)
{
	struct csv_buf b = { 0 };
	struct csv_reader rd;
	const char *why = NULL;
	json_t *fields;

	csv_field(&b, text, 1, 1);
	csv_field(&b, "next", 0, 1);
	csv_end_record(&b);
	rd = (struct csv_reader){ b.data, b.data + b.len, 0, 0 };
	ck_assert_int_eq(csv_read(&rd, &fields, 1000, &why), 1);
	ck_assert_int_eq(json_array_size(fields), 2);
	ck_assert_str_eq(csv_unguard(json_string_value(json_array_get(fields, 0))), text);
	ck_assert_str_eq(json_string_value(json_array_get(fields, 1)), "next");
	json_decref(fields);
	ck_assert_int_eq(csv_read(&rd, &fields, 1000, &why), 0);
	csv_buf_free(&b);
}

START_TEST(texts_come_back_as_written)
{
	static const char *const texts[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "=SUM(A1)", "+1", "-5",
		"@x", "'=already", "''-'", "'plain'", " padded ", "", "日本語, テキスト", NULL };

	for (int i = 0; texts[i]; i++)
		ck_round_trip(texts[i]);
}
END_TEST

START_TEST(formulas_are_guarded)
{
	struct csv_buf b = { 0 };

	csv_field(&b, "=1+1", 1, 1);
	csv_field(&b, "-3", 0, 0);        /* not text: a number stays a number */
	ck_assert_str_eq(b.data, "\"'=1+1\",-3");
	csv_buf_free(&b);
}
END_TEST

START_TEST(broken_input_is_named)
{
	const char *cases[][2] = {
		{ "a,\"open", "a quoted field is not closed" },
		{ "\"x\"y,b", "text follows a closing quote" },
		{ "ok,0123456789012", "a field is longer than allowed" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct csv_reader rd = { cases[i][0], cases[i][0] + strlen(cases[i][0]), 0, 0 };
		const char *why = NULL;
		json_t *fields;

		ck_assert_int_eq(csv_read(&rd, &fields, 10, &why), -1);
		ck_assert_str_eq(why, cases[i][1]);
		ck_assert_ptr_null(fields);
	}
}
END_TEST

START_TEST(line_ends_and_the_field_in_error)
{
	const char *text = "a,b\r\nc,\"d\"\"e\"\nf,0123456789012";
	struct csv_reader rd = { text, text + strlen(text), 0, 0 };
	const char *why;
	json_t *f;

	ck_assert_int_eq(csv_read(&rd, &f, 10, &why), 1);
	json_decref(f);
	ck_assert_int_eq(csv_read(&rd, &f, 10, &why), 1);
	ck_assert_str_eq(json_string_value(json_array_get(f, 1)), "d\"e");
	json_decref(f);
	ck_assert_int_eq(csv_read(&rd, &f, 10, &why), -1);
	ck_assert_int_eq(rd.field, 1);
	ck_assert_int_eq(rd.record, 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");

	tcase_add_test(tc, texts_come_back_as_written);
	tcase_add_test(tc, formulas_are_guarded);
	tcase_add_test(tc, broken_input_is_named);
	tcase_add_test(tc, line_ends_and_the_field_in_error);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

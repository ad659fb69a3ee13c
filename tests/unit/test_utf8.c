/* Unit tests: cutting text on character boundaries (util/utf8.h). */
#include <string.h>
#include "harness.h"
#include "util/utf8.h"

/* 委 is three bytes (E5 A7 94); 𠮷 is four (F0 A0 AE B7). */
START_TEST(prefix_never_splits_a_character)
{
	const char *s = "a委𠮷";   /* 1 + 3 + 4 bytes */

	ck_assert_uint_eq(utf8_prefix(s, 8, 8), 8);
	ck_assert_uint_eq(utf8_prefix(s, 8, 20), 8);
	ck_assert_uint_eq(utf8_prefix(s, 8, 7), 4);
	ck_assert_uint_eq(utf8_prefix(s, 8, 5), 4);
	ck_assert_uint_eq(utf8_prefix(s, 8, 4), 4);
	ck_assert_uint_eq(utf8_prefix(s, 8, 3), 1);
	ck_assert_uint_eq(utf8_prefix(s, 8, 2), 1);
	ck_assert_uint_eq(utf8_prefix(s, 8, 1), 1);
	ck_assert_uint_eq(utf8_prefix(s, 8, 0), 0);
}
END_TEST

START_TEST(copy_cuts_whole_characters_and_says_so)
{
	char buf[8];
	json_t *j;

	ck_assert_int_eq(utf8_copy(buf, sizeof(buf), "委委委"), 1);   /* 9 bytes into 7 */
	ck_assert_str_eq(buf, "委委");
	ck_assert_int_eq(utf8_copy(buf, sizeof(buf), "abc"), 0);
	ck_assert_str_eq(buf, "abc");
	ck_assert_int_eq(utf8_copy(buf, 1, "委"), 1);
	ck_assert_str_eq(buf, "");
	/* What comes out is always valid text for JSON. */
	utf8_copy(buf, 6, "a委委");
	j = json_string(buf);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(j), "a委");
	json_decref(j);
}
END_TEST

START_TEST(format_trims_a_cut_character)
{
	char buf[9];

	ck_assert_int_eq(utf8_format(buf, sizeof(buf), "%s!", "ab委委"), 1);   /* 9 bytes into 8: "!" goes */
	ck_assert_str_eq(buf, "ab委委");
	ck_assert_int_eq(utf8_format(buf, sizeof(buf), "%s", "abc委委"), 1);   /* 9 bytes into 8 */
	ck_assert_str_eq(buf, "abc委");
	ck_assert_int_eq(utf8_format(buf, sizeof(buf), "x%sy", "𠮷"), 0);
	ck_assert_str_eq(buf, "x𠮷y");
	ck_assert_int_eq(utf8_format(buf, sizeof(buf), "%s", "abcdefgh委"), 1);
	ck_assert_str_eq(buf, "abcdefgh");
	ck_assert_int_eq(utf8_format(buf, sizeof(buf), "%s", "abcdefg委"), 1);
	ck_assert_str_eq(buf, "abcdefg");
	ck_assert_int_eq(utf8_format(buf, sizeof(buf), "%s", "abcde委"), 0);
	ck_assert_str_eq(buf, "abcde委");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, prefix_never_splits_a_character);
	tcase_add_test(tc, copy_cuts_whole_characters_and_says_so);
	tcase_add_test(tc, format_trims_a_cut_character);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

/* Unit tests: corporate number normalisation and the NTA check digit. */
#include <string.h>
#include "harness.h"
#include "register/corpnum.h"

START_TEST(check_digit_known_numbers)
{
	ck_assert(corpnum_valid("1180301018771"));
	ck_assert(corpnum_valid("5010001008846"));
	ck_assert(!corpnum_valid("6010001008846"));
	ck_assert(!corpnum_valid("7010401067252"));
	ck_assert(!corpnum_valid("118030101877"));
	ck_assert(!corpnum_valid("11803010187a1"));
}
END_TEST

START_TEST(normalize_forms)
{
	char out[CORPNUM_LEN + 1];

	ck_assert_int_eq(corpnum_normalize("1180301018771", out), 0);
	ck_assert_str_eq(out, "1180301018771");
	ck_assert_int_eq(corpnum_normalize("1-1803-0101-8771", out), 0);
	ck_assert_str_eq(out, "1180301018771");
	/* full-width digits and a full-width hyphen */
	ck_assert_int_eq(corpnum_normalize("５０１０００１－００８８４６", out), 0);
	ck_assert_str_eq(out, "5010001008846");
	ck_assert_int_eq(corpnum_normalize("5010 001 008846", out), 0);
}
END_TEST

START_TEST(normalize_rejects)
{
	char out[CORPNUM_LEN + 1];

	ck_assert_int_eq(corpnum_normalize("6010001008846", out), -2);
	ck_assert_int_eq(corpnum_normalize("7010-4010-67252", out), -2);
	ck_assert_int_eq(corpnum_normalize("501000100884", out), -1);
	ck_assert_int_eq(corpnum_normalize("50100010088460", out), -1);
	ck_assert_int_eq(corpnum_normalize("5010001008846x", out), -1);
	ck_assert_int_eq(corpnum_normalize("", out), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("corpnum");
	TCase *tc = tcase_create("corpnum");

	tcase_add_test(tc, check_digit_known_numbers);
	tcase_add_test(tc, normalize_forms);
	tcase_add_test(tc, normalize_rejects);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

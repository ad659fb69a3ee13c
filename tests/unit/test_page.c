/* Unit tests: pagination cursors (encode, decode, tampering, scope). */
#include <string.h>
#include "harness.h"
#include "http/page.h"

static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
static const uint8_t other[32] = { 9 };

START_TEST(roundtrip)
{
	json_t *v = json_pack("[s, s, n]", "2026-04-01T00:00:00+00:00", "3f1c", NULL);
	char *c = page_cursor_encode(key, "/v1/api-keys", v);
	json_t *back = page_cursor_decode(key, "/v1/api-keys", c);

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(back);
	ck_assert(json_equal(v, back));
	json_decref(v);
	json_decref(back);
	free(c);
}
END_TEST

START_TEST(tampered_is_refused)
{
	json_t *v = json_pack("[s]", "abc");
	char *c = page_cursor_encode(key, "/v1/x", v);
	size_t n = strlen(c);

	ck_assert_ptr_null(page_cursor_decode(other, "/v1/x", c));   /* other secret */
	ck_assert_ptr_null(page_cursor_decode(key, "/v1/y", c));     /* other listing */
	c[0] = c[0] == 'e' ? 'f' : 'e';                              /* payload edited */
	ck_assert_ptr_null(page_cursor_decode(key, "/v1/x", c));
	c[0] = c[0] == 'e' ? 'f' : 'e';
	c[n - 1] = c[n - 1] == 'A' ? 'B' : 'A';                      /* MAC edited */
	ck_assert_ptr_null(page_cursor_decode(key, "/v1/x", c));
	ck_assert_ptr_null(page_cursor_decode(key, "/v1/x", "garbage"));
	ck_assert_ptr_null(page_cursor_decode(key, "/v1/x", ""));
	ck_assert_ptr_null(page_cursor_decode(key, "/v1/x", "."));
	json_decref(v);
	free(c);
}
END_TEST

START_TEST(only_strings_and_nulls)
{
	json_t *v = json_pack("[i]", 5);
	char *c = page_cursor_encode(key, "/v1/x", v);

	/* A correctly signed cursor whose values are not text is still refused. */
	ck_assert_ptr_null(page_cursor_decode(key, "/v1/x", c));
	json_decref(v);
	free(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("page");
	TCase *tc = tcase_create("cursor");

	tcase_add_test(tc, roundtrip);
	tcase_add_test(tc, tampered_is_refused);
	tcase_add_test(tc, only_strings_and_nulls);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

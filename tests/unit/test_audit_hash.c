/* Unit tests: the audit hash chain and the role table. */
#include <string.h>
#include "audit/trail.h"
#include "harness.h"
#include "http/auth.h"
#include "json/valid.h"

START_TEST(hash_is_sha256_of_newline_joined_fields)
{
	const char *f[AUDIT_NFIELDS] = {
		"0000000000000000000000000000000000000000000000000000000000000000",
		"t", "1", "id", "1700000000000000", "", "cli", "tenant.created", "tenant", "t",
		"", "{\"a\": 1}", "",
	};
	char joined[512] = "", want[CRYPTO_SHA256_HEX_LEN], got[CRYPTO_SHA256_HEX_LEN];

	for (int i = 0; i < AUDIT_NFIELDS; i++) {
		strcat(joined, f[i]);
		if (i + 1 < AUDIT_NFIELDS)
			strcat(joined, "\n");
	}
	crypto_sha256_hex(joined, strlen(joined), want);
	audit_hash(f, got);
	ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(hash_changes_with_any_field_and_chains)
{
	const char *f[AUDIT_NFIELDS] = { "p", "t", "1", "i", "0", "", "a", "b", "c", "d", "", "", "" };
	char base[CRYPTO_SHA256_HEX_LEN], h[CRYPTO_SHA256_HEX_LEN];

	audit_hash(f, base);
	for (int i = 0; i < AUDIT_NFIELDS; i++) {
		const char *saved = f[i];

		f[i] = "changed";
		audit_hash(f, h);
		ck_assert_str_ne(h, base);
		f[i] = saved;
	}
	/* Moving text between adjacent fields changes the hash too. */
	f[6] = "ab";
	f[7] = "";
	audit_hash(f, h);
	ck_assert_str_ne(h, base);
}
END_TEST

START_TEST(role_table)
{
	const unsigned perms[] = { PERM_ANY, PERM_READ, PERM_WRITE, PERM_SYNC, PERM_AUDIT, PERM_ADMIN };
	/* rows: admin, editor, viewer, integration; columns as perms[] */
	const int want[ROLE_COUNT][6] = {
		{ 1, 1, 1, 1, 1, 1 },
		{ 1, 1, 1, 1, 1, 0 },
		{ 1, 1, 0, 0, 1, 0 },
		{ 1, 1, 0, 1, 0, 0 },
	};
	enum role r;

	for (int role = 0; role < ROLE_COUNT; role++) {
		for (int p = 0; p < 6; p++)
			ck_assert_msg(auth_role_allows((enum role)role, perms[p]) == want[role][p],
				      "role %s perm %u", auth_role_name((enum role)role), perms[p]);
	}
	ck_assert_int_eq(auth_role_parse("integration", &r), 0);
	ck_assert_int_eq(r, ROLE_INTEGRATION);
	ck_assert_int_eq(auth_role_parse("root", &r), -1);
	ck_assert(!auth_role_allows((enum role)99, PERM_READ));
}
END_TEST

START_TEST(key_format)
{
	char key[AUTH_KEY_LEN + 1], prefix[AUTH_PREFIX_LEN + 1], hash[CRYPTO_SHA256_HEX_LEN];
	char want[CRYPTO_SHA256_HEX_LEN];

	ck_assert_int_eq(auth_key_generate(key, prefix, hash), 0);
	ck_assert_uint_eq(strlen(key), AUTH_KEY_LEN);
	ck_assert(strncmp(key, "itk_", 4) == 0);
	ck_assert(strncmp(key, prefix, AUTH_PREFIX_LEN) == 0);
	crypto_sha256_hex(key, strlen(key), want);
	ck_assert_str_eq(hash, want);
}
END_TEST

START_TEST(validation_helpers)
{
	ck_assert(jv_is_timestamp("2026-04-01T09:00:00+09:00"));
	ck_assert(jv_is_timestamp("2026-04-01T00:00:00.123Z"));
	ck_assert(!jv_is_timestamp("2026-04-01"));
	ck_assert(!jv_is_timestamp("2026-13-01T00:00:00Z"));
	ck_assert(!jv_is_timestamp("2026-04-01T00:00:00"));
	ck_assert(!jv_is_timestamp("2026-04-01T00:00:00+0900"));
	ck_assert_int_eq(jv_depth("{\"a\":[[{}]]}", 12), 4);
	ck_assert_int_eq(jv_depth("{\"a\":\"[[[[\"}", 12), 1);
	ck_assert_int_eq(jv_depth("{\"a\":\"\\\"[[\"}", 13), 1);
	ck_assert_uint_eq(jv_utf8_len("委託先"), 3);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("audit_hash");
	TCase *tc = tcase_create("audit_hash");

	tcase_add_test(tc, hash_is_sha256_of_newline_joined_fields);
	tcase_add_test(tc, hash_changes_with_any_field_and_chains);
	tcase_add_test(tc, role_table);
	tcase_add_test(tc, key_format);
	tcase_add_test(tc, validation_helpers);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

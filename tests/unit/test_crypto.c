/* Unit tests: hashing, HMAC, base64url, UUIDs. */
#include <string.h>
#include "harness.h"
#include "util/crypto.h"

START_TEST(sha256_known_vector)
{
	char hex[CRYPTO_SHA256_HEX_LEN];

	crypto_sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(hmac_rfc4231_case2)
{
	uint8_t mac[CRYPTO_SHA256_LEN];
	char hex[CRYPTO_SHA256_HEX_LEN];
	const char *data = "what do ya want for nothing?";

	crypto_hmac_sha256("Jefe", 4, data, strlen(data), mac);
	crypto_hex(mac, sizeof(mac), hex);
	ck_assert_str_eq(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}
END_TEST

START_TEST(b64url_roundtrip_and_canonical)
{
	uint8_t in[7] = { 0xfb, 0xff, 0x00, 0x10, 0x20, 0x30, 0x40 }, out[16];
	char enc[16];
	long n;

	for (size_t len = 0; len <= sizeof(in); len++) {
		crypto_b64url_encode(in, len, enc);
		ck_assert_uint_eq(strlen(enc), crypto_b64url_len(len));
		ck_assert_ptr_null(strchr(enc, '='));
		n = crypto_b64url_decode(enc, strlen(enc), out, sizeof(out));
		ck_assert_int_eq(n, (long)len);
		ck_assert_mem_eq(in, out, len);
	}
	crypto_b64url_encode(in, 2, enc);         /* "-_8" */
	ck_assert_str_eq(enc, "-_8");
	ck_assert_int_eq(crypto_b64url_decode("-_9", 3, out, sizeof(out)), -1);  /* stray low bits */
	ck_assert_int_eq(crypto_b64url_decode("-_8=", 4, out, sizeof(out)), -1); /* padding */
	ck_assert_int_eq(crypto_b64url_decode("ab+c", 4, out, sizeof(out)), -1); /* wrong alphabet */
	ck_assert_int_eq(crypto_b64url_decode("a", 1, out, sizeof(out)), -1);
	ck_assert_int_eq(crypto_b64url_decode("AAAAAAAA", 8, out, 2), -1);      /* does not fit */
}
END_TEST

START_TEST(uuid_shape)
{
	char a[CRYPTO_UUID_LEN], b[CRYPTO_UUID_LEN];

	ck_assert_int_eq(crypto_uuid(a), 0);
	ck_assert_int_eq(crypto_uuid(b), 0);
	ck_assert(crypto_is_uuid(a));
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(a[14], '4');
	ck_assert(!crypto_is_uuid("not-a-uuid"));
	ck_assert(!crypto_is_uuid("0000000000000000000000000000000000000"));
	ck_assert(crypto_equal("abc", "abc", 3));
	ck_assert(!crypto_equal("abc", "abd", 3));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("crypto");
	TCase *tc = tcase_create("crypto");

	tcase_add_test(tc, sha256_known_vector);
	tcase_add_test(tc, hmac_rfc4231_case2);
	tcase_add_test(tc, b64url_roundtrip_and_canonical);
	tcase_add_test(tc, uuid_shape);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

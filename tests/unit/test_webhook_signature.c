/* Unit tests: Standard Webhooks secrets and signatures, checked against the
 * specification's published test vector and against OpenSSL's HMAC (an
 * implementation independent of the nettle code that signs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "webhooks/signature.h"

START_TEST(standard_webhooks_test_vector)
{
	/* from the Standard Webhooks reference libraries' tests */
	const char *body = "{\"test\": 2432232314}";
	char sig[WEBHOOK_SIGNATURE_LEN];

	ck_assert_int_eq(webhook_sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
				      1614265330, body, strlen(body), sig), 0);
	ck_assert_str_eq(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}
END_TEST

START_TEST(generated_secret_matches_openssl)
{
	char secret[WEBHOOK_SECRET_MAX], sig[WEBHOOK_SIGNATURE_LEN], cmd[512], want[128] = "v1,";
	const char *body = "{\"type\":\"ping\",\"data\":{\"名前\":\"委託先\"}}";
	uint8_t key[64];
	FILE *p;

	ck_assert_int_eq(webhook_secret_generate(secret), 0);
	ck_assert(strncmp(secret, "whsec_", 6) == 0);
	ck_assert_int_eq(strlen(secret), 6 + 44);
	ck_assert_int_eq(webhook_secret_decode(secret, key), 32);
	ck_assert_int_eq(webhook_sign(secret, "0b6e1f3a-1a2b-4c3d-8e9f-a0b1c2d3e4f5", 1790000000, body,
				      strlen(body), sig), 0);
	snprintf(cmd, sizeof(cmd),
		 "printf '%%s' '0b6e1f3a-1a2b-4c3d-8e9f-a0b1c2d3e4f5.1790000000.%s' | openssl dgst -sha256 "
		 "-mac HMAC -macopt hexkey:$(printf '%%s' '%s' | base64 -d | od -An -tx1 | tr -d ' \\n') -binary | base64",
		 body, secret + 6);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(want + 3, sizeof(want) - 3, p));
	pclose(p);
	want[strcspn(want, "\n")] = '\0';
	ck_assert_str_eq(sig, want);
}
END_TEST

START_TEST(bad_secrets_are_refused)
{
	uint8_t key[64];
	char sig[WEBHOOK_SIGNATURE_LEN];

	ck_assert_int_eq(webhook_secret_decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", key), -1);   /* no prefix */
	ck_assert_int_eq(webhook_secret_decode("whsec_c2hvcnQ=", key), -1);                   /* 5 bytes */
	ck_assert_int_eq(webhook_secret_decode("whsec_!!!!", key), -1);
	ck_assert_int_eq(webhook_secret_decode(NULL, key), -1);
	ck_assert_int_eq(webhook_sign("whsec_", "id", 1, "", 0, sig), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("webhook_signature");
	TCase *tc = tcase_create("signature");

	tcase_add_test(tc, standard_webhooks_test_vector);
	tcase_add_test(tc, generated_secret_matches_openssl);
	tcase_add_test(tc, bad_secrets_are_refused);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

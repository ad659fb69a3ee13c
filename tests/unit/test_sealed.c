/* Unit tests: webhook signing secrets sealed with AES-256-GCM, and the
 * ITAKU_SECRET_KEY / ITAKU_SECRET_KEYS_PREVIOUS settings. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "harness.h"
#include "receiver.h"
#include "webhooks/sealed.h"
#include "webhooks/signature.h"

#define K1 "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define K2 "k2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
#define TENANT "6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b"
#define SUB "0b5c4e1e-8f7a-4d0e-9a51-3c1f2b7d9e10"

static const char *env_current, *env_previous;

static const char *lookup(const char *name)
{
	if (!strcmp(name, "ITAKU_SECRET_KEY"))
		return env_current;
	if (!strcmp(name, "ITAKU_SECRET_KEYS_PREVIOUS"))
		return env_previous;
	return NULL;
}

static int load(struct config *cfg, const char *current, const char *previous, char *err)
{
	env_current = current;
	env_previous = previous;
	return config_load_from(cfg, lookup, err, 256);
}

/* The form the schema's check accepts (0008_webhook_fixes.sql). */
static int sealed_form(const char *s)
{
	regex_t re;
	int ok;

	ck_assert_int_eq(regcomp(&re, "^itk1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{40,255}={0,2}$",
				 REG_EXTENDED | REG_NOSUB), 0);
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

START_TEST(keys_are_read_and_checked)
{
	static const char *const bad[][2] = {
		{ "k1", NULL }, { ":AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", NULL },
		{ "k1:AAECAwQF", NULL }, { "k 1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", NULL },
		{ "k1:not base64 at all, not at all, not at all!!", NULL },
		{ K1, "k1:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=" },       /* the same id twice */
		{ K1, "k9:short" }, { NULL, K2 }, { "", K2 },
	};
	struct config cfg;
	char err[256];

	ck_assert_int_eq(load(&cfg, NULL, NULL, err), 0);
	ck_assert_int_eq(cfg.n_secret_keys, 0);
	ck_assert_int_eq(load(&cfg, K1, NULL, err), 0);
	ck_assert_int_eq(cfg.n_secret_keys, 1);
	ck_assert_str_eq(cfg.secret_keys[0].id, "k1");
	ck_assert_int_eq(cfg.secret_keys[0].key[31], 31);
	ck_assert_int_eq(load(&cfg, K2, K1 ",", err), 0);
	ck_assert_int_eq(cfg.n_secret_keys, 2);
	ck_assert_str_eq(cfg.secret_keys[1].id, "k1");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(load(&cfg, bad[i][0], bad[i][1], err) == -1, "%s / %s accepted", bad[i][0], bad[i][1]);
		ck_assert_msg(strstr(err, "ITAKU_SECRET_KEY") != NULL, "%s", err);
	}
}
END_TEST

START_TEST(sealed_secrets_open_only_where_they_belong)
{
	struct config one, rotated, other, none;
	char secret[WEBHOOK_SECRET_MAX], box[SEALED_MAX], box2[SEALED_MAX], plain[WEBHOOK_SECRET_MAX], err[256];
	const char *why;

	ck_assert_int_eq(load(&one, K1, NULL, err), 0);
	ck_assert_int_eq(load(&rotated, K2, K1, err), 0);
	ck_assert_int_eq(load(&other, K2, NULL, err), 0);
	ck_assert_int_eq(load(&none, NULL, NULL, err), 0);
	ck_assert_int_eq(webhook_secret_generate(secret), 0);

	ck_assert_int_eq(sealed_make(&one, TENANT, SUB, secret, box), 0);
	ck_assert_msg(sealed_form(box), "%s", box);
	ck_assert(strncmp(box, "itk1:k1:", 8) == 0);
	ck_assert_ptr_null(strstr(box, secret + 6));
	ck_assert_int_eq(sealed_make(&one, TENANT, SUB, secret, box2), 0);
	ck_assert_str_ne(box, box2);                   /* a fresh nonce every time */
	ck_assert_int_eq(sealed_open(&one, TENANT, SUB, box, plain, &why), 0);
	ck_assert_str_eq(plain, secret);
	ck_assert(sealed_current(&one, box));

	/* After a rotation the previous key still opens it, but it is not current. */
	ck_assert_int_eq(sealed_open(&rotated, TENANT, SUB, box, plain, &why), 0);
	ck_assert_str_eq(plain, secret);
	ck_assert(!sealed_current(&rotated, box));
	/* Without that key, another row, or one altered byte: refused, nothing leaks. */
	ck_assert_int_eq(sealed_open(&other, TENANT, SUB, box, plain, &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "not configured"));
	ck_assert_int_eq(sealed_open(&one, TENANT, "0b5c4e1e-8f7a-4d0e-9a51-3c1f2b7d9e11", box, plain, &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "moved"));
	ck_assert_str_eq(plain, "");
	box[20] = box[20] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(sealed_open(&one, TENANT, SUB, box, plain, &why), -1);
	ck_assert_int_eq(sealed_open(&one, TENANT, SUB, "itk1:k1:!!!", plain, &why), -1);
	ck_assert_int_eq(sealed_open(&one, TENANT, SUB, "itk1:k1", plain, &why), -1);
	/* Upper-case ids (from a request path) are the same row. */
	ck_assert_int_eq(sealed_make(&one, TENANT, "0B5C4E1E-8F7A-4D0E-9A51-3C1F2B7D9E10", secret, box), 0);
	ck_assert_int_eq(sealed_open(&one, TENANT, SUB, box, plain, &why), 0);
	/* Plaintext from before sealing passes; no key, no sealing. */
	ck_assert_int_eq(sealed_open(&none, TENANT, SUB, secret, plain, &why), 0);
	ck_assert_str_eq(plain, secret);
	ck_assert(!sealed_current(&one, secret));
	ck_assert_int_eq(sealed_make(&none, TENANT, SUB, secret, box), -1);
	/* The key the tests give every server works too. */
	ck_assert_int_eq(load(&one, ITK_SECRET_KEY, NULL, err), 0);
	ck_assert_int_eq(sealed_make(&one, TENANT, SUB, secret, box), 0);
	ck_assert(sealed_form(box));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sealed");
	TCase *tc = tcase_create("sealed");

	tcase_add_test(tc, keys_are_read_and_checked);
	tcase_add_test(tc, sealed_secrets_open_only_where_they_belong);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

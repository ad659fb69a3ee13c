/* HTTP: the reference page GET /docs, its headers and its one script.
 * tests/browser/docs.mjs opens the same page in Chromium. */
#include <string.h>
#include "harness.h"
#include "util/crypto.h"

static struct itk t;

static void setup(void)
{
	itk_setup(&t, "docs", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

/* The directive of a Content-Security-Policy that starts with name, copied
 * into out ("" when absent). */
static void csp_directive(const char *csp, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);

	out[0] = '\0';
	for (const char *p = csp; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, ";");
		if (len > n && !strncmp(p, name, n) && p[n] == ' ') {
			snprintf(out, cap, "%.*s", (int)len, p);
			return;
		}
	}
}

START_TEST(page_needs_no_key_and_names_its_spec)
{
	struct http *h = http_do(&t, "GET", "/docs", NULL, NULL, NULL);

	ck_status(h, 200);
	ck_assert_str_eq(http_header(h, "Content-Type"), "text/html; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(h->body, "<redoc spec-url=\"openapi.json\"></redoc>"));
	ck_assert_ptr_null(http_header(h, "Set-Cookie"));
	http_free(h);
	/* A key, valid or not, changes nothing: the page is public. */
	h = http_do(&t, "GET", "/docs", "itk_not-a-key", NULL, NULL);
	ck_status(h, 200);
	http_free(h);
}
END_TEST

START_TEST(policy_allows_exactly_the_inline_script)
{
	struct http *h = http_do(&t, "GET", "/docs", NULL, NULL, NULL);
	const char *csp = http_header(h, "Content-Security-Policy");
	const char *open, *close;
	uint8_t digest[CRYPTO_SHA256_LEN];
	char b64[64], want[128], got[256];

	ck_status(h, 200);
	ck_assert_ptr_nonnull(csp);
	/* One script element; the browser hashes its text, which must be
	 * what the policy names. */
	open = strstr(h->body, "<script>");
	ck_assert_ptr_nonnull(open);
	open += strlen("<script>");
	close = strstr(open, "</script>");
	ck_assert_ptr_nonnull(close);
	ck_assert_ptr_null(strstr(close + 1, "<script"));
	ck_assert_int_gt(close - open, 500000);   /* Redoc itself, not a loader */
	crypto_sha256(open, (size_t)(close - open), digest);
	crypto_b64_encode(digest, sizeof(digest), b64);
	snprintf(want, sizeof(want), "script-src 'sha256-%s'", b64);
	csp_directive(csp, "script-src", got, sizeof(got));
	ck_assert_str_eq(got, want);
	csp_directive(csp, "default-src", got, sizeof(got));
	ck_assert_str_eq(got, "default-src 'none'");
	csp_directive(csp, "connect-src", got, sizeof(got));
	ck_assert_str_eq(got, "connect-src 'self'");
	csp_directive(csp, "frame-ancestors", got, sizeof(got));
	ck_assert_str_eq(got, "frame-ancestors 'none'");
	ck_assert_ptr_null(strstr(csp, "unsafe-eval"));
	ck_assert_ptr_null(strstr(csp, "http"));   /* no other host, no scheme-wide source */
	ck_assert_str_eq(http_header(h, "Referrer-Policy"), "no-referrer");
	ck_assert_str_eq(http_header(h, "Cache-Control"), "public, max-age=3600");
	ck_assert_str_eq(http_header(h, "X-Content-Type-Options"), "nosniff");
	/* The page must not tell the renderer to fetch from elsewhere either. */
	ck_assert_ptr_null(strstr(h->body, "cdn.redoc.ly/redoc/logo"));
	http_free(h);
}
END_TEST

START_TEST(other_methods_and_parameters_are_refused)
{
	struct http *h = http_do(&t, "POST", "/docs", NULL, "{}", NULL);

	ck_problem(h, 405, "method-not-allowed");
	ck_assert_str_eq(http_header(h, "Allow"), "GET, HEAD, OPTIONS");
	http_free(h);
	/* The page takes no parameters; a typo hears about it like anywhere. */
	h = http_do(&t, "GET", "/docs?theme=dark", NULL, NULL, NULL);
	ck_problem(h, 400, "invalid-parameter");
	ck_assert_ptr_nonnull(strstr(h->body, "theme"));
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("docs");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, page_needs_no_key_and_names_its_spec);
	tcase_add_test(tc, policy_allows_exactly_the_inline_script);
	tcase_add_test(tc, other_methods_and_parameters_are_refused);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

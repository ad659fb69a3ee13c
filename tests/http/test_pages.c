/* HTTP: the vendor's pages GET /respond and GET /report and their assets
 * GET /pages/{asset}: headers, no inline script, ETag revalidation, bad
 * names. tests/browser/respond.mjs and report.mjs use the pages in Chromium. */
#include <string.h>
#include "harness.h"

static struct itk t;

static void setup(void)
{
	itk_setup(&t, "pages", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static const char *const want_csp =
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
	"frame-ancestors 'none'";

static void ck_page_headers(struct http *h)
{
	const char *etag = http_header(h, "ETag");

	ck_assert_str_eq(http_header(h, "Content-Security-Policy"), want_csp);
	ck_assert_str_eq(http_header(h, "Referrer-Policy"), "no-referrer");
	ck_assert_str_eq(http_header(h, "X-Content-Type-Options"), "nosniff");
	ck_assert_str_eq(http_header(h, "Cache-Control"), "no-cache");
	ck_assert_ptr_null(http_header(h, "Set-Cookie"));
	ck_assert_ptr_nonnull(etag);
	ck_assert_uint_eq(strlen(etag), 34);
	ck_assert_int_eq(etag[0], '"');
}

/* Every src="pages/..." and href="pages/..." of the page answers 200 with
 * the type its extension says; returns how many there were. */
static int ck_assets_of(const char *html)
{
	int n = 0;

	for (const char *p = html; (p = strstr(p, "\"pages/")); p++) {
		char path[128];
		const char *end = strchr(p + 1, '"');
		struct http *a;

		ck_assert_ptr_nonnull(end);
		snprintf(path, sizeof(path), "/%.*s", (int)(end - p - 1), p + 1);
		a = http_do(&t, "GET", path, NULL, NULL, NULL);
		ck_status(a, 200);
		ck_page_headers(a);
		if (strstr(path, ".css"))
			ck_assert_str_eq(http_header(a, "Content-Type"), "text/css; charset=utf-8");
		else
			ck_assert_str_eq(http_header(a, "Content-Type"), "text/javascript; charset=utf-8");
		ck_assert_uint_gt(a->len, 0);
		http_free(a);
		n++;
	}
	return n;
}

/* No inline script or style: every <script has a src, no <style>, no
 * style="" or on...="" attributes (the policy would block them anyway). */
static void ck_no_inline(const char *html)
{
	for (const char *p = html; (p = strstr(p, "<script")); p++) {
		const char *gt = strchr(p, '>');

		ck_assert_ptr_nonnull(gt);
		ck_assert_msg(memmem(p, (size_t)(gt - p), " src=\"pages/", 12) != NULL,
			      "a script element without a src of pages/");
		ck_assert_msg(!strncmp(gt + 1, "</script>", 9), "a script element with inline text");
	}
	ck_assert_ptr_null(strstr(html, "<style"));
	ck_assert_ptr_null(strstr(html, " style="));
	ck_assert_ptr_null(strstr(html, " onclick="));
	ck_assert_ptr_null(strstr(html, " onload="));
	ck_assert_ptr_null(strstr(html, "http://"));
	ck_assert_ptr_null(strstr(html, "https://"));
}

START_TEST(pages_need_no_key_and_keep_to_themselves)
{
	static const char *const paths[] = { "/respond", "/report" };

	for (size_t i = 0; i < 2; i++) {
		struct http *h = http_do(&t, "GET", paths[i], NULL, NULL, NULL);

		ck_status(h, 200);
		ck_assert_str_eq(http_header(h, "Content-Type"), "text/html; charset=utf-8");
		ck_page_headers(h);
		ck_assert_ptr_nonnull(strstr(h->body, "<html lang=\"ja\">"));
		ck_assert_ptr_nonnull(strstr(h->body, "<meta name=\"viewport\""));
		ck_no_inline(h->body);
		ck_assert_int_ge(ck_assets_of(h->body), 3);   /* styles, shared script, its own */
		http_free(h);
		/* A key, valid or not, changes nothing. */
		h = http_do(&t, "GET", paths[i], "itk_not-a-key", NULL, NULL);
		ck_status(h, 200);
		http_free(h);
	}
}
END_TEST

START_TEST(a_kept_copy_is_revalidated_by_its_etag)
{
	struct http *h = http_do(&t, "GET", "/pages/site.css", NULL, NULL, NULL);
	char etag[64], inm[96];
	const char *stale[] = { "If-None-Match: \"00000000000000000000000000000000\"", NULL };
	const char *fresh[] = { inm, NULL };
	struct http *again;

	ck_status(h, 200);
	snprintf(etag, sizeof(etag), "%s", http_header(h, "ETag"));
	snprintf(inm, sizeof(inm), "If-None-Match: W/\"x\", %s", etag);
	again = http_do(&t, "GET", "/pages/site.css", NULL, NULL, fresh);
	ck_status(again, 304);
	ck_assert_uint_eq(again->len, 0);
	ck_assert_str_eq(http_header(again, "ETag"), etag);
	http_free(again);
	again = http_do(&t, "GET", "/pages/site.css", NULL, NULL, stale);
	ck_status(again, 200);
	ck_assert_uint_eq(again->len, h->len);
	http_free(again);
	/* Each file has its own digest. */
	again = http_do(&t, "GET", "/pages/site.js", NULL, NULL, NULL);
	ck_status(again, 200);
	ck_assert_str_ne(http_header(again, "ETag"), etag);
	http_free(again);
	http_free(h);
}
END_TEST

START_TEST(unknown_names_methods_and_parameters_are_refused)
{
	struct http *h = http_do(&t, "GET", "/pages/nothing.js", NULL, NULL, NULL);

	ck_problem(h, 404, "not-found");
	ck_assert_ptr_nonnull(strstr(h->body, "nothing.js"));
	ck_assert_ptr_null(http_header(h, "Content-Security-Policy"));
	http_free(h);
	/* The pages have their own addresses, not a second one under /pages. */
	h = http_do(&t, "GET", "/pages/respond.html", NULL, NULL, NULL);
	ck_assert_int_ge(h->status, 400);
	ck_assert_int_lt(h->status, 500);
	http_free(h);
	/* Names are exact. */
	h = http_do(&t, "GET", "/pages/Site.CSS", NULL, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = http_do(&t, "GET", "/pages/..%2fopenapi.yaml", NULL, NULL, NULL);
	ck_assert_int_ge(h->status, 400);
	ck_assert_int_lt(h->status, 500);
	http_free(h);
	h = http_do(&t, "POST", "/respond", NULL, "{}", NULL);
	ck_problem(h, 405, "method-not-allowed");
	http_free(h);
	/* The token belongs in the fragment; a query is refused, so that no
	 * link that puts it in the URL sent to servers ever works. */
	h = http_do(&t, "GET", "/respond?token=ita_x", NULL, NULL, NULL);
	ck_problem(h, 400, "invalid-parameter");
	http_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pages");
	TCase *tc = tcase_create("pages");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pages_need_no_key_and_keep_to_themselves);
	tcase_add_test(tc, a_kept_copy_is_revalidated_by_its_etag);
	tcase_add_test(tc, unknown_names_methods_and_parameters_are_refused);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

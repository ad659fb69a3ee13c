/* HTTP: request bodies are bounded before authentication, whatever their
 * shape. A JSON, chunked, form or multipart body over ITAKU_MAX_BODY_BYTES
 * sent to a path that needs no key answers 413 problem+json, and the
 * process keeps (almost) none of it: its resident memory stays within a
 * few MiB of what it was idle. ulfius used to keep every form field in
 * memory, however long, before any handler ran. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

#define BIG (24u << 20)   /* bytes per oversized body: 24 times the default cap */

static struct itk t;

static void setup(void)
{
	/* Freed memory goes straight back under AddressSanitizer too, so that
	 * resident size means the same in both builds. */
	const char *asan = getenv("ASAN_OPTIONS");
	char opts[512];

	snprintf(opts, sizeof(opts), "%s%squarantine_size_mb=1", asan ? asan : "", asan && *asan ? ":" : "");
	setenv("ASAN_OPTIONS", opts, 1);
	itk_setup(&t, "bodies", NULL);
}

static void teardown(void)
{
	itk_teardown(&t);
}

static long rss_kib(void)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)t.pid);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kib = atol(line + 6);
	fclose(f);
	return kib;
}

/* A body of n bytes: prefix, then filler, then suffix. */
static char *body_of(size_t n, const char *prefix, char filler, const char *suffix)
{
	size_t p = strlen(prefix), s = strlen(suffix);
	char *b = malloc(n + 1);

	ck_assert_ptr_nonnull(b);
	memcpy(b, prefix, p);
	memset(b + p, filler, n - p - s);
	memcpy(b + n - s, suffix, s);
	b[n] = '\0';
	return b;
}

static const char path[] = "/v1/report/itr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/incidents";

static void send_all(size_t n)
{
	static const char *const form[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	static const char *const multipart[] = { "Content-Type: multipart/form-data; boundary=XyZ", NULL };
	static const char *const chunked[] = { "Transfer-Encoding: chunked", NULL };
	struct {
		const char *name;
		const char *const *headers;
		char *body;
	} shapes[] = {
		{ "json", NULL, body_of(n, "{\"title\":\"", 'a', "\"}") },
		{ "chunked json", chunked, body_of(n, "{\"title\":\"", 'a', "\"}") },
		{ "form", form, body_of(n, "field=", 'a', "") },
		{ "multipart", multipart,
		  body_of(n, "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n", 'a', "\r\n--XyZ--\r\n") },
	};

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		struct http *h = http_do(&t, "POST", path, NULL, shapes[i].body, shapes[i].headers);

		ck_assert_msg(h->status == (n > (1u << 20) ? 413 : 404) || (n <= (1u << 20) && h->status == 415),
			      "%s: %ld %s", shapes[i].name, h->status, h->body);
		if (n > (1u << 20))
			ck_problem(h, 413, "body-too-large");
		http_free(h);
		free(shapes[i].body);
	}
}

START_TEST(oversized_bodies_of_every_shape_answer_413_and_are_not_kept)
{
	long idle, after;

	send_all(4096);   /* warm up: threads, buffers, statements */
	idle = rss_kib();
	for (int round = 0; round < 2; round++)
		send_all(BIG);
	after = rss_kib();
	ck_assert_msg(after - idle < 12 * 1024, "resident memory grew from %ld KiB to %ld KiB", idle, after);
	/* and the server is fine */
	{
		struct http *h = http_do(&t, "GET", "/healthz", NULL, NULL, NULL);

		ck_status(h, 200);
		http_free(h);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("body_limits");
	TCase *tc = tcase_create("body_limits");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, oversized_bodies_of_every_shape_answer_413_and_are_not_kept);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}

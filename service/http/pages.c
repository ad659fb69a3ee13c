/*
 * pages.c - serves the vendor's pages and their assets as compiled in.
 *
 * The files change only with the binary, but a browser that kept an old
 * script for an hour would talk to a newer API: answers say `no-cache` and
 * carry a strong ETag (a digest of the bytes), so a reload costs a 304.
 */
#include "http/pages.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "http/req.h"
#include "util/crypto.h"

/*
 * 'self' only: the pages' own scripts and styles, and the API on this
 * origin. No inline script or style element, no eval, no frames, no forms
 * posted anywhere (the scripts send JSON with fetch), no <base>. Images
 * are data: URLs only in practice (the empty favicon).
 */
static const char csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
	"frame-ancestors 'none'";

#define PAGES_MAX 32

static char etags[PAGES_MAX][2 + 2 * 16 + 1];
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

/* A quoted hex digest of each file, computed once. */
static void etags_build(void)
{
	uint8_t digest[CRYPTO_SHA256_LEN];

	for (size_t i = 0; i < pages_files_count && i < PAGES_MAX; i++) {
		char *p = etags[i];

		crypto_sha256(pages_files[i].data, pages_files[i].len, digest);
		*p++ = '"';
		for (int b = 0; b < 16; b++)
			p += sprintf(p, "%02x", digest[b]);
		*p++ = '"';
		*p = '\0';
	}
}

static const char *content_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".html"))
		return "text/html; charset=utf-8";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js"))
		return "text/javascript; charset=utf-8";
	return "application/octet-stream";
}

/* Does the If-None-Match list name this ETag (or "*")? */
static int etag_matches(const char *header, const char *etag)
{
	size_t n = strlen(etag);

	for (const char *p = header; p && *p; ) {
		p += strspn(p, " \t,");
		if (!strncmp(p, "W/", 2))
			p += 2;
		if (*p == '*' || !strncmp(p, etag, n))
			return 1;
		p = strchr(p, ',');
	}
	return 0;
}

static int serve(struct req *r, const char *name)
{
	const char *inm;
	size_t i;

	pthread_once(&etags_once, etags_build);
	for (i = 0; i < pages_files_count && i < PAGES_MAX; i++)
		if (!strcmp(pages_files[i].name, name))
			break;
	if (i == pages_files_count || i == PAGES_MAX)
		return req_fail(r, 404, "not-found", "no such page asset: %s", name);
	req_set_header(r, "Content-Security-Policy", csp);
	req_set_header(r, "Referrer-Policy", "no-referrer");
	req_set_header(r, "X-Content-Type-Options", "nosniff");
	req_set_header(r, "Cache-Control", "no-cache");
	req_set_header(r, "ETag", etags[i]);
	inm = req_header(r, "If-None-Match");
	if (inm && etag_matches(inm, etags[i]))
		return req_empty(r, 304);
	return req_raw(r, 200, content_type(name), pages_files[i].data, pages_files[i].len);
}

int pages_respond(struct req *r)
{
	return serve(r, "respond.html");
}

int pages_report(struct req *r)
{
	return serve(r, "report.html");
}

int pages_asset(struct req *r)
{
	const char *name = req_param(r, "asset");

	/* Only the scripts and styles: the pages have their own addresses. */
	if (!name || strstr(name, ".html"))
		return req_fail(r, 404, "not-found", "no such page asset: %s", name ? name : "");
	return serve(r, name);
}

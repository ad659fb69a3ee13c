/*
 * docs.c - the reference page: Redoc renders the served OpenAPI document.
 *
 * The page is a single response: a <redoc spec-url="openapi.json"> element
 * and Redoc's standalone bundle inline in one <script> element after it
 * (the bundle renders the first <redoc> element it finds). Inline, so that
 * the binary serves one more route, not a folder of assets, and the page
 * needs nothing from any other host. The Content-Security-Policy then lets
 * exactly that script run, by its SHA-256, rather than anything from 'self'.
 * The spec URL is relative so that the page also works behind a proxy that
 * mounts the service under a prefix.
 *
 * Redoc has no "try it" console: the page never sends a request with a key.
 */
#include "http/docs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/req.h"
#include "util/crypto.h"

static const char page_head[] =
	"<!DOCTYPE html>\n"
	"<html lang=\"en\">\n"
	"<head>\n"
	"<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	/* An empty icon: otherwise the browser asks for /favicon.ico (a 404). */
	"<link rel=\"icon\" href=\"data:,\">\n"
	"<title>itaku API reference</title>\n"
	"</head>\n"
	"<body>\n"
	"<redoc spec-url=\"openapi.json\"></redoc>\n"
	"<script>";
static const char page_tail[] = "</script>\n</body>\n</html>\n";

/*
 * Each source below is what Redoc needs and nothing more; everything else,
 * including fonts, frames, forms, plugins and <base>, is refused.
 *  - script-src: the inline bundle only, by hash (no 'unsafe-inline', no
 *    'self', no 'unsafe-eval').
 *  - style-src 'unsafe-inline': Redoc styles itself with styled-components,
 *    which inserts <style> elements at run time; they carry no nonce or
 *    hash we could allow. CSS cannot run script, and every style comes from
 *    the bundle and our own document.
 *  - connect-src 'self': Redoc fetches openapi.json from this server.
 *  - worker-src blob:: Redoc's search index runs in a Web Worker that it
 *    creates from a Blob of its own code.
 *  - img-src data:: icons that Redoc draws as data: URLs, and the page's
 *    empty favicon.
 */
static const char csp_format[] =
	"default-src 'none'; script-src 'sha256-%s'; style-src 'unsafe-inline'; "
	"connect-src 'self'; worker-src blob:; img-src data:; "
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

static struct {
	char *html;
	size_t len;
	char csp[512];
} page;
static pthread_once_t page_once = PTHREAD_ONCE_INIT;

/* Builds the page and its policy once; page.html stays NULL on failure. */
static void page_build(void)
{
	uint8_t digest[CRYPTO_SHA256_LEN];
	char b64[4 * ((CRYPTO_SHA256_LEN + 2) / 3) + 1];
	size_t head = sizeof(page_head) - 1, tail = sizeof(page_tail) - 1;
	char *html;

	/* The browser hashes the script element's text: the bundle, byte for byte. */
	crypto_sha256(docs_redoc.data, docs_redoc.len, digest);
	crypto_b64_encode(digest, sizeof(digest), b64);
	snprintf(page.csp, sizeof(page.csp), csp_format, b64);

	html = malloc(head + docs_redoc.len + tail);
	if (!html)
		return;
	memcpy(html, page_head, head);
	memcpy(html + head, docs_redoc.data, docs_redoc.len);
	memcpy(html + head + docs_redoc.len, page_tail, tail);
	page.len = head + docs_redoc.len + tail;
	page.html = html;
}

int docs_page(struct req *r)
{
	pthread_once(&page_once, page_build);
	if (!page.html)   /* out of memory at the first request */
		return req_fail(r, 500, "internal", "an unexpected error occurred");
	req_set_header(r, "Content-Security-Policy", page.csp);
	req_set_header(r, "Referrer-Policy", "no-referrer");
	req_set_header(r, "X-Content-Type-Options", "nosniff");
	/* 1.1 MB that changes only with the binary: browsers may keep it for
	 * an hour (everything else the API answers is no-store). */
	req_set_header(r, "Cache-Control", "public, max-age=3600");
	return req_raw(r, 200, "text/html; charset=utf-8", page.html, page.len);
}

/*
 * page.c - cursors and list responses.
 */
#include "http/page.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/req.h"
#include "util/crypto.h"

#define MAC_LEN 16
#define CURSOR_MAX 2048

char *page_cursor_encode(const uint8_t key[32], const char *scope, json_t *values)
{
	json_t *payload = json_pack("{s:s, s:O}", "r", scope, "v", values);
	char *text = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
	uint8_t mac[CRYPTO_SHA256_LEN];
	char *out = NULL;
	size_t len;

	json_decref(payload);
	if (!text)
		return NULL;
	len = strlen(text);
	crypto_hmac_sha256(key, 32, text, len, mac);
	out = malloc(4 * ((len + 2) / 3) + 1 + 4 * ((MAC_LEN + 2) / 3) + 1);
	if (out) {
		size_t n;

		crypto_b64url_encode((const uint8_t *)text, len, out);
		n = strlen(out);
		out[n++] = '.';
		crypto_b64url_encode(mac, MAC_LEN, out + n);
	}
	free(text);
	return out;
}

json_t *page_cursor_decode(const uint8_t key[32], const char *scope, const char *cursor)
{
	const char *dot;
	uint8_t payload[CURSOR_MAX], mac[MAC_LEN + 4], want[CRYPTO_SHA256_LEN];
	long plen, mlen;
	json_t *doc = NULL, *values = NULL, *v;
	size_t i;

	if (!cursor || strlen(cursor) > CURSOR_MAX || !(dot = strchr(cursor, '.')))
		return NULL;
	plen = crypto_b64url_decode(cursor, (size_t)(dot - cursor), payload, sizeof(payload) - 1);
	mlen = crypto_b64url_decode(dot + 1, strlen(dot + 1), mac, sizeof(mac));
	if (plen <= 0 || mlen != MAC_LEN)
		return NULL;
	crypto_hmac_sha256(key, 32, payload, (size_t)plen, want);
	if (!crypto_equal(want, mac, MAC_LEN))
		return NULL;
	doc = json_loadb((const char *)payload, (size_t)plen, 0, NULL);
	if (!doc || !json_is_string(json_object_get(doc, "r")) ||
	    strcmp(json_string_value(json_object_get(doc, "r")), scope) != 0)
		goto out;
	values = json_object_get(doc, "v");
	if (!json_is_array(values))
		goto out;
	json_array_foreach(values, i, v) {
		if (!json_is_string(v) && !json_is_null(v))
			goto out;
	}
	json_incref(values);
	json_decref(doc);
	return values;
out:
	json_decref(doc);
	return NULL;
}

int page_parse(struct req *r, struct page *pg)
{
	const char *limit = req_query(r, "limit");
	const char *cursor = req_query(r, "cursor");

	pg->limit = PAGE_DEFAULT_LIMIT;
	pg->after = NULL;
	if (limit) {
		char *end;
		long v;

		errno = 0;
		v = strtol(limit, &end, 10);
		if (errno || end == limit || *end || v < 1 || v > PAGE_MAX_LIMIT) {
			problem_add_parameter(&r->problem, "limit", "must be an integer from 1 to %d",
					      PAGE_MAX_LIMIT);
			return req_fail(r, 400, "invalid-parameter", "the limit parameter is invalid");
		}
		pg->limit = (int)v;
	}
	if (cursor) {
		pg->after = page_cursor_decode(r->app->cursor_key, r->route->pattern, cursor);
		if (!pg->after) {
			problem_add_parameter(&r->problem, "cursor",
					      "is not a cursor this listing returned");
			return req_fail(r, 400, "invalid-cursor",
					"the cursor is malformed, altered or from another listing");
		}
	}
	return 0;
}

const char *page_after(const struct page *pg, size_t i)
{
	return pg->after ? json_string_value(json_array_get(pg->after, i)) : NULL;
}

/* Appends "name=value" (URL-encoded) to buf. */
static int append_query(char **buf, int first, const char *name, const char *value)
{
	char *en = ulfius_url_encode(name), *ev = ulfius_url_encode(value);
	char *next = NULL;
	int ok = en && ev &&
		 asprintf(&next, "%s%s%s=%s", *buf, first ? "?" : "&", en, ev) >= 0;

	u_free(en);
	u_free(ev);
	if (!ok)
		return -1;
	free(*buf);
	*buf = next;
	return 0;
}

static char *next_link(struct req *r, const char *cursor)
{
	const char **keys = u_map_enum_keys(r->u->map_url);
	char *link = strdup(r->u->url_path);
	int first = 1;

	for (int i = 0; link && keys && keys[i]; i++) {
		if (strcmp(keys[i], "cursor") == 0)
			continue;
		if (append_query(&link, first, keys[i], u_map_get(r->u->map_url, keys[i])))
			goto fail;
		first = 0;
	}
	if (link && append_query(&link, first, "cursor", cursor) == 0)
		return link;
fail:
	free(link);
	return NULL;
}

/* Encodes the cursor for the page after the one ending at "last" (steals
 * it) and sets the Link header (not for a path holding a token). Returns 0 and the cursor (caller frees), or
 * -1 with the problem set. */
static int next_cursor(struct req *r, json_t *last, char **cursor)
{
	char *link, *header = NULL;

	*cursor = page_cursor_encode(r->app->cursor_key, r->route->pattern, last);
	json_decref(last);
	if (!*cursor)
		return req_fail(r, 500, "internal", "could not build the next cursor");
	/* A path that holds a credential ({token}) stays out of headers,
	 * which proxies log; the body's next_cursor is enough. */
	if (strstr(r->route->pattern, "{token}"))
		return 0;
	link = next_link(r, *cursor);
	if (link && asprintf(&header, "<%s>; rel=\"next\"", link) >= 0)
		req_set_header(r, "Link", header);
	free(link);
	free(header);
	return 0;
}

/* The rows' JSON comes from PostgreSQL and goes out as it came: pasting it
 * into the page costs one copy, where parsing and re-encoding fifty objects
 * was most of the CPU time of a list request (bench/README.md). */
int page_respond_rows(struct req *r, struct page *pg, PGresult *res, int nkeys)
{
	int n = PQntuples(res), shown = n < pg->limit ? n : pg->limit;
	size_t len = 64;
	char *cursor = NULL, *body, *p;
	int ret;

	if (n > pg->limit) {
		json_t *last = json_array();

		for (int k = 0; k < nkeys; k++)
			json_array_append_new(last, json_string(PQgetvalue(res, pg->limit - 1, k)));
		if (next_cursor(r, last, &cursor))
			return -1;
		len += strlen(cursor);
	}
	for (int i = 0; i < shown; i++)
		len += (size_t)PQgetlength(res, i, nkeys) + 1;
	if (!(body = malloc(len))) {
		free(cursor);
		return req_fail(r, 500, "internal", "out of memory");
	}
	p = body + sprintf(body, "{\"items\":[");
	for (int i = 0; i < shown; i++) {
		size_t l = (size_t)PQgetlength(res, i, nkeys);

		if (i)
			*p++ = ',';
		memcpy(p, PQgetvalue(res, i, nkeys), l);
		p += l;
	}
	/* The cursor is base64url: nothing in it needs escaping. */
	p += cursor ? sprintf(p, "],\"next_cursor\":\"%s\"}", cursor)
		    : sprintf(p, "],\"next_cursor\":null}");
	ret = req_raw(r, 200, "application/json", body, (size_t)(p - body));
	free(body);
	free(cursor);
	return ret;
}

void page_free(struct page *pg)
{
	json_decref(pg->after);
	pg->after = NULL;
}

int page_list(struct req *r, struct db_stmt *stmt, int n, const char **params, int nkeys)
{
	struct page pg = { 0 };
	PGresult *res = NULL;
	char limit[16];
	int err, ret = -1;

	if (page_parse(r, &pg) || !req_db(r))
		goto out;
	snprintf(limit, sizeof(limit), "%d", pg.limit + 1);
	for (int i = 0; i < nkeys; i++)
		params[n - nkeys - 1 + i] = page_after(&pg, (size_t)i);
	params[n - 1] = limit;
	if ((err = db_exec(r->db, stmt, n, params, &res)))
		req_fail_db(r, err);
	else
		ret = page_respond_rows(r, &pg, res, nkeys);
out:
	PQclear(res);
	page_free(&pg);
	return ret;
}

/*
 * page.h - keyset pagination: limit, opaque cursor, next_cursor, Link.
 *
 * A cursor is base64url(JSON) "." base64url(MAC): the JSON holds the route
 * template and the sort-key values of the last row returned; the MAC is an
 * HMAC-SHA256 (truncated to 128 bits) under the tenant-independent cursor
 * secret, so a cursor that was edited, or taken from another listing, is
 * refused with 400 rather than silently giving wrong pages.
 */
#ifndef ITAKU_PAGE_H
#define ITAKU_PAGE_H

#include <jansson.h>
#include <stdint.h>
#include <libpq-fe.h>
#include "db/db.h"

#define PAGE_DEFAULT_LIMIT 50
#define PAGE_MAX_LIMIT 200

struct req;

struct page {
	int limit;
	json_t *after;     /* sort-key values after which to continue; NULL = first page. Owned. */
};

/* Encodes values (borrowed) for scope; caller must free() the result. */
char *page_cursor_encode(const uint8_t key[32], const char *scope, json_t *values);
/* Decodes a cursor; returns the values (caller must json_decref) or NULL when
 * the cursor is malformed, forged, or belongs to another scope. */
json_t *page_cursor_decode(const uint8_t key[32], const char *scope, const char *cursor);

/* Reads ?limit and ?cursor. Returns 0, or -1 with a 400 problem on r. */
int page_parse(struct req *r, struct page *pg);

/* Returns the i-th sort-key value of the cursor as text, or NULL (first page
 * or JSON null). The pointer lives as long as pg. */
const char *page_after(const struct page *pg, size_t i);

/* Answers 200 {items, next_cursor} from a list query that asked for
 * limit + 1 rows. Convention: columns 0..nkeys-1 are the sort-key values as
 * text (what the next page continues after), column nkeys is the item's JSON.
 * When the extra row came back, next_cursor and a Link header rel="next" are
 * set from the last row shown. res stays owned by the caller. */
int page_respond_rows(struct req *r, struct page *pg, PGresult *res, int nkeys);

void page_free(struct page *pg);

/* Answers a whole list request: reads ?limit and ?cursor, runs stmt, whose
 * last nkeys + 1 parameters are the sort keys to continue after and the
 * limit (filled here; params[0..n-nkeys-2] are the caller's), and answers
 * as page_respond_rows(). Returns 0, or -1 with a problem on r. */
int page_list(struct req *r, struct db_stmt *stmt, int n, const char **params, int nkeys);

#endif

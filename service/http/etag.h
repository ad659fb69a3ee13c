/*
 * etag.h - optimistic concurrency on a resource's `version` column.
 *
 * Responses carry ETag: "<version>". A write that honours If-Match passes
 * etag_match_param() as an int[] parameter and adds
 *   and ($n::int[] is null or version = any($n::int[]))
 * to its WHERE clause; when no row matched, the handler tells 404 from 412
 * by checking existence.
 */
#ifndef ITAKU_ETAG_H
#define ITAKU_ETAG_H

#include <stddef.h>

struct req;

/* Sets the ETag header for version. */
void etag_set(struct req *r, long version);

/* Turns If-Match into a PostgreSQL int[] literal in buf ("{3}", "{3,4}"),
 * or returns NULL when there is no precondition (header absent or "*").
 * Tags that are not ours (weak, malformed) become "{}", which matches
 * nothing and so answers 412, as RFC 9110 requires. */
const char *etag_match_param(const struct req *r, char *buf, size_t cap);

#endif

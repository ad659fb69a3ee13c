/*
 * query.h - checked query-parameter filters for list endpoints.
 *
 * Each function reads one parameter, records a per-parameter error on the
 * request's problem when the value is wrong, and leaves the final 400 to
 * the caller (query_fail), so that one answer lists every bad parameter.
 */
#ifndef ITAKU_QUERY_H
#define ITAKU_QUERY_H

#include <stddef.h>

struct req;

/* "a,b" with each item from values (NULL-terminated), written to out as a
 * PostgreSQL array literal ("{a,b}"); out is "" when the parameter is
 * absent or wrong. The values are our own enum words: no quoting needed. */
void query_enum_list(struct req *r, const char *name, const char *const values[], char *out,
		     size_t cap);
/* One of values (NULL-terminated): borrowed from the request, or NULL when
 * absent or wrong. */
const char *query_enum(struct req *r, const char *name, const char *const values[]);
/* A decimal integer in min..max: borrowed text, or NULL when absent or wrong. */
const char *query_int(struct req *r, const char *name, long min, long max);
/* true/false: 1 or 0; -1 when absent or wrong. */
int query_bool(struct req *r, const char *name);
/* 1..max bytes: a copy the caller frees, or NULL when absent or wrong. */
char *query_text(struct req *r, const char *name, size_t max);
/* A UUID: borrowed from the request, or NULL when absent or wrong. */
const char *query_uuid(struct req *r, const char *name);
/* An RFC 3339 timestamp with an offset: borrowed, or NULL when absent or wrong. */
const char *query_timestamp(struct req *r, const char *name);
/* A YYYY-MM-DD date: borrowed, or NULL when absent or wrong. */
const char *query_date(struct req *r, const char *name);
/* 400 invalid-parameter when any parameter error was recorded; else 0. */
int query_fail(struct req *r);

#endif

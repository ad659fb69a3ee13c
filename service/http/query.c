/*
 * query.c - checked query-parameter filters.
 */
#include "http/query.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/req.h"
#include "json/valid.h"
#include "util/crypto.h"

void query_enum_list(struct req *r, const char *name, const char *const values[], char *out,
		     size_t cap)
{
	const char *in = req_query(r, name);
	size_t used = 0;

	out[0] = '\0';
	if (!in)
		return;
	/* An empty list would filter everything out: say so instead. */
	if (!*in) {
		problem_add_parameter(&r->problem, name, "names no value; leave the parameter out to filter nothing");
		return;
	}
	used += (size_t)snprintf(out, cap, "{");
	for (const char *s = in; *s;) {
		size_t n = strcspn(s, ",");
		int ok = 0;

		for (size_t i = 0; values[i]; i++)
			ok |= strlen(values[i]) == n && !strncmp(values[i], s, n);
		if (!ok || used + n + 2 >= cap) {
			problem_add_parameter(&r->problem, name, "has an unknown value (comma-separated list)");
			out[0] = '\0';
			return;
		}
		used += (size_t)snprintf(out + used, cap - used, "%s%.*s", used > 1 ? "," : "", (int)n, s);
		s += n + (s[n] == ',');
	}
	snprintf(out + used, cap - used, "}");
}

const char *query_enum(struct req *r, const char *name, const char *const values[])
{
	const char *v = req_query(r, name);
	char list[256];
	size_t used = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; values[i]; i++) {
		if (!strcmp(v, values[i]))
			return v;
		used += (size_t)snprintf(list + used, used < sizeof(list) ? sizeof(list) - used : 0,
					 "%s%s", i ? ", " : "", values[i]);
		if (used >= sizeof(list))
			used = sizeof(list) - 1;
	}
	problem_add_parameter(&r->problem, name, "must be one of: %s", list);
	return NULL;
}

const char *query_int(struct req *r, const char *name, long min, long max)
{
	const char *v = req_query(r, name);
	char *end;
	long n;

	if (!v)
		return NULL;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max) {
		problem_add_parameter(&r->problem, name, "must be an integer from %ld to %ld", min, max);
		return NULL;
	}
	return v;
}

int query_bool(struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	if (!v)
		return -1;
	if (!strcmp(v, "true"))
		return 1;
	if (!strcmp(v, "false"))
		return 0;
	problem_add_parameter(&r->problem, name, "must be true or false");
	return -1;
}

char *query_text(struct req *r, const char *name, size_t max)
{
	const char *v = req_query(r, name);

	if (!v)
		return NULL;
	if (!*v || strlen(v) > max) {
		problem_add_parameter(&r->problem, name, "must be 1 to %zu bytes", max);
		return NULL;
	}
	return strdup(v);
}

const char *query_uuid(struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	if (!v)
		return NULL;
	if (!crypto_is_uuid(v)) {
		problem_add_parameter(&r->problem, name, "must be a UUID");
		return NULL;
	}
	return v;
}

int query_fail(struct req *r)
{
	if (problem_error_count(&r->problem))
		return req_fail(r, 400, "invalid-parameter", "some query parameters are invalid; see errors");
	return 0;
}

const char *query_timestamp(struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	if (!v || jv_is_timestamp(v))
		return v;
	problem_add_parameter(&r->problem, name, "must be an RFC 3339 timestamp with an offset");
	return NULL;
}

const char *query_date(struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	if (v && !jv_is_date(v)) {
		problem_add_parameter(&r->problem, name, "must be a date as YYYY-MM-DD");
		return NULL;
	}
	return v;
}

/*
 * router.h - matches a method and path against the route table.
 *
 * Patterns are literal segments and {name} placeholders ("/v1/api-keys/{id}").
 * Placeholder values are percent-decoded; a value that decodes to a NUL byte
 * or to invalid UTF-8 does not match. Pure functions: no allocation, no state.
 */
#ifndef ITAKU_ROUTER_H
#define ITAKU_ROUTER_H

#include <stddef.h>

struct req;

typedef int (*route_fn)(struct req *r);

enum route_flag {
	ROUTE_JSON_BODY = 1 << 0,   /* requires a JSON object body */
	ROUTE_IDEMPOTENT = 1 << 1,  /* honours Idempotency-Key */
	ROUTE_JSON_OPTIONAL = 1 << 3, /* a JSON object body when one is sent (r->body NULL otherwise) */
};

struct route {
	const char *method;
	const char *pattern;
	unsigned perm;              /* enum perm from http/auth.h; 0 = public */
	unsigned flags;
	route_fn fn;
};

#define ROUTER_MAX_PARAMS 4
#define ROUTER_MAX_VALUE 512

struct route_match {
	int index;                  /* into the table; -1 when nothing matched */
	int nparams;
	const char *names[ROUTER_MAX_PARAMS];     /* point into the pattern */
	size_t name_lens[ROUTER_MAX_PARAMS];
	char values[ROUTER_MAX_PARAMS][ROUTER_MAX_VALUE];
	char allow[96];             /* methods the path supports, for 405 and OPTIONS */
};

enum router_result { ROUTER_OK = 0, ROUTER_NOT_FOUND = -1, ROUTER_BAD_METHOD = -2 };

/* HEAD matches GET routes. OPTIONS returns ROUTER_BAD_METHOD with allow set
 * when the path exists (the server answers it, for CORS preflight). */
int router_match(const struct route *table, size_t n, const char *method, const char *path,
		 struct route_match *m);

/* Value of placeholder name, or NULL. */
const char *router_param(const struct route_match *m, const char *name);

#endif

/*
 * params.c - the query parameters each operation documents.
 */
#include "http/params.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <ulfius.h>
#include "http/openapi.h"
#include "http/req.h"

/* Per route, by index: the documented query parameter names, or NULL for
 * a route that takes none. */
static json_t **allowed;
static size_t nroutes;

/* Follows "#/components/parameters/X" (the only references parameters use). */
static json_t *deref(json_t *spec, json_t *p)
{
	const char *ref = json_string_value(json_object_get(p, "$ref"));
	const char prefix[] = "#/components/parameters/";

	if (!ref)
		return p;
	if (strncmp(ref, prefix, sizeof(prefix) - 1))
		return NULL;
	return json_object_get(json_object_get(json_object_get(spec, "components"), "parameters"),
			       ref + sizeof(prefix) - 1);
}

static void add_query_names(json_t *spec, json_t *list, json_t *names)
{
	size_t i;
	json_t *p;

	json_array_foreach(list, i, p) {
		json_t *param = deref(spec, p);
		const char *in = json_string_value(json_object_get(param, "in"));
		const char *name = json_string_value(json_object_get(param, "name"));

		if (in && name && !strcmp(in, "query"))
			json_object_set_new(names, name, json_true());
	}
}

int params_load(const struct route *table, size_t n, char *err, size_t errlen)
{
	const char *text = openapi_json();
	json_t *spec = text ? json_loads(text, 0, NULL) : NULL, *paths;
	int ret = -1;

	if (!spec) {
		snprintf(err, errlen, "the embedded OpenAPI document does not parse");
		return -1;
	}
	paths = json_object_get(spec, "paths");
	allowed = calloc(n, sizeof(*allowed));
	if (!allowed) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	nroutes = n;
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_object_get(paths, table[i].pattern), *op, *names;
		char method[16];
		size_t k;

		for (k = 0; table[i].method[k] && k < sizeof(method) - 1; k++)
			method[k] = (char)tolower((unsigned char)table[i].method[k]);
		method[k] = '\0';
		op = json_object_get(item, method);
		if (!op) {
			snprintf(err, errlen, "route %s %s is not an operation of openapi/openapi.yaml",
				 table[i].method, table[i].pattern);
			goto out;
		}
		names = json_object();
		add_query_names(spec, json_object_get(item, "parameters"), names);
		add_query_names(spec, json_object_get(op, "parameters"), names);
		allowed[i] = names;
	}
	ret = 0;
out:
	if (ret)
		params_free();
	json_decref(spec);
	return ret;
}

void params_free(void)
{
	for (size_t i = 0; allowed && i < nroutes; i++)
		json_decref(allowed[i]);
	free(allowed);
	allowed = NULL;
	nroutes = 0;
}

int params_check(struct req *r)
{
	const char **keys;
	json_t *names;

	if (!allowed || r->match.index < 0 || (size_t)r->match.index >= nroutes)
		return 0;
	names = allowed[r->match.index];
	keys = u_map_enum_keys(r->u->map_url);
	for (size_t i = 0; keys && keys[i]; i++) {
		if (!json_object_get(names, keys[i]))
			problem_add_parameter(&r->problem, keys[i], "is not a parameter of this operation");
	}
	if (!problem_error_count(&r->problem))
		return 0;
	return req_fail(r, 400, "invalid-parameter",
			"the query names parameters this operation does not have; see errors");
}

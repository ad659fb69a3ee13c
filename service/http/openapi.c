/*
 * openapi.c - the OpenAPI document: served as YAML and JSON, and converted
 * from YAML to JSON with libyaml's document API (aliases resolved).
 */
#include "http/openapi.h"

#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <yaml.h>
#include "embedded.h"
#include "http/req.h"

static json_t *scalar(const yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;
	regex_t re;
	json_t *out = NULL;

	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_string(v);
	if (!strcmp(v, "null") || !strcmp(v, "~") || !*v)
		return json_null();
	if (!strcmp(v, "true"))
		return json_true();
	if (!strcmp(v, "false"))
		return json_false();
	if (regcomp(&re, "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?$", REG_EXTENDED | REG_NOSUB) == 0) {
		if (regexec(&re, v, 0, NULL, 0) == 0)
			out = strpbrk(v, ".eE") ? json_real(strtod(v, NULL))
						: json_integer(strtoll(v, NULL, 10));
		regfree(&re);
	}
	return out ? out : json_string(v);
}

static json_t *convert(yaml_document_t *doc, yaml_node_t *n, int depth)
{
	json_t *out;

	if (!n || depth > 64)
		return NULL;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return scalar(n);
	case YAML_SEQUENCE_NODE:
		out = json_array();
		for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
			json_t *v = convert(doc, yaml_document_get_node(doc, *i), depth + 1);

			if (!v)
				goto fail;
			json_array_append_new(out, v);
		}
		return out;
	case YAML_MAPPING_NODE:
		out = json_object();
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(doc, p->key);
			json_t *v;

			if (!k || k->type != YAML_SCALAR_NODE)
				goto fail;
			v = convert(doc, yaml_document_get_node(doc, p->value), depth + 1);
			if (!v)
				goto fail;
			json_object_set_new(out, (const char *)k->data.scalar.value, v);
		}
		return out;
	default:
		return NULL;
	}
fail:
	json_decref(out);
	return NULL;
}

char *openapi_yaml_to_json(const char *yaml, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	json_t *root = NULL;
	char *text = NULL;

	if (!yaml_parser_initialize(&parser))
		return NULL;
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (yaml_parser_load(&parser, &doc)) {
		root = convert(&doc, yaml_document_get_root_node(&doc), 0);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	if (root)
		text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	return text;
}

/* ---- GET /openapi.yaml and /openapi.json ------------------------------- */

int openapi_get_yaml(struct req *r)
{
	return req_raw(r, 200, "application/yaml; charset=utf-8", embedded_openapi.data,
		       embedded_openapi.len);
}

/* Converted once per process: the server reads it at start-up for the
 * documented query parameters (http/params), and /openapi.json serves it. */
static char *spec_json;
static pthread_once_t spec_once = PTHREAD_ONCE_INIT;

static void convert_spec(void)
{
	spec_json = openapi_yaml_to_json(embedded_openapi.data, embedded_openapi.len);
}

const char *openapi_json(void)
{
	pthread_once(&spec_once, convert_spec);
	return spec_json;
}

int openapi_get_json(struct req *r)
{
	openapi_json();
	if (!spec_json)
		return req_fail(r, 500, "internal", "the OpenAPI document could not be converted");
	return req_raw(r, 200, "application/json", spec_json, strlen(spec_json));
}

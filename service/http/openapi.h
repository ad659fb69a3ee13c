/*
 * openapi.h - the OpenAPI document embedded in the binary: GET /openapi.yaml
 * and /openapi.json (converted once, on first use), and the conversion.
 */
#ifndef ITAKU_OPENAPI_H
#define ITAKU_OPENAPI_H

#include <stddef.h>

/* Returns compact JSON for a YAML document (caller must free()), or NULL
 * when the YAML cannot be parsed. Plain scalars that read as null, booleans,
 * integers or decimals become those JSON types; quoted scalars stay strings. */
char *openapi_yaml_to_json(const char *yaml, size_t len);

/* The embedded document as compact JSON, converted on first use and kept
 * for the life of the process (never free it); NULL when it does not parse. */
const char *openapi_json(void);

struct req;

int openapi_get_yaml(struct req *r);
int openapi_get_json(struct req *r);

#endif

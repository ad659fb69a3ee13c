/*
 * openapi.h - converts the embedded YAML contract to JSON for /openapi.json.
 */
#ifndef ITAKU_OPENAPI_H
#define ITAKU_OPENAPI_H

#include <stddef.h>

/* Returns compact JSON for a YAML document (caller must free()), or NULL
 * when the YAML cannot be parsed. Plain scalars that read as null, booleans,
 * integers or decimals become those JSON types; quoted scalars stay strings. */
char *openapi_yaml_to_json(const char *yaml, size_t len);

#endif

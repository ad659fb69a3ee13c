/*
 * embedded.h - files compiled into the binary (migrations, functions files,
 * OpenAPI document).
 *
 * The data is static and read-only; never free it. Migrations are sorted by
 * file name, which starts with a zero-padded number (NNNN_name.sql); so are
 * the functions files of sql/functions (NN_concern.sql).
 */
#ifndef ITAKU_EMBEDDED_H
#define ITAKU_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;
	const char *data;
	size_t len;
};

extern const struct embedded_file embedded_migrations[];
extern const size_t embedded_migrations_count;
extern const struct embedded_file embedded_functions[];
extern const size_t embedded_functions_count;
extern const struct embedded_file embedded_openapi;

#endif

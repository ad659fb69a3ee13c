/*
 * routes.h - the route table: every endpoint, its permission and flags.
 *
 * The single source of truth for what the service answers (redis' command
 * table style); every row must also be an operation of openapi/openapi.yaml
 * (the server refuses to start otherwise). Adding a resource means adding
 * its rows here, its module, a migration and its section of the document.
 */
#ifndef ITAKU_ROUTES_H
#define ITAKU_ROUTES_H

#include <stddef.h>
#include "http/router.h"

extern const struct route routes_table[];
extern const size_t routes_count;

#endif

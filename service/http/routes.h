/*
 * routes.h - the route table: every endpoint, its permission and flags.
 *
 * Adding a resource means adding its rows here, its module, a migration and
 * its section of openapi/openapi.yaml.
 */
#ifndef ITAKU_ROUTES_H
#define ITAKU_ROUTES_H

#include <stddef.h>
#include "http/router.h"

extern const struct route routes_table[];
extern const size_t routes_count;

#endif

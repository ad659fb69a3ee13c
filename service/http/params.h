/*
 * params.h - the query parameters each operation documents.
 *
 * The OpenAPI document is the contract, so it is also the list of query
 * parameters an operation accepts: params_load() reads it (the copy
 * embedded in the binary) once at start-up, and params_check() refuses a
 * request whose query names anything else (400 naming each unknown one),
 * so an integration with a typo hears about it instead of silently
 * getting an unfiltered list.
 *
 * The table is built once, before the server starts, and only read after:
 * no locking. Every route of the table must be an operation of the
 * document; params_load() fails otherwise, so the two cannot drift apart.
 */
#ifndef ITAKU_PARAMS_H
#define ITAKU_PARAMS_H

#include <stddef.h>
#include "http/router.h"

struct req;

/* Reads the query parameters of every route from the embedded document.
 * Returns 0, or -1 with a message in err (a route the document does not
 * describe, or a document that does not parse). */
int params_load(const struct route *table, size_t n, char *err, size_t errlen);

/* Returns 0 when every query parameter of r is documented for its route;
 * otherwise -1 with a 400 problem on r naming each unknown parameter. */
int params_check(struct req *r);

/* Frees the table (at exit; keeps leak checkers quiet). */
void params_free(void);

#endif

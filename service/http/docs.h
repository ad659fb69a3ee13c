/*
 * docs.h - GET /docs: the OpenAPI document as a reference page for people.
 */
#ifndef ITAKU_DOCS_H
#define ITAKU_DOCS_H

#include "embedded.h"

struct req;

/* Redoc's standalone bundle (service/http/assets/redoc), compiled in by
 * cmake/embed.cmake. Static and read-only; never free it. */
extern const struct embedded_file docs_redoc;

/* The page: Redoc rendering /openapi.json, with everything it runs inline
 * and a Content-Security-Policy that allows nothing else. No key needed. */
int docs_page(struct req *r);

#endif

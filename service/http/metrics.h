/*
 * metrics.h - Prometheus counters kept in process memory.
 *
 * Requests are counted by route template (never by raw path, so ids do not
 * explode the series) and status, with a latency histogram per route.
 * Updates are lock-free atomics; rendering reads them without stopping
 * traffic, so a scrape may see a request counted in one series and not yet
 * in another.
 */
#ifndef ITAKU_METRICS_H
#define ITAKU_METRICS_H

#include <stddef.h>
#include "http/router.h"

struct app;

/* Records one request. route is an index into the route table, or -1 when
 * no route matched. */
void metrics_observe(int route, int status, double seconds);

/* Renders the text exposition; the caller must free() it. */
char *metrics_render(struct app *app, const struct route *table, size_t n);

#endif

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

/* Text being rendered; modules append their own series with
 * metrics_printf() (Prometheus exposition format, HELP and TYPE included). */
struct metrics_text;
void metrics_printf(struct metrics_text *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A module's own series, appended to every scrape. Modules register at
 * start-up, before the server runs (the list is not locked), so that this
 * layer names none of them; at most 8. Returns 0 or -1. */
typedef void (*metrics_source)(struct metrics_text *o);
int metrics_add_source(metrics_source render);

/* Renders the text exposition; the caller must free() it. */
char *metrics_render(struct app *app, const struct route *table, size_t n);

#endif

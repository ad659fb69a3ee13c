/*
 * server.h - the HTTP listener and the request pipeline.
 *
 * Pipeline for every request: request id -> route (404/405/OPTIONS) ->
 * body size (413) -> API key (401) and role (403) -> content type (415) and
 * JSON (400) -> Idempotency-Key -> handler -> problem+json on failure ->
 * common headers, metrics, access log.
 */
#ifndef ITAKU_SERVER_H
#define ITAKU_SERVER_H

#include <stddef.h>

struct app;
struct route;

/* Serves the n routes of table (kept, not copied: it must outlive the
 * call) until SIGTERM or SIGINT, then stops accepting, lets in-flight
 * requests finish within the configured grace period and returns 0 (or 1
 * when the listener could not start). Blocks those signals in the calling
 * thread, so call it from the main thread before starting other threads. */
int server_run(struct app *app, const struct route *table, size_t n);

#endif

/*
 * dispatcher.h - the threads that deliver the webhook outbox.
 *
 * Each thread has a connection of its own (outside the request pool, so
 * slow receivers never starve the API) on which it LISTENs for new
 * deliveries, and loops: claim due deliveries with FOR UPDATE SKIP LOCKED,
 * pushing next_attempt_at past the attempt's longest duration (the lease,
 * until leased_until) and committing, then send each one, then record the
 * outcome. Several
 * threads and several processes share one outbox safely; a delivery is
 * sent at least once, and twice only when its lease ran out mid-send.
 *
 * The first thread also runs the scheduler's chores between rounds
 * (webhooks/scheduler.h): outbox retention, PPC deadline alerts, sealing
 * secrets under the current key, and the daily re-derivation.
 */
#ifndef ITAKU_DISPATCHER_H
#define ITAKU_DISPATCHER_H

#include "config.h"
#include "http/metrics.h"

struct dispatcher;

/* Starts n threads (n > 0). cfg must outlive the dispatcher. Returns NULL
 * when n <= 0 or not one thread could be created; when only some could,
 * runs with those and logs a warning. */
struct dispatcher *dispatcher_start(const struct config *cfg, int n);

/* Stops claiming, lets attempts in flight finish, joins and frees. */
void dispatcher_stop(struct dispatcher *d);

/* What this process's dispatchers did since start (threads running,
 * attempts by outcome, PPC deadline alerts), as /metrics series; main
 * registers it with metrics_add_source(). */
void dispatcher_metrics(struct metrics_text *o);

/* The retry delay, in seconds, after failed attempt number `attempt`
 * (1-based) with +-10% jitter drawn from *seed; -1 when no retry is left. */
int dispatcher_retry_delay(const struct config *cfg, int attempt, unsigned *seed);

#endif

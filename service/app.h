/*
 * app.h - process-wide state shared by every request.
 *
 * Created once by `itaku serve` before the listener starts and destroyed
 * after it stops; handlers read it through struct req and never free it.
 */
#ifndef ITAKU_APP_H
#define ITAKU_APP_H

#include <stdatomic.h>
#include <stdint.h>
#include "config.h"
#include "db/pool.h"

struct route;

struct app {
	struct config cfg;
	struct db_pool *pool;
	uint8_t cursor_key[32];    /* signs pagination cursors; loaded from server_secrets */
	atomic_int inflight;       /* requests being handled */
	atomic_int draining;       /* set on SIGTERM */
	const struct route *routes; /* the route table server_run() serves */
	size_t nroutes;
};

#endif

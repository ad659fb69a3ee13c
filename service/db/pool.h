/*
 * pool.h - a fixed-size pool of PostgreSQL connections.
 *
 * One connection serves one request at a time. Connections are opened
 * lazily and re-opened after a failure, so the service starts and keeps
 * running while PostgreSQL is down and recovers by itself when it returns.
 * Every connection runs with the configured statement_timeout and UTC time.
 *
 * Thread-safe. The pool owns its connections; callers borrow them with
 * pool_acquire() and must give each back with pool_release().
 */
#ifndef ITAKU_POOL_H
#define ITAKU_POOL_H

#include "db/db.h"

enum pool_err {
	POOL_ETIMEDOUT = -100,     /* every connection busy for the whole wait: 503 */
	POOL_EUNAVAILABLE = -101,  /* could not connect: 503 */
};

struct pool_stats {
	int size;
	int in_use;
	unsigned long waits;       /* acquisitions that had to wait */
	unsigned long timeouts;    /* acquisitions that gave up */
	unsigned long connects;    /* connections opened (first time or again) */
};

struct db_pool;

/* Creates a pool; does not connect yet. Returns NULL on allocation failure. */
struct db_pool *pool_create(const char *conninfo, int size, int statement_timeout_ms,
			    int acquire_timeout_ms);

/* Borrows a healthy connection, waiting up to the acquire timeout.
 * Returns 0 and sets *out, or POOL_ETIMEDOUT / POOL_EUNAVAILABLE. */
int pool_acquire(struct db_pool *p, struct db_conn **out);

/* Gives a connection back. A connection left inside a transaction is rolled
 * back; one that is broken is closed and will be re-opened on next use. */
void pool_release(struct db_pool *p, struct db_conn *c);

void pool_stats(struct db_pool *p, struct pool_stats *out);

/* Closes every connection. No connection may be borrowed. */
void pool_destroy(struct db_pool *p);

/* Opens a standalone connection with the same settings (CLI commands).
 * Returns NULL and writes a message to err on failure; close with db_close(). */
struct db_conn *db_open(const char *conninfo, int statement_timeout_ms, char *err, size_t errlen);
void db_close(struct db_conn *c);

#endif

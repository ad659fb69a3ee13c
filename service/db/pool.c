/*
 * pool.c - connection pool: a free list and a FIFO queue of waiters.
 *
 * A released connection is handed straight to the longest-waiting
 * borrower, which alone is woken. With a thread per HTTP connection many
 * more threads than connections may wait; without the hand-off, every
 * release woke a waiter that often lost the connection to a thread that
 * had not waited at all, which cost throughput and gave a tail of hundreds
 * of milliseconds (bench/README.md).
 *
 * Connecting happens outside the lock, so one slow connect does not stall
 * requests that could use another, already open connection.
 */
#include "db/pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yder.h>

/* A borrower waiting for a connection; lives on its own stack. */
struct waiter {
	pthread_cond_t cv;
	struct db_conn *got;       /* set by the releaser */
	struct waiter *next;
};

struct db_pool {
	pthread_mutex_t mu;
	struct waiter *head, *tail; /* FIFO of waiting borrowers */
	char *conninfo;
	int statement_timeout_ms;
	int acquire_timeout_ms;
	int size;
	int nfree;
	struct db_conn **free;     /* stack of idle connections */
	struct db_conn *conns;
	struct pool_stats stats;
};

/* jit off: the service's statements take milliseconds, and compiling a
 * large plan (the overview's is past jit_above_cost) takes hundreds. */
static struct db_stmt setup_stmt = DB_STMT(
	"select set_config('statement_timeout', $1, false),"
	"       set_config('jit', 'off', false),"
	"       set_config('TimeZone', 'UTC', false),"
	"       set_config('application_name', 'itaku', false),"
	"       set_config('client_min_messages', 'warning', false)");

/* Opens c->pg; returns 0 or -1 with a message in err. */
static int conn_open(struct db_conn *c, const char *conninfo, int statement_timeout_ms,
		     char *err, size_t errlen)
{
	/* Our defaults come before the caller's conninfo so that anything the
	 * operator put into ITAKU_DATABASE_URL wins. */
	const char *keys[] = { "connect_timeout", "keepalives_idle", "dbname", NULL };
	const char *vals[] = { "3", "30", conninfo, NULL };
	char timeout[16];
	const char *params[1] = { timeout };

	c->pg = PQconnectdbParams(keys, vals, 1);
	db_forget_prepared(c);
	c->tx_depth = 0;
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
		snprintf(err, errlen, "%s", c->pg ? PQerrorMessage(c->pg) : "out of memory");
		goto fail;
	}
	snprintf(timeout, sizeof(timeout), "%d", statement_timeout_ms);
	if (db_exec(c, &setup_stmt, 1, params, NULL)) {
		snprintf(err, errlen, "%s", c->message);
		goto fail;
	}
	return 0;
fail:
	PQfinish(c->pg);
	c->pg = NULL;
	return -1;
}

struct db_pool *pool_create(const char *conninfo, int size, int statement_timeout_ms,
			    int acquire_timeout_ms)
{
	struct db_pool *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->conninfo = strdup(conninfo);
	p->conns = calloc((size_t)size, sizeof(*p->conns));
	p->free = calloc((size_t)size, sizeof(*p->free));
	if (!p->conninfo || !p->conns || !p->free) {
		free(p->conninfo);
		free(p->conns);
		free(p->free);
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	p->size = size;
	p->statement_timeout_ms = statement_timeout_ms;
	p->acquire_timeout_ms = acquire_timeout_ms;
	for (int i = 0; i < size; i++)
		p->free[p->nfree++] = &p->conns[i];
	p->stats.size = size;
	return p;
}

static void deadline_after(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Called with p->mu held. */
static void give(struct db_pool *p, struct db_conn *c)
{
	struct waiter *w = p->head;

	if (!w) {
		p->free[p->nfree++] = c;
		p->stats.in_use--;
		return;
	}
	p->head = w->next;
	if (!p->head)
		p->tail = NULL;
	w->got = c;   /* stays in use: it changes hands */
	pthread_cond_signal(&w->cv);
}

static void put_back(struct db_pool *p, struct db_conn *c)
{
	pthread_mutex_lock(&p->mu);
	give(p, c);
	pthread_mutex_unlock(&p->mu);
}

/* Called with p->mu held: takes w out of the queue if it is still there. */
static void unqueue(struct db_pool *p, struct waiter *w)
{
	struct waiter **pp, *prev = NULL;

	for (pp = &p->head; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			if (p->tail == w)
				p->tail = prev;
			return;
		}
	}
}

int pool_acquire(struct db_pool *p, struct db_conn **out)
{
	struct timespec deadline;
	struct db_conn *c;
	char err[256];

	*out = NULL;
	pthread_mutex_lock(&p->mu);
	if (p->nfree > 0 && !p->head) {
		c = p->free[--p->nfree];
		p->stats.in_use++;
	} else {
		struct waiter w = { .got = NULL, .next = NULL };

		pthread_cond_init(&w.cv, NULL);
		deadline_after(&deadline, p->acquire_timeout_ms);
		p->stats.waits++;
		if (p->tail)
			p->tail->next = &w;
		else
			p->head = &w;
		p->tail = &w;
		while (!w.got) {
			if (pthread_cond_timedwait(&w.cv, &p->mu, &deadline) == ETIMEDOUT && !w.got) {
				unqueue(p, &w);
				break;
			}
		}
		pthread_cond_destroy(&w.cv);
		c = w.got;
		if (!c) {
			p->stats.timeouts++;
			pthread_mutex_unlock(&p->mu);
			return POOL_ETIMEDOUT;
		}
	}
	pthread_mutex_unlock(&p->mu);

	/* A restarted server closes idle sessions; reading that notice costs a
	 * non-blocking recv, not a round trip, and spares the request a 503. */
	if (c->pg && (!PQconsumeInput(c->pg) || PQstatus(c->pg) != CONNECTION_OK)) {
		PQfinish(c->pg);
		c->pg = NULL;
	}
	if (!c->pg) {
		if (conn_open(c, p->conninfo, p->statement_timeout_ms, err, sizeof(err))) {
			y_log_message(Y_LOG_LEVEL_WARNING, "db: cannot connect: %s", err);
			put_back(p, c);
			return POOL_EUNAVAILABLE;
		}
		pthread_mutex_lock(&p->mu);
		p->stats.connects++;
		pthread_mutex_unlock(&p->mu);
	}
	*out = c;
	return 0;
}

void pool_release(struct db_pool *p, struct db_conn *c)
{
	if (!c)
		return;
	if (c->pg && PQstatus(c->pg) == CONNECTION_OK) {
		PGTransactionStatusType ts = PQtransactionStatus(c->pg);

		if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) {
			PQclear(PQexec(c->pg, "ROLLBACK"));
			ts = PQtransactionStatus(c->pg);
		}
		if (ts != PQTRANS_IDLE) {
			/* Still busy or unknown: the session is not trustworthy. */
			PQfinish(c->pg);
			c->pg = NULL;
		}
	} else if (c->pg) {
		PQfinish(c->pg);
		c->pg = NULL;
	}
	c->tx_depth = 0;
	put_back(p, c);
}

void pool_stats(struct db_pool *p, struct pool_stats *out)
{
	pthread_mutex_lock(&p->mu);
	*out = p->stats;
	pthread_mutex_unlock(&p->mu);
}

void pool_destroy(struct db_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->size; i++) {
		if (p->conns[i].pg)
			PQfinish(p->conns[i].pg);
	}
	pthread_mutex_destroy(&p->mu);
	free(p->conninfo);
	free(p->conns);
	free(p->free);
	free(p);
}

struct db_conn *db_open(const char *conninfo, int statement_timeout_ms, char *err, size_t errlen)
{
	struct db_conn *c = calloc(1, sizeof(*c));

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (conn_open(c, conninfo, statement_timeout_ms, err, errlen)) {
		free(c);
		return NULL;
	}
	return c;
}

void db_close(struct db_conn *c)
{
	if (!c)
		return;
	PQfinish(c->pg);
	free(c);
}

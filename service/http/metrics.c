/*
 * metrics.c - request counters and histograms.
 */
#include "http/metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "db/db.h"

#define MAX_ROUTES 256
#define STATUS_SLOTS 12

static const double buckets[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct route_metrics {
	atomic_int status[STATUS_SLOTS];          /* 0 = free slot */
	atomic_ulong count[STATUS_SLOTS];
	atomic_ulong le[NBUCKETS + 1];           /* last = +Inf */
	atomic_ulong sum_us;
};

/* Slot MAX_ROUTES is for requests that matched no route. */
static struct route_metrics per_route[MAX_ROUTES + 1];

void metrics_observe(int route, int status, double seconds)
{
	struct route_metrics *m = &per_route[route >= 0 && route < MAX_ROUTES ? route : MAX_ROUTES];
	size_t b;

	for (int i = 0; i < STATUS_SLOTS; i++) {
		int cur = atomic_load(&m->status[i]);

		if (cur == 0) {
			int zero = 0;

			if (!atomic_compare_exchange_strong(&m->status[i], &zero, status) && zero != status)
				continue;
			cur = status;
		}
		if (cur == status) {
			atomic_fetch_add(&m->count[i], 1);
			break;
		}
	}
	for (b = 0; b < NBUCKETS && seconds > buckets[b]; b++)
		;
	atomic_fetch_add(&m->le[b], 1);
	atomic_fetch_add(&m->sum_us, (unsigned long)(seconds * 1e6));
}

struct metrics_text {
	char *buf;
	size_t len, cap;
};

#define MAX_SOURCES 8

static metrics_source sources[MAX_SOURCES];
static int nsources;

int metrics_add_source(metrics_source render)
{
	if (nsources == MAX_SOURCES)
		return -1;
	sources[nsources++] = render;
	return 0;
}

static void vemit(struct metrics_text *o, const char *fmt, va_list args)
{
	va_list ap;
	int n;

	for (;;) {
		va_copy(ap, args);
		n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (o->len + (size_t)n < o->cap) {
			o->len += (size_t)n;
			return;
		}
		o->cap = (o->cap + (size_t)n) * 2;
		o->buf = realloc(o->buf, o->cap);
		if (!o->buf)
			abort();
	}
}

static void emit(struct metrics_text *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(struct metrics_text *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(o, fmt, ap);
	va_end(ap);
}

void metrics_printf(struct metrics_text *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(o, fmt, ap);
	va_end(ap);
}

static void render_route(struct metrics_text *o, struct route_metrics *m, const char *method,
			 const char *pattern)
{
	unsigned long cum = 0, total = 0;

	for (int i = 0; i < STATUS_SLOTS; i++) {
		int s = atomic_load(&m->status[i]);

		if (s)
			emit(o, "itaku_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} %lu\n",
			     method, pattern, s, atomic_load(&m->count[i]));
	}
	for (size_t b = 0; b <= NBUCKETS; b++) {
		cum += atomic_load(&m->le[b]);
		if (b < NBUCKETS)
			emit(o, "itaku_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%g\"} %lu\n",
			     method, pattern, buckets[b], cum);
	}
	total = cum;
	emit(o, "itaku_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} %lu\n",
	     method, pattern, total);
	emit(o, "itaku_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n",
	     method, pattern, (double)atomic_load(&m->sum_us) / 1e6);
	emit(o, "itaku_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %lu\n",
	     method, pattern, total);
}

static int route_seen(struct route_metrics *m)
{
	for (size_t b = 0; b <= NBUCKETS; b++) {
		if (atomic_load(&m->le[b]))
			return 1;
	}
	return 0;
}

char *metrics_render(struct app *app, const struct route *table, size_t n)
{
	struct metrics_text o = { malloc(8192), 0, 8192 };
	struct pool_stats ps;

	if (!o.buf)
		return NULL;
	emit(&o, "# HELP itaku_http_requests_total HTTP requests by route template and status.\n"
		 "# TYPE itaku_http_requests_total counter\n");
	emit(&o, "# HELP itaku_http_request_duration_seconds Time to handle a request.\n"
		 "# TYPE itaku_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < n && i < MAX_ROUTES; i++) {
		if (route_seen(&per_route[i]))
			render_route(&o, &per_route[i], table[i].method, table[i].pattern);
	}
	if (route_seen(&per_route[MAX_ROUTES]))
		render_route(&o, &per_route[MAX_ROUTES], "", "unmatched");

	pool_stats(app->pool, &ps);
	emit(&o, "# HELP itaku_db_pool_size Database connections in the pool.\n"
		 "# TYPE itaku_db_pool_size gauge\nitaku_db_pool_size %d\n", ps.size);
	emit(&o, "# HELP itaku_db_pool_in_use Connections lent to requests.\n"
		 "# TYPE itaku_db_pool_in_use gauge\nitaku_db_pool_in_use %d\n", ps.in_use);
	emit(&o, "# HELP itaku_db_pool_waits_total Acquisitions that had to wait.\n"
		 "# TYPE itaku_db_pool_waits_total counter\nitaku_db_pool_waits_total %lu\n", ps.waits);
	emit(&o, "# HELP itaku_db_pool_timeouts_total Acquisitions that gave up (answered 503).\n"
		 "# TYPE itaku_db_pool_timeouts_total counter\nitaku_db_pool_timeouts_total %lu\n",
	     ps.timeouts);
	emit(&o, "# HELP itaku_db_connects_total Database connections opened.\n"
		 "# TYPE itaku_db_connects_total counter\nitaku_db_connects_total %lu\n", ps.connects);
	emit(&o, "# HELP itaku_db_errors_total Database failures (unavailable or unexpected).\n"
		 "# TYPE itaku_db_errors_total counter\nitaku_db_errors_total %lu\n", db_error_count());
	for (int i = 0; i < nsources; i++)
		sources[i](&o);
	emit(&o, "# HELP itaku_http_inflight_requests Requests being handled.\n"
		 "# TYPE itaku_http_inflight_requests gauge\nitaku_http_inflight_requests %d\n",
	     atomic_load(&app->inflight));
	return o.buf;
}

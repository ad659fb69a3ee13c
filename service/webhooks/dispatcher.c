/*
 * dispatcher.c - claim, send, record; the first thread also runs the
 * scheduler's chores (webhooks/scheduler.c).
 */
#include "webhooks/dispatcher.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include <yder.h>
#include "audit/trail.h"
#include "db/pool.h"
#include "webhooks/scheduler.h"
#include "webhooks/sealed.h"
#include "webhooks/send.h"

#define BATCH 8
_Static_assert(BATCH <= WEBHOOK_BATCH_MAX, "a claimed batch is sent at once");

struct worker {
	struct dispatcher *d;
	int index;
	pthread_t th;
	struct db_conn *db;
	struct webhook_sender *sender;
	unsigned seed;
	struct scheduler sched;      /* the first thread's chores */
	int busy;                    /* a chore wants to go on without a wait */
};

struct dispatcher {
	const struct config *cfg;
	atomic_int stop;
	int wake[2];                 /* a byte here interrupts every wait */
	int n;
	struct worker *workers;
};

/* Claiming commits on its own (autocommit), before any network I/O. */
static struct db_stmt claim_stmt = DB_STMT(
	"with c as ("
	"  select d.tenant_id, d.id from webhook_deliveries d"
	"    join webhook_subscriptions s on s.tenant_id = d.tenant_id and s.id = d.subscription_id"
	"   where d.status = 'pending' and d.next_attempt_at <= now() and s.enabled"
	"   order by d.next_attempt_at limit $1"
	"   for update of d skip locked)"
	" update webhook_deliveries d set attempts = d.attempts + 1, lease = gen_random_uuid(),"
	"        leased_until = now() + make_interval(secs => $2::int),"
	"        next_attempt_at = now() + make_interval(secs => $2::int),"
	"        last_attempt_at = now(), updated_at = now()"
	"   from c, webhook_subscriptions s, webhook_events e"
	"  where d.tenant_id = c.tenant_id and d.id = c.id"
	"    and s.tenant_id = d.tenant_id and s.id = d.subscription_id"
	"    and e.tenant_id = d.tenant_id and e.id = d.event_id"
	" returning d.tenant_id, d.id, d.lease, d.attempts, e.id, e.body, s.url, s.secret,"
	"           case when s.previous_secret_expires_at > now() then s.previous_secret end, s.id");

/* $8 outcome: succeeded, retry, dead; $9 retry delay; $10 reason to
 * disable the subscription, or null. Only the holder of the lease may
 * settle the delivery; a late holder still leaves its attempt on record.
 * A delivery held meanwhile (its subscription turned off while the
 * attempt was in flight: next_attempt_at is infinity) stays held when it
 * is to be retried. The update reads the row as the hold left it: both
 * write the same row, so one waits for the other. */
static struct db_stmt record_stmt = DB_STMT(
	"with a as ("
	"  insert into webhook_attempts (tenant_id, delivery_id, n, status_code, error, duration_ms)"
	"  values ($1, $2, $4, $5, $6, $7) on conflict do nothing),"
	" d as ("
	"  update webhook_deliveries set"
	"         status = case $8 when 'retry' then 'pending' else $8 end,"
	"         next_attempt_at = case when next_attempt_at = 'infinity' then next_attempt_at"
	"                           else now() + make_interval(secs => coalesce($9::int, 0)) end,"
	"         succeeded_at = case when $8 = 'succeeded' then now() end,"
	"         last_status = $5, last_error = $6, lease = null, leased_until = null,"
	"         updated_at = now()"
	"   where tenant_id = $1 and id = $2 and lease = $3 returning tenant_id, subscription_id)"
	" update webhook_subscriptions s set enabled = false, disabled_at = now(),"
	"        disabled_reason = $10, version = version + 1, updated_at = now()"
	"   from d where $10::text is not null and s.tenant_id = d.tenant_id"
	"    and s.id = d.subscription_id and s.enabled"
	" returning s.id, webhook_subscription_json(s)::text");

/* Process-wide, so that /metrics needs no handle on the dispatcher. */
static atomic_int n_threads;
static atomic_ulong n_succeeded, n_retried, n_dead, n_alerts;

void dispatcher_metrics(struct metrics_text *o)
{
	metrics_printf(o, "# HELP itaku_webhook_dispatcher_threads Webhook dispatcher threads running.\n"
		       "# TYPE itaku_webhook_dispatcher_threads gauge\n"
		       "itaku_webhook_dispatcher_threads %d\n", atomic_load(&n_threads));
	metrics_printf(o, "# HELP itaku_webhook_attempts_total Webhook delivery attempts by outcome.\n"
		       "# TYPE itaku_webhook_attempts_total counter\n"
		       "itaku_webhook_attempts_total{outcome=\"succeeded\"} %lu\n"
		       "itaku_webhook_attempts_total{outcome=\"retry\"} %lu\n"
		       "itaku_webhook_attempts_total{outcome=\"dead\"} %lu\n",
		       atomic_load(&n_succeeded), atomic_load(&n_retried), atomic_load(&n_dead));
	metrics_printf(o, "# HELP itaku_ppc_deadline_alerts_total PPC deadline alerts raised here.\n"
		       "# TYPE itaku_ppc_deadline_alerts_total counter\n"
		       "itaku_ppc_deadline_alerts_total %lu\n", atomic_load(&n_alerts));
}


int dispatcher_retry_delay(const struct config *cfg, int attempt, unsigned *seed)
{
	double base, jitter;

	if (attempt < 1 || attempt > cfg->n_retries)
		return -1;
	base = cfg->retry_delays[attempt - 1];
	/* Spread retries of a burst so that a receiver coming back is not hit
	 * by all of them in the same second. */
	jitter = 0.9 + 0.2 * ((double)rand_r(seed) / RAND_MAX);
	return (int)(base * jitter + 0.5);
}

/* Takes the notifications libpq has read; returns how many. */
static int drain_notifications(PGconn *pg)
{
	PGnotify *note;
	int n = 0;

	while ((note = PQnotifies(pg))) {
		PQfreemem(note);
		n++;
	}
	return n;
}

/* Sleeps up to ms, or until a notification or a stop. A notification
 * that arrived while the connection was busy (claiming or recording) has
 * been read off the socket already and waits in libpq's queue, where
 * poll() cannot see it: one found there means work now, not a sleep. */
static void wait_for_work(struct worker *w, int ms)
{
	struct pollfd fds[2] = { { .fd = w->d->wake[0], .events = POLLIN } };
	int n = 1;

	if (w->db) {
		PQconsumeInput(w->db->pg);
		if (drain_notifications(w->db->pg))
			return;
		fds[1] = (struct pollfd){ .fd = PQsocket(w->db->pg), .events = POLLIN };
		n = 2;
	}
	if (poll(fds, (nfds_t)n, ms) > 0 && w->db && (fds[1].revents & POLLIN)) {
		PQconsumeInput(w->db->pg);
		drain_notifications(w->db->pg);
	}
}

static int connect_db(struct worker *w)
{
	const struct config *cfg = w->d->cfg;
	char err[256];

	w->db = db_open(cfg->database_url, cfg->statement_timeout_ms, err, sizeof(err));
	if (!w->db) {
		if (w->index == 0)
			y_log_message(Y_LOG_LEVEL_WARNING, "webhooks: cannot connect: %s", err);
		return -1;
	}
	/* Named apart from the request pool's connections in pg_stat_activity. */
	if (db_exec_plain(w->db, "set application_name = 'itaku-dispatcher'", NULL) ||
	    db_exec_plain(w->db, "listen itaku_webhooks", NULL)) {
		db_close(w->db);
		w->db = NULL;
		return -1;
	}
	return 0;
}

static void drop_db(struct worker *w)
{
	db_close(w->db);
	w->db = NULL;
}

/* The first thread's chores between rounds (webhooks/scheduler.h).
 * Returns 1 while a chore wants to go on at once. */
static int scheduled_work(struct worker *w)
{
	unsigned long alerts = 0;
	int more;

	if (w->index != 0)
		return 0;
	more = scheduler_run(&w->sched, w->db, &w->d->stop, &alerts);
	atomic_fetch_add(&n_alerts, alerts);
	return more;
}

/* Decides what an attempt's result means for the delivery. */
static const char *settle(struct worker *w, int attempt, const struct webhook_result *r,
			  int *delay, const char **disable)
{
	*delay = 0;
	*disable = NULL;
	if (r->status >= 200 && r->status <= 299)
		return "succeeded";
	if (r->status == 410) {
		*disable = "the receiver answered 410 Gone";
		return "dead";
	}
	*delay = dispatcher_retry_delay(w->d->cfg, attempt, &w->seed);
	if (*delay < 0)
		return "dead";
	if ((r->status == 429 || r->status == 503) && r->retry_after_s > 0)
		*delay = r->retry_after_s;
	return "retry";
}

/* Writes an attempt's outcome; a subscription it turns off goes on the
 * audit trail in the same transaction, so admins can see why. */
static int record(struct worker *w, const char *const params[10])
{
	PGresult *res = NULL;
	json_t *after = NULL;
	int err;

	if (!params[9])
		return db_exec(w->db, &record_stmt, 10, params, NULL);
	if ((err = db_begin(w->db)) || (err = db_exec(w->db, &record_stmt, 10, params, &res)))
		goto out;
	if (PQntuples(res) == 1) {
		after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
		if ((err = audit_record_as(w->db, params[0], NULL, "webhook_dispatcher", NULL,
					   "webhook_subscription.disabled", "webhook_subscription",
					   PQgetvalue(res, 0, 0), NULL, after)))
			goto out;
	}
	err = db_commit(w->db);
out:
	if (err)
		db_rollback(w->db);
	json_decref(after);
	PQclear(res);
	return err;
}

/* Records one attempt's result. */
static void settle_row(struct worker *w, PGresult *jobs, int row, const struct webhook_result *r)
{
	char status[16], delay_s[16], attempt_s[16], ms[16];
	const char *params[10], *outcome, *disable;
	int attempt = atoi(PQgetvalue(jobs, row, 3)), delay, err;

	outcome = settle(w, attempt, r, &delay, &disable);
	atomic_fetch_add(outcome[0] == 's' ? &n_succeeded : outcome[0] == 'r' ? &n_retried : &n_dead, 1);
	snprintf(status, sizeof(status), "%ld", r->status);
	snprintf(delay_s, sizeof(delay_s), "%d", delay);
	snprintf(attempt_s, sizeof(attempt_s), "%d", attempt);
	snprintf(ms, sizeof(ms), "%d", r->duration_ms);
	params[0] = PQgetvalue(jobs, row, 0);
	params[1] = PQgetvalue(jobs, row, 1);
	params[2] = PQgetvalue(jobs, row, 2);
	params[3] = attempt_s;
	params[4] = r->status ? status : NULL;
	params[5] = r->error[0] ? r->error : NULL;
	params[6] = ms;
	params[7] = outcome;
	params[8] = delay_s;
	params[9] = disable;
	/* If the outcome cannot be written, the lease runs out and the
	 * delivery is sent again: at least once, never lost. */
	err = record(w, params);
	if (err)
		y_log_message(Y_LOG_LEVEL_WARNING, "webhooks: delivery %s: outcome not recorded (%s)",
			      params[1], w->db->message);
	if (err == DB_EUNAVAILABLE)
		drop_db(w);
}

/* Opens a claimed row's sealed secret (column col) into plain; NULL when
 * it is absent or does not open (logged: the attempt then fails with a
 * reason and is retried, so a key put back in place recovers it). */
static const char *open_secret(struct worker *w, PGresult *jobs, int row, int col,
			       char plain[WEBHOOK_SECRET_MAX])
{
	const char *why;

	if (PQgetisnull(jobs, row, col))
		return NULL;
	if (sealed_open(w->d->cfg, PQgetvalue(jobs, row, 0), PQgetvalue(jobs, row, 9),
			PQgetvalue(jobs, row, col), plain, &why) == 0)
		return plain;
	y_log_message(Y_LOG_LEVEL_ERROR, "webhooks: subscription %s: the signing secret %s",
		      PQgetvalue(jobs, row, 9), why);
	return NULL;
}

/* Sends a claimed batch at once, then records each outcome. The opened
 * secrets live on this stack for the batch only. */
static void deliver(struct worker *w, PGresult *jobs)
{
	struct webhook_message msgs[BATCH];
	struct webhook_result res[BATCH];
	char plain[BATCH][2][WEBHOOK_SECRET_MAX];
	int n = PQntuples(jobs);

	for (int i = 0; i < n; i++) {
		msgs[i] = (struct webhook_message){
			.url = PQgetvalue(jobs, i, 6),
			.id = PQgetvalue(jobs, i, 4),
			.body = PQgetvalue(jobs, i, 5),
			.len = (size_t)PQgetlength(jobs, i, 5),
			.secret = open_secret(w, jobs, i, 7, plain[i][0]),
			.previous_secret = open_secret(w, jobs, i, 8, plain[i][1]),
		};
	}
	webhook_send_batch(w->sender, msgs, res, n);
	explicit_bzero(plain, sizeof(plain));
	for (int i = 0; i < n && w->db; i++)
		settle_row(w, jobs, i, &res[i]);
}

/* One round: returns how many deliveries were claimed, or -1 on a
 * database failure. */
static int round_trip(struct worker *w)
{
	char batch[16], lease[16];
	const char *params[2] = { batch, lease };
	PGresult *jobs = NULL;
	int n, err;

	snprintf(batch, sizeof(batch), "%d", BATCH);
	snprintf(lease, sizeof(lease), "%d", w->d->cfg->webhook_timeout_s + 30);
	err = db_exec(w->db, &claim_stmt, 2, params, &jobs);
	if (err)
		return -1;
	n = PQntuples(jobs);
	if (n > 0)
		deliver(w, jobs);
	PQclear(jobs);
	return n;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct dispatcher *d = w->d;

	while (!atomic_load(&d->stop)) {
		int n;

		if (!w->db && connect_db(w)) {
			wait_for_work(w, 1000);
			continue;
		}
		w->busy = scheduled_work(w);
		n = round_trip(w);
		if (n < 0) {
			drop_db(w);
			wait_for_work(w, 1000);
		} else if (n < BATCH && !w->busy) {
			wait_for_work(w, 1000);
		}
	}
	drop_db(w);
	return NULL;
}

struct dispatcher *dispatcher_start(const struct config *cfg, int n)
{
	struct dispatcher *d;

	if (n <= 0 || !(d = calloc(1, sizeof(*d))))
		return NULL;
	d->cfg = cfg;
	d->workers = calloc((size_t)n, sizeof(*d->workers));
	if (!d->workers || pipe(d->wake)) {
		free(d->workers);
		free(d);
		return NULL;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (int i = 0; i < n; i++) {
		struct worker *w = &d->workers[i];

		w->d = d;
		w->index = i;
		w->sched.cfg = cfg;
		w->seed = (unsigned)time(NULL) ^ (unsigned)getpid() ^ (unsigned)(i * 2654435761u);
		w->sender = webhook_sender_new(cfg->webhook_timeout_s, cfg->webhook_allow_private);
		if (!w->sender || pthread_create(&w->th, NULL, worker_main, w)) {
			webhook_sender_free(w->sender);
			w->sender = NULL;
			break;
		}
		d->n++;
		atomic_fetch_add(&n_threads, 1);
	}
	if (d->n == 0) {             /* nothing would ever deliver: say so to the caller */
		y_log_message(Y_LOG_LEVEL_ERROR, "webhooks: no dispatcher thread could be started");
		dispatcher_stop(d);
		return NULL;
	}
	if (d->n < n)
		y_log_message(Y_LOG_LEVEL_WARNING, "webhooks: started %d of %d dispatcher threads", d->n, n);
	y_log_message(Y_LOG_LEVEL_INFO, "webhooks: %d dispatcher threads", d->n);
	return d;
}

void dispatcher_stop(struct dispatcher *d)
{
	if (!d)
		return;
	atomic_store(&d->stop, 1);
	if (write(d->wake[1], "x", 1) < 0)
		y_log_message(Y_LOG_LEVEL_WARNING, "webhooks: wake-up failed: %s", strerror(errno));
	for (int i = 0; i < d->n; i++) {
		pthread_join(d->workers[i].th, NULL);
		webhook_sender_free(d->workers[i].sender);
		atomic_fetch_sub(&n_threads, 1);
	}
	close(d->wake[0]);
	close(d->wake[1]);
	free(d->workers);
	free(d);
	curl_global_cleanup();
}

/*
 * outbox.c - claim, issue a link, send, record.
 */
#include "mail/outbox.h"

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
#include <jansson.h>
#include <yder.h>
#include "assessments/links.h"
#include "db/db.h"
#include "db/pool.h"
#include "mail/compose.h"
#include "mail/smtp.h"

struct worker {
	struct mail_outbox *o;
	int index;
	pthread_t th;
	struct db_conn *db;
	unsigned seed;
};

struct mail_outbox {
	const struct config *cfg;
	atomic_int stop;
	int wake[2];                 /* a byte here interrupts every wait */
	int n;
	struct worker *workers;
};

/* Claiming commits on its own (autocommit), before any network I/O:
 * $1 lease seconds. */
static struct db_stmt claim_stmt = DB_STMT(
	"with c as ("
	"  select tenant_id, id from mail_messages"
	"   where status in ('queued', 'failed') and next_attempt_at <= now()"
	"   order by next_attempt_at limit 1 for update skip locked)"
	" update mail_messages m set attempts = m.attempts + 1, lease = gen_random_uuid(),"
	"        leased_until = now() + make_interval(secs => $1::int),"
	"        next_attempt_at = now() + make_interval(secs => $1::int),"
	"        last_attempt_at = now(), updated_at = now()"
	"   from c where m.tenant_id = c.tenant_id and m.id = c.id"
	" returning m.tenant_id, m.id, m.lease, m.attempts, m.kind, m.assessment_id, m.recipient");
enum { C_TENANT, C_ID, C_LEASE, C_ATTEMPT, C_KIND, C_ASSESSMENT, C_TO };

/* Whether the message still has something to say, and what: inside the
 * sending transaction. The assessment is held FOR KEY SHARE, so staff
 * cannot cancel it under the mail (their lock waits) while the vendor's
 * saves go on. $1 tenant, $2 message -> why not (null: send), suppressed,
 * subject, body parts (JSON), tenant name */
static struct db_stmt check_stmt = DB_STMT(
	"select case when r.kind = 'finding' and (f.status not in ('open', 'in_progress') or a.status = 'cancelled')"
	"            then 'the finding is now ' || case when a.status = 'cancelled' then 'of a cancelled assessment'"
	"                                              else f.status end"
	"            when r.kind is distinct from 'finding' and a.status not in ('sent', 'in_progress', 'returned')"
	"            then 'the assessment is now ' || a.status end,"
	"       mail_suppressed(a.tenant_id, a.vendor_id, m.recipient),"
	"       (x).subject, to_json((x).body_parts)::text, (x).tenant_name"
	"  from mail_messages m"
	"  join assessments a on a.tenant_id = m.tenant_id and a.id = m.assessment_id"
	"  left join reminders r on r.tenant_id = m.tenant_id and r.id = m.reminder_id"
	"  left join findings f on f.tenant_id = r.tenant_id and f.id = r.finding_id"
	"  cross join lateral (select mail_render(m) x) y"
	" where m.tenant_id = $1 and m.id = $2"
	"   for key share of a");
enum { K_WHY_NOT, K_SUPPRESSED, K_SUBJECT, K_PARTS, K_TENANT_NAME };

/* $1 tenant, $2 message, $3 lease, $4 attempt, $5 reply code, $6 reply,
 * $7 ms, $8 status, $9 retry delay s, $10 link id, $11 subject. Only the
 * holder of the lease settles the message; the attempt is kept either way. */
static struct db_stmt record_stmt = DB_STMT(
	"with a as ("
	"  insert into mail_attempts (tenant_id, message_id, n, reply_code, reply, duration_ms)"
	"  values ($1, $2, $4, $5, left($6, 500), $7) on conflict do nothing)"
	" update mail_messages set status = $8,"
	"        next_attempt_at = now() + make_interval(secs => coalesce($9::int, 0)),"
	"        sent_at = case when $8 = 'sent' then now() end,"
	"        last_reply = left($6, 500), link_id = coalesce($10::uuid, link_id),"
	"        subject = coalesce(left($11, 500), subject),"
	"        lease = null, leased_until = null, updated_at = now()"
	"  where tenant_id = $1 and id = $2 and lease = $3");

/* The delay after failed attempt number `attempt` (1-based), with +-10%
 * jitter, or -1 when no retry is left (as webhooks do). */
static int retry_delay(const struct config *cfg, int attempt, unsigned *seed)
{
	double jitter;

	if (attempt < 1 || attempt > cfg->n_mail_retries)
		return -1;
	jitter = 0.9 + 0.2 * ((double)rand_r(seed) / RAND_MAX);
	return (int)(cfg->mail_retry_delays[attempt - 1] * jitter + 0.5);
}

static void wait_for_work(struct worker *w, int ms)
{
	struct pollfd fds[2] = { { .fd = w->o->wake[0], .events = POLLIN } };
	PGnotify *note;
	int n = 1, got = 0;

	if (w->db) {
		PQconsumeInput(w->db->pg);
		while ((note = PQnotifies(w->db->pg))) {
			PQfreemem(note);
			got = 1;
		}
		if (got)
			return;
		fds[1] = (struct pollfd){ .fd = PQsocket(w->db->pg), .events = POLLIN };
		n = 2;
	}
	if (poll(fds, (nfds_t)n, ms) > 0 && w->db && (fds[1].revents & POLLIN)) {
		PQconsumeInput(w->db->pg);
		while ((note = PQnotifies(w->db->pg)))
			PQfreemem(note);
	}
}

static int connect_db(struct worker *w)
{
	const struct config *cfg = w->o->cfg;
	char err[256];

	if (!(w->db = db_open(cfg->database_url, cfg->statement_timeout_ms, err, sizeof(err)))) {
		if (w->index == 0)
			y_log_message(Y_LOG_LEVEL_WARNING, "mail: cannot connect: %s", err);
		return -1;
	}
	if (db_exec_plain(w->db, "set application_name = 'itaku-mail'", NULL) ||
	    db_exec_plain(w->db, "listen itaku_mail", NULL)) {
		db_close(w->db);
		w->db = NULL;
		return -1;
	}
	return 0;
}

/* What to record of one claimed message. */
struct outcome {
	const char *status;          /* sent, failed, dead, suppressed */
	int code;
	const char *reply;
	int ms;
	int delay;
	const char *link_id, *subject;
};

static int record(struct worker *w, PGresult *job, const struct outcome *out)
{
	char code[16], ms[16], delay[16];
	const char *params[11];

	snprintf(code, sizeof(code), "%d", out->code);
	snprintf(ms, sizeof(ms), "%d", out->ms);
	snprintf(delay, sizeof(delay), "%d", out->delay);
	params[0] = PQgetvalue(job, 0, C_TENANT);
	params[1] = PQgetvalue(job, 0, C_ID);
	params[2] = PQgetvalue(job, 0, C_LEASE);
	params[3] = PQgetvalue(job, 0, C_ATTEMPT);
	params[4] = out->code ? code : NULL;
	params[5] = out->reply;
	params[6] = ms;
	params[7] = out->status;
	params[8] = delay;
	params[9] = out->link_id;
	params[10] = out->subject;
	return db_exec(w->db, &record_stmt, 11, params, NULL);
}

/* The body: the rendered parts joined with the link (caller frees). */
static char *join_body(json_t *parts, const char *link)
{
	size_t n = json_array_size(parts), len = 1, i;
	char *body, *p;

	for (i = 0; i < n; i++)
		len += strlen(json_string_value(json_array_get(parts, i))) + strlen(link);
	if (!(body = malloc(len)))
		return NULL;
	p = body;
	for (i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(parts, i));

		if (i)
			p = stpcpy(p, link);
		p = stpcpy(p, s);
	}
	*p = '\0';
	return body;
}

/* Issues the link, composes and sends, inside the open transaction.
 * Fills out; returns 0 when the transaction should commit (the relay took
 * the mail), -1 when it should roll back. */
static int issue_and_send(struct worker *w, PGresult *job, PGresult *chk, struct outcome *out,
			  char link_id[64], char reply[400])
{
	const struct config *cfg = w->o->cfg;
	struct links_issuer by = { PQgetvalue(job, 0, C_TENANT), NULL, "mail", "mail", NULL };
	char token[CRYPTO_TOKEN_LEN + 1], url[400];
	json_t *parts = NULL, *link = NULL;
	struct smtp_result sr;
	struct compose m = { 0 };
	char *body = NULL, *msg = NULL;
	size_t len = 0;
	int err, ret = -1;

	if ((err = links_issue(w->db, &by, PQgetvalue(job, 0, C_ASSESSMENT), 0, token, &link))) {
		snprintf(reply, 400, "not sent: no link could be issued (%.300s)", w->db->message);
		out->status = "failed";
		out->reply = reply;
		return -1;
	}
	snprintf(link_id, 64, "%s", json_string_value(json_object_get(link, "id")));
	snprintf(url, sizeof(url), "%s/respond#%s", cfg->public_url, token);
	parts = json_loads(PQgetvalue(chk, 0, K_PARTS), 0, NULL);
	body = parts ? join_body(parts, url) : NULL;
	m.from = cfg->mail_from;
	m.from_name = PQgetvalue(chk, 0, K_TENANT_NAME);
	m.to = PQgetvalue(job, 0, C_TO);
	m.subject = PQgetvalue(chk, 0, K_SUBJECT);
	m.body = body;
	m.message_id = PQgetvalue(job, 0, C_ID);
	m.date = time(NULL);
	if (!body || !(msg = compose_message(&m, &len))) {
		snprintf(reply, 400, "not sent: out of memory");
		out->status = "failed";
		out->reply = reply;
		goto done;
	}
	smtp_send(cfg, m.to, msg, len, &sr);
	snprintf(reply, 400, "%s", sr.reply);
	out->code = sr.code;
	out->reply = reply;
	out->ms = sr.duration_ms;
	out->status = sr.ok ? "sent" : "failed";
	out->link_id = sr.ok ? link_id : NULL;
	ret = sr.ok ? 0 : -1;
done:
	if (body)
		explicit_bzero(body, strlen(body));
	if (msg)
		explicit_bzero(msg, len);
	explicit_bzero(token, sizeof(token));
	explicit_bzero(url, sizeof(url));
	free(body);
	free(msg);
	json_decref(parts);
	json_decref(link);
	return ret;
}

/* One claimed message, start to end. Returns -1 when the connection is lost. */
static int handle(struct worker *w, PGresult *job)
{
	const char *params[2] = { PQgetvalue(job, 0, C_TENANT), PQgetvalue(job, 0, C_ID) };
	int attempt = atoi(PQgetvalue(job, 0, C_ATTEMPT)), err, sent;
	struct outcome out = { .status = "failed" };
	char link_id[64] = "", reply[400] = "", subject[512];
	PGresult *chk = NULL;

	if ((err = db_begin(w->db)) || (err = db_exec(w->db, &check_stmt, 2, params, &chk)))
		goto fail;
	if (PQntuples(chk) != 1) {
		out.status = "dead";
		out.reply = "not sent: the message is gone";
	} else if (!PQgetisnull(chk, 0, K_WHY_NOT)) {
		snprintf(reply, sizeof(reply), "not sent: %s", PQgetvalue(chk, 0, K_WHY_NOT));
		out.status = "dead";
		out.reply = reply;
	} else if (!strcmp(PQgetvalue(chk, 0, K_SUPPRESSED), "t")) {
		out.status = "suppressed";
		out.reply = "not sent: the vendor's contact with this address is marked no_mail";
	} else {
		snprintf(subject, sizeof(subject), "%s", PQgetvalue(chk, 0, K_SUBJECT));
		out.subject = subject;
		sent = issue_and_send(w, job, chk, &out, link_id, reply) == 0;
		if (sent) {
			/* the link goes live with the record of the mail that carries it */
			if ((err = record(w, job, &out)) || (err = db_commit(w->db))) {
				y_log_message(Y_LOG_LEVEL_WARNING, "mail: message %s: sent, but not recorded (%s); "
					      "it is sent again after its lease", params[1], w->db->message);
				goto fail;
			}
			y_log_message(Y_LOG_LEVEL_INFO, "mail: message %s sent (attempt %d)", params[1], attempt);
			PQclear(chk);
			return 0;
		}
	}
	/* Nothing was sent: whatever the transaction did (a link) is undone,
	 * and the outcome is recorded on its own. */
	db_rollback(w->db);
	if (!strcmp(out.status, "failed") && (out.delay = retry_delay(w->o->cfg, attempt, &w->seed)) < 0) {
		out.status = "dead";
		out.delay = 0;
	}
	out.link_id = NULL;
	if ((err = record(w, job, &out)))
		goto fail;
	y_log_message(Y_LOG_LEVEL_INFO, "mail: message %s %s (attempt %d): %s", params[1], out.status, attempt,
		      out.reply ? out.reply : "");
	PQclear(chk);
	return 0;
fail:
	db_rollback(w->db);
	PQclear(chk);
	return err == DB_EUNAVAILABLE ? -1 : 0;
}

/* One round: 1 when a message was handled, 0 when none was due, -1 on a
 * lost connection. */
static int round_trip(struct worker *w)
{
	char lease[16];
	const char *params[1] = { lease };
	PGresult *job = NULL;
	int n;

	snprintf(lease, sizeof(lease), "%d", w->o->cfg->smtp_timeout_s + 30);
	if (db_exec(w->db, &claim_stmt, 1, params, &job))
		return -1;
	n = PQntuples(job);
	if (n == 1 && handle(w, job) < 0)
		n = -1;
	PQclear(job);
	return n;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct mail_outbox *o = w->o;

	while (!atomic_load(&o->stop)) {
		int n;

		if (!w->db && connect_db(w)) {
			wait_for_work(w, 1000);
			continue;
		}
		n = round_trip(w);
		if (n < 0) {
			db_close(w->db);
			w->db = NULL;
			wait_for_work(w, 1000);
		} else if (n == 0) {
			wait_for_work(w, 1000);
		}
	}
	db_close(w->db);
	w->db = NULL;
	return NULL;
}

struct mail_outbox *mail_outbox_start(const struct config *cfg, int n)
{
	struct mail_outbox *o;

	if (!cfg->smtp_url || n <= 0 || !(o = calloc(1, sizeof(*o))))
		return NULL;
	o->cfg = cfg;
	o->workers = calloc((size_t)n, sizeof(*o->workers));
	if (!o->workers || pipe(o->wake)) {
		free(o->workers);
		free(o);
		return NULL;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);   /* counted: the dispatcher calls it too */
	for (int i = 0; i < n; i++) {
		struct worker *w = &o->workers[i];

		w->o = o;
		w->index = i;
		w->seed = (unsigned)time(NULL) ^ (unsigned)getpid() ^ (unsigned)(i * 2654435761u);
		if (pthread_create(&w->th, NULL, worker_main, w))
			break;
		o->n++;
	}
	if (o->n == 0) {
		y_log_message(Y_LOG_LEVEL_ERROR, "mail: no mail thread could be started");
		mail_outbox_stop(o);
		return NULL;
	}
	y_log_message(Y_LOG_LEVEL_INFO, "mail: %d mail threads, relay %s", o->n,
		      cfg->smtp_tls_none ? "without TLS (loopback)" : "with TLS");
	return o;
}

void mail_outbox_stop(struct mail_outbox *o)
{
	if (!o)
		return;
	atomic_store(&o->stop, 1);
	if (write(o->wake[1], "x", 1) < 0)
		y_log_message(Y_LOG_LEVEL_WARNING, "mail: wake-up failed: %s", strerror(errno));
	for (int i = 0; i < o->n; i++)
		pthread_join(o->workers[i].th, NULL);
	close(o->wake[0]);
	close(o->wake[1]);
	free(o->workers);
	free(o);
	curl_global_cleanup();
}

/*
 * scheduler.c - see scheduler.h.
 */
#include "webhooks/scheduler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yder.h>
#include "webhooks/sealed.h"

static struct db_stmt scan_stmt = DB_STMT("select incident_deadlines_scan()");
static struct db_stmt overdue_stmt = DB_STMT("select findings_overdue_scan()");
static struct db_stmt reminders_stmt = DB_STMT("select reminders_scan()");
static struct db_stmt prune_stmt = DB_STMT("select webhook_prune($1::int, 1000)");
/* Once per Tokyo day across all processes (migration 0010). */
static struct db_stmt rederive_stmt = DB_STMT(
	"select more, rederived from vendors_rederive_step($1::int)");

/* The overview's figures of the day (sql/functions/95_overview.sql), per
 * tenant, after the re-derivation; once per Tokyo day across processes. */
static struct db_stmt overview_stmt = DB_STMT(
	"select more, written from overview_snapshot_step($1::int)");
/* The negotiation rules re-evaluated for every security request and kept
 * (rules 1, 3 and 5 change with the date: sql/functions/91_rule_results.sql);
 * once per Tokyo day across processes, before the overview's snapshot,
 * which then reads the kept results. */
static struct db_stmt negotiation_risks_stmt = DB_STMT(
	"select more, announced from negotiation_risks_step($1::int)");

/* The overview's kept counts (sql/functions/94_overview_counts.sql): the
 * writes' rows folded, a slice every scan; tenants without counts counted,
 * after the day's chores, until none is left. Two statements, so that a
 * count that fails (a statement timeout on a very large register) never
 * holds up the folding. */
static struct db_stmt counts_stmt = DB_STMT(
	"select more, changed from overview_counts_settle_step($1::int)");
static struct db_stmt recount_stmt = DB_STMT(
	"select more, changed from overview_counts_recount_step($1::int)");

#define REDERIVE_BATCH "500"
#define COUNTS_BATCH "20"    /* tenants folded a step */
#define RECOUNT_BATCH "1"    /* a recount is one tenant */
/* one tenant a step: an overview of 10,000 vendors takes most of a second
 * (bench/README.md), and a step holds the dispatcher thread */
#define OVERVIEW_BATCH "1"
#define NEGOTIATION_BATCH "500"
#define CHORE_SLICE_MS 1000

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * A chore done once per Tokyo day across processes, in steps: a statement
 * that answers (more, count) for one step of at most batch rows.
 */
struct chore {
	struct db_stmt *stmt;
	const char *batch;
	const char *name;    /* for the log */
	const char *done;    /* what the steps did, after their count */
};

/* Runs steps of a chore for up to a slice of time, so that deliveries are
 * not held up by a large register. Returns 1 while steps remain, 0 when
 * the day's run is done (here or elsewhere) or a step failed (the next
 * scan tries again). */
static int chore_slice(struct db_conn *db, const atomic_int *stop, const struct chore *c)
{
	const char *params[1] = { c->batch };
	long long until = now_ms() + CHORE_SLICE_MS;
	int more = 1, total = 0;

	while (more && now_ms() < until && !atomic_load(stop)) {
		PGresult *res = NULL;

		if (db_exec(db, c->stmt, 1, params, &res)) {
			y_log_message(Y_LOG_LEVEL_WARNING, "scheduler: %s step failed: %s", c->name, db->message);
			more = 0;
		} else {
			more = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
			total += atoi(PQgetvalue(res, 0, 1));
		}
		PQclear(res);
	}
	if (total > 0)
		y_log_message(Y_LOG_LEVEL_INFO, "scheduler: %d %s", total, c->done);
	return more;
}

static const struct chore rederive = {
	&rederive_stmt, REDERIVE_BATCH, "vendor re-derivation", "vendors re-derived for the new day"
};
static const struct chore overview = {
	&overview_stmt, OVERVIEW_BATCH, "overview snapshot", "tenants' overview figures of the day kept"
};
static const struct chore counts = {
	&counts_stmt, COUNTS_BATCH, "overview counts", "overview counts folded"
};
static const struct chore recount = {
	&recount_stmt, RECOUNT_BATCH, "overview recount", "tenants' overview counts counted afresh"
};
static const struct chore negotiations = {
	&negotiation_risks_stmt, NEGOTIATION_BATCH, "negotiation risk scan", "negotiation risks detected"
};

/* Rows whose secrets are not sealed under the current key: plaintext
 * from before sealing, or sealed under a key since rotated out. */
static struct db_stmt unsealed_stmt = DB_STMT(
	"select tenant_id, id, secret, previous_secret from webhook_subscriptions"
	" where not secrets_sealed or not starts_with(secret, $1)"
	"    or not starts_with(coalesce(previous_secret, $1), $1)"
	" order by tenant_id, id limit 100");
/* Only if nobody changed them meanwhile (a rotation wins). Not a change
 * anyone can see: no version, no audit event (secrets are never audited). */
static struct db_stmt reseal_stmt = DB_STMT(
	"update webhook_subscriptions set secret = $3, previous_secret = $4, secrets_sealed = true"
	" where tenant_id = $1 and id = $2 and secret = $5 and previous_secret is not distinct from $6");

/* Seals one row's secrets under the current key. Returns 0 or -1. */
static int reseal_row(const struct config *cfg, struct db_conn *db, PGresult *rows, int i)
{
	const char *tenant = PQgetvalue(rows, i, 0), *id = PQgetvalue(rows, i, 1);
	const char *why = "could not be sealed";
	char plain[WEBHOOK_SECRET_MAX], sealed[2][SEALED_MAX];
	const char *params[6] = { tenant, id, sealed[0], NULL, PQgetvalue(rows, i, 2), db_value(rows, i, 3) };
	int ok = 0;

	if (sealed_open(cfg, tenant, id, params[4], plain, &why) ||
	    sealed_make(cfg, tenant, id, plain, sealed[0]))
		goto out;
	if (params[5]) {
		if (sealed_open(cfg, tenant, id, params[5], plain, &why) ||
		    sealed_make(cfg, tenant, id, plain, sealed[1]))
			goto out;
		params[3] = sealed[1];
	}
	if (db_exec(db, &reseal_stmt, 6, params, NULL)) {
		why = db->message;
		goto out;
	}
	ok = 1;
out:
	explicit_bzero(plain, sizeof(plain));
	if (!ok)
		y_log_message(Y_LOG_LEVEL_WARNING, "webhooks: subscription %s: secrets not re-sealed: %s",
			      id, why ? why : "could not be sealed");
	return ok ? 0 : -1;
}

/* Seals what is not sealed under the current key yet, 100 rows a scan. */
static void reseal(const struct config *cfg, struct db_conn *db)
{
	char prefix[48];
	const char *params[1] = { prefix };
	PGresult *rows = NULL;
	int done = 0;

	if (cfg->n_secret_keys == 0)
		return;
	snprintf(prefix, sizeof(prefix), "itk1:%s:", cfg->secret_keys[0].id);
	if (db_exec(db, &unsealed_stmt, 1, params, &rows))
		return;
	for (int i = 0; i < PQntuples(rows); i++)
		done += reseal_row(cfg, db, rows, i) == 0;
	if (done)
		y_log_message(Y_LOG_LEVEL_INFO, "webhooks: secrets of %d subscriptions sealed under key %s",
			      done, cfg->secret_keys[0].id);
	PQclear(rows);
}

int scheduler_run(struct scheduler *s, struct db_conn *db, const atomic_int *stop,
		  unsigned long *alerts)
{
	PGresult *res = NULL;
	time_t now = time(NULL);
	char days[16];
	const char *params[1] = { days };

	if (now >= s->next_scan) {
		s->next_scan = now + s->cfg->scheduler_interval_s;
		s->rederive = 1;
		s->overview = 1;
		snprintf(days, sizeof(days), "%d", s->cfg->webhook_retention_days);
		if (db_exec(db, &prune_stmt, 1, params, &res) == 0 && atoi(PQgetvalue(res, 0, 0)) > 0)
			y_log_message(Y_LOG_LEVEL_INFO, "webhooks: %s old events pruned", PQgetvalue(res, 0, 0));
		PQclear(res);
		res = NULL;
		if (db_exec(db, &scan_stmt, 0, NULL, &res) == 0 && atoi(PQgetvalue(res, 0, 0)) > 0) {
			*alerts += (unsigned long)atoi(PQgetvalue(res, 0, 0));
			y_log_message(Y_LOG_LEVEL_INFO, "webhooks: %s PPC deadline alerts raised",
				      PQgetvalue(res, 0, 0));
		}
		PQclear(res);
		res = NULL;
		if (db_exec(db, &overdue_stmt, 0, NULL, &res) == 0 && atoi(PQgetvalue(res, 0, 0)) > 0)
			y_log_message(Y_LOG_LEVEL_INFO, "webhooks: %s overdue findings announced",
				      PQgetvalue(res, 0, 0));
		PQclear(res);
		res = NULL;
		if (db_exec(db, &reminders_stmt, 0, NULL, &res) == 0 && atoi(PQgetvalue(res, 0, 0)) > 0)
			y_log_message(Y_LOG_LEVEL_INFO, "webhooks: %s reminders fired", PQgetvalue(res, 0, 0));
		PQclear(res);
		res = NULL;
		s->negotiations = 1;
		s->counts = 1;
		s->recount = 1;
		reseal(s->cfg, db);
	}
	/* folding: one slice a scan, whatever is left (the day's chores go on) */
	if (s->counts) {
		chore_slice(db, stop, &counts);
		s->counts = 0;
	} else if (s->rederive)
		s->rederive = chore_slice(db, stop, &rederive);
	else if (s->negotiations)
		s->negotiations = chore_slice(db, stop, &negotiations);
	else if (s->overview)
		s->overview = chore_slice(db, stop, &overview);
	else if (s->recount)
		s->recount = chore_slice(db, stop, &recount);
	return s->counts || s->recount || s->rederive || s->overview || s->negotiations;
}

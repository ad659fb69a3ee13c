/*
 * main.c - the itaku command: migrate, bootstrap, serve, worker.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yder.h>
#include "app.h"
#include "db/migrate.h"
#include "http/metrics.h"
#include "http/server.h"
#include "register/corpmaster.h"
#include "routes.h"
#include "incidents/holidays.h"
#include "tenants.h"
#include "mail/outbox.h"
#include "webhooks/dispatcher.h"

static const char usage[] =
	"usage: itaku <command> [options]\n"
	"\n"
	"Commands:\n"
	"  migrate                    apply pending database migrations (safe to repeat)\n"
	"  bootstrap --tenant NAME    create tenant NAME if missing and a new admin API key;\n"
	"                             the key is printed alone on the last line, once\n"
	"  serve                      run the HTTP API (and ITAKU_WEBHOOK_WORKERS webhook\n"
	"                             dispatcher threads) until SIGTERM or SIGINT\n"
	"  worker                     run only the webhook dispatcher and the PPC deadline\n"
	"                             scheduler (ITAKU_WEBHOOK_WORKERS threads, at least 1),\n"
	"                             and the mail sender when ITAKU_SMTP_URL is set\n"
	"  corporate-master import FILE|-\n"
	"                             load the NTA corporate number CSV (全件 or 差分, Unicode\n"
	"                             edition) from FILE or standard input; prints a JSON\n"
	"                             summary; exit 1 when the database failed\n"
	HOLIDAYS_USAGE
	"  help, --help               show this text\n"
	"\n";

static struct db_stmt secret_stmt = DB_STMT(
	"select secret from server_secrets where name = 'cursor'");

static int need_database(const struct config *cfg)
{
	if (cfg->database_url)
		return 0;
	fprintf(stderr, "itaku: ITAKU_DATABASE_URL is not set (a libpq conninfo or URI)\n");
	return -1;
}

static int cmd_migrate(const struct config *cfg)
{
	char err[512];
	struct db_conn *db;
	int n;

	if (need_database(cfg))
		return 2;
	db = db_open(cfg->database_url, 600000, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "itaku migrate: cannot connect: %s", err);
		return 1;
	}
	n = migrate_run(db, stdout, err, sizeof(err));
	db_close(db);
	if (n < 0) {
		fprintf(stderr, "itaku migrate: %s\n", err);
		return 1;
	}
	printf("migrations: %d applied, schema at %d\n", n, migrate_latest_embedded());
	return 0;
}

/* The holiday calendar of the PPC deadlines: see incidents/holidays.h. */
static int cmd_holiday(const struct config *cfg, int argc, char **argv)
{
	char err[512];
	struct db_conn *db;
	int rc;

	if (need_database(cfg))
		return 2;
	if (!(db = db_open(cfg->database_url, 600000, err, sizeof(err)))) {
		fprintf(stderr, "itaku holiday: cannot connect: %s", err);
		return 1;
	}
	rc = holidays_command(db, argc - 2, argv + 2, stdout, stderr);
	db_close(db);
	return rc;
}

static int cmd_bootstrap(const struct config *cfg, int argc, char **argv)
{
	const char *tenant = NULL;
	char err[512];
	struct db_conn *db;
	int rc;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--tenant") && i + 1 < argc)
			tenant = argv[++i];
		else if (!strncmp(argv[i], "--tenant=", 9))
			tenant = argv[i] + 9;
		else {
			fprintf(stderr, "itaku bootstrap: unknown argument %s\n%s", argv[i], usage);
			return 2;
		}
	}
	if (!tenant) {
		fprintf(stderr, "itaku bootstrap: --tenant NAME is required\n");
		return 2;
	}
	if (need_database(cfg))
		return 2;
	db = db_open(cfg->database_url, cfg->statement_timeout_ms, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "itaku bootstrap: cannot connect: %s", err);
		return 1;
	}
	rc = tenants_bootstrap(db, tenant, stdout, err, sizeof(err));
	db_close(db);
	if (rc) {
		fprintf(stderr, "itaku bootstrap: %s\n", err);
		return 1;
	}
	return 0;
}

static int cmd_corporate_master(const struct config *cfg, int argc, char **argv)
{
	const char *file = argc == 4 ? argv[3] : NULL;
	char err[512], *text;
	struct db_conn *db;
	json_t *summary;
	FILE *in;
	int rc;

	if (argc != 4 || strcmp(argv[2], "import")) {
		fprintf(stderr, "usage: itaku corporate-master import FILE|-\n");
		return 2;
	}
	if (need_database(cfg))
		return 2;
	in = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	if (!in) {
		fprintf(stderr, "itaku corporate-master: cannot open %s\n", file);
		return 1;
	}
	db = db_open(cfg->database_url, cfg->statement_timeout_ms, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "itaku corporate-master: cannot connect: %s", err);
		if (in != stdin)
			fclose(in);
		return 1;
	}
	rc = corpmaster_import(db, in, strcmp(file, "-") ? file : "stdin", &summary, err, sizeof(err));
	db_close(db);
	if (in != stdin)
		fclose(in);
	if (rc) {
		fprintf(stderr, "itaku corporate-master: %s\n", err);
		return 1;
	}
	text = json_dumps(summary, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("%s\n", text ? text : "{}");
	free(text);
	json_decref(summary);
	return 0;
}

/* Reads the cursor secret, waiting up to 30 s for the database to come up
 * (containers often start together). */
static int load_secret(struct app *app)
{
	for (int attempt = 0; attempt < 30; attempt++) {
		struct db_conn *c;
		PGresult *res = NULL;
		unsigned char *raw = NULL;
		size_t n = 0;
		int err = pool_acquire(app->pool, &c);

		if (err == 0) {
			err = db_exec(c, &secret_stmt, 0, NULL, &res);
			pool_release(app->pool, c);
		}
		if (err == POOL_EUNAVAILABLE || err == DB_EUNAVAILABLE) {
			sleep(1);
			continue;
		}
		if (err == 0 && PQntuples(res) == 1)
			raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 0), &n);
		if (raw && n >= sizeof(app->cursor_key))
			memcpy(app->cursor_key, raw, sizeof(app->cursor_key));
		PQfreemem(raw);
		PQclear(res);
		if (n >= sizeof(app->cursor_key))
			return 0;
		fprintf(stderr, "itaku serve: the database is not migrated; run `itaku migrate`\n");
		return -1;
	}
	fprintf(stderr, "itaku serve: the database stayed unreachable for 30 s\n");
	return -1;
}

/* Threads inherit the signal mask: block the stop signals before any
 * thread starts, so that only sigwait() in the main thread sees them. */
static void block_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int cmd_worker(struct app *app)
{
	struct mail_outbox *mail = NULL;
	struct dispatcher *d;
	sigset_t set;
	int sig = 0;

	if (need_database(&app->cfg))
		return 2;
	block_stop_signals(&set);
	d = dispatcher_start(&app->cfg, app->cfg.webhook_workers > 0 ? app->cfg.webhook_workers : 1);
	if (!d) {
		fprintf(stderr, "itaku worker: cannot start the dispatcher\n");
		return 1;
	}
	/* A worker sends mail whenever a relay is set, as it delivers webhooks. */
	if (app->cfg.smtp_url &&
	    !(mail = mail_outbox_start(&app->cfg, app->cfg.mail_workers > 0 ? app->cfg.mail_workers : 1))) {
		fprintf(stderr, "itaku worker: cannot start the mail threads\n");
		dispatcher_stop(d);
		return 1;
	}
	sigwait(&set, &sig);
	y_log_message(Y_LOG_LEVEL_INFO, "signal %d: stopping the dispatcher", sig);
	mail_outbox_stop(mail);
	dispatcher_stop(d);
	y_log_message(Y_LOG_LEVEL_INFO, "stopped");
	return 0;
}

static int cmd_serve(struct app *app)
{
	struct dispatcher *d = NULL;
	struct mail_outbox *mail = NULL;
	sigset_t set;
	int rc;

	if (need_database(&app->cfg))
		return 2;
	app->pool = pool_create(app->cfg.database_url, app->cfg.db_pool_size,
				app->cfg.statement_timeout_ms, app->cfg.db_acquire_timeout_ms);
	if (!app->pool) {
		fprintf(stderr, "itaku serve: out of memory\n");
		return 1;
	}
	if (load_secret(app)) {
		pool_destroy(app->pool);
		return 1;
	}
	block_stop_signals(&set);
	if (app->cfg.webhook_workers > 0 &&
	    !(d = dispatcher_start(&app->cfg, app->cfg.webhook_workers))) {
		fprintf(stderr, "itaku serve: cannot start the webhook dispatcher\n");
		pool_destroy(app->pool);
		return 1;
	}
	if (app->cfg.smtp_url && app->cfg.mail_workers > 0 &&
	    !(mail = mail_outbox_start(&app->cfg, app->cfg.mail_workers))) {
		fprintf(stderr, "itaku serve: cannot start the mail threads\n");
		dispatcher_stop(d);
		pool_destroy(app->pool);
		return 1;
	}
	metrics_add_source(dispatcher_metrics);
	rc = server_run(app, routes_table, routes_count);
	mail_outbox_stop(mail);
	dispatcher_stop(d);
	pool_destroy(app->pool);
	return rc;
}

int main(int argc, char **argv)
{
	static struct app app;
	char err[512];
	int rc;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("%s%s", usage, config_help);
		return argc < 2 ? 2 : 0;
	}
	if (config_load(&app.cfg, err, sizeof(err))) {
		fprintf(stderr, "itaku: configuration error: %s\n", err);
		return 2;
	}
	y_init_logs("itaku", Y_LOG_MODE_CONSOLE, (unsigned long)app.cfg.log_level, NULL, NULL);
	if (!strcmp(argv[1], "migrate"))
		rc = cmd_migrate(&app.cfg);
	else if (!strcmp(argv[1], "bootstrap"))
		rc = cmd_bootstrap(&app.cfg, argc, argv);
	else if (!strcmp(argv[1], "serve"))
		rc = cmd_serve(&app);
	else if (!strcmp(argv[1], "worker"))
		rc = cmd_worker(&app);
	else if (!strcmp(argv[1], "corporate-master"))
		rc = cmd_corporate_master(&app.cfg, argc, argv);
	else if (!strcmp(argv[1], "holiday"))
		rc = cmd_holiday(&app.cfg, argc, argv);
	else {
		fprintf(stderr, "itaku: unknown command %s\n%s", argv[1], usage);
		rc = 2;
	}
	y_close_logs();
	return rc;
}

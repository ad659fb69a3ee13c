/*
 * harness.h - test support: a real database, the real binary, real HTTP.
 *
 * Environment (set by tests/run.sh):
 *   ITAKU_TEST_PG   conninfo of the test cluster's maintenance database
 *                   (for example "host=127.0.0.1 port=54330 user=itaku dbname=postgres")
 *   ITAKU_BIN       path of the itaku binary (set by CTest)
 * Each suite gets its own database, dropped at teardown.
 * Everything aborts the test (ck_abort) on set-up failures.
 */
#ifndef ITAKU_HARNESS_H
#define ITAKU_HARNESS_H

#include <check.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sys/types.h>

struct itk {
	char db[64];
	char url[512];            /* conninfo of the suite's database */
	char base[64];            /* http://127.0.0.1:PORT */
	char log_path[128];
	int port;
	pid_t pid;
	char admin_key[64];       /* admin key of tenant "t1" */
};

/* Creates and migrates a database for suite, bootstraps tenant "t1" and
 * starts the server with extra environment entries ("NAME=value", NULL-ended). */
void itk_setup(struct itk *t, const char *suite, const char *const *env);
/* Stops the server (asserting a clean exit) and drops the database. */
void itk_teardown(struct itk *t);

/* Database only (no server): used by suites that start servers themselves. */
void itk_db_create(struct itk *t, const char *suite, const char *admin_conninfo);
void itk_db_drop(struct itk *t, const char *admin_conninfo);

int itk_start(struct itk *t, const char *const *env);
/* Sends SIGTERM and waits; returns the exit status (or -1). */
int itk_stop(struct itk *t);

/* Runs `itaku argv...` against t's database; returns stdout and stderr (caller frees)
 * and the exit status in *status. env entries are added to the environment. */
char *itk_run(const struct itk *t, const char *const argv[], const char *const *env, int *status);
/* Bootstraps tenant name; returns its admin key (caller frees). */
char *itk_bootstrap(const struct itk *t, const char *tenant);

/* Runs SQL on the suite's database; aborts on error. Caller PQclears. */
PGresult *itk_sql(const struct itk *t, const char *sql, int n, const char *const *params);
/* First cell of a query as a malloc'd string ("" for NULL). */
char *itk_sql_value(const struct itk *t, const char *sql, int n, const char *const *params);
/* Creates the functions of a fixture file (tests/fixtures/NAME), each
 * "create or replace function" one statement of its own. */
void itk_load_fixture_functions(const struct itk *t, const char *name);
/* A long-lived connection for tests that hold locks. Caller PQfinishes. */
PGconn *itk_connect(const struct itk *t);

/* Parking writers: itk_park_writers() locks every tenant's audit chain head
 * on a connection of its own, so any request that writes an audit event
 * waits inside its transaction until itk_unpark(). itk_wait_parked() waits
 * up to 2 s for a backend to be waiting on a lock and returns 1 if one is. */
PGconn *itk_park_writers(const struct itk *t);
int itk_wait_parked(const struct itk *t);
void itk_unpark(PGconn *lock);
/* Backends of t's database waiting on a lock right now. */
int itk_backends_waiting(const struct itk *t);

/* Applies and records the old migrations 0001-0011 that 0011_baseline.sql
 * replaced (tests/fixtures/migrations-before-baseline), from number `from`
 * up to below number `below` (0: to the last), the way `itaku migrate` did
 * before the baseline and before sql/functions existed: each file's text
 * as it is, and a row with its SHA-256 in itaku_schema_migrations. For
 * upgrade tests: a database an older release left behind. */
void itk_migrate_as_before(const struct itk *t, int from, int below);

#define HTTP_MAX_HEADERS 32

struct http {
	long status;
	char *body;
	size_t len;
	json_t *json;             /* parsed body, or NULL */
	int nheaders;
	char *names[HTTP_MAX_HEADERS];
	char *values[HTTP_MAX_HEADERS];
};

/* Performs a request. key may be NULL (no Authorization). body may be NULL.
 * headers are extra "Name: value" lines (NULL-ended, may be NULL); a JSON
 * content type is added when there is a body and none is given. */
struct http *http_do(const struct itk *t, const char *method, const char *path, const char *key,
		     const char *body, const char *const *headers);
const char *http_header(const struct http *h, const char *name);
void http_free(struct http *h);

/* A request on a thread of its own, as the admin of tenant t1, for tests
 * that need one in flight. Fill the fields, start, then join. */
struct itk_call {
	const struct itk *t;
	const char *method, *path, *body;
	const char *const *headers;
	struct http *res;
	pthread_t th;
};
void itk_call_start(struct itk_call *c);
struct http *itk_call_join(struct itk_call *c);

/* Asserts status and, for errors, an application/problem+json body whose
 * type ends with slug (slug may be NULL to skip that check). */
void ck_problem(const struct http *h, long status, const char *slug);
#define ck_status(h, code) \
	ck_assert_msg((h)->status == (code), "expected status %d, got %ld: %.300s", (int)(code), \
		      (h)->status, (h)->body ? (h)->body : "")

/* String member of the JSON body ("" when absent). */
const char *jstr(const struct http *h, const char *name);

/* Runs a suite and returns the process exit code. */
int itk_run_suite(Suite *s);

#endif

/*
 * db.c - statement execution and error classification.
 */
#include "db/db.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <yder.h>
#include "util/utf8.h"

static atomic_int next_stmt_id = 1;
static atomic_ulong error_count;

unsigned long db_error_count(void)
{
	return atomic_load(&error_count);
}

static int stmt_id(struct db_stmt *st)
{
	int id = __atomic_load_n(&st->id, __ATOMIC_ACQUIRE);
	int fresh;

	if (id)
		return id;
	fresh = atomic_fetch_add(&next_stmt_id, 1);
	if (fresh >= DB_MAX_STMTS) {
		y_log_message(Y_LOG_LEVEL_ERROR, "db: more than %d statements", DB_MAX_STMTS);
		return -1;
	}
	/* Two threads may race here; the loser's number is simply never used. */
	if (__atomic_compare_exchange_n(&st->id, &id, fresh, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return fresh;
	return id;
}

void db_forget_prepared(struct db_conn *c)
{
	memset(c->prepared, 0, sizeof(c->prepared));
}

static int classify(struct db_conn *c, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *cons = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	int err;

	snprintf(c->sqlstate, sizeof(c->sqlstate), "%s", state ? state : "");
	snprintf(c->constraint, sizeof(c->constraint), "%s", cons ? cons : "");
	utf8_copy(c->message, sizeof(c->message), msg ? msg : PQerrorMessage(c->pg));

	if (PQstatus(c->pg) != CONNECTION_OK || !state)
		err = DB_EUNAVAILABLE;
	else if (!strcmp(state, "23505"))
		err = DB_EUNIQUE;
	else if (!strcmp(state, "23503"))
		err = DB_EFOREIGN;
	else if (!strcmp(state, "23514") || !strcmp(state, "23502") || !strncmp(state, "22", 2))
		err = DB_ECHECK;
	else if (!strcmp(state, "57014"))
		err = DB_ETIMEOUT;
	else if (!strcmp(state, "40001") || !strcmp(state, "40P01"))
		err = DB_ESERIAL;
	else if (!strcmp(state, "P0001"))
		err = DB_ERAISED;
	else if (!strncmp(state, "57P", 3) || !strncmp(state, "08", 2) || !strcmp(state, "53300"))
		err = DB_EUNAVAILABLE;
	else
		err = DB_EOTHER;

	if (err == DB_EUNAVAILABLE || err == DB_EOTHER) {
		atomic_fetch_add(&error_count, 1);
		y_log_message(Y_LOG_LEVEL_ERROR, "db: sqlstate=%s %s", c->sqlstate, c->message);
	}
	return err;
}

static int finish(struct db_conn *c, PGresult *r, PGresult **res)
{
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	int err;

	if (res)
		*res = NULL;
	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
		if (res)
			*res = r;
		else
			PQclear(r);
		return 0;
	}
	err = classify(c, r);
	PQclear(r);
	return err;
}

int db_exec(struct db_conn *c, struct db_stmt *st, int n, const char *const *params,
	    PGresult **res)
{
	char name[16];
	int id = stmt_id(st), attempt;
	PGresult *r;

	if (id < 0)
		return DB_EOTHER;
	snprintf(name, sizeof(name), "s%d", id);
	for (attempt = 0; attempt < 2; attempt++) {
		if (!(c->prepared[id / 8] & (1u << (id % 8)))) {
			r = PQprepare(c->pg, name, st->sql, 0, NULL);
			if (PQresultStatus(r) != PGRES_COMMAND_OK)
				return finish(c, r, res);
			PQclear(r);
			c->prepared[id / 8] |= (unsigned char)(1u << (id % 8));
		}
		r = PQexecPrepared(c->pg, name, n, params, NULL, NULL, 0);
		/* 26000: the server lost our statement (DISCARD ALL, a pooler):
		 * prepare again once, unless a transaction is already aborted. */
		if (PQresultStatus(r) == PGRES_FATAL_ERROR && c->tx_depth == 0) {
			const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

			if (state && !strcmp(state, "26000") && attempt == 0) {
				PQclear(r);
				c->prepared[id / 8] &= (unsigned char)~(1u << (id % 8));
				continue;
			}
		}
		break;
	}
	return finish(c, r, res);
}

int db_exec_plain(struct db_conn *c, const char *sql, PGresult **res)
{
	return finish(c, PQexec(c->pg, sql), res);
}

/* A nested begin only counts: the outermost one (idempotency's, say) owns
 * the transaction and its isolation. */
static int begin(struct db_conn *c, const char *sql)
{
	int err;

	if (c->tx_depth++ > 0)
		return 0;
	err = db_exec_plain(c, sql, NULL);
	if (err)
		c->tx_depth = 0;
	return err;
}

int db_begin(struct db_conn *c)
{
	return begin(c, "BEGIN");
}

int db_begin_snapshot(struct db_conn *c)
{
	return begin(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

int db_commit(struct db_conn *c)
{
	int err;

	if (c->tx_depth == 0)
		return 0;
	if (--c->tx_depth > 0)
		return 0;
	err = db_exec_plain(c, "COMMIT", NULL);
	return err;
}

void db_rollback(struct db_conn *c)
{
	/* NULL when a handler failed before it borrowed a connection. */
	if (!c || c->tx_depth == 0)
		return;
	c->tx_depth = 0;
	if (PQstatus(c->pg) == CONNECTION_OK)
		PQclear(PQexec(c->pg, "ROLLBACK"));
}

const char *db_value(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

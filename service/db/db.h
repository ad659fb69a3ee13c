/*
 * db.h - one database connection and the statements run on it.
 *
 * A struct db_conn is owned by the pool (db/pool.h) and lent to one request
 * at a time; never keep it past pool_release(). Statements are declared once
 * per module as `static struct db_stmt X = DB_STMT("select ...");` and are
 * prepared lazily on each connection the first time they run there, so a
 * reconnected connection re-prepares by itself.
 *
 * All SQL is parameterised: values travel as text parameters ($1, $2, ...),
 * never spliced into the statement.
 */
#ifndef ITAKU_DB_H
#define ITAKU_DB_H

#include <libpq-fe.h>

#define DB_MAX_STMTS 1024

enum db_err {
	DB_OK = 0,
	DB_EUNAVAILABLE = -1,   /* connection lost or server shutting down: 503 */
	DB_EUNIQUE = -2,        /* 23505 unique_violation */
	DB_EFOREIGN = -3,       /* 23503 foreign_key_violation */
	DB_ECHECK = -4,         /* 23514 check, 23502 not null, 22xxx data exceptions */
	DB_ETIMEOUT = -5,       /* 57014 statement timeout */
	DB_ESERIAL = -6,        /* 40001/40P01: retryable */
	DB_ERAISED = -7,        /* P0001 raised by a trigger: a domain rule */
	DB_EOTHER = -8,         /* anything else: a bug, answered 500 */
};

struct db_stmt {
	const char *sql;
	int id;                 /* assigned on first use; 0 = not yet */
};

#define DB_STMT(text) { .sql = (text), .id = 0 }

struct db_conn {
	PGconn *pg;
	int tx_depth;           /* nested db_begin() count; only the outermost talks to the server */
	unsigned char prepared[DB_MAX_STMTS / 8];
	/* Details of the last failure, for logs only: never sent to clients. */
	char sqlstate[6];
	char constraint[64];
	char message[1024];
};

/* Runs st with n text parameters (NULL = SQL NULL). On success returns 0 and
 * stores the result in *res (caller must PQclear it; res may be NULL to
 * discard). On failure returns a negative enum db_err, *res is NULL and the
 * details are in c->sqlstate / c->constraint / c->message. */
int db_exec(struct db_conn *c, struct db_stmt *st, int n, const char *const *params,
	    PGresult **res);

/* Runs a constant, parameterless command (BEGIN, migrations). Same contract. */
int db_exec_plain(struct db_conn *c, const char *sql, PGresult **res);

/* Transactions nest by counting: only the outermost begin/commit reach the
 * server. Rollback always ends the whole transaction. */
int db_begin(struct db_conn *c);
int db_commit(struct db_conn *c);
void db_rollback(struct db_conn *c);   /* c may be NULL: nothing to undo */
/* A read-only, repeatable-read transaction: one snapshot for several reads. */
int db_begin_snapshot(struct db_conn *c);

/* Forget every prepared statement (after a reset or reconnect). */
void db_forget_prepared(struct db_conn *c);

/* Number of failures classified DB_EUNAVAILABLE or DB_EOTHER since start. */
unsigned long db_error_count(void);

/* Helpers over a result: value or NULL when SQL NULL. */
const char *db_value(const PGresult *res, int row, int col);

#endif

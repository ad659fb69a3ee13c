/*
 * migrate.c - schema migrations.
 */
#include "db/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "embedded.h"
#include "util/crypto.h"

static struct db_stmt lock_stmt = DB_STMT("select pg_advisory_lock(7428139001)");
static struct db_stmt unlock_stmt = DB_STMT("select pg_advisory_unlock(7428139001)");
static struct db_stmt applied_stmt = DB_STMT(
	"select version, name, checksum from itaku_schema_migrations order by version");
static struct db_stmt record_stmt = DB_STMT(
	"insert into itaku_schema_migrations (version, name, checksum) values ($1::int, $2, $3)");
static struct db_stmt latest_stmt = DB_STMT(
	"select coalesce(max(version), 0) from itaku_schema_migrations");

static const char create_table[] =
	"create table if not exists itaku_schema_migrations ("
	"  version integer primary key,"
	"  name text not null,"
	"  checksum text not null,"
	"  applied_at timestamptz not null default now());"
	"create table if not exists itaku_schema_functions ("
	"  name text primary key,"
	"  checksum text not null,"
	"  applied_at timestamptz not null default now())";
static struct db_stmt fn_checksum_stmt = DB_STMT(
	"select checksum from itaku_schema_functions where name = $1");
static struct db_stmt fn_record_stmt = DB_STMT(
	"insert into itaku_schema_functions (name, checksum) values ($1, $2)"
	" on conflict (name) do update set checksum = excluded.checksum, applied_at = now()");

static int file_version(const char *name)
{
	return atoi(name);
}

int migrate_latest_embedded(void)
{
	if (embedded_migrations_count == 0)
		return 0;
	return file_version(embedded_migrations[embedded_migrations_count - 1].name);
}

int migrate_latest_applied(struct db_conn *c, int *version)
{
	PGresult *res;
	int err = db_exec(c, &latest_stmt, 0, NULL, &res);

	if (err)
		return err;
	*version = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int apply_one(struct db_conn *c, const struct embedded_file *m, const char *sum,
		     char *err, size_t errlen)
{
	char version[16];
	const char *params[3] = { version, m->name, sum };

	snprintf(version, sizeof(version), "%d", file_version(m->name));
	if (db_begin(c))
		goto fail;
	if (db_exec_plain(c, m->data, NULL))
		goto fail;
	if (db_exec(c, &record_stmt, 3, params, NULL))
		goto fail;
	if (db_commit(c))
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "migration %s failed: %s", m->name, c->message);
	db_rollback(c);
	return -1;
}

/* Re-applies each functions file (sql/functions) whose text changed since it
 * was last applied, in name order, each in a transaction with its record.
 * Bodies are not checked at creation (a function may name one defined in a
 * later file); they are checked when they run, and the suite runs them all.
 * Returns how many files were applied, or -1 with a message in err. */
static int apply_functions(struct db_conn *c, FILE *out, char *err, size_t errlen)
{
	int count = 0;

	for (size_t i = 0; i < embedded_functions_count; i++) {
		const struct embedded_file *f = &embedded_functions[i];
		char sum[CRYPTO_SHA256_HEX_LEN];
		const char *params[2] = { f->name, sum };
		PGresult *res = NULL;
		int same;

		crypto_sha256_hex(f->data, f->len, sum);
		if (db_exec(c, &fn_checksum_stmt, 1, params, &res)) {
			snprintf(err, errlen, "cannot read applied functions: %s", c->message);
			return -1;
		}
		same = PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 0), sum);
		PQclear(res);
		if (same)
			continue;
		if (db_begin(c) || db_exec_plain(c, "set local check_function_bodies = off", NULL) ||
		    db_exec_plain(c, f->data, NULL) || db_exec(c, &fn_record_stmt, 2, params, NULL) ||
		    db_commit(c)) {
			snprintf(err, errlen, "functions file %s failed: %s", f->name, c->message);
			db_rollback(c);
			return -1;
		}
		if (out)
			fprintf(out, "applied functions %s\n", f->name);
		count++;
	}
	return count;
}

int migrate_functions_stale(struct db_conn *c, int *stale)
{
	*stale = 0;
	for (size_t i = 0; i < embedded_functions_count; i++) {
		const struct embedded_file *f = &embedded_functions[i];
		char sum[CRYPTO_SHA256_HEX_LEN];
		const char *params[1] = { f->name };
		PGresult *res = NULL;
		int err;

		crypto_sha256_hex(f->data, f->len, sum);
		if ((err = db_exec(c, &fn_checksum_stmt, 1, params, &res)))
			return err;
		*stale += PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 0), sum) != 0;
		PQclear(res);
	}
	return 0;
}

int migrate_run(struct db_conn *c, FILE *out, char *err, size_t errlen)
{
	PGresult *applied = NULL;
	int count = 0, ret = -1, nrows;

	if (db_exec(c, &lock_stmt, 0, NULL, NULL) || db_exec_plain(c, create_table, NULL)) {
		snprintf(err, errlen, "cannot prepare the migrations table: %s", c->message);
		return -1;
	}
	if (db_exec(c, &applied_stmt, 0, NULL, &applied)) {
		snprintf(err, errlen, "cannot read applied migrations: %s", c->message);
		goto out;
	}
	nrows = PQntuples(applied);
	for (int r = 0; r < nrows; r++) {
		int v = atoi(PQgetvalue(applied, r, 0));
		int known = 0;

		for (size_t i = 0; i < embedded_migrations_count; i++)
			known |= file_version(embedded_migrations[i].name) == v;
		if (!known) {
			snprintf(err, errlen, "database has migration %s, which this build does not know; "
				 "run a newer itaku", PQgetvalue(applied, r, 1));
			goto out;
		}
	}
	for (size_t i = 0; i < embedded_migrations_count; i++) {
		const struct embedded_file *m = &embedded_migrations[i];
		char sum[CRYPTO_SHA256_HEX_LEN];
		int v = file_version(m->name), found = -1;

		if (v <= 0) {
			snprintf(err, errlen, "migration file %s does not start with a number", m->name);
			goto out;
		}
		crypto_sha256_hex(m->data, m->len, sum);
		for (int r = 0; r < nrows; r++) {
			if (atoi(PQgetvalue(applied, r, 0)) == v)
				found = r;
		}
		if (found >= 0) {
			if (strcmp(PQgetvalue(applied, found, 2), sum)) {
				snprintf(err, errlen, "migration %s was changed after it was applied "
					 "(recorded checksum %.12s, file now %.12s); add a new migration instead",
					 m->name, PQgetvalue(applied, found, 2), sum);
				goto out;
			}
			continue;
		}
		if (apply_one(c, m, sum, err, errlen))
			goto out;
		if (out)
			fprintf(out, "applied %s\n", m->name);
		count++;
	}
	if (apply_functions(c, out, err, errlen) < 0)
		goto out;
	ret = count;
out:
	PQclear(applied);
	db_exec(c, &unlock_stmt, 0, NULL, NULL);
	return ret;
}

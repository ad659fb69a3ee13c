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

static struct db_stmt baseline_stmt = DB_STMT(
	"with old as (delete from itaku_schema_migrations where version <= $1::int"
	"             returning applied_at)"
	" insert into itaku_schema_migrations (version, name, checksum, applied_at)"
	" select $1::int, $2, $3, max(applied_at) from old");

/* 0011_baseline.sql replaced migrations 0001-0011 (their functions live in
 * sql/functions now). A database that applied those eleven files, as
 * recorded by these checksums, has exactly the baseline's schema (the
 * suite proves it), so it is recorded as at the baseline instead. The old
 * files are in tests/fixtures/migrations-before-baseline/, never in the
 * binary: a database that stopped part way through them cannot be brought
 * forward by this build. */
#define BASELINE_VERSION 11
static const char *const before_baseline[BASELINE_VERSION] = {
	"bcb4fc0f05efb3553e1f00cc0bef9ce530543e149763529ab364e165a13a5e16", /* 0001_platform */
	"c46d5f825b58986b9e4df7f07e8711fe24653170775106b972255db7007a362a", /* 0002_vendors */
	"698cef1af7900bf8c6191632d16730be06294355d03125556d29ae9d542d27b9", /* 0003_vendor_snapshot */
	"ddb3ff475c4df1cf2a2dc5b480a0b276043acea75ec832a249934eeb82b51df4", /* 0004_subcontracts */
	"0652d69772afe68f791e5b6a603d650eeb8e130e5142422ea96dbcc38ea43be9", /* 0005_incidents */
	"2d048ccc713e1547b2f2076d554fc8a8223f7a5c797c8763ac160772227a4283", /* 0006_webhooks */
	"55b712f8466f3663f890f71f3beddae5f5e7b2028e5923650bf2b0aa91cb3afa", /* 0007_platform_fixes */
	"06b6aa0723f5408ac6f331a352bd99ce746a005fc2e94dbf56d029468875e5f6", /* 0008_webhook_fixes */
	"e50e15a9d428c2034bd028587ee2f15e2e4c94303ab93731170b49ad0fe1c25c", /* 0009_ppc_deadlines */
	"b08941847fa51d5679c3ceceea42575b6ab6f058776605aaf67375604b22b450", /* 0010_daily_rederive */
	"16a0df1b5a99c90c1f8074918de98df1d135d42d36918d20170858fc1ecdc2e4", /* 0011_contract_fixes */
};

static int file_version(const char *name)
{
	return atoi(name);
}

/* Functions files numbered 00-09 hold pure functions that tables name (a
 * CHECK, a generated column): they run before the migrations. */
static int functions_first(const struct embedded_file *f)
{
	return atoi(f->name) < 10;
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

/* Re-applies each functions file (sql/functions) of one class (first: the
 * pure ones that run before the migrations; otherwise the rest) whose text
 * changed since it was last applied, in name order, each in a transaction
 * with its record.
 * Bodies are not checked at creation (a function may name one defined in a
 * later file); they are checked when they run, and the suite runs them all.
 * Returns how many files were applied, or -1 with a message in err. */
static int apply_functions(struct db_conn *c, int first, FILE *out, char *err, size_t errlen)
{
	int count = 0;

	for (size_t i = 0; i < embedded_functions_count; i++) {
		const struct embedded_file *f = &embedded_functions[i];
		char sum[CRYPTO_SHA256_HEX_LEN];
		const char *params[2] = { f->name, sum };
		PGresult *res = NULL;
		int same;

		if (functions_first(f) != first)
			continue;
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

/* Records a database that applied the old 0001-0011 (before_baseline) as
 * at the baseline: one row, the baseline's, keeping when the last of them
 * was applied. Any other state of those versions is left for migrate_run
 * to judge, except a database that stopped part way through them, which
 * this build cannot finish. Returns 1 when it recorded the baseline, 0
 * when there was nothing to do, or -1 with a message in err. */
static int adopt_baseline(struct db_conn *c, PGresult *applied, FILE *out, char *err, size_t errlen)
{
	const struct embedded_file *base = NULL;
	char sum[CRYPTO_SHA256_HEX_LEN], version[16];
	const char *params[3] = { version, NULL, sum };
	int old = 0, rows = PQntuples(applied), last = 0;

	for (size_t i = 0; i < embedded_migrations_count; i++) {
		if (file_version(embedded_migrations[i].name) == BASELINE_VERSION)
			base = &embedded_migrations[i];
	}
	for (int r = 0; r < rows; r++) {
		int v = atoi(PQgetvalue(applied, r, 0));

		if (v >= 1 && v <= BASELINE_VERSION &&
		    !strcmp(PQgetvalue(applied, r, 2), before_baseline[v - 1])) {
			old++;
			last = v > last ? v : last;
		}
	}
	if (old == 0 || !base)
		return 0;
	if (old != BASELINE_VERSION || last != BASELINE_VERSION) {
		snprintf(err, errlen, "database has %d of the %d migrations that %s replaced, the last "
			 "%04d; finish them with an itaku built before the baseline, then run this one",
			 old, BASELINE_VERSION, base->name, last);
		return -1;
	}
	crypto_sha256_hex(base->data, base->len, sum);
	snprintf(version, sizeof(version), "%d", BASELINE_VERSION);
	params[1] = base->name;
	if (db_begin(c) || db_exec(c, &baseline_stmt, 3, params, NULL) || db_commit(c)) {
		snprintf(err, errlen, "cannot record the baseline: %s", c->message);
		db_rollback(c);
		return -1;
	}
	if (out)
		fprintf(out, "recorded migrations 0001-%04d as %s\n", BASELINE_VERSION, base->name);
	return 1;
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
	switch (adopt_baseline(c, applied, out, err, errlen)) {
	case -1:
		goto out;
	case 1:
		PQclear(applied);
		applied = NULL;
		if (db_exec(c, &applied_stmt, 0, NULL, &applied)) {
			snprintf(err, errlen, "cannot read applied migrations: %s", c->message);
			goto out;
		}
	}
	if (apply_functions(c, 1, out, err, errlen) < 0)
		goto out;
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
	if (apply_functions(c, 0, out, err, errlen) < 0)
		goto out;
	ret = count;
out:
	PQclear(applied);
	db_exec(c, &unlock_stmt, 0, NULL, NULL);
	return ret;
}

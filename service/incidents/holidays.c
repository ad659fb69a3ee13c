/*
 * holidays.c - `itaku holiday`: list a year's holidays, add or remove a
 * one-off government holiday.
 *
 * A change commits together with the re-derived deadlines and their audit
 * events. An incident filed by another process while the change was in
 * flight computed its deadline on the old calendar, so the re-derivation
 * runs once more after the commit.
 */
#include "incidents/holidays.h"

#include <stdlib.h>
#include <string.h>
#include "json/valid.h"

static struct db_stmt list_stmt = DB_STMT(
	"select d::date::text, to_char(d, 'Dy'), jp_holiday(d::date), x.basis"
	"  from generate_series(make_date($1::int, 1, 1), make_date($1::int, 12, 31), interval '1 day') d"
	"  left join jp_extra_holidays x on x.day = d::date"
	" where jp_holiday(d::date) is not null order by d");
static struct db_stmt holiday_stmt = DB_STMT(
	"select jp_holiday($1::date), exists (select 1 from jp_extra_holidays where day = $1::date)");
static struct db_stmt add_stmt = DB_STMT(
	"insert into jp_extra_holidays (day, name, basis, added_by) values ($1::date, $2, $3, $4)");
static struct db_stmt remove_stmt = DB_STMT(
	"delete from jp_extra_holidays where day = $1::date");
static struct db_stmt recompute_stmt = DB_STMT(
	"select incident_deadlines_recompute($1)");

static int usage(FILE *err, const char *why)
{
	fprintf(err, "itaku holiday: %s\nusage:\n%s", why, HOLIDAYS_USAGE);
	return 2;
}

static int in_range(const char *date)
{
	return jv_is_date(date) && strcmp(date, "2000-01-01") >= 0 && strcmp(date, "2099-12-31") <= 0;
}

static int list(struct db_conn *db, const char *year, FILE *out, FILE *err)
{
	const char *params[1] = { year };
	PGresult *res = NULL;
	char *end;
	long y = strtol(year, &end, 10);

	if (*end || y < 2000 || y > 2099)
		return usage(err, "YEAR must be 2000 to 2099");
	if (db_exec(db, &list_stmt, 1, params, &res)) {
		fprintf(err, "itaku holiday: %s\n", db->message);
		return 1;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		fprintf(out, "%s %s %s", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
		if (!PQgetisnull(res, i, 3))
			fprintf(out, " (one-off: %s)", PQgetvalue(res, i, 3));
		fputc('\n', out);
	}
	PQclear(res);
	return 0;
}

/* Re-derives the deadlines the change moves; returns how many, or -1. */
static long recompute(struct db_conn *db, const char *actor)
{
	const char *params[1] = { actor };
	PGresult *res = NULL;
	long n;

	if (db_exec(db, &recompute_stmt, 1, params, &res))
		return -1;
	n = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

/* add (name != NULL) or remove the one-off holiday on date. */
static int change(struct db_conn *db, const char *date, const char *name, const char *basis,
		  FILE *out, FILE *err)
{
	const char *by = getenv("USER"), *params[4] = { date, name, basis, NULL };
	char actor[96];
	PGresult *res = NULL;
	long moved = -1, late;
	int rc = 1;

	snprintf(actor, sizeof(actor), "operator:holiday %s %s", name ? "add" : "remove", date);
	params[3] = by && *by ? by : "operator";
	if (db_begin(db) || db_exec(db, &holiday_stmt, 1, params, &res))
		goto fail;
	if (name && !PQgetisnull(res, 0, 0)) {
		fprintf(err, "itaku holiday: %s is already a holiday (%s)\n", date, PQgetvalue(res, 0, 0));
		goto out;
	}
	if (!name && strcmp(PQgetvalue(res, 0, 1), "t") != 0) {
		if (PQgetisnull(res, 0, 0))
			fprintf(err, "itaku holiday: %s is not a holiday\n", date);
		else
			fprintf(err, "itaku holiday: %s is %s under 国民の祝日に関する法律, not a one-off "
				"holiday; it cannot be removed\n", date, PQgetvalue(res, 0, 0));
		goto out;
	}
	if (db_exec(db, name ? &add_stmt : &remove_stmt, name ? 4 : 1, params, NULL) ||
	    (moved = recompute(db, actor)) < 0 || db_commit(db))
		goto fail;
	/* Incidents filed meanwhile by other processes used the old calendar. */
	if ((late = recompute(db, actor)) < 0)
		goto fail;
	if (name)
		fprintf(out, "holiday %s added: %s\n", date, name);
	else
		fprintf(out, "holiday %s removed\n", date);
	fprintf(out, "PPC deadlines moved: %ld incident(s)\n", moved + late);
	rc = 0;
	goto out;
fail:
	fprintf(err, "itaku holiday: %s\n", db->message);
out:
	PQclear(res);
	db_rollback(db);
	return rc;
}

int holidays_command(struct db_conn *db, int argc, char **argv, FILE *out, FILE *err)
{
	const char *verb = argc > 0 ? argv[0] : "";

	if (!strcmp(verb, "list") && argc == 2)
		return list(db, argv[1], out, err);
	if (!strcmp(verb, "add") && (argc == 3 || argc == 4)) {
		if (!in_range(argv[1]))
			return usage(err, "DATE must be YYYY-MM-DD in 2000-2099");
		if (jv_utf8_len(argv[2]) < 1 || jv_utf8_len(argv[2]) > 100)
			return usage(err, "NAME must be 1 to 100 characters");
		if (argc == 4 && (jv_utf8_len(argv[3]) < 1 || jv_utf8_len(argv[3]) > 500))
			return usage(err, "BASIS must be 1 to 500 characters");
		return change(db, argv[1], argv[2], argc == 4 ? argv[3] : NULL, out, err);
	}
	if (!strcmp(verb, "remove") && argc == 2) {
		if (!in_range(argv[1]))
			return usage(err, "DATE must be YYYY-MM-DD in 2000-2099");
		return change(db, argv[1], NULL, NULL, out, err);
	}
	return usage(err, "expected list YEAR, add DATE NAME [BASIS] or remove DATE");
}

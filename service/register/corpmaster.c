/*
 * corpmaster.c - streaming CSV import of the corporate number register,
 * run by the operator (`itaku corporate-master import FILE|-`).
 */
#include "register/corpmaster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "audit/trail.h"
#include "json/valid.h"
#include "register/corpnum.h"

#define NCOLS 30
#define ROW_MAX 16384          /* bytes; longer rows are refused */
#define BATCH 500
#define MAX_REPORTED 100       /* row errors listed in the summary */
#define BLOCK 65536            /* bytes read at a time */

struct import {
	struct db_conn *db;
	int failed;                 /* the database failed: stop writing */
	char today[11];             /* Tokyo date, YYYY-MM-DD: later update dates are refused */
	/* CSV state */
	char row[ROW_MAX];
	size_t len;
	size_t starts[NCOLS + 1];
	int ncols, quoted, after_quote, too_long, pending;
	long line, row_line;
	/* batch */
	json_t *batch;
	/* results */
	long rows, inserted, updated, unchanged, bad, vendors_changed;
	json_t *errors;
};

/* ---- writing ------------------------------------------------------------ */

/* Later files win: a row replaces the stored one unless it is older. One
 * corporation may appear several times in a file (差分データ); within a
 * batch the last occurrence counts. */
static struct db_stmt upsert_stmt = DB_STMT(
	"insert into corporate_master as m (corporate_number, sequence_number, process, correct,"
	"   update_date, change_date, name, kind, prefecture_name, city_name, street_number,"
	"   prefecture_code, city_code, post_code, address_outside, close_date, close_cause,"
	"   successor_corporate_number, change_cause, assignment_date, latest, en_name, furigana, hidden)"
	" select distinct on (r->>1) r->>1, (r->>0)::bigint, r->>2, r->>3 = '1', (r->>4)::date,"
	"        nullif(r->>5, '')::date, r->>6, r->>8, nullif(r->>9, ''), nullif(r->>10, ''),"
	"        nullif(r->>11, ''), nullif(r->>13, ''), nullif(r->>14, ''), nullif(r->>15, ''),"
	"        nullif(r->>16, ''), nullif(r->>18, '')::date, nullif(r->>19, ''), nullif(r->>20, ''),"
	"        nullif(r->>21, ''), nullif(r->>22, '')::date, r->>23 = '1', nullif(r->>24, ''),"
	"        nullif(r->>28, ''), r->>29 = '1'"
	"   from jsonb_array_elements($1::jsonb) with ordinality as x(r, ord)"
	"  order by r->>1, ord desc"
	" on conflict (corporate_number) do update set"
	"   sequence_number = excluded.sequence_number, process = excluded.process,"
	"   correct = excluded.correct, update_date = excluded.update_date,"
	"   change_date = excluded.change_date, name = excluded.name, kind = excluded.kind,"
	"   prefecture_name = excluded.prefecture_name, city_name = excluded.city_name,"
	"   street_number = excluded.street_number, prefecture_code = excluded.prefecture_code,"
	"   city_code = excluded.city_code, post_code = excluded.post_code,"
	"   address_outside = excluded.address_outside, close_date = excluded.close_date,"
	"   close_cause = excluded.close_cause, successor_corporate_number = excluded.successor_corporate_number,"
	"   change_cause = excluded.change_cause, assignment_date = excluded.assignment_date,"
	"   latest = excluded.latest, en_name = excluded.en_name, furigana = excluded.furigana,"
	"   hidden = excluded.hidden, imported_at = now()"
	"  where excluded.update_date >= m.update_date"
	" returning xmax = 0");
/* Vendors of every tenant with these numbers re-derive their snapshot and
 * risk (a closed corporation raises it). Only those whose derived state
 * changed (their version moved) come back, with before and after, for an
 * audit event in their own tenant's trail. */
static struct db_stmt touch_stmt = DB_STMT(
	"with cur as ("
	"  select v.tenant_id, v.id, v.version, vendor_json(v)::text as before from vendors v"
	"   where v.corporate_number in (select r->>1 from jsonb_array_elements($1::jsonb) r)"
	"   order by v.tenant_id, v.id for update),"
	" upd as ("
	"  update vendors v set tenant_id = v.tenant_id from cur"
	"   where v.tenant_id = cur.tenant_id and v.id = cur.id"
	"  returning v.tenant_id, v.id, v.version, cur.version as old_version, cur.before,"
	"            vendor_json(v)::text as after)"
	"select tenant_id, id, before, after from upd where version <> old_version"
	" order by tenant_id, id");

static int audit_vendors(struct import *x, PGresult *res)
{
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *before = json_loads(PQgetvalue(res, i, 2), 0, NULL);
		json_t *after = json_loads(PQgetvalue(res, i, 3), 0, NULL);
		int err = audit_record_as(x->db, PQgetvalue(res, i, 0), NULL, "operator", NULL,
					  "vendor.official_record_changed", "vendor", PQgetvalue(res, i, 1),
					  before, after);

		json_decref(before);
		json_decref(after);
		if (err)
			return err;
	}
	x->vendors_changed += PQntuples(res);
	return 0;
}

static int flush(struct import *x)
{
	PGresult *res = NULL, *touched = NULL;
	const char *params[1];
	size_t n = json_array_size(x->batch), distinct;
	char *text;
	int err;

	if (n == 0 || x->failed)
		return x->failed ? -1 : 0;
	text = json_dumps(x->batch, JSON_COMPACT);
	params[0] = text;
	if (!text || (err = db_begin(x->db)) || (err = db_exec(x->db, &upsert_stmt, 1, params, &res)) ||
	    (err = db_exec(x->db, &touch_stmt, 1, params, &touched)) ||
	    (err = audit_vendors(x, touched)) || (err = db_commit(x->db))) {
		db_rollback(x->db);
		x->failed = 1;
	} else {
		json_t *seen = json_object(), *row;
		size_t i;

		json_array_foreach(x->batch, i, row)
			json_object_set(seen, json_string_value(json_array_get(row, 1)), json_true());
		distinct = json_object_size(seen);
		json_decref(seen);
		for (int i2 = 0; i2 < PQntuples(res); i2++)
			*(strcmp(PQgetvalue(res, i2, 0), "t") ? &x->updated : &x->inserted) += 1;
		x->unchanged += (long)distinct - PQntuples(res) + (long)(n - distinct);
	}
	PQclear(res);
	PQclear(touched);
	free(text);
	json_array_clear(x->batch);
	return x->failed ? -1 : 0;
}

/* ---- rows ------------------------------------------------------------------ */

static void row_error(struct import *x, const char *cn, const char *message)
{
	if (cn && !corpnum_valid(cn))
		cn = NULL;
	x->bad++;
	if (json_array_size(x->errors) < MAX_REPORTED)
		json_array_append_new(x->errors, json_pack("{s:I, s:s?, s:s}", "line", (json_int_t)x->row_line,
							   "corporate_number", cn, "message", message));
}

static int all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int date_ok(const char *s, int required)
{
	return *s ? jv_is_date(s) : !required;
}

#define REJECT(cn, msg) do { row_error(x, (cn), (msg)); return; } while (0)

static void process_row(struct import *x)
{
	const char *f[NCOLS];
	const char *cn;
	json_t *row;

	x->rows++;
	if (x->ncols != NCOLS) {
		char msg[64];

		snprintf(msg, sizeof(msg), "expected %d columns, found %d", NCOLS, x->ncols);
		row_error(x, NULL, msg);
		return;
	}
	for (int i = 0; i < NCOLS; i++)
		f[i] = x->row + x->starts[i];
	cn = f[1];
	for (int i = 0; i < NCOLS; i++) {
		json_t *s = json_string(f[i]);

		if (!s) {
			row_error(x, NULL, "the row is not valid UTF-8");
			return;
		}
		json_decref(s);
	}
	if (!corpnum_valid(cn))
		REJECT(NULL, "corporateNumber is not 13 digits with a valid check digit");
	if (!all_digits(f[0], 1, 18))
		REJECT(cn, "sequenceNumber must be a number");
	if (!all_digits(f[2], 2, 2))
		REJECT(cn, "process must be a two-digit code");
	if (strcmp(f[3], "0") && strcmp(f[3], "1"))
		REJECT(cn, "correct must be 0 or 1");
	if (!date_ok(f[4], 1) || !date_ok(f[5], 0) || !date_ok(f[18], 0) || !date_ok(f[22], 0))
		REJECT(cn, "updateDate, changeDate, closeDate and assignmentDate must be YYYY-MM-DD");
	/* Later files win only when not older, so a future date would pin
	 * the row against every real update to come. */
	if (strcmp(f[4], x->today) > 0)
		REJECT(cn, "updateDate is in the future");
	if (!*f[6] || jv_utf8_len(f[6]) > 300)
		REJECT(cn, "name is required (at most 300 characters)");
	if (!all_digits(f[8], 3, 3))
		REJECT(cn, "kind must be a three-digit code");
	if (*f[19] && !all_digits(f[19], 2, 2))
		REJECT(cn, "closeCause must be a two-digit code");
	if (*f[20] && !corpnum_valid(f[20]))
		REJECT(cn, "successorCorporateNumber is not a valid corporate number");
	if ((strcmp(f[23], "0") && strcmp(f[23], "1")) || (strcmp(f[29], "0") && strcmp(f[29], "1")))
		REJECT(cn, "latest and hihyoji must be 0 or 1");
	row = json_array();
	for (int i = 0; i < NCOLS; i++)
		json_array_append_new(row, json_string(f[i]));
	json_array_append_new(x->batch, row);
	if (json_array_size(x->batch) >= BATCH)
		flush(x);
}

/* ---- CSV ------------------------------------------------------------------- */

static void end_field(struct import *x)
{
	x->ncols++;
	if (x->too_long || x->ncols > NCOLS)
		return;
	if (x->len + 1 >= ROW_MAX) {
		x->too_long = 1;
		return;
	}
	x->row[x->len++] = '\0';
	x->starts[x->ncols] = x->len;   /* where the next field begins */
}

static void end_row(struct import *x)
{
	end_field(x);
	if (x->too_long) {
		x->rows++;
		row_error(x, NULL, "the row is longer than 16 KiB");
	} else if (!(x->ncols == 1 && x->row[0] == '\0')) {   /* blank line */
		process_row(x);
	}
	x->len = 0;
	x->ncols = 0;
	x->starts[0] = 0;
	x->quoted = x->after_quote = x->too_long = x->pending = 0;
	x->row_line = x->line;
}

static void put(struct import *x, char c)
{
	x->pending = 1;
	if (x->len + 1 < ROW_MAX && x->ncols < NCOLS)
		x->row[x->len++] = c;
	else if (x->ncols < NCOLS)
		x->too_long = 1;
}

/* RFC 4180 with CRLF or LF line ends; a UTF-8 byte order mark at the very
 * start is skipped. */
static void feed(struct import *x, const char *data, size_t size, int first)
{
	size_t i = 0;

	if (first && size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	for (; i < size; i++) {
		char c = data[i];

		if (x->quoted) {
			if (c == '"') {
				x->quoted = 0;
				x->after_quote = 1;
			} else {
				if (c == '\n')
					x->line++;
				put(x, c);
			}
			continue;
		}
		if (c == '"') {
			if (x->after_quote)
				put(x, '"');   /* "" inside a quoted field */
			x->quoted = 1;
			x->after_quote = 0;
			x->pending = 1;
			continue;
		}
		x->after_quote = 0;
		if (c == ',') {
			x->pending = 1;
			end_field(x);
		} else if (c == '\n') {
			x->line++;
			end_row(x);
		} else if (c != '\r') {
			put(x, c);
		}
	}
}

static void finish(struct import *x)
{
	if (x->pending || x->ncols > 0)
		end_row(x);
	flush(x);
}

/* ---- entry point --------------------------------------------------------- */

static struct import *import_new(struct db_conn *db)
{
	struct import *x = calloc(1, sizeof(*x));
	time_t now = time(NULL) + 9 * 3600;   /* Japan has no daylight saving time */
	struct tm tokyo;

	if (!x)
		return NULL;
	x->db = db;
	x->line = 1;
	x->row_line = 1;
	x->batch = json_array();
	x->errors = json_array();
	gmtime_r(&now, &tokyo);
	strftime(x->today, sizeof(x->today), "%Y-%m-%d", &tokyo);
	return x;
}

static void import_free(struct import *x)
{
	if (!x)
		return;
	json_decref(x->batch);
	json_decref(x->errors);
	free(x);
}

static struct db_stmt start_stmt = DB_STMT(
	"insert into corporate_master_imports (source) values ($1) returning id");
static struct db_stmt finish_stmt = DB_STMT(
	"update corporate_master_imports set finished_at = now(), outcome = $2, rows = $3::bigint,"
	"       inserted = $4::bigint, updated = $5::bigint, unchanged = $6::bigint,"
	"       rejected = $7::bigint, vendors_changed = $8::bigint"
	" where id = $1");
static struct db_stmt count_stmt = DB_STMT(
	"select count(*), count(*) filter (where close_date is not null) from corporate_master");

static int record(struct import *x, const char *id, const char *outcome)
{
	char n[6][24];
	const char *params[8] = { id, outcome, n[0], n[1], n[2], n[3], n[4], n[5] };
	long v[6] = { x->rows, x->inserted, x->updated, x->unchanged, x->bad, x->vendors_changed };

	for (int i = 0; i < 6; i++)
		snprintf(n[i], sizeof(n[i]), "%ld", v[i]);
	return db_exec(x->db, &finish_stmt, 8, params, NULL);
}

int corpmaster_import(struct db_conn *db, FILE *in, const char *source, json_t **summary,
		      char *err, size_t errlen)
{
	struct import *x = import_new(db);
	const char *params[1] = { source };
	PGresult *res = NULL;
	char id[40] = "", *block = malloc(BLOCK);
	size_t got;
	int first = 1, ret = -1;

	*summary = NULL;
	if (!x || !block) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (db_exec(db, &start_stmt, 1, params, &res)) {
		snprintf(err, errlen, "cannot record the import: %s", db->message);
		goto out;
	}
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	while (!x->failed && (got = fread(block, 1, BLOCK, in)) > 0) {
		feed(x, block, got, first);
		first = 0;
	}
	if (ferror(in)) {
		snprintf(err, errlen, "cannot read %s", source);
		record(x, id, "failed");
		goto out;
	}
	finish(x);
	if (x->failed) {
		snprintf(err, errlen, "the database failed during the import (%s); rows written before "
			 "stay, run the import again", db->message);
		record(x, id, "failed");
		goto out;
	}
	if (record(x, id, "completed") || db_exec(db, &count_stmt, 0, NULL, &res)) {
		snprintf(err, errlen, "cannot record the import: %s", db->message);
		goto out;
	}
	*summary = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:O, s:b, s:I, s:I, s:I}",
			     "import_id", id, "source", source, "rows", (json_int_t)x->rows,
			     "inserted", (json_int_t)x->inserted, "updated", (json_int_t)x->updated,
			     "unchanged", (json_int_t)x->unchanged, "rejected", (json_int_t)x->bad,
			     "errors", x->errors, "errors_truncated", x->bad > MAX_REPORTED,
			     "vendors_changed", (json_int_t)x->vendors_changed,
			     "register_size", (json_int_t)atoll(PQgetvalue(res, 0, 0)),
			     "register_closed", (json_int_t)atoll(PQgetvalue(res, 0, 1)));
	ret = 0;
out:
	PQclear(res);
	free(block);
	import_free(x);
	return ret;
}

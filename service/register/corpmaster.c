/*
 * corpmaster.c - streaming CSV import of the corporate number register.
 */
#include "register/corpmaster.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <jansson.h>
#include <ulfius.h>
#include "app.h"
#include "audit.h"
#include "db/pool.h"
#include "http/auth.h"
#include "http/req.h"
#include "json/valid.h"
#include "register/corpnum.h"

#define NCOLS 30
#define ROW_MAX 16384          /* bytes; longer rows are refused */
#define BATCH 500
#define MAX_REPORTED 100       /* row errors listed in the answer */
#define PATH "/v1/corporate-master/import"

struct import {
	struct import *next;
	const void *request;        /* the ulfius request this upload belongs to */
	struct app *app;
	time_t touched;
	int rejected;               /* not authorised: blocks are dropped */
	int failed;                 /* the database failed: stop writing */
	/* CSV state */
	char row[ROW_MAX];
	size_t len;
	size_t starts[NCOLS + 1];
	int ncols, quoted, after_quote, too_long, pending;
	long line, row_line;
	/* batch */
	json_t *batch;
	/* results */
	long rows, inserted, updated, unchanged, bad;
	json_t *errors;
};

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static struct import *registry;

static struct import *import_new(struct app *app, const void *request)
{
	struct import *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->app = app;
	x->request = request;
	x->line = 1;
	x->row_line = 1;
	x->batch = json_array();
	x->errors = json_array();
	x->touched = time(NULL);
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

/* Removes and returns the import of request (or NULL). */
static struct import *registry_take(const void *request)
{
	struct import **p, *x = NULL;

	pthread_mutex_lock(&registry_mu);
	for (p = &registry; *p; p = &(*p)->next) {
		if ((*p)->request == request) {
			x = *p;
			*p = x->next;
			break;
		}
	}
	pthread_mutex_unlock(&registry_mu);
	return x;
}

static void registry_put(struct import *x)
{
	pthread_mutex_lock(&registry_mu);
	x->next = registry;
	registry = x;
	pthread_mutex_unlock(&registry_mu);
}

void corpmaster_discard(const void *request)
{
	/* this request's own state was added on this thread, before */
	if (__atomic_load_n(&registry, __ATOMIC_ACQUIRE))
		import_free(registry_take(request));
}

void corpmaster_reap(int max_idle_s)
{
	struct import **p, *dead = NULL;
	time_t now = time(NULL);

	pthread_mutex_lock(&registry_mu);
	for (p = &registry; *p;) {
		if (now - (*p)->touched > max_idle_s) {
			struct import *x = *p;

			*p = x->next;
			x->next = dead;
			dead = x;
		} else {
			p = &(*p)->next;
		}
	}
	pthread_mutex_unlock(&registry_mu);
	while (dead) {
		struct import *x = dead;

		dead = x->next;
		import_free(x);
	}
}

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
/* Vendors of every tenant with these numbers re-derive their risk (a
 * closed corporation raises it). */
static struct db_stmt touch_stmt = DB_STMT(
	"update vendors set tenant_id = tenant_id"
	" where corporate_number in (select r->>1 from jsonb_array_elements($1::jsonb) r)");

static int flush(struct import *x)
{
	struct db_conn *c = NULL;
	PGresult *res = NULL;
	char *text;
	const char *params[1];
	size_t n = json_array_size(x->batch), distinct;
	int err;

	if (n == 0 || x->failed)
		return x->failed ? -1 : 0;
	text = json_dumps(x->batch, JSON_COMPACT);
	params[0] = text;
	if (!text || pool_acquire(x->app->pool, &c)) {
		x->failed = 1;
		free(text);
		return -1;
	}
	if ((err = db_begin(c)) || (err = db_exec(c, &upsert_stmt, 1, params, &res)) ||
	    (err = db_exec(c, &touch_stmt, 1, params, NULL)) || (err = db_commit(c))) {
		db_rollback(c);
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
	pool_release(x->app->pool, c);
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

/* ---- entry points ---------------------------------------------------------- */

static int authorised(struct app *app, const struct _u_request *request)
{
	struct _u_response scratch;   /* takes headers auth may set; never sent */
	struct req r;
	int ok;

	if (ulfius_init_response(&scratch) != U_OK)
		return 0;
	memset(&r, 0, sizeof(r));
	r.app = app;
	r.u = request;
	r.res = &scratch;
	ok = auth_authenticate(&r) == 0 && auth_role_allows(r.who.role, PERM_ADMIN);
	if (r.db)
		pool_release(app->pool, r.db);
	problem_clear(&r.problem);
	ulfius_clean_response(&scratch);
	return ok;
}

int corpmaster_upload(const struct _u_request *request, const char *key, const char *filename,
		      const char *content_type, const char *transfer_encoding, const char *data,
		      uint64_t off, size_t size, void *cls)
{
	struct app *app = cls;
	struct import *x;

	(void)key;
	(void)filename;
	(void)content_type;
	(void)transfer_encoding;
	if (strcmp(request->http_verb, "POST") || strcmp(request->url_path, PATH))
		return U_OK;   /* not ours: dropped; the route answers 404 or 415 */
	x = registry_take(request);
	if (off == 0 && x) {
		/* Left by an aborted upload whose request memory was reused (or a
		 * second file part): start over. */
		import_free(x);
		x = NULL;
	}
	if (!x) {
		if (off != 0)
			return U_OK;
		x = import_new(app, request);
		if (!x)
			return U_ERROR_MEMORY;
		x->rejected = !authorised(app, request);
	}
	x->touched = time(NULL);
	if (!x->rejected && !x->failed)
		feed(x, data, size, off == 0);
	registry_put(x);
	return U_OK;
}

static struct db_stmt count_stmt = DB_STMT(
	"select count(*), count(*) filter (where close_date is not null) from corporate_master");

int corpmaster_import(struct req *r)
{
	struct import *x = registry_take(r->u);
	const char *ct = req_header(r, "Content-Type");
	json_t *summary = NULL;
	PGresult *res = NULL;
	int err, ret = -1;

	if (!x) {
		if (!ct || strncasecmp(ct, "text/csv", 8) != 0)
			return req_fail(r, 415, "unsupported-media-type",
					"send the CSV as the file part of multipart/form-data, or as text/csv");
		if (r->u->binary_body_length > r->app->cfg.max_body_bytes)
			return req_fail(r, 413, "body-too-large",
					"a text/csv body is capped at %zu bytes; send large files as multipart/form-data",
					r->app->cfg.max_body_bytes);
		if (!(x = import_new(r->app, r->u)))
			return req_fail(r, 500, "internal", "out of memory");
		feed(x, r->u->binary_body, r->u->binary_body_length, 1);
	}
	if (x->rejected) {   /* the pipeline authorised this request; the callback did not */
		req_fail(r, 403, "forbidden", "the upload was not authorised");
		goto out;
	}
	finish(x);
	if (x->failed) {
		req_fail(r, 503, "database-unavailable",
			 "the database failed during the import; rows written before stay, send the file again");
		r->problem.retry_after = 2;
		goto out;
	}
	summary = json_pack("{s:I, s:I, s:I, s:I, s:I, s:O, s:b}", "rows", (json_int_t)x->rows,
			    "inserted", (json_int_t)x->inserted, "updated", (json_int_t)x->updated,
			    "unchanged", (json_int_t)x->unchanged, "rejected", (json_int_t)x->bad,
			    "errors", x->errors, "errors_truncated", x->bad > MAX_REPORTED);
	if (!req_db(r))
		goto out;
	if ((err = db_exec(r->db, &count_stmt, 0, NULL, &res))) {
		req_fail_db(r, err);
		goto out;
	}
	json_object_set_new(summary, "register_size", json_integer(atoll(PQgetvalue(res, 0, 0))));
	json_object_set_new(summary, "register_closed", json_integer(atoll(PQgetvalue(res, 0, 1))));
	if ((err = audit_record(r, "corporate_master.imported", "corporate_master", "nta", NULL, summary))) {
		req_fail_db(r, err);
		goto out;
	}
	ret = req_json(r, 200, summary);
	summary = NULL;
out:
	json_decref(summary);
	PQclear(res);
	import_free(x);
	return ret;
}

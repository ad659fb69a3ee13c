/*
 * export.c - a vendor's negotiation records as CSV and JSON (see export.h).
 */
#include "negotiations/export.h"

#include <stdio.h>
#include <string.h>
#include "http/req.h"
#include "util/csv.h"

#define COLUMNS 12

static const char *const header[COLUMNS] = { "record_type", "id", "request_id", "negotiation_id", "date", "kind",
	"one_off_jpy", "recurring_yearly_jpy", "text", "detail", "recorded_at", "recorded_by" };
/* Which columns are text a spreadsheet might run as a formula. */
static const int textual[COLUMNS] = { 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1 };

static struct db_stmt vendor_stmt = DB_STMT("select 1 from vendors where tenant_id = $1 and id = $2");
static struct db_stmt rows_stmt = DB_STMT(
	"select record_type, id::text, request_id::text, negotiation_id::text, on_date::text, kind,"
	"       one_off_jpy::text, recurring_yearly_jpy::text, text, detail,"
	"       to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), recorded_by"
	"  from negotiation_export_rows($1, $2)");
static struct db_stmt json_stmt = DB_STMT("select negotiation_export_json($1, $2)::text");

static void attachment(struct req *r, const char *id, const char *ext)
{
	char value[160];

	snprintf(value, sizeof(value), "attachment; filename=\"negotiation-records-%s.%s\"", id, ext);
	req_set_header(r, "Content-Disposition", value);
}

/* Runs stmt for the path's vendor: 404 when the tenant has none. */
static int read_vendor(struct req *r, struct db_stmt *stmt, const char **id, PGresult **res)
{
	const char *params[2] = { r->who.tenant_id, NULL };
	int err;

	*res = NULL;
	if (!(*id = params[1] = req_param_uuid(r, "id", "vendor")) || !req_db(r))
		return -1;
	if ((err = db_exec(r->db, &vendor_stmt, 2, params, res)))
		return req_fail_db(r, err);
	err = PQntuples(*res);
	PQclear(*res);
	*res = NULL;
	if (!err)
		return req_fail(r, 404, "not-found", "no %s with this id", "vendor");
	if ((err = db_exec(r->db, stmt, 2, params, res)))
		return req_fail_db(r, err);
	return 0;
}

int export_csv(struct req *r)
{
	struct csv_buf out = { 0 };
	PGresult *res = NULL;
	const char *id;
	int ret;

	if (read_vendor(r, &rows_stmt, &id, &res))
		return -1;
	csv_put(&out, "\xEF\xBB\xBF", 3);
	for (int c = 0; c < COLUMNS; c++)
		csv_field(&out, header[c], c == 0, 0);
	csv_end_record(&out);
	for (int i = 0; i < PQntuples(res); i++) {
		for (int c = 0; c < COLUMNS; c++)
			csv_field(&out, PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c), c == 0, textual[c]);
		csv_end_record(&out);
	}
	PQclear(res);
	if (out.failed) {
		csv_buf_free(&out);
		return req_fail(r, 500, "internal", "out of memory");
	}
	attachment(r, id, "csv");
	ret = req_raw(r, 200, "text/csv; charset=utf-8", out.data, out.len);
	csv_buf_free(&out);
	return ret;
}

int export_json(struct req *r)
{
	PGresult *res = NULL;
	const char *id;
	int ret;

	if (read_vendor(r, &json_stmt, &id, &res))
		return -1;
	attachment(r, id, "json");
	ret = req_json_text(r, 200, PQgetvalue(res, 0, 0));
	PQclear(res);
	return ret;
}

/*
 * campaigns_read.c - GET /v1/assessment-campaigns (keyset), one campaign
 * with its progress, and GET …/export.csv of its assessments' results.
 *
 * The export is built whole in memory and sent at once: a campaign holds
 * at most CAMPAIGN_MAX_VENDORS vendors (a few engagements each at most),
 * so its rows stay far below a megabyte, unlike the register's export
 * (register/vendor_list.c), which has no bound and is streamed.
 */
#include "assessments/campaigns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/page.h"
#include "http/req.h"
#include "util/csv.h"

/* $1 tenant, $2/$3 keyset, $4 limit */
static struct db_stmt list_stmt = DB_STMT(
	"select c.created_at::text, c.id::text, assessment_campaign_json(c, false)::text"
	"  from assessment_campaigns c"
	" where c.tenant_id = $1"
	"   and ($2::timestamptz is null or (c.created_at, c.id) > ($2::timestamptz, $3::uuid))"
	" order by c.created_at, c.id limit $4");

static struct db_stmt get_stmt = DB_STMT(
	"select assessment_campaign_json(c, true)::text from assessment_campaigns c"
	" where c.tenant_id = $1 and c.id = $2");

/* The section codes of the campaign's version, in the sheet's order: the
 * export's score columns. No row: no such campaign. */
static struct db_stmt sections_stmt = DB_STMT(
	"select coalesce((select json_agg(s ->> 'code' order by n)"
	"                   from questionnaire_versions v,"
	"                        jsonb_array_elements(v.content -> 'sections') with ordinality s(s, n)"
	"                  where v.tenant_id = c.tenant_id and v.template_id = c.template_id"
	"                    and v.number = c.template_number), '[]')::text"
	"  from assessment_campaigns c where c.tenant_id = $1 and c.id = $2");

#define UTC(col) "to_char(" col " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* One row per assessment, by vendor name: $1 tenant, $2 campaign. */
static struct db_stmt rows_stmt = DB_STMT(
	"select a.id, v.id, v.name, v.external_ref, a.engagement_id, a.status, a.due_on::text,"
	"       (a.status in ('sent', 'in_progress', 'returned') and a.due_on < tokyo_today())::text,"
	"       " UTC("a.submitted_at") ", " UTC("a.completed_at") ", a.verdict, a.score ->> 'overall',"
	"       (select json_object_agg(s ->> 'code', s -> 'score')"
	"          from jsonb_array_elements(a.score -> 'sections') s)::text,"
	"       (select count(*) from findings f where f.tenant_id = a.tenant_id and f.assessment_id = a.id"
	"           and f.status in ('open', 'in_progress'))::text"
	"  from assessments a join vendors v on v.tenant_id = a.tenant_id and v.id = a.vendor_id"
	" where a.tenant_id = $1 and a.campaign_id = $2"
	" order by v.name, v.id, a.created_at, a.id");
enum { X_ID, X_VENDOR, X_NAME, X_REF, X_ENGAGEMENT, X_STATUS, X_DUE, X_OVERDUE, X_SUBMITTED,
       X_COMPLETED, X_VERDICT, X_OVERALL, X_SECTIONS, X_FINDINGS, X_N };

/* Whether column i is text a spreadsheet could run as a formula. */
static const int textual[X_N] = { [X_NAME] = 1, [X_REF] = 1 };

static const char *const csv_columns[] = {
	"assessment_id", "vendor_id", "vendor_name", "external_ref", "engagement_id", "status", "due_on",
	"overdue", "submitted_at", "completed_at", "verdict", "overall_score", NULL
};

int campaigns_list(struct req *r)
{
	const char *params[4] = { r->who.tenant_id };

	return page_list(r, &list_stmt, 4, params, 2);
}

int campaigns_get(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "assessment campaign");
	const char *params[2] = { r->who.tenant_id, id };
	PGresult *res = NULL;
	int err, ret;

	if (!id || !req_db(r))
		return -1;
	if ((err = db_exec(r->db, &get_stmt, 2, params, &res)))
		return req_fail_db(r, err);
	ret = PQntuples(res) ? req_json_text(r, 200, PQgetvalue(res, 0, 0))
			     : req_fail(r, 404, "not-found", "no assessment campaign with this id");
	PQclear(res);
	return ret;
}

static void csv_header(struct csv_buf *b, json_t *sections)
{
	json_t *code;
	size_t i;

	/* BOM first, so that Excel reads UTF-8 (as the register's export) */
	csv_put(b, "\xEF\xBB\xBF", 3);
	for (i = 0; csv_columns[i]; i++)
		csv_field(b, csv_columns[i], i == 0, 0);
	json_array_foreach(sections, i, code) {
		char name[64];

		snprintf(name, sizeof(name), "score_%s", json_string_value(code));
		csv_field(b, name, 0, 1);
	}
	csv_field(b, "findings_open", 0, 0);
	csv_end_record(b);
}

static void csv_row(struct csv_buf *b, PGresult *res, int row, json_t *sections)
{
	json_t *scores = PQgetisnull(res, row, X_SECTIONS) ? NULL
		: json_loads(PQgetvalue(res, row, X_SECTIONS), 0, NULL);
	json_t *code;
	size_t i;

	for (int c = 0; c < X_SECTIONS; c++)
		csv_field(b, PQgetisnull(res, row, c) ? NULL : PQgetvalue(res, row, c), c == 0, textual[c]);
	json_array_foreach(sections, i, code) {
		json_t *s = json_object_get(scores, json_string_value(code));
		char *text = s && json_is_number(s) ? json_dumps(s, JSON_ENCODE_ANY | JSON_REAL_PRECISION(6)) : NULL;

		csv_field(b, text, 0, 0);
		free(text);
	}
	csv_field(b, PQgetvalue(res, row, X_FINDINGS), 0, 0);
	csv_end_record(b);
	json_decref(scores);
}

int campaigns_export(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "assessment campaign");
	const char *params[2] = { r->who.tenant_id, id };
	struct csv_buf b = { 0 };
	json_t *sections = NULL;
	PGresult *res = NULL;
	char disposition[96];
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	/* one snapshot: the rows and the columns they are laid out by agree */
	if ((err = db_begin_snapshot(r->db)) || (err = db_exec(r->db, &sections_stmt, 2, params, &res)))
		goto out;
	if (!PQntuples(res)) {
		req_fail(r, 404, "not-found", "no assessment campaign with this id");
		goto out;
	}
	sections = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	res = NULL;
	if ((err = db_exec(r->db, &rows_stmt, 2, params, &res)))
		goto out;
	csv_header(&b, sections);
	for (int i = 0; i < PQntuples(res); i++)
		csv_row(&b, res, i, sections);
	if (b.failed) {
		req_fail(r, 500, "internal", "out of memory");
		goto out;
	}
	db_rollback(r->db);
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"campaign-%s.csv\"", id);
	req_set_header(r, "Content-Disposition", disposition);
	ret = req_raw(r, 200, "text/csv; charset=utf-8", b.data, b.len);
out:
	PQclear(res);
	json_decref(sections);
	csv_buf_free(&b);
	return req_end(r, ret, err);
}

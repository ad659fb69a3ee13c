/*
 * overview.c - GET /v1/overview and GET /v1/overview/trend; see overview.h.
 */
#include "overview/overview.h"

#include <stdio.h>
#include <string.h>
#include "http/auth.h"
#include "http/query.h"
#include "http/req.h"
#include "http/scope.h"

/* $1 tenant, $2-$5 the scope, $6 admin (the webhook figures) */
static struct db_stmt overview_stmt = DB_STMT(
	"select overview_json($1, $2, $3, $4, $5::text[], $6::boolean)::text");

int overview_scope_read(struct req *r, struct scope *sc, const char *params[6])
{
	scope_parse(r, sc, "risk_tier");
	if (query_fail(r)) {
		scope_free(sc);
		return -1;
	}
	params[0] = r->who.tenant_id;
	scope_params(sc, params + 1);
	params[5] = r->who.role == ROLE_ADMIN ? "true" : "false";
	return 0;
}

int overview_get(struct req *r)
{
	const char *params[6];
	struct scope sc;
	PGresult *res = NULL;
	int err, ret = -1;

	if (overview_scope_read(r, &sc, params))
		return -1;
	if (!req_db(r))
		goto out;
	/* One statement: every figure from one snapshot. */
	if ((err = db_exec(r->db, &overview_stmt, 6, params, &res))) {
		req_fail_db(r, err);
		goto out;
	}
	ret = req_json_text(r, 200, PQgetvalue(res, 0, 0));
out:
	PQclear(res);
	scope_free(&sc);
	return ret;
}

/* ---- the trend ------------------------------------------------------------- */

static const char *const metrics[] = {
	"vendors_total", "vendors_high", "vendors_action_required", "monitoring_overdue",
	"certifications_expired", "certifications_expiring_30", "subcontracts_pending",
	"assessments_overdue", "findings_overdue", "findings_open_high", "findings_open_critical",
	"incidents_open_critical", "incidents_open_high", "ppc_filings_overdue", "handovers_overdue", NULL
};

/* $1 tenant, $2 metric, $3 from (default: 29 days before to), $4 to
 * (default: today in Tokyo). The range is checked here, in one place: at
 * most TREND_MAX_DAYS days, from not after to. */
#define TREND_MAX_DAYS "1096"
static struct db_stmt trend_stmt = DB_STMT(
	"with b as (select coalesce($4::date, tokyo_today()) as t)"
	" select case when coalesce($3::date, b.t - 29) > b.t then 'order'"
	"             when b.t - coalesce($3::date, b.t - 29) >= " TREND_MAX_DAYS " then 'range' end,"
	"        overview_trend($1, $2, coalesce($3::date, b.t - 29), b.t)::text from b");

int overview_trend(struct req *r)
{
	const char *params[4] = { r->who.tenant_id };
	PGresult *res = NULL;
	int err, ret = -1;

	params[1] = query_enum(r, "metric", metrics);
	if (!req_query(r, "metric") && !params[1])
		problem_add_parameter(&r->problem, "metric", "is required");
	params[2] = query_date(r, "from");
	params[3] = query_date(r, "to");
	if (query_fail(r) || !req_db(r))
		return -1;
	if ((err = db_exec(r->db, &trend_stmt, 4, params, &res))) {
		req_fail_db(r, err);
		goto out;
	}
	if (!PQgetisnull(res, 0, 0)) {
		if (!strcmp(PQgetvalue(res, 0, 0), "order"))
			problem_add_parameter(&r->problem, "from", "must not be after to");
		else
			problem_add_parameter(&r->problem, "from", "must be at most %s days before to", TREND_MAX_DAYS);
		query_fail(r);
		goto out;
	}
	ret = req_json_text(r, 200, PQgetvalue(res, 0, 1));
out:
	PQclear(res);
	return ret;
}

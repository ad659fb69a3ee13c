/*
 * overview.h - the dashboard overview: GET /v1/overview (every figure with
 * the list request that reproduces it), GET /v1/overview/trend (the daily
 * figures the scheduler keeps) and GET /v1/overview/report.csv (the board
 * report: the figures and one row per vendor with a problem).
 *
 * The figures are computed by overview_json() in sql/functions/
 * 95_overview.sql in one statement, one snapshot; the scope filters are
 * those of the lists (http/scope.h), so that a figure's href, scope
 * included, lists exactly the records it counts.
 */
#ifndef ITAKU_OVERVIEW_H
#define ITAKU_OVERVIEW_H

struct req;
struct scope;

int overview_get(struct req *r);
int overview_trend(struct req *r);
int overview_report_csv(struct req *r);

/* Reads the overview's scope parameters (risk_tier for the tiers) into sc
 * and the arguments of overview_json() into params: tenant, the scope,
 * whether the caller is an admin. Returns 0, or -1 with a 400 on r (sc
 * then needs no scope_free()). */
int overview_scope_read(struct req *r, struct scope *sc, const char *params[6]);

#endif

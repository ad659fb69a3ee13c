/*
 * health.c - probes, metrics and the served contract.
 *
 * /healthz says the process is alive. /readyz says it can do useful work:
 * not shutting down, the database reachable, and its schema at exactly the
 * migration this build embeds (an older schema would fail requests; a newer
 * one means this replica is outdated).
 */
#include "http/health.h"

#include <stdlib.h>
#include <string.h>
#include "db/migrate.h"
#include "embedded.h"
#include "http/metrics.h"
#include "http/req.h"

int health_live(struct req *r)
{
	return req_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

int health_ready(struct req *r)
{
	int applied = 0, expected = migrate_latest_embedded(), stale = 0, err;

	if (atomic_load(&r->app->draining))
		return req_fail(r, 503, "shutting-down", "the service is shutting down");
	if (!req_db(r))
		return -1;
	if ((err = migrate_latest_applied(r->db, &applied))) {
		if (err == DB_EOTHER)   /* no migrations table yet */
			return req_fail(r, 503, "not-migrated",
					"the database has no schema yet; run `itaku migrate`");
		return req_fail_db(r, err);
	}
	if (applied != expected)
		return req_fail(r, 503, "not-migrated",
				"the database schema is at migration %d, this build expects %d",
				applied, expected);
	if ((err = migrate_functions_stale(r->db, &stale)))
		return req_fail_db(r, err);
	if (stale)
		return req_fail(r, 503, "not-migrated",
				"%d functions files of this build are not applied; run `itaku migrate`", stale);
	return req_json(r, 200, json_pack("{s:s, s:s, s:{s:i, s:i}}", "status", "ready",
					  "database", "ok", "migrations", "applied", applied,
					  "expected", expected));
}

int health_metrics(struct req *r)
{
	char *text = metrics_render(r->app, r->app->routes, r->app->nroutes);
	int ret;

	if (!text)
		return req_fail(r, 500, "internal", "could not render metrics");
	ret = req_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
	free(text);
	return ret;
}

/*
 * report_intake.c - the vendor's side of a report link: file an incident,
 * see where it stands, add updates. No API key: the token in the path is
 * the credential.
 *
 * Every request first spends one unit of the link's per-minute budget in
 * the same statement that finds the link, so the limit holds across
 * replicas. A token that is malformed, unknown, expired or revoked gets the
 * same 404, so an answer never tells whether a link ever existed.
 */
#include "incidents/report_intake.h"
#include "incidents/incidents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/trail.h"
#include "http/page.h"
#include "http/req.h"
#include "json/valid.h"
#include "util/crypto.h"

struct link {
	char tenant_id[CRYPTO_UUID_LEN];
	char id[CRYPTO_UUID_LEN];
	char vendor_id[CRYPTO_UUID_LEN];
	char engagement_id[CRYPTO_UUID_LEN];   /* "" when none */
	char actor[32];                        /* "report_link:" + prefix, for the audit trail */
};

/* $1 hash, $2 window seconds -> tenant, id, vendor, engagement, prefix,
 * requests in this window, seconds until the window resets */
static struct db_stmt find_stmt = DB_STMT(
	"update report_links l"
	"   set window_start = case when l.window_start <= now() - make_interval(secs => $2::int)"
	"                           then now() else l.window_start end,"
	"       window_count = case when l.window_start <= now() - make_interval(secs => $2::int)"
	"                           then 1 else l.window_count + 1 end,"
	"       last_used_at = now()"
	" where token_hash = $1 and revoked_at is null and expires_at > now()"
	" returning tenant_id, id, vendor_id, coalesce(engagement_id::text, ''), prefix, window_count,"
	"           ceil(extract(epoch from window_start + make_interval(secs => $2::int) - now()))::int");

static int link_open(struct req *r, struct link *l)
{
	const char *token = req_param(r, "token");
	char hash[CRYPTO_SHA256_HEX_LEN];
	const char *params[2] = { hash, "60" };
	PGresult *res = NULL;
	int err, ret = -1;

	if (!token || strlen(token) != CRYPTO_TOKEN_LEN || strncmp(token, "itr_", 4) != 0)
		return req_fail(r, 404, "not-found", "no report link at this address");
	crypto_sha256_hex(token, strlen(token), hash);
	if (!req_db(r))
		return -1;
	if ((err = db_exec(r->db, &find_stmt, 2, params, &res)))
		return req_fail_db(r, err);
	if (PQntuples(res) == 0) {
		req_fail(r, 404, "not-found", "no report link at this address");
		goto out;
	}
	if (atoi(PQgetvalue(res, 0, 5)) > r->app->cfg.report_link_rate) {
		int wait = atoi(PQgetvalue(res, 0, 6));
		char s[16];

		snprintf(s, sizeof(s), "%d", wait > 0 ? wait : 1);
		req_set_header(r, "Retry-After", s);
		req_fail(r, 429, "rate-limited", "this report link has made too many requests; try again in %s s", s);
		goto out;
	}
	snprintf(l->tenant_id, sizeof(l->tenant_id), "%s", PQgetvalue(res, 0, 0));
	snprintf(l->id, sizeof(l->id), "%s", PQgetvalue(res, 0, 1));
	snprintf(l->vendor_id, sizeof(l->vendor_id), "%s", PQgetvalue(res, 0, 2));
	snprintf(l->engagement_id, sizeof(l->engagement_id), "%s", PQgetvalue(res, 0, 3));
	snprintf(l->actor, sizeof(l->actor), "report_link:%s", PQgetvalue(res, 0, 4));
	ret = 0;
out:
	PQclear(res);
	return ret;
}

/* Whom the link is for, so that the vendor's person sees where the report
 * goes before filing. Only names: not the link's label (the outsourcer's
 * own note) nor anything else of the outsourcer's records. */
static struct db_stmt about_stmt = DB_STMT(
	"select json_build_object('outsourcer', t.name, 'vendor', v.name, 'engagement', e.title,"
	"         'expires_at', l.expires_at)::text"
	"  from report_links l"
	"  join tenants t on t.id = l.tenant_id"
	"  join vendors v on v.tenant_id = l.tenant_id and v.id = l.vendor_id"
	"  left join engagements e on e.tenant_id = l.tenant_id and e.id = l.engagement_id"
	" where l.tenant_id = $1 and l.id = $2");

int report_intake_about(struct req *r)
{
	struct link l;
	const char *params[2];
	PGresult *res = NULL;
	int err;

	if (link_open(r, &l))
		return -1;
	params[0] = l.tenant_id;
	params[1] = l.id;
	if ((err = db_exec(r->db, &about_stmt, 2, params, &res)))
		return req_fail_db(r, err);
	if (PQntuples(res) == 0)   /* the link was found a statement ago */
		err = req_fail(r, 404, "not-found", "no report link at this address");
	else
		err = req_json_text(r, 200, PQgetvalue(res, 0, 0));
	PQclear(res);
	return err;
}

/* The incidents report_intake_get() shows: filed through any link of this
 * vendor (i.vendor_id is the link's, fixed once filed; it lets the partial
 * index incidents_vendor_filed find them), newest first. */
static struct db_stmt list_stmt = DB_STMT(
	"select i.created_at::text, i.id::text, incident_vendor_json(i)::text"
	"  from incidents i"
	"  join report_links l on l.tenant_id = i.tenant_id and l.id = i.report_link_id"
	" where i.tenant_id = $1 and i.vendor_id = $2 and i.report_link_id is not null"
	"   and l.vendor_id = $2"
	"   and ($3::timestamptz is null or (i.created_at, i.id) < ($3::timestamptz, $4::uuid))"
	" order by i.created_at desc, i.id desc limit $5");

int report_intake_list(struct req *r)
{
	struct link l;
	const char *params[5];

	if (link_open(r, &l))
		return -1;
	params[0] = l.tenant_id;
	params[1] = l.vendor_id;
	return page_list(r, &list_stmt, 5, params, 2);
}

static int record(struct req *r, const struct link *l, const char *action, const char *id,
		  json_t *after)
{
	return audit_record_as(r->db, l->tenant_id, NULL, l->actor, r->request_id, action, "incident",
			       id, NULL, after);
}

/* The detection is the vendor's and this request is its notice to us (a
 * vendor clock a few minutes ahead of ours puts the notice at the
 * detection). */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into incidents as i (tenant_id, vendor_id, engagement_id, chain_path, aware_at, source,"
	"       report_link_id, reporter, title, description, category, severity, occurred_at,"
	"       detected_at, detected_by, reported_to_us_at, notice_items, updated_via)"
	" select $1, $2, nullif($3, '')::uuid, '{}', now(), 'report_link', $4, nullif(d -> 'reporter', 'null'),"
	"        d ->> 'title', d ->> 'description', d ->> 'category', d ->> 'severity',"
	"        (d ->> 'occurred_at')::timestamptz, (d ->> 'detected_at')::timestamptz, 'vendor',"
	"        greatest(now(), (d ->> 'detected_at')::timestamptz),"
	"        jsonb_strip_nulls(coalesce(nullif(d -> 'notice_items', 'null'), '{}')), $4"
	"   from (select $5::jsonb as d) x"
	" returning id, incident_vendor_json(i)::text, incident_json(i)::text");

int report_intake_create(struct req *r)
{
	struct link l;
	json_t *doc = NULL, *full = NULL;
	const char *params[5];
	PGresult *res = NULL;
	char *text = NULL;
	int err = 0, ret = -1;

	if (link_open(r, &l))
		return -1;
	if (!(doc = incidents_merge(&r->problem, NULL, r->body, 1)))
		return req_fail_invalid(r);
	text = json_dumps(doc, JSON_COMPACT);
	params[0] = l.tenant_id;
	params[1] = l.vendor_id;
	params[2] = l.engagement_id;
	params[3] = l.id;
	params[4] = text;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, &insert_stmt, 5, params, &res)))
		goto out;
	full = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	if ((err = record(r, &l, "incident.created", PQgetvalue(res, 0, 0), full)) ||
	    req_commit(r, 0))
		goto out;
	/* No Location: the incident's address would carry the link's token
	 * into a response header, which proxies log; the answer has its id. */
	ret = req_json_text(r, 201, PQgetvalue(res, 0, 1));
out:
	/* The schema's rule, named by the field the person can correct. */
	if (ret && err && !r->problem.status && r->db && !strcmp(r->db->constraint, "incidents_check1")) {
		req_fail_db(r, err);
		problem_add_pointer(&r->problem, "/occurred_at", "must not be after detected_at");
	}
	json_decref(doc);
	json_decref(full);
	free(text);
	PQclear(res);
	return req_end(r, ret, err);
}

/* A vendor sees the incidents filed through its own links, with the
 * entries of the timeline that concern it. */
static struct db_stmt get_stmt = DB_STMT(
	"select json_build_object('incident', incident_vendor_json(i),"
	"         'events', (select coalesce(json_agg(json_build_object('at', e.at, 'kind', e.kind,"
	"                           'note', case when e.kind = 'vendor_update' then e.note end,"
	"                           'data', case when e.kind = 'status_changed' then e.data end)"
	"                         order by e.seq), '[]')"
	"                      from incident_events e"
	"                     where e.tenant_id = i.tenant_id and e.incident_id = i.id"
	"                       and e.kind in ('reported', 'status_changed', 'vendor_update')))::text"
	"  from incidents i"
	"  join report_links l on l.tenant_id = i.tenant_id and l.id = i.report_link_id"
	" where i.tenant_id = $1 and i.id = $2 and l.vendor_id = $3");

static const char *incident_param(struct req *r)
{
	const char *id = req_param(r, "incident_id");

	if (!id || !crypto_is_uuid(id)) {
		req_fail(r, 404, "not-found", "no incident of yours with this id");
		return NULL;
	}
	return id;
}

int report_intake_get(struct req *r)
{
	struct link l;
	const char *params[3];
	PGresult *res = NULL;
	int err;

	if (link_open(r, &l) || !(params[1] = incident_param(r)))
		return -1;
	params[0] = l.tenant_id;
	params[2] = l.vendor_id;
	if ((err = db_exec(r->db, &get_stmt, 3, params, &res)))
		return req_fail_db(r, err);
	if (PQntuples(res) == 0)
		err = req_fail(r, 404, "not-found", "no incident of yours with this id");
	else
		err = req_json_text(r, 200, PQgetvalue(res, 0, 0));
	PQclear(res);
	return err;
}

static struct db_stmt add_stmt = DB_STMT(
	"insert into incident_events as e (tenant_id, incident_id, kind, report_link_id, note, data)"
	" select $1, i.id, 'vendor_update', $4, $5, '{}'"
	"   from incidents i join report_links l on l.tenant_id = i.tenant_id and l.id = i.report_link_id"
	"  where i.tenant_id = $1 and i.id = $2 and l.vendor_id = $3"
	" returning e.id, json_build_object('at', e.at, 'kind', e.kind, 'note', e.note)::text,"
	"           incident_event_json(e)::text");

int report_intake_add_event(struct req *r)
{
	static const char *const keys[] = { "note", NULL };
	struct link l;
	const char *params[5];
	json_t *after = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (link_open(r, &l) || !(params[1] = incident_param(r)))
		return -1;
	jv_only(&r->problem, r->body, keys);
	params[4] = jv_string(&r->problem, r->body, "note", JV_REQUIRED, 1, 8000);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	params[0] = l.tenant_id;
	params[2] = l.vendor_id;
	params[3] = l.id;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, &add_stmt, 5, params, &res)))
		goto out;
	if (PQntuples(res) == 0) {
		req_fail(r, 404, "not-found", "no incident of yours with this id");
		goto out;
	}
	after = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	if ((err = record(r, &l, "incident.vendor_update", params[1], after)))
		goto out;
	ret = req_commit_text(r, 201, PQgetvalue(res, 0, 1), 0);
out:
	json_decref(after);
	PQclear(res);
	return req_end(r, ret, err);
}

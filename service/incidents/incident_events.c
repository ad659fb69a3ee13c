/*
 * incident_events.c - status changes and the append-only timeline.
 *
 * Status moves forward freely (reported -> investigating -> contained ->
 * resolved -> closed, steps may be skipped); moving back is a reopening and
 * needs a reason. The schema adds its own rules (a root cause before
 * resolved, the final PPC report before a reportable incident is closed)
 * and writes the timeline entry for the change itself.
 */
#include "incidents/incident_events.h"
#include "incidents/incidents.h"

#include <stdlib.h>
#include <string.h>
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"

static struct db_stmt status_stmt = DB_STMT(
	"update incidents i set status = $3, status_note = $4, updated_by = $5, updated_via = null"
	" where tenant_id = $1 and id = $2 returning version, incident_json(i)::text");

static int rank(const char *status)
{
	for (int i = 0; incident_statuses[i]; i++)
		if (status && !strcmp(status, incident_statuses[i]))
			return i;
	return -1;
}

int incidents_set_status(struct req *r)
{
	static const char *const body_keys[] = { "status", "note", NULL };
	const char *id = req_param_uuid(r, "id", "incident");
	const char *status, *note, *from, *params[5];
	json_t *current = NULL, *after = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1, to;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, body_keys);
	to = jv_enum(&r->problem, r->body, "status", JV_REQUIRED, incident_statuses);
	status = to >= 0 ? incident_statuses[to] : NULL;
	note = jv_string(&r->problem, r->body, "note", JV_OPTIONAL, 1, 2000);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || incidents_lock(r, id, &current))
		goto out;
	from = json_string_value(json_object_get(current, "status"));
	if (rank(from) == to) {
		req_fail(r, 409, "invalid-transition", "the incident is already %s", from);
		goto out;
	}
	if (to < rank(from) && !note) {
		problem_set(&r->problem, 422, "validation-failed", NULL,
			    "reopening an incident (%s to %s) needs a reason", from, status);
		problem_add_pointer(&r->problem, "/note", "is required when reopening");
		goto out;
	}
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = status;
	params[3] = note;
	params[4] = r->who.key_id;
	if ((err = db_exec(r->db, &status_stmt, 5, params, &res)))
		goto out;
	after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, to < rank(from) ? "incident.reopened" : "incident.status_changed",
				"incident", id, current, after)))
		goto out;
	ret = req_commit_text(r, 200, PQgetvalue(res, 0, 1), atol(PQgetvalue(res, 0, 0)));
out:
	json_decref(current);
	json_decref(after);
	PQclear(res);
	return req_end(r, ret, err);
}

static struct db_stmt events_stmt = DB_STMT(
	"select e.seq::text, e.id::text, incident_event_json(e)::text from incident_events e"
	" where e.tenant_id = $1 and e.incident_id = $2"
	"   and ($3::bigint is null or (e.seq, e.id) > ($3::bigint, $4::uuid))"
	" order by e.seq limit $5");
static struct db_stmt incident_exists_stmt = DB_STMT(
	"select 1 from incidents where tenant_id = $1 and id = $2");

int incidents_list_events(struct req *r)
{
	const char *incident = req_param_uuid(r, "id", "incident");
	const char *params[5];

	if (!incident)
		return -1;
	return resource_list(r, incident, "incident", &incident_exists_stmt, &events_stmt, 5, params);
}

/* Kinds a person adds; the others are written by the schema. */
static const char *const manual_kinds[] = { "note", "contact", "notification_sent", NULL };

static struct db_stmt add_stmt = DB_STMT(
	"insert into incident_events as e (tenant_id, incident_id, kind, actor_key_id, note, data)"
	" select $1, i.id, $3, $4, $5, coalesce($6::jsonb, '{}')"
	"   from incidents i where i.tenant_id = $1 and i.id = $2"
	" returning e.id, incident_event_json(e)::text");

int incidents_add_event(struct req *r)
{
	static const char *const body_keys[] = { "kind", "note", "data", NULL };
	const char *id = req_param_uuid(r, "id", "incident");
	const char *params[6];
	json_t *data = json_object_get(r->body, "data"), *after = NULL;
	PGresult *res = NULL;
	char *data_text = NULL;
	int err = 0, ret = -1, kind;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, body_keys);
	kind = jv_enum(&r->problem, r->body, "kind", JV_REQUIRED, manual_kinds);
	params[4] = jv_string(&r->problem, r->body, "note", JV_REQUIRED, 1, 8000);
	if (data && !json_is_object(data))
		problem_add_pointer(&r->problem, "/data", "must be an object");
	else if (data && json_object_size(data) > 20)
		problem_add_pointer(&r->problem, "/data", "must have at most 20 members");
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	data_text = data ? json_dumps(data, JSON_COMPACT) : NULL;
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = manual_kinds[kind];
	params[3] = r->who.key_id;
	params[5] = data_text;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, &add_stmt, 6, params, &res)))
		goto out;
	if (PQntuples(res) == 0) {
		req_fail(r, 404, "not-found", "no incident with this id");
		goto out;
	}
	after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, "incident.event_added", "incident", id, NULL, after)))
		goto out;
	ret = req_commit_text(r, 201, PQgetvalue(res, 0, 1), 0);
out:
	json_decref(after);
	free(data_text);
	PQclear(res);
	return req_end(r, ret, err);
}

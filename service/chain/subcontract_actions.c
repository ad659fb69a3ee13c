/*
 * subcontract_actions.c - approve, reject, withdraw and end a link.
 *
 * Each action locks the engagement row before the link: the schema's
 * trigger takes the same lock for structural changes, and taking it first
 * here keeps a cascade (which locks the links below) from deadlocking with
 * an approval further down. Closing a link closes its open subtree in the
 * same transaction: approved links below end, requested ones are rejected,
 * each with its own audit event and closed_with naming the link acted on.
 */
#include "chain/subcontract_actions.h"
#include "chain/subcontracts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/req.h"
#include "json/valid.h"

struct action {
	const char *verb;         /* "approve": wording of the 409 */
	const char *from;         /* the status it starts from */
	const char *const *body;  /* allowed members */
	const char *note;         /* member stored as the note ("note" or "reason") */
	int note_required;
	struct db_stmt *stmt;     /* $1 tenant, $2 id, $3 actor, $4 note[, $5 conditions] */
	int nparams;
	int cascade;
};

static struct db_stmt lock_engagement_stmt = DB_STMT(
	"select 1 from engagements e"
	" where e.tenant_id = $1"
	"   and e.id = (select engagement_id from subcontracts where tenant_id = $1 and id = $2)"
	" for no key update");

static struct db_stmt approve_stmt = DB_STMT(
	"update subcontracts s set status = 'approved', decided_by = $3, decided_at = now(),"
	"       decision_note = $4, conditions = $5, version = version + 1, updated_at = now()"
	" where tenant_id = $1 and id = $2 returning version, subcontract_json(s)::text");
static struct db_stmt reject_stmt = DB_STMT(
	"update subcontracts s set status = 'rejected', decided_by = $3, decided_at = now(),"
	"       decision_note = $4, version = version + 1, updated_at = now()"
	" where tenant_id = $1 and id = $2 returning version, subcontract_json(s)::text");
static struct db_stmt withdraw_stmt = DB_STMT(
	"update subcontracts s set status = 'withdrawn', decided_by = $3, decided_at = now(),"
	"       decision_note = $4, version = version + 1, updated_at = now()"
	" where tenant_id = $1 and id = $2 returning version, subcontract_json(s)::text");
static struct db_stmt end_stmt = DB_STMT(
	"update subcontracts s set status = 'ended', ended_by = $3, ended_at = now(),"
	"       end_note = $4, version = version + 1, updated_at = now()"
	" where tenant_id = $1 and id = $2 returning version, subcontract_json(s)::text");

/* $1 tenant, $2 the link acted on, $3 actor, $4 note -> id, before, after */
static struct db_stmt cascade_stmt = DB_STMT(
	"with recursive below as ("
	"   select s.id from subcontracts s"
	"    where s.tenant_id = $1 and s.parent_id = $2 and s.status in ('requested', 'approved')"
	"   union all"
	"   select s.id from subcontracts s join below b on s.parent_id = b.id"
	"    where s.tenant_id = $1 and s.status in ('requested', 'approved')"
	" ), before as ("
	"   select s.id, subcontract_json(s) as j from subcontracts s join below using (id)"
	"    where s.tenant_id = $1"
	" )"
	" update subcontracts s"
	"    set status = case s.status when 'approved' then 'ended' else 'rejected' end,"
	"        ended_by = case s.status when 'approved' then $3::uuid else s.ended_by end,"
	"        ended_at = case s.status when 'approved' then now() else s.ended_at end,"
	"        end_note = case s.status when 'approved' then $4 else s.end_note end,"
	"        decided_by = case s.status when 'requested' then $3::uuid else s.decided_by end,"
	"        decided_at = case s.status when 'requested' then now() else s.decided_at end,"
	"        decision_note = case s.status when 'requested' then $4 else s.decision_note end,"
	"        closed_with = $2, version = s.version + 1, updated_at = now()"
	"   from before b where s.tenant_id = $1 and s.id = b.id"
	" returning s.id::text, b.j::text, s.status, subcontract_json(s)::text");

static const char *const note_only[] = { "note", NULL };
static const char *const approve_body[] = { "note", "conditions", NULL };
static const char *const reject_body[] = { "reason", NULL };

static const struct action approve = { "approved", "requested", approve_body, "note", 0,
				       &approve_stmt, 5, 0 };
static const struct action reject = { "rejected", "requested", reject_body, "reason", 1,
				      &reject_stmt, 4, 1 };
static const struct action withdraw = { "withdrawn", "requested", note_only, "note", 0,
					&withdraw_stmt, 4, 1 };
static const struct action end = { "ended", "approved", note_only, "note", 0, &end_stmt, 4, 1 };

static int check_body(struct req *r, const struct action *a, const char **note,
		      const char **conditions)
{
	json_t *body = r->body;

	*note = *conditions = NULL;
	if (!body)
		body = json_object();
	else
		json_incref(body);
	jv_only(&r->problem, body, a->body);
	*note = jv_string(&r->problem, body, a->note, a->note_required, 1, 2000);
	if (a == &approve)
		*conditions = jv_string(&r->problem, body, "conditions", JV_OPTIONAL, 1, 4000);
	json_decref(body);   /* the strings stay alive in r->body */
	return problem_error_count(&r->problem) ? req_fail_invalid(r) : 0;
}

/* Approval needs the confirmations; name each one missing. */
static int check_flow_down(struct req *r, json_t *current)
{
	json_t *missing = json_object_get(current, "flow_down_missing"), *v;
	size_t i;

	if (json_array_size(missing) == 0)
		return 0;
	problem_set(&r->problem, 422, "flow-down-incomplete", NULL,
		    "the link cannot be approved until every flow-down confirmation is recorded; see errors");
	json_array_foreach(missing, i, v) {
		char ptr[64];

		snprintf(ptr, sizeof(ptr), "/flow_down/%s", json_string_value(v));
		problem_add_pointer(&r->problem, ptr, "is not confirmed");
	}
	return -1;
}

static int close_subtree(struct req *r, const char *id, const struct action *a)
{
	char note[160];
	const char *params[4] = { r->who.tenant_id, id, r->who.key_id, note };
	PGresult *res = NULL;
	int err;

	snprintf(note, sizeof(note), "closed with link %s, which was %s", id, a->verb);
	if ((err = db_exec(r->db, &cascade_stmt, 4, params, &res)))
		return err;
	for (int i = 0; i < PQntuples(res) && !err; i++) {
		json_t *before = json_loads(PQgetvalue(res, i, 1), 0, NULL);
		json_t *after = json_loads(PQgetvalue(res, i, 3), 0, NULL);

		err = req_audit(r, !strcmp(PQgetvalue(res, i, 2), "ended") ? "subcontract.ended"
									 : "subcontract.rejected",
				   "subcontract", PQgetvalue(res, i, 0), before, after);
		json_decref(before);
		json_decref(after);
	}
	PQclear(res);
	return err;
}

static int act(struct req *r, const struct action *a)
{
	const char *id = req_param_uuid(r, "id", "subcontract");
	const char *note, *conditions, *params[5];
	json_t *current = NULL, *after = NULL;
	PGresult *res = NULL;
	char verb[48];
	int err = 0, ret = -1;

	if (!id || check_body(r, a, &note, &conditions) || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, &lock_engagement_stmt, 2, params, NULL)) ||
	    subcontracts_lock(r, id, &current))
		goto out;
	if (strcmp(json_string_value(json_object_get(current, "status")), a->from) != 0) {
		req_fail(r, 409, "invalid-transition", "the link is %s; only a %s link can be %s",
			 json_string_value(json_object_get(current, "status")), a->from, a->verb);
		goto out;
	}
	if (a == &approve && check_flow_down(r, current))
		goto out;
	params[2] = r->who.key_id;
	params[3] = note;
	params[4] = conditions;
	if ((err = db_exec(r->db, a->stmt, a->nparams, params, &res)))
		goto out;
	after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	snprintf(verb, sizeof(verb), "subcontract.%s", a->verb);
	if ((err = req_audit(r, verb, "subcontract", id, current, after)) ||
	    (a->cascade && (err = close_subtree(r, id, a))))
		goto out;
	ret = req_commit_text(r, 200, PQgetvalue(res, 0, 1), atol(PQgetvalue(res, 0, 0)));
out:
	json_decref(current);
	json_decref(after);
	PQclear(res);
	return req_end(r, ret, err);
}

int subcontracts_approve(struct req *r)
{
	return act(r, &approve);
}

int subcontracts_reject(struct req *r)
{
	return act(r, &reject);
}

int subcontracts_withdraw(struct req *r)
{
	return act(r, &withdraw);
}

int subcontracts_end(struct req *r)
{
	return act(r, &end);
}

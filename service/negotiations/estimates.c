/*
 * estimates.c - cost estimates and their revisions (see estimates.h).
 */
#include "negotiations/estimates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"

#define YEN_MAX 1000000000000LL

static const char *const elements[] = { "equipment", "service_fees", "labour", "certification", "training",
					"other", NULL };

/* $1 tenant, $2 request, $3 document, $4 key id; the trigger numbers the revision. */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into cost_estimates as e (tenant_id, request_id, revision, one_off_jpy, recurring_yearly_jpy, basis,"
	"       elements, evidence_refs, estimated_by, estimated_on, note, recorded_by)"
	" select $1, s.id, 1, (d ->> 'one_off_jpy')::bigint, (d ->> 'recurring_yearly_jpy')::bigint, d ->> 'basis',"
	"        coalesce(d -> 'elements', '[]'),"
	"        array(select jsonb_array_elements_text(coalesce(d -> 'evidence_refs', '[]'))),"
	"        d ->> 'estimated_by', (d ->> 'estimated_on')::date, d ->> 'note',"
	"        (select 'api_key:' || k.prefix from api_keys k where k.id = $4::uuid)"
	"   from security_requests s, (select $3::jsonb d) x where s.tenant_id = $1 and s.id = $2"
	" returning e.id, cost_estimate_json(e)::text");

/* Checks the cost elements against the totals. */
static void check_elements(struct problem *p, json_t *doc, long long one_off, long long recurring)
{
	json_t *items = jv_array(p, doc, "elements", JV_OPTIONAL, 0, 6), *it;
	long long sum_one = 0, sum_rec = 0, n;
	int seen[8] = { 0 }, bad = 0;
	size_t i, from;
	char at[48];

	if (!items)
		return;
	json_array_foreach(items, i, it) {
		static const char *const keys[] = { "element", "one_off_jpy", "recurring_yearly_jpy", "note", NULL };
		int k;

		from = problem_error_count(p);
		snprintf(at, sizeof(at), "/elements/%zu", i);
		if (!json_is_object(it)) {
			problem_add_pointer(p, at, "must be an object of element, one_off_jpy, recurring_yearly_jpy, note");
			bad = 1;
			continue;
		}
		jv_only(p, it, keys);
		k = jv_enum(p, it, "element", JV_REQUIRED, elements);
		if (jv_int(p, it, "one_off_jpy", JV_REQUIRED, 0, YEN_MAX, &n) == 1)
			sum_one += n;
		if (jv_int(p, it, "recurring_yearly_jpy", JV_REQUIRED, 0, YEN_MAX, &n) == 1)
			sum_rec += n;
		jv_string(p, it, "note", JV_OPTIONAL, 1, 1000);
		if (k >= 0 && seen[k]++)
			problem_add_pointer(p, "/element", "appears more than once: give one line per cost element");
		jv_rebase(p, from, at);
		bad |= problem_error_count(p) > from;
	}
	if (!bad && json_array_size(items) && (sum_one != one_off || sum_rec != recurring))
		problem_add_pointer(p, "/elements",
				    "must add up to the totals: one-off %lld (elements %lld), recurring yearly %lld (elements %lld)",
				    one_off, sum_one, recurring, sum_rec);
}

int estimates_create(struct req *r)
{
	static const char *const members[] = { "one_off_jpy", "recurring_yearly_jpy", "basis", "elements",
		"evidence_refs", "estimated_by", "estimated_on", "note", NULL };
	const char *id = req_param_uuid(r, "id", "security_request");
	const char *params[4] = { r->who.tenant_id, id, NULL, r->who.key_id };
	struct problem *p = &r->problem;
	long long one_off = 0, recurring = 0;
	json_t *out = NULL;
	char *text = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!id)
		return -1;
	jv_only(p, r->body, members);
	jv_int(p, r->body, "one_off_jpy", JV_REQUIRED, 0, YEN_MAX, &one_off);
	jv_int(p, r->body, "recurring_yearly_jpy", JV_REQUIRED, 0, YEN_MAX, &recurring);
	jv_string(p, r->body, "basis", JV_REQUIRED, 1, 4000);
	check_elements(p, r->body, one_off, recurring);
	jv_strings(p, r->body, "evidence_refs", 20, 1, 500, NULL);
	jv_string(p, r->body, "estimated_by", JV_REQUIRED, 1, 200);
	jv_date(p, r->body, "estimated_on", JV_REQUIRED);
	jv_string(p, r->body, "note", JV_OPTIONAL, 1, 4000);
	if (problem_error_count(p))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	params[2] = text = json_dumps(r->body, JSON_COMPACT);
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, &insert_stmt, 4, params, &res)))
		goto out;
	if (!PQntuples(res)) {
		req_fail(r, 404, "not-found", "no %s with this id", "security_request");
		goto out;
	}
	out = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, "cost_estimate.recorded", "cost_estimate", PQgetvalue(res, 0, 0), NULL, out)))
		goto out;
	ret = req_commit_json(r, 201, out, 0);
	out = NULL;
out:
	json_decref(out);
	free(text);
	PQclear(res);
	return req_end(r, ret, err);
}

static struct db_stmt list_stmt = DB_STMT(
	"select e.revision::text, e.id::text, cost_estimate_json(e)::text from cost_estimates e"
	" where e.tenant_id = $1 and e.request_id = $2"
	"   and ($3::int is null or (e.revision, e.id) > ($3::int, $4::uuid))"
	" order by e.revision, e.id limit $5");
static struct db_stmt request_exists_stmt = DB_STMT(
	"select 1 from security_requests where tenant_id = $1 and id = $2");

int estimates_list(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "security_request");
	const char *params[5];

	if (!id)
		return -1;
	return resource_list(r, id, "security_request", &request_exists_stmt, &list_stmt, 5, params);
}
